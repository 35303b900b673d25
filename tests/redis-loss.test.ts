// Redis can be flushed or restarted empty without stopping anything: the bot's worker, on a redis-server
// of this file's own, notices (a sentinel key, checked every 500 ms here and on reconnect), recreates its
// job schedulers, re-plans the reminders from PostgreSQL and re-enqueues pending outbox rows — a deferred
// 催报 as a delayed job again. Each of them reaches the sandbox exactly once, and not before its time.
// Business time runs with the wall clock from a chosen start (BullMQ's delays are wall-clock time).
import { afterAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startTestBot, liaisonOf, type TestBot } from './support/bot.ts';
import { startPrivateRedis } from './support/redis-server.ts';
import { storedByUuid, waitUntil } from './support/outbound.ts';
import type { Clock } from '../src/platform/clock.ts';
import { runPlan } from '../jobs/collection.job.ts';
import { addOutbound } from '../src/outbox/outbox.service.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import { SCHEDULER_IDS } from '../src/schedules.ts';
import { sweepOutbox } from '../jobs/outbox-sweep.job.ts';

/** The wall clock, shifted: set() moves business time, which then runs on in real time. */
function shiftedClock(start: string): Clock & { set(iso: string): void } {
  let offset = new Date(start).getTime() - Date.now();
  return { now: () => new Date(Date.now() + offset), set: (iso) => void (offset = new Date(iso).getTime() - Date.now()) };
}

const server = await startPrivateRedis();
afterAll(() => server.stop());
// Monday 2026-12-14 08:50 Beijing: the November report is open (due Tuesday 12-15 18:00); its reminders
// are at 09:00 on 12-14 (step 2) and on 12-15 (step 3).
const clock = shiftedClock('2026-12-14T00:50:00Z');
const bot: TestBot = await startTestBot({ clock, env: { REDIS_URL: server.url, REDIS_CHECK_EVERY_MS: '500' } });
const { prisma, queues } = bot.ctx;
const deps = { prisma, clock, logger: bot.ctx.logger, queues };
const admin = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => 200 });
admin.on('error', () => undefined);
afterAll(() => admin.disconnect());

const liaison = await liaisonOf(bot, 'qingshan-district');
const period = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2026-11', cycle: { code: 'monthly' } } });

async function reminderRows(step: number) {
  return prisma.outboundMessage.findMany({ where: { dedupeKey: { startsWith: `remind-${period.id}-`, endsWith: `-${step}` } } });
}

/** A 催报 deferred by `inMs` (as nudgeReport writes one in quiet hours), enqueued as dispatch does. */
async function deferredNudge(key: string, inMs: number) {
  const notBefore = new Date(clock.now().getTime() + inMs);
  const row = await addOutbound(prisma, { kind: 'SEND', dedupeKey: `nudge-${key}`, receiveIdType: 'open_id', receiveId: liaison.openId, msgType: 'text', content: { text: `催报 ${key}` }, notBefore });
  await enqueueOutbound(queues, [row.id]);
  // The delivery job saw it early and went back to wait.
  await waitUntil(async () => (await queues.outbound.getJobState(row.id)) === 'delayed', 'the 催报 waits as a delayed job', 10_000);
  return { id: row.id, notBefore };
}

/** The step's reminder is due in `inMs`: planned (moved) now, so the job waits in Redis when it is lost. */
async function reminderDueIn(iso: string, inMs: number, step: number) {
  clock.set(new Date(new Date(iso).getTime() - inMs).toISOString());
  await runPlan(deps, 'monthly');
  const job = await queues.domain.getJob(`remind-${period.id}-${step}`);
  expect(await job?.getState()).toBe('delayed');
  expect(job!.timestamp + job!.delay - Date.now()).toBeLessThan(inMs + 1_000);
}

async function expectRecovered(nudge: { id: string; notBefore: Date }, step: number, seen: Set<string>) {
  await waitUntil(async () => (await prisma.outboundMessage.findUniqueOrThrow({ where: { id: nudge.id } })).status === 'SENT', 'the 催报 is SENT', 20_000);
  await waitUntil(async () => {
    const rows = await reminderRows(step);
    return rows.length > 0 && rows.every((r) => r.status === 'SENT');
  }, `the step-${step} reminders are SENT`, 20_000);
  // Time for a duplicate to show up, if there were one.
  await new Promise((r) => setTimeout(r, 1_500));

  // Not sent before its time (business time, as written), and once.
  const sent = await prisma.outboundMessage.findUniqueOrThrow({ where: { id: nudge.id } });
  expect(sent.sentAt!.getTime()).toBeGreaterThanOrEqual(nudge.notBefore.getTime());
  const rows = await reminderRows(step);
  const mine = rows.filter((r) => r.receiveId === liaison.openId);
  expect(mine).toHaveLength(1);
  const stored = storedByUuid(bot.sandbox, [nudge.id, ...rows.map((r) => r.id)]);
  expect(stored.size).toBe(rows.length + 1);
  expect([...stored.values()].every((l) => l.length === 1)).toBe(true);
  // The liaison saw exactly these two messages since the loss: the 催报 and the reminder.
  const fresh = bot.sandbox.messages.toUser(liaison.openId).filter((m) => !seen.has(m.messageId));
  expect(fresh.map((m) => m.uuid).sort()).toEqual([nudge.id, mine[0]!.id].sort());

  // The schedulers are back, and the sentinel with them.
  const schedulers = (await queues.domain.getJobSchedulers()).map((s) => s.key);
  expect(schedulers.sort()).toEqual([...SCHEDULER_IDS].sort());
  expect(await admin.exists(`${bot.ctx.env.QUEUE_PREFIX}:redis-sentinel`)).toBe(1);
}

const seenNow = () => new Set(bot.sandbox.messages.all().map((m) => m.messageId));

describe('Redis loses its data mid-run', () => {
  it('FLUSHALL (no reconnect): the schedulers, the deferred 催报 and the next reminder come back, each sent once', async () => {
    expect((await queues.domain.getJobSchedulers()).map((s) => s.key).sort()).toEqual([...SCHEDULER_IDS].sort());
    await reminderDueIn('2026-12-14T01:00:00Z', 8_000, 2);
    const nudge = await deferredNudge('flush', 5_000);
    const seen = seenNow();

    await admin.flushall();
    await expectRecovered(nudge, 2, seen);
  });

  it('redis-server restarted without persistence: the same, noticed on reconnect', async () => {
    await reminderDueIn('2026-12-15T01:00:00Z', 8_000, 3);
    const nudge = await deferredNudge('restart', 5_000);
    const seen = seenNow();

    await server.stop();
    await new Promise((r) => setTimeout(r, 300));
    await server.start();
    await expectRecovered(nudge, 3, seen);
  });
});

describe('the sweeper', () => {
  it('finds the few rows whose job is missing among thousands, and re-adds deferred ones as delayed jobs', async () => {
    const notBefore = new Date(clock.now().getTime() + 24 * 3600_000);
    const n = 2_500;
    await prisma.outboundMessage.createMany({
      data: Array.from({ length: n }, (_, i) => ({ kind: 'SEND' as const, dedupeKey: `bulk-${i}`, receiveIdType: 'open_id', receiveId: liaison.openId, msgType: 'text', content: { text: `${i}` }, notBefore })),
    });
    const rows = await prisma.outboundMessage.findMany({ where: { dedupeKey: { startsWith: 'bulk-' } }, select: { id: true }, orderBy: { id: 'asc' } });
    const ids = rows.map((r) => r.id);
    await enqueueOutbound(queues, ids, 24 * 3600_000);
    // Lost jobs on both sides of a page boundary (pages of 1,000 rows by id).
    const lost = [ids[0]!, ids[999]!, ids[1_000]!, ids[n - 1]!];
    for (const id of lost) await queues.outbound.remove(id);

    const started = Date.now();
    expect(await sweepOutbox({ prisma, queues, clock }, 0)).toBe(lost.length);
    const tookMs = Date.now() - started;
    for (const id of lost) {
      const job = (await queues.outbound.getJob(id))!;
      expect(await job.getState()).toBe('delayed');
      expect(Math.abs(job.delay - 24 * 3600_000)).toBeLessThan(60_000);
    }
    // A second sweep finds nothing missing.
    expect(await sweepOutbox({ prisma, queues, clock }, 0)).toBe(0);
    console.info(`[sweep] ${n} pending rows checked in ${tookMs} ms`);
    await prisma.outboundMessage.updateMany({ where: { id: { in: ids } }, data: { status: 'CANCELLED' } });
    await Promise.all(ids.map((id) => queues.outbound.remove(id)));
  });

  it('gives up on a deferred 催报 a day after its notBefore, not a day after it was written', async () => {
    const day = 24 * 3600_000;
    const now = clock.now().getTime();
    const weekend = await addOutbound(prisma, { kind: 'SEND', dedupeKey: 'nudge-weekend', receiveIdType: 'open_id', receiveId: liaison.openId, msgType: 'text', content: { text: '周一催报' }, notBefore: new Date(now + 3600_000) });
    const stale = await addOutbound(prisma, { kind: 'SEND', dedupeKey: 'nudge-stale', receiveIdType: 'open_id', receiveId: liaison.openId, msgType: 'text', content: { text: '过期催报' }, notBefore: new Date(now - day - 60_000) });
    // Both written (wall-clock time) more than a day ago, e.g. on Friday evening for Monday 08:00.
    await prisma.outboundMessage.updateMany({ where: { id: { in: [weekend.id, stale.id] } }, data: { createdAt: new Date(Date.now() - 2 * day) } });
    await sweepOutbox({ prisma, queues, clock }, 0);
    const status = async (id: string) => (await prisma.outboundMessage.findUniqueOrThrow({ where: { id } })).status;
    expect(await status(weekend.id)).toBe('PENDING');
    expect(await queues.outbound.getJobState(weekend.id)).toBe('delayed');
    expect(await status(stale.id)).toBe('FAILED');
    await prisma.outboundMessage.update({ where: { id: weekend.id }, data: { status: 'CANCELLED' } });
    await queues.outbound.remove(weekend.id);
  });
});
