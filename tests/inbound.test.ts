// The Feishu edge, end to end through the sandbox: signed, encrypted pushes in; replies out through
// the outbox; bad pushes refused without running a handler; redeliveries and double clicks handled once.
import { describe, expect, it } from 'vitest';
import { startTestBot, liaisonOf } from './support/bot.ts';
import { sealPush } from '../src/sandbox/sandbox.ts';
import { signBody } from '../src/sandbox/crypto.ts';
import { buildServer } from '../src/http/server.ts';
import { createLogger } from '../src/platform/logger.ts';
import { createMetrics } from '../src/platform/metrics.ts';
import { SANDBOX_APP } from '../src/feishu/settings.ts';

const bot = await startTestBot();
const liaison = await liaisonOf(bot, 'songling-county');
const prisma = bot.ctx.prisma;

const cardTitle = (messageId: string) =>
  ((bot.sandbox.messages.content(messageId) as { header?: { title?: { content?: string } } } | undefined)?.header?.title?.content);

async function replyTo(messageId: string) {
  return bot.sandbox.messages.waitFor((m) => m.parentId === messageId, 10_000);
}

describe('chat commands', () => {
  it('answers 「帮助」 with the help card in the same chat', async () => {
    const said = await bot.sandbox.userSays(liaison.openId, '帮助');
    expect(said.pushStatus).toBe('delivered');
    const reply = await replyTo(said.messageId);
    expect(reply.chatId).toBe(said.chatId);
    expect(JSON.stringify(bot.sandbox.messages.content(reply.messageId))).toContain(`${liaison.name}，您好！`);
  });

  it('answers an unknown command with a short help naming what was not understood', async () => {
    const said = await bot.sandbox.userSays(liaison.openId, '查一下用电量');
    const reply = await replyTo(said.messageId);
    expect(JSON.stringify(bot.sandbox.messages.content(reply.messageId))).toContain('没有识别「查一下用电量」');
  });

  it('tells someone outside the directory whom to contact', async () => {
    bot.sandbox.upsertUsers([{ openId: 'ou_stranger', name: '陌生人' }]);
    const said = await bot.sandbox.userSays('ou_stranger', '帮助');
    const reply = await replyTo(said.messageId);
    expect(JSON.stringify(bot.sandbox.messages.content(reply.messageId))).toContain('未在经济运行调度名录中找到您的信息');
  });

  it('handles a redelivered event once', async () => {
    const said = await bot.sandbox.userSays(liaison.openId, '我是谁');
    await replyTo(said.messageId);
    const again = await bot.sandbox.redeliver(said.eventId!);
    expect(again.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(bot.sandbox.messages.all().filter((m) => m.parentId === said.messageId)).toHaveLength(1);
    expect(await prisma.outboundMessage.count({ where: { targetMessageId: said.messageId } })).toBe(1);
  });
});

describe('refused pushes', () => {
  const before = async () => ({
    receipts: await prisma.inboundReceipt.count(),
    outbound: await prisma.outboundMessage.count(),
  });
  const event = {
    schema: '2.0',
    header: { event_id: 'ev-refused-1', event_type: 'im.message.receive_v1', token: SANDBOX_APP.verificationToken, app_id: SANDBOX_APP.appId, create_time: '1', tenant_key: 't' },
    event: {
      sender: { sender_id: { open_id: liaison.openId }, sender_type: 'user' },
      message: { message_id: 'om_refused_1', chat_id: 'oc_x', chat_type: 'p2p', message_type: 'text', content: '{"text":"帮助"}' },
    },
  };
  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${bot.url}/feishu/events`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it.each([
    ['a bad signature', () => { const p = sealPush(SANDBOX_APP.encryptKey, event, 1); return post(p.body, { ...p.headers, 'x-lark-signature': 'deadbeef'.repeat(8) }); }, 401],
    ['a wrong verification token', () => { const p = sealPush(SANDBOX_APP.encryptKey, { ...event, header: { ...event.header, token: 'wrong' } }, 1); return post(p.body, p.headers); }, 401],
    ['another encrypt key', () => { const p = sealPush('not-our-key', event, 1); return post(p.body, p.headers); }, 401],
    ['malformed JSON', () => post('{"encrypt": ', {}), 400],
    ['an unencrypted body', () => post(JSON.stringify(event), {}), 400],
  ])('refuses %s and stores nothing', async (_name, send, status) => {
    const b = await before();
    const res = await send();
    expect(res.status).toBe(status);
    expect(await before()).toEqual(b);
  });

  it('ignores an event type it does not handle', async () => {
    const b = await before();
    const pushed = await bot.sandbox.pushEvent('contact.user.created_v3', { object: { open_id: 'ou_new' } });
    expect(pushed.attempts[0]?.status).toBe(200);
    expect(await before()).toEqual(b);
  });

  it('answers Feishu URL verification with the challenge', async () => {
    const res = await bot.sandbox.verifyUrl();
    expect(res.ok).toBe(true);
  });
});

describe('card flow: registering a problem', () => {
  it('sends the form, takes the submission, answers with a toast and replaces the card with a receipt', async () => {
    const said = await bot.sandbox.userSays(liaison.openId, '登记问题');
    const formMsg = await replyTo(said.messageId);
    expect(cardTitle(formMsg.messageId)).toBe('登记困难问题');

    const click = {
      openId: liaison.openId,
      messageId: formMsg.messageId,
      value: { a: 'problem.submit', v: 1 },
      tag: 'button',
      name: 'submit',
      formValue: { title: '用工缺口较大', enterprise: '松岭精工', description: '缺少熟练技工约 200 人' },
    };
    // A double click: both callbacks carry the same rendering; one problem, the same answer.
    const [first, second] = await Promise.all([bot.sandbox.clickCard(click), bot.sandbox.clickCard(click)]);
    expect(second.toast).toEqual(first.toast);
    expect(first.toast?.type).toBe('success');
    expect(first.toast?.content).toMatch(/^已登记，台账编号 问题-\d{8}-[0-9A-F]{6}$/);
    expect(cardTitle(formMsg.messageId)).toBe('问题已登记');

    const problems = await prisma.problem.findMany({ where: { title: '用工缺口较大' }, include: { unit: true } });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.unit.code).toBe('songling-county');

    expect(await prisma.problem.count({ where: { title: '用工缺口较大' } })).toBe(1);
  });

  it('answers an empty required field with what to fix, and saves nothing', async () => {
    const said = await bot.sandbox.userSays(liaison.openId, '登记问题');
    const formMsg = await replyTo(said.messageId);
    const count = await prisma.problem.count();
    const res = await bot.sandbox.clickCard({
      openId: liaison.openId, messageId: formMsg.messageId, value: { a: 'problem.submit', v: 1 },
      formValue: { title: '  ', description: '说明' },
    });
    expect(res.toast).toMatchObject({ type: 'warning', content: '请填写问题标题' });
    expect(await prisma.problem.count()).toBe(count);
    expect(cardTitle(formMsg.messageId)).toBe('登记困难问题');
  });

  it('answers a click on an unknown or outdated card without changing anything', async () => {
    const said = await bot.sandbox.userSays(liaison.openId, '帮助');
    const msg = await replyTo(said.messageId);
    const res = await bot.sandbox.clickCard({ openId: liaison.openId, messageId: msg.messageId, value: { a: 'figures.submit', v: 9 } });
    expect(res.toast?.content).toBe('这张卡片已过期或无法操作，请重新获取。');
  });
});

describe('organisers: messages Feishu refused', () => {
  it('lists permanent delivery failures with the receiver and the reason, for organisers only', async () => {
    const organiser = await prisma.unitRole.findFirstOrThrow({ where: { role: 'ORGANISER' }, include: { person: true } });
    await prisma.outboundMessage.create({
      data: {
        kind: 'SEND', dedupeKey: 'failed-demo-1', receiveIdType: 'open_id', receiveId: liaison.openId, msgType: 'text',
        content: { text: 'x' }, status: 'FAILED', lastError: 'receiver outside the app availability scope (230013)', attemptCount: 1,
      },
    });
    const said = await bot.sandbox.userSays(organiser.person.openId!, '发送失败');
    const reply = JSON.stringify(bot.sandbox.messages.content((await replyTo(said.messageId)).messageId));
    expect(reply).toContain('发送失败的消息');
    expect(reply).toContain(liaison.name);
    expect(reply).toContain('230013');

    const refused = await bot.sandbox.userSays(liaison.openId, '发送失败');
    expect(JSON.stringify(bot.sandbox.messages.content((await replyTo(refused.messageId)).messageId))).toContain('仅供经济运行例会办公室使用');
  });
});

describe('the webhook is strict and cheap for strangers', () => {
  const key = SANDBOX_APP.encryptKey;
  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${bot.url}/feishu/events`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  const dummySig = { 'x-lark-request-timestamp': '1700000000', 'x-lark-request-nonce': 'n0nce', 'x-lark-signature': 'ab'.repeat(32) };

  /** A problem-form submission as Feishu would push it, for a form message the bot sent. */
  async function problemClick(title: string) {
    const said = await bot.sandbox.userSays(liaison.openId, '登记问题');
    const formMsg = await replyTo(said.messageId);
    return {
      schema: '2.0',
      header: { event_id: `ev-${title}`, event_type: 'card.action.trigger', token: SANDBOX_APP.verificationToken, app_id: SANDBOX_APP.appId, create_time: '1', tenant_key: 't' },
      event: {
        operator: { open_id: liaison.openId },
        token: 'c-test',
        action: { tag: 'button', name: 'submit', value: { a: 'problem.submit', v: 1 }, form_value: { title, enterprise: '松岭精工', description: '说明' } },
        host: 'im_message',
        context: { open_message_id: formMsg.messageId, open_chat_id: formMsg.chatId },
      },
    };
  }
  /** Signs exactly the bytes given (Feishu signs the raw body). */
  const signed = (body: string) => {
    const ts = '1700000000';
    const nonce = 'abc123';
    return { 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': nonce, 'x-lark-signature': signBody(ts, nonce, key, body) };
  };

  it('accepts a correctly signed body that is not compact JSON (the SDK does not check it again)', async () => {
    const { body } = sealPush(key, await problemClick('非紧凑JSON的回调'), 1);
    const spaced = JSON.stringify(JSON.parse(body) as unknown, null, 2);
    expect(spaced).not.toBe(body);
    const res = await post(spaced, signed(spaced));
    expect(res.status).toBe(200);
    const answer = (await res.json()) as { toast?: { type: string; content: string } };
    expect(answer.toast?.type).toBe('success');
    expect(answer.toast?.content).toMatch(/^已登记/);
    expect(await prisma.problem.count({ where: { title: '非紧凑JSON的回调' } })).toBe(1);
  });

  it('refuses a body signed over different bytes, without running a handler', async () => {
    const { body } = sealPush(key, await problemClick('签名不符的回调'), 1);
    const spaced = JSON.stringify(JSON.parse(body) as unknown, null, 1);
    const res = await post(spaced, signed(body));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ code: 401, msg: 'bad_signature' });
    expect(await prisma.problem.count({ where: { title: '签名不符的回调' } })).toBe(0);
  });

  it.each([
    ['objects, with dummy signature headers', '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000), dummySig],
    ['arrays, with dummy signature headers', '['.repeat(20_000) + ']'.repeat(20_000), dummySig],
    ['arrays, unsigned', '['.repeat(20_000) + ']'.repeat(20_000), {}],
    ['a small unsigned body', '['.repeat(1_000) + ']'.repeat(1_000), {}],
  ])('answers a body nested 20,000 levels deep (%s) with a 4xx', async (_name, body, headers) => {
    const res = await post(body, headers);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await res.text()).not.toMatch(/stack|Maximum/i);
  });

  it('refuses a body larger than Feishu sends with 413', async () => {
    const body = JSON.stringify({ encrypt: 'A'.repeat(300 * 1024) });
    const res = await post(body, signed(body));
    expect(res.status).toBe(413);
  });

  it('answers a real card click while strangers send deep junk', async () => {
    const click = sealPush(key, await problemClick('垃圾请求期间的回调'), 1);
    const junk = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
    const flood = Array.from({ length: 16 }, () => post(junk, dummySig).then((r) => r.status));
    const res = await post(click.body, click.headers);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { toast?: { content: string } }).toast?.content).toMatch(/^已登记/);
    for (const status of await Promise.all(flood)) expect(status).toBe(401);
  });
});

describe('HTTP errors', () => {
  it('answers an internal error with a generic message, never the error text', async () => {
    const app = buildServer({ logger: createLogger({ level: 'silent', pretty: false }), metrics: createMetrics(), required: {} });
    app.get('/boom', async () => {
      throw new Error('connect ECONNREFUSED postgresql://root:secret@db/econ');
    });
    const res = await app.inject({ method: 'GET', url: '/boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    expect(res.json()).toMatchObject({ message: 'internal error' });
    await app.close();
  });
});
