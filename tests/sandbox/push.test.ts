// The sandbox's push side: what reaches a bot built on the SDK's EventDispatcher, and how the
// sandbox treats the bot's answers (redelivery, card callback validation, delayed updates).
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/platform/clock.ts';
import { decryptPayload, encryptPayload, signBody, type Sandbox } from '../../src/sandbox/sandbox.ts';
import { ALICE, APP, BOB, newDispatcher, sleep, startReceiver, startSandbox, v2Card, type Receiver } from './helpers.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- pushed payloads are read loosely and asserted with toMatchObject
type Flat = Record<string, any>;

let sandbox: Sandbox | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await sandbox?.close();
  await receiver?.close();
  sandbox = undefined;
  receiver = undefined;
});

async function setup(handlers: Record<string, (d: Flat) => unknown>, opts: Parameters<typeof startSandbox>[0] = {}, before?: (body: unknown) => { status: number } | undefined) {
  const dispatcher = newDispatcher().register(handlers as never);
  receiver = await startReceiver(dispatcher, before);
  const started = await startSandbox({ pushUrl: receiver.url, ...opts });
  sandbox = started.sandbox;
  return started;
}

async function sendCard(client: lark.Client, openId: string, card: unknown): Promise<string> {
  const res = await client.im.message.create({
    params: { receive_id_type: 'open_id' },
    data: { receive_id: openId, msg_type: 'interactive', content: JSON.stringify(card) },
  });
  return res.data!.message_id!;
}

describe('im.message.receive_v1', () => {
  it('is encrypted and signed so the SDK decrypts, verifies and dispatches it', async () => {
    const seen: Flat[] = [];
    const { sandbox: sb } = await setup({ 'im.message.receive_v1': (d) => void seen.push(d) });
    const res = await sb.userSays(ALICE, '/进度 2025-01');
    expect(res.pushStatus).toBe('delivered');
    expect(seen).toHaveLength(1);
    const d = seen[0]!;
    expect(d).toMatchObject({
      schema: '2.0',
      event_type: 'im.message.receive_v1',
      event_id: res.eventId,
      token: APP.verificationToken,
      app_id: APP.appId,
      sender: { sender_type: 'user', sender_id: { open_id: ALICE, user_id: 'alice' } },
      message: { message_id: res.messageId, chat_id: res.chatId, chat_type: 'p2p', message_type: 'text' },
    });
    expect(JSON.parse(d.message.content)).toEqual({ text: '/进度 2025-01' });
  });

  it('turns a leading @bot in a group into @_user_1 with mentions[]', async () => {
    const seen: Flat[] = [];
    const { sandbox: sb, client } = await setup({ 'im.message.receive_v1': (d) => void seen.push(d) });
    const chat = await client.im.chat.create({ params: { user_id_type: 'open_id' }, data: { name: '调度群', user_id_list: [ALICE, BOB] } });
    const chatId = chat.data!.chat_id!;
    const quiet = await sb.userSays(ALICE, '大家好', { chatId });
    expect(quiet.pushStatus).toBe('skipped');
    await sb.userSays(ALICE, '@bot /进度', { chatId });
    expect(seen).toHaveLength(1);
    const m = seen[0]!.message;
    expect(m.chat_type).toBe('group');
    expect(JSON.parse(m.content)).toEqual({ text: '@_user_1 /进度' });
    expect(m.mentions).toEqual([expect.objectContaining({ key: '@_user_1', name: APP.botName })]);
  });

  it('is ignored by the SDK when the signature is wrong', async () => {
    const seen: Flat[] = [];
    const { sandbox: sb } = await setup({ 'im.message.receive_v1': (d) => void seen.push(d) });
    await sb.userSays(ALICE, 'genuine');
    const genuine = sb.pushedEvents()[0]!;
    // Replay the genuine envelope, encrypted correctly but with a forged signature.
    const encrypted = encryptPayload(APP.encryptKey, JSON.stringify(genuine.envelope));
    expect(JSON.parse(new lark.AESCipher(APP.encryptKey).decrypt(encrypted))).toEqual(genuine.envelope);
    expect(JSON.parse(decryptPayload(APP.encryptKey, encrypted))).toEqual(genuine.envelope);
    const body = JSON.stringify({ encrypt: encrypted });
    const res = await sb.pushRaw(body, {
      'content-type': 'application/json',
      'x-lark-request-timestamp': '1700000000',
      'x-lark-request-nonce': 'n1',
      'x-lark-signature': 'deadbeef',
    });
    expect(res).toMatchObject({ status: 200 });
    expect(seen).toHaveLength(1);
    // The same body correctly signed is accepted: the forgery was the only difference.
    const sig = signBody('1700000000', 'n1', APP.encryptKey, body);
    await sb.pushRaw(body, { 'content-type': 'application/json', 'x-lark-request-timestamp': '1700000000', 'x-lark-request-nonce': 'n1', 'x-lark-signature': sig });
    expect(seen).toHaveLength(2);
    expect(seen[1]!.event_id).toBe(genuine.eventId);
  });

  it('is re-pushed with the same event_id until the bot answers 200', async () => {
    const seen: Flat[] = [];
    let failuresLeft = 2;
    const { sandbox: sb } = await setup(
      { 'im.message.receive_v1': (d) => void seen.push(d) },
      { redeliverySchedule: [30, 30, 30] },
      () => (failuresLeft-- > 0 ? { status: 500 } : undefined),
    );
    const res = await sb.userSays(ALICE, '重试我');
    expect(res.pushStatus).toBe('failed');
    expect(res.httpStatus).toBe(500);
    for (let i = 0; i < 50 && seen.length === 0; i++) await sleep(20);
    expect(seen.map((d) => d.event_id)).toEqual([res.eventId]);
    const ev = sb.pushedEvent(res.eventId!)!;
    expect(ev.delivered).toBe(true);
    expect(ev.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(sb.stats().pushes).toMatchObject({ events: 1, delivered: 1, failedAttempts: 2, redeliveries: 2 });

    // An at-least-once duplicate: same event_id, same message_id.
    await sb.redeliver(res.eventId!);
    expect(seen.map((d) => d.event_id)).toEqual([res.eventId, res.eventId]);
    expect(seen[1]!.message.message_id).toBe(res.messageId);
  });

  it('gives up after the schedule when the bot keeps failing', async () => {
    const { sandbox: sb } = await setup({}, { redeliverySchedule: [10, 10] }, () => ({ status: 503 }));
    const res = await sb.userSays(ALICE, 'x');
    await sleep(120);
    const ev = sb.pushedEvent(res.eventId!)!;
    expect(ev.attempts).toHaveLength(3);
    expect(ev.delivered).toBe(false);
    expect(ev.pendingRetries).toBe(0);
  });

  it('answers the url_verification challenge', async () => {
    const { sandbox: sb } = await setup({});
    expect((await sb.verifyUrl()).ok).toBe(true);
  });
});

describe('card.action.trigger', () => {
  it('delivers operator, action and context; a raw card in the answer replaces the stored card', async () => {
    const seen: Flat[] = [];
    const { sandbox: sb, client, url } = await setup({
      'card.action.trigger': (d) => {
        seen.push(d);
        return { toast: { type: 'success', content: '已提交' }, card: { type: 'raw', data: v2Card('已报送 123.4') } };
      },
    });
    const messageId = await sendCard(client, ALICE, v2Card('请报送'));
    const res = await fetch(`${url}/sandbox/api/cards/action`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        openId: ALICE,
        messageId,
        value: { action: 'submit_indicator', task_id: 'T1' },
        name: 'submit_btn',
        formValue: { value: '123.4', period: 'month' },
      }),
    });
    const body = (await res.json()) as Flat;
    expect(body.toast).toEqual({ type: 'success', content: '已提交' });
    expect(body.error).toBeNull();
    expect(sb.messages.content(messageId)).toEqual(v2Card('已报送 123.4'));

    const d = seen[0]!;
    expect(d.token).toMatch(/^c-/);
    expect(d).toMatchObject({
      event_type: 'card.action.trigger',
      operator: { open_id: ALICE, user_id: 'alice' },
      action: { tag: 'button', name: 'submit_btn', value: { action: 'submit_indicator', task_id: 'T1' }, form_value: { value: '123.4', period: 'month' } },
      context: { open_message_id: messageId, open_chat_id: sb.messages.get(messageId)!.chatId },
    });
  });

  it('lets the callback token update the card twice within 30 minutes, then 300040', async () => {
    let token = '';
    const { sandbox: sb, client } = await setup({
      'card.action.trigger': (d) => {
        token = d.token;
        return {};
      },
    });
    const messageId = await sendCard(client, ALICE, v2Card('处理中'));
    const res = await sb.clickCard({ openId: ALICE, messageId, value: { op: 'ack' } });
    expect(res.error).toBeUndefined();
    const update = (text: string) => client.request({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token, card: v2Card(text) } });
    expect(((await update('第一次')) as Flat).code).toBe(0);
    expect(((await update('第二次')) as Flat).code).toBe(0);
    expect(sb.messages.content(messageId)).toEqual(v2Card('第二次'));
    await expect(update('第三次')).rejects.toMatchObject({ response: { data: { code: 300040 } } });
    expect(sb.stats().cardUpdates).toBe(2);
  });

  it('expires the callback token after 30 minutes of business time (300030)', async () => {
    const clock = fixedClock('2025-01-31T09:00:00+08:00');
    let token = '';
    const { sandbox: sb, client } = await setup({ 'card.action.trigger': (d) => void (token = d.token) }, { clock });
    const messageId = await sendCard(client, ALICE, v2Card('处理中'));
    await sb.clickCard({ openId: ALICE, messageId, value: { op: 'ack' } });
    clock.advance(31 * 60_000);
    await expect(
      client.request({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token, card: v2Card('迟到') } }),
    ).rejects.toMatchObject({ response: { data: { code: 300030 } } });
  });

  it('reports 200341 when the bot takes longer than the deadline', async () => {
    const { sandbox: sb, client } = await setup(
      {
        'card.action.trigger': async () => {
          await sleep(400);
          return {};
        },
      },
      { pushTimeoutMs: 150 },
    );
    const messageId = await sendCard(client, ALICE, v2Card('x'));
    const res = await sb.clickCard({ openId: ALICE, messageId, value: { op: 'slow' } });
    expect(res.error?.code).toBe(200341);
    expect(sb.messages.content(messageId)).toEqual(v2Card('x'));
  });

  it('rejects answers Feishu would reject: bad toast type (200672), bad card type (200673)', async () => {
    let answer: unknown = {};
    const { sandbox: sb, client } = await setup({ 'card.action.trigger': () => answer });
    const messageId = await sendCard(client, ALICE, v2Card('x'));
    answer = { toast: { type: 'danger', content: 'no' } };
    expect((await sb.clickCard({ openId: ALICE, messageId })).error?.code).toBe(200672);
    answer = { card: { type: 'json', data: {} } };
    expect((await sb.clickCard({ openId: ALICE, messageId })).error?.code).toBe(200673);
    answer = { toast: { type: 'info', content: 'fine' } };
    expect((await sb.clickCard({ openId: ALICE, messageId })).toast).toEqual({ type: 'info', content: 'fine' });
    // Someone outside the chat cannot click the card.
    await expect(sb.clickCard({ openId: BOB, messageId })).rejects.toThrow();
  });
});

describe('UI API', () => {
  it('lists people, chats and messages, and streams changes', async () => {
    const seen: Flat[] = [];
    const { client, url } = await setup({ 'im.message.receive_v1': (d) => void seen.push(d) });
    const ac = new AbortController();
    const stream = await fetch(`${url}/sandbox/api/stream`, { signal: ac.signal });
    const reader = stream.body!.getReader();
    const dec = new TextDecoder();

    const people = (await (await fetch(`${url}/sandbox/api/people`)).json()) as Flat[];
    expect(people.map((p) => p.openId)).toContain(ALICE);
    expect(people[0]).toMatchObject({ openId: ALICE, name: '王丽', title: '科长', unitName: '财政局' });

    const said = (await (
      await fetch(`${url}/sandbox/api/people/${ALICE}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: '你好' }),
      })
    ).json()) as Flat;
    expect(said).toMatchObject({ pushStatus: 'delivered' });
    expect(said.messageId).toMatch(/^om_/);
    await sendCard(client, ALICE, v2Card('卡片'));

    const chats = (await (await fetch(`${url}/sandbox/api/people/${ALICE}/chats`)).json()) as Flat[];
    expect(chats).toEqual([expect.objectContaining({ name: APP.botName, type: 'p2p' })]);
    const msgs = (await (await fetch(`${url}/sandbox/api/chats/${chats[0]!.chatId}/messages`)).json()) as Flat[];
    expect(msgs.map((m) => [m.sender.kind, m.msgType])).toEqual([
      ['user', 'text'],
      ['app', 'interactive'],
    ]);
    expect(msgs[0]).toMatchObject({ content: { text: '你好' }, sender: { id: ALICE, name: '王丽' }, urgent: false });
    expect(msgs[1]!.content).toEqual(v2Card('卡片'));
    expect(typeof msgs[1]!.createTime).toBe('number');

    let text = '';
    while (!text.includes('"type":"message"')) text += dec.decode((await reader.read()).value);
    expect(text).toContain(`"chatId":"${chats[0]!.chatId}"`);
    ac.abort();
  });
});
