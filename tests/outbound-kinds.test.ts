// The outbound path for every kind of outbox row (send, reply, card PATCH, delayed update by callback
// token, urgent, file), through the real worker and SDK against a standalone Feishu sandbox; plus what
// addOutbound refuses, notBefore, and the per-receiver pacing schedule in Redis.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { useTestDatabase } from './support/db.ts';
import { useTestRedis } from './support/redis.ts';
import { parseEnv } from '../src/config/env.ts';
import { createContext, registerStorageClosers } from '../src/context.ts';
import { startWorker } from '../src/worker.ts';
import { createLogger } from '../src/platform/logger.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { createPace, RECEIVER_WINDOW_MS } from '../src/platform/pace.ts';
import { addOutbound, type OutboundInput } from '../src/outbox/outbox.service.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import { createSandbox, type SandboxApp } from '../src/sandbox/sandbox.ts';

const db = await useTestDatabase();
const redis = useTestRedis();
const prisma = db.prisma;

const app: SandboxApp = {
  appId: `cli_${randomBytes(8).toString('hex')}`,
  appSecret: randomBytes(12).toString('hex'),
  encryptKey: randomBytes(12).toString('hex'),
  verificationToken: randomBytes(12).toString('hex'),
  botName: '经济运行调度助手',
};
// The sandbox's business clock, so the 14-day PATCH window can be crossed.
const feishuTime = fixedClock(new Date());
const sandbox = createSandbox({ apps: [app], clock: feishuTime });
const { url: domain } = await sandbox.listen(0);
afterAll(() => sandbox.close());

const liaison = `ou_kinds${randomBytes(6).toString('hex')}`;
sandbox.upsertUsers([{ openId: liaison, name: '联络员甲' }]);

const env = parseEnv({ DATABASE_URL: db.url, REDIS_URL: redis.url, QUEUE_PREFIX: redis.prefix, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
const ctx = createContext(env, { logger: createLogger({ level: env.LOG_LEVEL, pretty: false }) });
await startWorker(ctx, { feishu: { mode: 'feishu', ...app, transport: 'webhook', domain } });
registerStorageClosers(ctx);
afterAll(() => ctx.shutdown.run('test end'));

const card = (title: string) => ({
  schema: '2.0',
  header: { title: { tag: 'plain_text', content: title } },
  body: { elements: [{ tag: 'markdown', content: `**${title}**` }] },
});
const titleOf = (messageId: string) => (sandbox.messages.content(messageId) as { header?: { title?: { content?: string } } } | undefined)?.header?.title?.content;

async function deliver(input: OutboundInput): Promise<string> {
  const { id } = await addOutbound(prisma, input);
  await enqueueOutbound(ctx.queues, [id]);
  return id;
}

async function settled(id: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await prisma.outboundMessage.findUniqueOrThrow({ where: { id }, include: { attempts: { orderBy: { attemptNo: 'asc' } } } });
    if (row.status !== 'PENDING') return row;
    if (Date.now() > deadline) throw new Error(`row ${id} still PENDING after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const asked = await sandbox.userSays(liaison, '帮助');

describe('every kind reaches Feishu', () => {
  let botCard = '';

  it('REPLY: a card under the user message, uuid = row id', async () => {
    const id = await deliver({
      kind: 'REPLY',
      dedupeKey: `reply-${asked.messageId}`,
      targetMessageId: asked.messageId,
      receiveIdType: 'chat_id',
      receiveId: asked.chatId,
      msgType: 'interactive',
      content: card('帮助'),
    });
    const row = await settled(id);
    expect(row.status).toBe('SENT');
    const stored = sandbox.messages.get(row.feishuMessageId!)!;
    expect(stored).toMatchObject({ parentId: asked.messageId, chatId: asked.chatId, uuid: id, msgType: 'interactive' });
    botCard = stored.messageId;
  });

  it('UPDATE_CARD: PATCHes the card in place', async () => {
    const row = await settled(await deliver({ kind: 'UPDATE_CARD', dedupeKey: `patch-${botCard}-1`, targetMessageId: botCard, content: card('已更新') }));
    expect(row).toMatchObject({ status: 'SENT', feishuMessageId: botCard });
    expect(titleOf(botCard)).toBe('已更新');
  });

  it('DELAYED_UPDATE: updates the card with the callback token (one of its two uses)', async () => {
    const token = `c-${randomBytes(8).toString('hex')}`;
    sandbox.state.cardTokens.set(token, { token, messageId: botCard, appId: app.appId, openId: liaison, expiresAt: feishuTime.now().getTime() + 30 * 60_000, usesLeft: 2 });
    const row = await settled(await deliver({ kind: 'DELAYED_UPDATE', dedupeKey: `delayed-${token}`, content: { token, card: card('已登记') } }));
    expect(row.status).toBe('SENT');
    expect(titleOf(botCard)).toBe('已登记');
    expect(sandbox.state.cardTokens.get(token)!.usesLeft).toBe(1);
  });

  it('URGENT: buzzes the user in the app', async () => {
    const row = await settled(await deliver({ kind: 'URGENT', dedupeKey: `urgent-${botCard}`, targetMessageId: botCard, content: { userIds: [liaison] } }));
    expect(row.status).toBe('SENT');
    expect(sandbox.messages.get(botCard)!.urgent.app).toEqual([liaison]);
  });

  it('FILE_UPLOAD: uploads, then sends the file message once', async () => {
    const id = await deliver({
      kind: 'FILE_UPLOAD',
      dedupeKey: 'report-2026-05',
      receiveIdType: 'open_id',
      receiveId: liaison,
      content: { fileName: '5月经济运行简报.pdf', fileType: 'pdf', base64: Buffer.from('%PDF-1.4 简报').toString('base64') },
    });
    const row = await settled(id);
    expect(row.status).toBe('SENT');
    const stored = sandbox.messages.get(row.feishuMessageId!)!;
    expect(stored).toMatchObject({ msgType: 'file', uuid: id });
    const fileKey = (JSON.parse(stored.content) as { file_key: string }).file_key;
    expect(sandbox.files.all().find((f) => f.key === fileKey)).toMatchObject({ fileName: '5月经济运行简报.pdf', fileType: 'pdf' });
  });

  it('UPDATE_CARD of a message the bot did not send: FAILED after one call', async () => {
    const row = await settled(await deliver({ kind: 'UPDATE_CARD', dedupeKey: `patch-user-${asked.messageId}`, targetMessageId: asked.messageId, content: card('x') }));
    expect(row).toMatchObject({ status: 'FAILED', attemptCount: 1 });
    expect(row.attempts.map((a) => [a.outcome, a.code])).toEqual([['PERMANENT', 230027]]);
  });

  it('UPDATE_CARD of a card older than 14 days: FAILED with 230031', async () => {
    feishuTime.advance(15 * 24 * 3600_000);
    const row = await settled(await deliver({ kind: 'UPDATE_CARD', dedupeKey: `patch-${botCard}-late`, targetMessageId: botCard, content: card('太晚了') }));
    expect(row).toMatchObject({ status: 'FAILED', lastError: 'message too old to update (230031)' });
    expect(titleOf(botCard)).toBe('已登记');
  });
});

describe('what addOutbound accepts', () => {
  it('refuses a row that does not fit its kind, failing the caller transaction', async () => {
    const bad: OutboundInput[] = [
      { kind: 'SEND', dedupeKey: 'bad-send', msgType: 'text', content: { text: 'no receiver' } },
      { kind: 'URGENT', dedupeKey: 'bad-urgent', targetMessageId: 'om_x', content: { userIds: [] } },
      { kind: 'DELAYED_UPDATE', dedupeKey: 'bad-delayed', content: { card: card('no token') } },
    ];
    for (const input of bad) {
      await expect(prisma.$transaction((tx) => addOutbound(tx, input))).rejects.toThrow(`addOutbound(${input.kind}, ${input.dedupeKey})`);
    }
    expect(await prisma.outboundMessage.count({ where: { dedupeKey: { startsWith: 'bad-' } } })).toBe(0);
  });

  it('keeps one row when two transactions add the same dedupe key at once', async () => {
    const input: OutboundInput = { kind: 'SEND', dedupeKey: 'race-1', receiveIdType: 'open_id', receiveId: liaison, msgType: 'text', content: { text: 'once' } };
    const [a, b] = await Promise.all([prisma.$transaction((tx) => addOutbound(tx, input)), prisma.$transaction((tx) => addOutbound(tx, input))]);
    expect(a.id).toBe(b.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(await prisma.outboundMessage.count({ where: { dedupeKey: 'race-1' } })).toBe(1);
  });

  it('a row whose stored content no longer fits fails without calling Feishu', async () => {
    const row = await prisma.outboundMessage.create({ data: { kind: 'URGENT', dedupeKey: 'legacy-urgent', targetMessageId: 'om_legacy', content: { openIds: ['ou_x'] } } });
    const requests = sandbox.stats().requests;
    await enqueueOutbound(ctx.queues, [row.id]);
    const done = await settled(row.id);
    expect(done.status).toBe('FAILED');
    expect(done.lastError).toMatch(/^invalid outbox row: content\.userIds/);
    expect(done.attempts).toHaveLength(0);
    expect(sandbox.stats().requests).toBe(requests);
  });
});

describe('notBefore', () => {
  it('holds the message until its time without using an attempt', async () => {
    const notBefore = new Date(Date.now() + 1_500);
    const id = await deliver({ kind: 'SEND', dedupeKey: 'later-1', receiveIdType: 'open_id', receiveId: liaison, msgType: 'text', content: { text: '稍后' }, notBefore });
    const row = await settled(id);
    expect(row.status).toBe('SENT');
    expect(row.sentAt!.getTime()).toBeGreaterThanOrEqual(notBefore.getTime());
    expect((await ctx.queues.outbound.getJob(id))!.attemptsMade).toBe(1);
  });
});

describe('pacing schedule (Redis, sliding window)', () => {
  const r = new Redis(redis.url);
  afterAll(() => r.quit());
  const pace = createPace(r, { prefix: `${redis.prefix}-pace`, limit: 5, windowMs: RECEIVER_WINDOW_MS });
  const wait = async (key: string, member: string) => (await pace.take(key, member)).waitMs;

  it('lets 5 go now and gives the rest spread-out turns, one window apart per 5', async () => {
    const waits: number[] = [];
    for (let i = 0; i < 17; i++) waits.push(await wait('open_id-ou_burst', `m${i}`));
    expect(waits.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    // Turns of 5 per window: ~1 window for the 6th-10th, ~2 for the 11th-15th, ~3 for the rest.
    waits.slice(5).forEach((w, i) => {
      const turn = Math.floor((i + 5) / 5) * RECEIVER_WINDOW_MS;
      expect(w).toBeGreaterThan(turn - 100);
      expect(w).toBeLessThanOrEqual(turn);
    });
  });

  it('keeps a deferred job its turn: asking early repeats the wait, asking on time goes', async () => {
    const first = await wait('chat_id-oc_turn', 'a');
    for (const m of ['b', 'c', 'd', 'e']) await wait('chat_id-oc_turn', m);
    const turn = await wait('chat_id-oc_turn', 'f');
    expect(first).toBe(0);
    expect(turn).toBeGreaterThan(RECEIVER_WINDOW_MS - 100);
    // Early: the same turn, not a second one behind it.
    const again = await wait('chat_id-oc_turn', 'f');
    expect(again).toBeLessThanOrEqual(turn);
    expect(again).toBeGreaterThan(turn - 100);
    await new Promise((res) => setTimeout(res, again));
    expect(await wait('chat_id-oc_turn', 'f')).toBe(0);
  });

  it('paces keys independently, and a released slot can be used again', async () => {
    const slots = [];
    for (const m of ['a', 'b', 'c', 'd', 'e']) slots.push((await pace.take('open_id-ou_one', m)).slot!);
    expect(await wait('open_id-ou_two', 'f')).toBe(0);
    await pace.release('open_id-ou_one', slots[4]!);
    const taken = await pace.take('open_id-ou_one', 'f');
    expect(taken.waitMs).toBe(0);
    expect(taken.slot).toMatch(/^f@\d+$/);
    expect(await wait('open_id-ou_one', 'g')).toBeGreaterThan(0);
  });

  it('counts a slow call from when Feishu answered it, so the next turn waits a full window after that', async () => {
    const slots = [];
    for (const m of ['a', 'b', 'c', 'd', 'e']) slots.push((await pace.take('open_id-ou_slow', m)).slot!);
    // The five calls took 300 ms to come back: their counts move to then, and so does the 6th's turn.
    await new Promise((res) => setTimeout(res, 300));
    for (const slot of slots) await pace.settle('open_id-ou_slow', slot);
    expect(await wait('open_id-ou_slow', 'f')).toBeGreaterThan(RECEIVER_WINDOW_MS - 50);
    // Settling a slot that was released is a no-op, not a new count.
    await pace.release('open_id-ou_slow', slots[1]!);
    await pace.settle('open_id-ou_slow', slots[1]!);
    expect(await r.zscore(`${redis.prefix}-pace:open_id-ou_slow:sent`, slots[1]!)).toBeNull();
  });
});
