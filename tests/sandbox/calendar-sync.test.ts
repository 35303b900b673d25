// The sandbox refuses what Feishu refuses on the calls the meeting sync makes — a short idempotency_key,
// an unknown calendar, a deleted event (193003, also for its attendees), member calls on an unknown chat
// (232006) — and a route can be made to fail once (before or after it took effect), driven by the real SDK.
import type * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';
import { ALICE, BOB, CAROL, failure, startSandbox } from './helpers.ts';

let sandbox: Sandbox;
let client: lark.Client;
let url: string;

beforeEach(async () => {
  ({ sandbox, client, url } = await startSandbox());
});
afterEach(async () => {
  await sandbox.close();
});

const KEY = 'econ-dispatch-meeting-0001-event-test-key';
const at = (iso: string) => ({ timestamp: String(new Date(iso).getTime() / 1000), timezone: 'Asia/Shanghai' });
const primary = async () => (await client.calendar.calendar.primary({ params: { user_id_type: 'open_id' } })).data!.calendars![0]!.calendar!.calendar_id!;
async function newEvent(calendar_id: string, key = KEY) {
  const r = await client.calendar.calendarEvent.create({
    path: { calendar_id },
    params: { idempotency_key: key, user_id_type: 'open_id' },
    data: { summary: '鞍东区约谈', start_time: at('2026-12-08T07:00:00Z'), end_time: at('2026-12-08T08:00:00Z'), vchat: { vc_type: 'no_meeting' } },
  });
  return r.data!.event!.event_id!;
}
const addUsers = (calendar_id: string, event_id: string, ids: string[]) =>
  client.calendar.calendarEventAttendee.create({ path: { calendar_id, event_id }, params: { user_id_type: 'open_id' }, data: { attendees: ids.map((user_id) => ({ type: 'user' as const, user_id })) } });
const listUsers = async (calendar_id: string, event_id: string) =>
  ((await client.calendar.calendarEventAttendee.list({ path: { calendar_id, event_id }, params: { user_id_type: 'open_id', page_size: 100 } })).data?.items ?? []).map((a) => a.user_id);

describe('calendar events', () => {
  it('refuses an idempotency_key outside 32–128 characters and a calendar that is not the app’s', async () => {
    const calendar_id = await primary();
    const short = await failure(newEvent(calendar_id, 'too-short'));
    expect(short.status).toBe(400);
    expect(short.data.code).toBe(190002);
    const long = await failure(newEvent(calendar_id, 'k'.repeat(129)));
    expect(long.data.code).toBe(190002);
    const other = await failure(newEvent('feishu.cn_someone-else@group.calendar.feishu.cn'));
    expect(other.status).toBe(404);
    expect(other.data.code).toBe(191000);
    expect(sandbox.calendar.events()).toHaveLength(0);
  });

  it('moves the same event on PATCH, and lists and removes attendees', async () => {
    const calendar_id = await primary();
    const event_id = await newEvent(calendar_id);
    await addUsers(calendar_id, event_id, [ALICE, BOB]);
    const moved = await client.calendar.calendarEvent.patch({
      path: { calendar_id, event_id },
      params: { user_id_type: 'open_id' },
      data: { start_time: at('2026-12-09T02:00:00Z'), end_time: at('2026-12-09T03:00:00Z'), location: { name: '市政府三楼第一会议室' } },
    });
    expect(moved.data?.event?.event_id).toBe(event_id);
    expect(moved.data?.event?.start_time?.timestamp).toBe(String(new Date('2026-12-09T02:00:00Z').getTime() / 1000));
    expect(sandbox.calendar.events()).toHaveLength(1);
    expect(await listUsers(calendar_id, event_id)).toEqual([ALICE, BOB]);
    const items = (await client.calendar.calendarEventAttendee.list({ path: { calendar_id, event_id }, params: { user_id_type: 'open_id' } })).data!.items!;
    await client.calendar.calendarEventAttendee.batchDelete({ path: { calendar_id, event_id }, params: { user_id_type: 'open_id' }, data: { attendee_ids: [items.find((a) => a.user_id === ALICE)!.attendee_id!] } });
    expect(await listUsers(calendar_id, event_id)).toEqual([BOB]);
    expect(sandbox.calendar.eventsOf(ALICE)).toHaveLength(0);
    expect(sandbox.calendar.eventsOf(BOB)).toHaveLength(1);
  });

  it('answers 193003 for a deleted event — deleting it again, patching it, adding or listing its attendees — and 193001 for an unknown one', async () => {
    const calendar_id = await primary();
    const event_id = await newEvent(calendar_id);
    await client.calendar.calendarEvent.delete({ path: { calendar_id, event_id }, params: { need_notification: 'false' } });
    for (const p of [
      client.calendar.calendarEvent.delete({ path: { calendar_id, event_id } }),
      client.calendar.calendarEvent.patch({ path: { calendar_id, event_id }, data: { summary: '改' } }),
      addUsers(calendar_id, event_id, [ALICE]),
      client.calendar.calendarEventAttendee.list({ path: { calendar_id, event_id } }),
    ]) {
      const f = await failure(p);
      expect(f.status).toBe(403);
      expect(f.data.code).toBe(193003);
    }
    const unknown = await failure(client.calendar.calendarEvent.delete({ path: { calendar_id, event_id: 'no-such-event_0' } }));
    expect(unknown.status).toBe(404);
    expect(unknown.data.code).toBe(193001);
  });

  it('failNext breaks one call: before it takes effect, or after (the answer lost, the key then gives the same event back)', async () => {
    const calendar_id = await primary();
    sandbox.failNext('calendar.event.create');
    expect((await failure(newEvent(calendar_id))).status).toBe(500);
    expect(sandbox.calendar.events()).toHaveLength(0);
    sandbox.failNext('calendar.event.create', { afterCommit: true });
    expect((await failure(newEvent(calendar_id))).status).toBe(500);
    expect(sandbox.calendar.events()).toHaveLength(1);
    const again = await newEvent(calendar_id);
    expect(again).toBe(sandbox.calendar.events()[0]!.eventId);
    expect(sandbox.calendar.events()).toHaveLength(1);
    // Over HTTP, as a bench would.
    const res = await fetch(`${url}/sandbox/api/faults/next`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ route: 'calendar.event.attendee.create', times: 2 }) });
    expect(((await res.json()) as { pending: Record<string, number> }).pending).toEqual({ 'calendar.event.attendee.create': 2 });
    expect((await failure(addUsers(calendar_id, again, [ALICE]))).status).toBe(500);
    expect((await failure(addUsers(calendar_id, again, [ALICE]))).status).toBe(500);
    await addUsers(calendar_id, again, [ALICE]);
    expect(await listUsers(calendar_id, again)).toEqual([ALICE]);
  });
});

describe('group chat members', () => {
  it('lists, adds and removes members; an unknown chat is 232006', async () => {
    const chat = await client.im.chat.create({ params: { user_id_type: 'open_id', uuid: 'mchat-test-1' }, data: { name: '鞍东区约谈（12月8日）', user_id_list: [ALICE] } });
    const chat_id = chat.data!.chat_id!;
    await client.im.chatMembers.create({ path: { chat_id }, params: { member_id_type: 'open_id' }, data: { id_list: [BOB, CAROL] } });
    const members = async () => ((await client.im.chatMembers.get({ path: { chat_id }, params: { member_id_type: 'open_id' } })).data?.items ?? []).map((m) => m.member_id);
    expect((await members()).sort()).toEqual([ALICE, BOB, CAROL].sort());
    const removed = await client.im.chatMembers.delete({ path: { chat_id }, params: { member_id_type: 'open_id' }, data: { id_list: [CAROL, 'ou_nobody'] } });
    expect(removed.data?.invalid_id_list).toEqual(['ou_nobody']);
    expect((await members()).sort()).toEqual([ALICE, BOB].sort());

    for (const p of [
      client.im.chatMembers.get({ path: { chat_id: 'oc_unknown' } }),
      client.im.chatMembers.create({ path: { chat_id: 'oc_unknown' }, data: { id_list: [ALICE] } }),
      client.im.chatMembers.delete({ path: { chat_id: 'oc_unknown' }, data: { id_list: [ALICE] } }),
    ]) {
      const f = await failure(p);
      expect(f.status).toBe(400);
      expect(f.data.code).toBe(232006);
    }
  });
});
