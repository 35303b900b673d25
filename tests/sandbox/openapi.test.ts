// The sandbox's open-api side, driven by the real SDK: what a bot sends and what it gets back.
import type * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/platform/clock.ts';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';
import { ALICE, APP, BOB, CAROL, failure, sdkClient, startSandbox, v2Card } from './helpers.ts';

let sandbox: Sandbox;
let client: lark.Client;
let url: string;

beforeEach(async () => {
  ({ sandbox, client, url } = await startSandbox());
});
afterEach(async () => {
  await sandbox.close();
});

const sendText = (receiveId: string, text: string, opts: { type?: 'open_id' | 'chat_id' | 'user_id'; uuid?: string } = {}) =>
  client.im.message.create({
    params: { receive_id_type: opts.type ?? 'open_id' },
    data: { receive_id: receiveId, msg_type: 'text', content: JSON.stringify({ text }), uuid: opts.uuid },
  });

const sendCard = (receiveId: string, card: unknown) =>
  client.im.message.create({
    params: { receive_id_type: 'open_id' },
    data: { receive_id: receiveId, msg_type: 'interactive', content: JSON.stringify(card) },
  });

describe('auth and errors', () => {
  it('issues t- tokens with expire at the top level and reuses them', async () => {
    const call = () =>
      fetch(`${url}/open-apis/auth/v3/tenant_access_token/internal`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ app_id: APP.appId, app_secret: APP.appSecret }),
      }).then((r) => r.json() as Promise<{ code: number; tenant_access_token: string; expire: number }>);
    const a = await call();
    const b = await call();
    expect(a.code).toBe(0);
    expect(a.tenant_access_token).toMatch(/^t-/);
    expect(a.expire).toBeGreaterThan(7000);
    expect(b.tenant_access_token).toBe(a.tenant_access_token);
  });

  it('refuses a wrong app secret with a non-zero code (the SDK throws)', async () => {
    const wrong = sdkClient(url, 'wrong');
    await expect(
      wrong.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: ALICE, msg_type: 'text', content: '{"text":"x"}' } }),
    ).rejects.toThrow();
    const res = await fetch(`${url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: APP.appId, app_secret: 'wrong' }),
    });
    expect(((await res.json()) as { code: number }).code).toBe(10014);
  });

  it('answers missing, unknown and revoked tokens with 99991661 / 99991663', async () => {
    const post = (auth?: string) =>
      fetch(`${url}/open-apis/im/v1/messages?receive_id_type=open_id`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
        body: '{}',
      });
    const missing = await post();
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { code: number }).code).toBe(99991661);
    const bad = await post('Bearer t-not-a-real-token');
    expect(((await bad.json()) as { code: number }).code).toBe(99991663);

    await sendText(ALICE, 'before revoke');
    sandbox.revokeTokens();
    const err = await failure(sendText(ALICE, 'after revoke'));
    expect(err.data.code).toBe(99991663);
  });

  it('answers unknown paths with 404 + 99991201 and every response with x-tt-logid', async () => {
    const res = await fetch(`${url}/open-apis/im/v9/nothing`, { method: 'POST' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: number }).code).toBe(99991201);
    expect(res.headers.get('x-tt-logid')).toMatch(/^\d{14}[0-9A-F]+$/);
    const err = await failure(sendText('ou_nobody', 'x'));
    expect(err.headers['x-tt-logid']).toBeTruthy();
  });
});

describe('messages', () => {
  it('sends to open_id / user_id / chat_id, opening the p2p chat once', async () => {
    const a = await sendText(ALICE, '请报送 1 月数据');
    expect(a.code).toBe(0);
    expect(a.data?.message_id).toMatch(/^om_/);
    expect(a.data?.chat_id).toMatch(/^oc_/);
    expect(a.data?.sender).toMatchObject({ id: APP.appId, id_type: 'app_id', sender_type: 'app' });
    const b = await sendText('alice', '第二条', { type: 'user_id' });
    const c = await sendText(a.data!.chat_id!, '第三条', { type: 'chat_id' });
    expect(b.data?.chat_id).toBe(a.data?.chat_id);
    expect(c.data?.chat_id).toBe(a.data?.chat_id);
    expect(sandbox.messages.toUser(ALICE).map((m) => JSON.parse(m.content).text)).toEqual(['请报送 1 月数据', '第二条', '第三条']);
    expect(sandbox.stats().sent).toBe(3);
  });

  it('rejects people outside the directory (230013) and chats it is not in (230034)', async () => {
    expect((await failure(sendText('ou_stranger', 'x'))).data.code).toBe(230013);
    expect((await failure(sendText('oc_missing', 'x', { type: 'chat_id' }))).data.code).toBe(230034);
  });

  it('deduplicates by uuid: same message_id, nothing new stored', async () => {
    const first = await sendText(ALICE, '提醒', { uuid: 'remind-2025-01-alice' });
    const again = await sendText(ALICE, '提醒', { uuid: 'remind-2025-01-alice' });
    expect(again.data?.message_id).toBe(first.data?.message_id);
    expect(sandbox.messages.toUser(ALICE)).toHaveLength(1);
    expect(sandbox.stats()).toMatchObject({ sent: 1, duplicatesSeen: 1 });
  });

  it('enforces size limits with 230025 and card JSON checks with 230099', async () => {
    const bigText = 'x'.repeat(151 * 1024);
    expect((await failure(sendText(ALICE, bigText))).data.code).toBe(230025);
    const bigCard = v2Card('y'.repeat(31 * 1024));
    expect((await failure(sendCard(ALICE, bigCard))).data.code).toBe(230025);
    const v1InV2 = { schema: '2.0', elements: [] };
    const err = await failure(sendCard(ALICE, v1InV2));
    expect(err.data.code).toBe(230099);
    expect(err.data.msg).toContain('200621');
    expect(sandbox.messages.all()).toHaveLength(0);
  });

  it('replies with parent_id/root_id', async () => {
    const parent = await sendText(ALICE, '原消息');
    const reply = await client.im.message.reply({
      path: { message_id: parent.data!.message_id! },
      data: { msg_type: 'text', content: JSON.stringify({ text: '已收到' }) },
    });
    expect(reply.data).toMatchObject({ parent_id: parent.data?.message_id, root_id: parent.data?.message_id, chat_id: parent.data?.chat_id });
  });

  it('patches only interactive messages and rejects a 2.0 → 1.0 downgrade', async () => {
    const card = await sendCard(ALICE, v2Card('待报送'));
    const id = card.data!.message_id!;
    const patched = await client.im.message.patch({ path: { message_id: id }, data: { content: JSON.stringify(v2Card('已报送')) } });
    expect(patched.code).toBe(0);
    expect(sandbox.messages.content(id)).toEqual(v2Card('已报送'));
    expect(sandbox.messages.get(id)?.updated).toBe(true);

    const downgrade = await failure(client.im.message.patch({ path: { message_id: id }, data: { content: JSON.stringify({ elements: [] }) } }));
    expect(downgrade.data.code).toBe(230099);
    const text = await sendText(ALICE, 'plain');
    const notCard = await failure(client.im.message.patch({ path: { message_id: text.data!.message_id! }, data: { content: JSON.stringify(v2Card('x')) } }));
    expect(notCard.data.code).toBe(230001);
  });

  it('buzzes members of the chat and reports the others as invalid', async () => {
    const msg = await sendText(ALICE, '加急');
    const res = await client.im.message.urgentApp({
      path: { message_id: msg.data!.message_id! },
      params: { user_id_type: 'open_id' },
      data: { user_id_list: [ALICE, BOB] },
    });
    expect(res.data?.invalid_user_id_list).toEqual([BOB]);
    expect(sandbox.messages.get(msg.data!.message_id!)?.urgent.app).toEqual([ALICE]);
    const none = await failure(
      client.im.message.urgentApp({ path: { message_id: msg.data!.message_id! }, params: { user_id_type: 'open_id' }, data: { user_id_list: [BOB] } }),
    );
    expect(none.data.code).toBe(230001);
  });
});

describe('chats, calendar, contact, files', () => {
  it('creates a group (uuid dedup) and adds members', async () => {
    const create = () =>
      client.im.chat.create({
        params: { user_id_type: 'open_id', uuid: 'meeting-2025-01-31' },
        data: { name: '1月调度会', user_id_list: [ALICE] },
      });
    const a = await create();
    const b = await create();
    expect(a.data?.chat_id).toMatch(/^oc_/);
    expect(b.data?.chat_id).toBe(a.data?.chat_id);
    const add = await client.im.chatMembers.create({
      path: { chat_id: a.data!.chat_id! },
      params: { member_id_type: 'open_id', succeed_type: 1 },
      data: { id_list: [BOB, 'ou_ghost'] },
    });
    expect(add.data?.not_existed_id_list).toEqual(['ou_ghost']);
    expect([...sandbox.chats.get(a.data!.chat_id!)!.members].sort()).toEqual([ALICE, BOB].sort());
    const group = await sendText(a.data!.chat_id!, '会议通知', { type: 'chat_id' });
    expect(group.code).toBe(0);
  });

  it('creates calendar events idempotently and lists them per attendee', async () => {
    const primary = await client.calendar.calendar.primary({ params: { user_id_type: 'open_id' } });
    const calendarId = primary.data!.calendars![0]!.calendar!.calendar_id!;
    expect(calendarId).toMatch(/@group\.calendar\.feishu\.cn$/);
    const key = 'a'.repeat(32);
    const create = () =>
      client.calendar.calendarEvent.create({
        path: { calendar_id: calendarId },
        params: { idempotency_key: key, user_id_type: 'open_id' },
        data: {
          summary: '1月指标调度会',
          location: { name: '3楼会议室' },
          start_time: { timestamp: '1738310400', timezone: 'Asia/Shanghai' },
          end_time: { timestamp: '1738314000', timezone: 'Asia/Shanghai' },
        },
      });
    const ev = await create();
    const again = await create();
    const eventId = ev.data!.event!.event_id!;
    expect(again.data?.event?.event_id).toBe(eventId);
    const att = await client.calendar.calendarEventAttendee.create({
      path: { calendar_id: calendarId, event_id: eventId },
      params: { user_id_type: 'open_id' },
      data: { attendees: [{ type: 'user', user_id: ALICE }, { type: 'user', user_id: BOB, is_optional: true }] },
    });
    expect(att.data?.attendees?.map((a) => a.user_id)).toEqual([ALICE, BOB]);
    const view = (await (await fetch(`${url}/sandbox/api/people/${ALICE}/calendar`)).json()) as Array<{ summary: string; attendees: unknown[]; startMs: number }>;
    expect(view).toHaveLength(1);
    expect(view[0]).toMatchObject({ summary: '1月指标调度会', startMs: 1738310400000, startTime: { timestamp: '1738310400' }, location: '3楼会议室' });
    expect(view[0]!.attendees).toHaveLength(2);
    expect(sandbox.calendar.eventsOf(CAROL)).toHaveLength(0);
  });

  it('finds user ids by mobile, with or without +86, and returns misses without user_id', async () => {
    const res = await client.contact.user.batchGetId({
      params: { user_id_type: 'open_id' },
      data: { mobiles: ['13800000001', '13800000003', '13999999999'] },
    });
    expect(res.data?.user_list).toEqual([
      expect.objectContaining({ user_id: ALICE, mobile: '13800000001' }),
      expect.objectContaining({ user_id: CAROL, mobile: '13800000003' }),
      { mobile: '13999999999' },
    ]);
  });

  it('stores uploaded files by name and size, and lets the bot send them', async () => {
    const up = await client.im.file.create({ data: { file_type: 'xls', file_name: '1月通报.xlsx', file: Buffer.from('spreadsheet bytes') } });
    expect(up?.file_key).toMatch(/^file_v3_/);
    expect(sandbox.files.all()).toEqual([expect.objectContaining({ fileName: '1月通报.xlsx', size: 17, fileType: 'xls' })]);
    const msg = await client.im.message.create({
      params: { receive_id_type: 'open_id' },
      data: { receive_id: ALICE, msg_type: 'file', content: JSON.stringify({ file_key: up!.file_key }) },
    });
    expect(msg.code).toBe(0);
  });
});

describe('rate limits and faults', () => {
  it('answers 429 + 99991400 with x-ogw-ratelimit headers past the per-app limit', async () => {
    sandbox.setLimits({ appPerSecond: 3, perReceiverPerSecond: 100 });
    await sendText(ALICE, 'warm token');
    await sendText(BOB, '1');
    await sendText(CAROL, '2');
    const err = await failure(sendText(ALICE, '3'));
    expect(err.status).toBe(429);
    expect(err.data.code).toBe(99991400);
    expect(err.headers['x-ogw-ratelimit-limit']).toBe('3');
    expect(Number(err.headers['x-ogw-ratelimit-reset'])).toBeGreaterThanOrEqual(1);
    expect(sandbox.stats().rateLimited).toBe(1);
  });

  it('answers 400 + 230020 for the 6th message to one person within a second', async () => {
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => sendText(ALICE, `m${i}`)));
    const rejected = results.filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(1);
    const reason = (rejected[0] as PromiseRejectedResult).reason as { response: { status: number; data: { code: number } } };
    expect(reason.response.status).toBe(400);
    expect(reason.response.data.code).toBe(230020);
    // Another receiver is unaffected.
    expect((await sendText(BOB, 'ok')).code).toBe(0);
  });

  it('injects 5xx, 429 and 230020 faults deterministically from the seed', async () => {
    await sendText(ALICE, 'warm token');
    sandbox.setLimits({ perReceiverPerSecond: 1000 });
    const pattern = async () => {
      sandbox.setFaults({ rate5xx: 0.3, rate429: 0.2, rate230020: 0.2, seed: 42 });
      const out: Array<number | string> = [];
      for (let i = 0; i < 20; i++) {
        try {
          await sendText(ALICE, `f${i}`);
          out.push('ok');
        } catch (e) {
          const r = (e as { response: { status: number; data: { code: number } } }).response;
          out.push(r.status === 500 ? 500 : r.data.code);
        }
      }
      return out;
    };
    const first = await pattern();
    const second = await pattern();
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['ok', 500, 99991400, 230020]));
    expect(sandbox.stats().faultsInjected).toBe(2 * first.filter((x) => x !== 'ok').length);
    expect(await (await fetch(`${url}/sandbox/api/faults`)).json()).toMatchObject({ rate5xx: 0.3, seed: 42 });
  });

  it('a lost response (5xx after commit) retried with the same uuid yields one message', async () => {
    sandbox.setFaults({ rate5xxAfterCommit: 1 });
    const err = await failure(sendText(ALICE, '提醒', { uuid: 'u-lost-1' }));
    expect(err.status).toBe(500);
    sandbox.setFaults({});
    const retry = await sendText(ALICE, '提醒', { uuid: 'u-lost-1' });
    expect(retry.code).toBe(0);
    expect(sandbox.messages.toUser(ALICE)).toHaveLength(1);
    expect(sandbox.stats().duplicatesSeen).toBe(1);
  });

  it('adds latency and can be switched over HTTP', async () => {
    await sendText(ALICE, 'warm token');
    const res = await fetch(`${url}/sandbox/api/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 150 }),
    });
    expect(res.status).toBe(200);
    const t0 = Date.now();
    await sendText(BOB, 'slow');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    const bad = await fetch(`${url}/sandbox/api/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"rate5xx": 2}' });
    expect(bad.status).toBe(400);
  });
});

describe('business clock', () => {
  it('runs uuid windows, message times and the 14-day edit window on the injected clock, tokens on real time', async () => {
    const clock = fixedClock('2025-01-31T09:00:00+08:00');
    const own = await startSandbox({ clock });
    try {
      const send = (uuid: string) =>
        own.client.im.message.create({
          params: { receive_id_type: 'open_id' },
          data: { receive_id: ALICE, msg_type: 'interactive', content: JSON.stringify(v2Card('月报')), uuid },
        });
      const first = await send('monthly-report');
      expect(first.data?.create_time).toBe(String(clock.now().getTime()));
      clock.advance(59 * 60_000);
      expect((await send('monthly-report')).data?.message_id).toBe(first.data?.message_id);
      clock.advance(2 * 60_000);
      expect((await send('monthly-report')).data?.message_id).not.toBe(first.data?.message_id);

      clock.advance(15 * 24 * 3600_000);
      // The SDK's cached token is still good: a jump in business time does not expire it.
      const err = await failure(
        own.client.im.message.patch({ path: { message_id: first.data!.message_id! }, data: { content: JSON.stringify(v2Card('改')) } }),
      );
      expect(err.data.code).toBe(230031);
    } finally {
      await own.sandbox.close();
    }
  });
});
