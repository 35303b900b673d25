// Feishu edge: calendar/v4 and group-chat calls for the meeting sync (src/modules/meetings/meeting-sync.ts),
// through the SDK client, with Feishu's answers turned into FeishuCallError like the outbound sender does.
// Contracts: shared/feishu-contract.md §5 and Feishu's pages 查询主日历信息, 创建日程, 更新日程, 删除日程,
// 添加/删除日程参与人, 获取日程参与人列表, 创建群, 将用户或机器人拉入/移出群聊, 获取群成员列表.
import { z } from 'zod';
import type { FeishuClient } from './client.ts';
import { call, FeishuCallError, need } from './outbound/sender.ts';
import type { EventFields, MeetingSyncPort } from '../modules/meetings/meeting-sync.ts';

const PrimaryData = z.looseObject({ calendars: z.array(z.looseObject({ calendar: z.looseObject({ calendar_id: z.string().min(1) }) })).min(1) });
const EventData = z.looseObject({ event: z.looseObject({ event_id: z.string().min(1) }) });
const AttendeePage = z.looseObject({
  items: z.array(z.looseObject({ type: z.string().optional(), attendee_id: z.string().optional(), user_id: z.string().optional(), rsvp_status: z.string().optional() })).optional(),
  has_more: z.boolean().optional(),
  page_token: z.string().optional(),
});
const ChatData = z.looseObject({ chat_id: z.string().min(1) });
const MemberPage = z.looseObject({
  items: z.array(z.looseObject({ member_id: z.string().optional() })).optional(),
  has_more: z.boolean().optional(),
  page_token: z.string().optional(),
});
const AddMembersData = z.looseObject({ invalid_id_list: z.array(z.string()).optional(), not_existed_id_list: z.array(z.string()).optional() });

/** 193001 event not found, 193003 event is deleted (删除日程 error table): a repeated delete is done. */
const EVENT_GONE = new Set([193001, 193003]);
const TIMEZONE = 'Asia/Shanghai';
/** Feishu's idempotency_key: 32–128 characters (创建日程). */
const KEY_MIN = 32;
const KEY_MAX = 128;

const timeInfo = (d: Date) => ({ timestamp: String(Math.floor(d.getTime() / 1000)), timezone: TIMEZONE });

function eventBody(f: EventFields) {
  return {
    summary: f.summary,
    description: f.description,
    start_time: timeInfo(f.startsAt),
    end_time: timeInfo(f.endsAt),
    ...(f.location ? { location: { name: f.location.slice(0, 512) } } : {}),
  };
}

/** The port the meeting sync uses, on Feishu. The app's primary calendar id is asked once and kept. */
export function feishuMeetingPort(client: FeishuClient): MeetingSyncPort & { calendarId(): Promise<string> } {
  const cal = client.sdk.calendar.v4;
  const im = client.sdk.im.v1;
  let calendar: Promise<string> | undefined;

  const calendarId = () => {
    calendar ??= call(() => cal.calendar.primary({ params: { user_id_type: 'open_id' } }))
      .then((body) => need(PrimaryData, body.data, 'primary calendar').calendars[0]!.calendar.calendar_id)
      .catch((err: unknown) => {
        calendar = undefined;
        throw err;
      });
    return calendar;
  };

  return {
    calendarId,

    // In-person meetings: no_meeting, or Feishu attaches a video-meeting link the first time attendees are added.
    async createEvent(fields, idempotencyKey) {
      if (idempotencyKey.length < KEY_MIN || idempotencyKey.length > KEY_MAX) throw new Error(`idempotency_key must be ${KEY_MIN}–${KEY_MAX} characters, got ${idempotencyKey.length}`);
      const calendar_id = await calendarId();
      // need_notification false: the bot's own invitation card is the notice (and carries 参加 / 请假).
      const body = await call(() => cal.calendarEvent.create({ path: { calendar_id }, params: { idempotency_key: idempotencyKey, user_id_type: 'open_id' }, data: { ...eventBody(fields), need_notification: false, vchat: { vc_type: 'no_meeting' }, attendee_ability: 'can_see_others' } }));
      return need(EventData, body.data, 'event_id').event.event_id;
    },

    async patchEvent(eventId, fields) {
      const calendar_id = await calendarId();
      await call(() => cal.calendarEvent.patch({ path: { calendar_id, event_id: eventId }, params: { user_id_type: 'open_id' }, data: { ...eventBody(fields), need_notification: false } }));
    },

    async deleteEvent(eventId) {
      const calendar_id = await calendarId();
      try {
        await call(() => cal.calendarEvent.delete({ path: { calendar_id, event_id: eventId }, params: { need_notification: 'false' } }));
      } catch (err) {
        if (err instanceof FeishuCallError && err.code !== undefined && EVENT_GONE.has(err.code)) return;
        throw err;
      }
    },

    async listAttendees(eventId) {
      const calendar_id = await calendarId();
      const out: { attendeeId: string; openId: string }[] = [];
      let page_token: string | undefined;
      do {
        const body = await call(() => cal.calendarEventAttendee.list({ path: { calendar_id, event_id: eventId }, params: { user_id_type: 'open_id', page_size: 100, ...(page_token ? { page_token } : {}) } }));
        const page = need(AttendeePage, body.data ?? {}, 'attendee list');
        for (const a of page.items ?? []) {
          if (a.type === 'user' && a.attendee_id && a.user_id && a.rsvp_status !== 'removed') out.push({ attendeeId: a.attendee_id, openId: a.user_id });
        }
        page_token = page.has_more ? page.page_token : undefined;
      } while (page_token);
      return out;
    },

    async addAttendees(eventId, openIds) {
      if (!openIds.length) return;
      const calendar_id = await calendarId();
      await call(() =>
        cal.calendarEventAttendee.create({
          path: { calendar_id, event_id: eventId },
          params: { user_id_type: 'open_id' },
          data: { attendees: openIds.map((user_id) => ({ type: 'user' as const, user_id, is_optional: false })), need_notification: false },
        }),
      );
    },

    async removeAttendees(eventId, attendeeIds) {
      if (!attendeeIds.length) return;
      const calendar_id = await calendarId();
      await call(() => cal.calendarEventAttendee.batchDelete({ path: { calendar_id, event_id: eventId }, params: { user_id_type: 'open_id' }, data: { attendee_ids: attendeeIds, need_notification: false } }));
    },

    async createChat({ name, description, openIds, uuid }) {
      // Owner: the bot (owner_id left out), so it may add members later.
      const body = await call(() =>
        im.chat.create({ params: { user_id_type: 'open_id', set_bot_manager: false, uuid }, data: { name, description, user_id_list: openIds, chat_mode: 'group', chat_type: 'private' } }),
      );
      return need(ChatData, body.data, 'chat_id').chat_id;
    },

    async listChatMembers(chatId) {
      const out: string[] = [];
      let page_token: string | undefined;
      do {
        const body = await call(() => im.chatMembers.get({ path: { chat_id: chatId }, params: { member_id_type: 'open_id', page_size: 100, ...(page_token ? { page_token } : {}) } }));
        const page = need(MemberPage, body.data ?? {}, 'member list');
        for (const m of page.items ?? []) if (m.member_id) out.push(m.member_id);
        page_token = page.has_more ? page.page_token : undefined;
      } while (page_token);
      return out;
    },

    async addChatMembers(chatId, openIds) {
      if (!openIds.length) return;
      // succeed_type 1: a resigned or unknown id does not block the others (they are reported back).
      const body = await call(() => im.chatMembers.create({ path: { chat_id: chatId }, params: { member_id_type: 'open_id', succeed_type: 1 }, data: { id_list: openIds } }));
      need(AddMembersData, body.data ?? {}, 'member answer');
    },
  };
}

/** Removes members from a chat (not used by the sync: people who drop out stay in the group). */
export async function removeChatMembers(client: FeishuClient, chatId: string, openIds: string[]): Promise<string[]> {
  if (!openIds.length) return [];
  const body = await call(() => client.sdk.im.v1.chatMembers.delete({ path: { chat_id: chatId }, params: { member_id_type: 'open_id' }, data: { id_list: openIds } }));
  return need(z.looseObject({ invalid_id_list: z.array(z.string()).optional() }), body.data ?? {}, 'member answer').invalid_id_list ?? [];
}
