// Sandbox: calendar/v4 — the app's primary calendar, events (idempotency_key; create, patch, delete) and
// attendees (add, list, batch_delete) (contract §5.1–5.3; Feishu's 更新日程, 删除日程, 获取日程参与人列表,
// 删除日程参与人). Creating an event adds nobody; attendees come from the attendees API. A deleted event
// answers 193003 to everything, an unknown one 193001, a calendar that is not the app's 191000.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Errors } from '../errors.ts';
import { newCalendarEventId } from '../ids.ts';
import type { CalendarAttendee, StoredEvent } from '../types.ts';
import { feishuRoute, idTypeSchema, parseOr, type ApiContext, type Caller } from './context.ts';

const TimeInfo = z
  .object({ timestamp: z.string().regex(/^\d+$/).optional(), date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(), timezone: z.string().optional() })
  .refine((t) => (t.timestamp === undefined) !== (t.date === undefined), 'exactly one of timestamp or date');

const PrimaryQuery = z.object({ user_id_type: z.enum(['open_id', 'union_id']).default('open_id') });
const CalendarParams = z.object({ calendar_id: z.string().min(1) });
const EventParams = z.object({ calendar_id: z.string().min(1), event_id: z.string().min(1) });
const EventQuery = z.object({ idempotency_key: z.string().min(32).max(128).optional(), user_id_type: idTypeSchema });
const EventBody = z.looseObject({
  summary: z.string().max(1000).optional(),
  description: z.string().max(40960).optional(),
  need_notification: z.boolean().optional(),
  start_time: TimeInfo,
  end_time: TimeInfo,
  vchat: z.looseObject({ vc_type: z.enum(['vc', 'third_party', 'no_meeting', 'lark_live', 'unknown']).optional() }).optional(),
  location: z.looseObject({ name: z.string().optional(), address: z.string().optional() }).optional(),
  reminders: z.array(z.object({ minutes: z.number().int().min(-20160).max(20160) })).optional(),
  recurrence: z.string().optional(),
});
const PatchBody = z.looseObject({
  summary: z.string().max(1000).optional(),
  description: z.string().max(40960).optional(),
  need_notification: z.boolean().optional(),
  start_time: TimeInfo.optional(),
  end_time: TimeInfo.optional(),
  vchat: z.looseObject({ vc_type: z.enum(['vc', 'third_party', 'no_meeting']).optional() }).optional(),
  location: z.looseObject({ name: z.string().min(1).max(512).optional(), address: z.string().min(1).max(255).optional() }).optional(),
  reminders: z.array(z.object({ minutes: z.number().int().min(-20160).max(20160) })).optional(),
});
const DeleteQuery = z.object({ need_notification: z.enum(['true', 'false']).optional() });
const AttendeesQuery = z.object({ user_id_type: idTypeSchema });
const ListAttendeesQuery = z.object({
  user_id_type: idTypeSchema,
  page_token: z.string().regex(/^\d+$/).optional(),
  // Feishu: below 10 counts as 10; at most 100.
  page_size: z.coerce.number().int().max(100).default(20).transform((n) => Math.max(10, n)),
});
const BatchDeleteBody = z.object({
  attendee_ids: z.array(z.string().min(1)).optional(),
  delete_ids: z
    .array(z.object({ type: z.enum(['user', 'chat', 'resource', 'third_party']).optional(), user_id: z.string().optional(), chat_id: z.string().optional(), room_id: z.string().optional(), third_party_email: z.string().optional() }))
    .optional(),
  need_notification: z.boolean().optional(),
});
const AttendeesBody = z.object({
  attendees: z
    .array(
      z.object({
        type: z.enum(['user', 'chat', 'resource', 'third_party']),
        is_optional: z.boolean().optional(),
        user_id: z.string().optional(),
        chat_id: z.string().optional(),
        room_id: z.string().optional(),
        third_party_email: z.string().optional(),
      }),
    )
    .min(1)
    .max(1000),
  need_notification: z.boolean().optional(),
});

/** Epoch ms of a Feishu time object; all-day dates count from midnight in Asia/Shanghai. */
export function timeInfoMs(t: { timestamp?: string; date?: string }): number {
  if (t.timestamp !== undefined) return Number(t.timestamp) * 1000;
  return new Date(`${t.date}T00:00:00+08:00`).getTime();
}

export function registerCalendar(scope: FastifyInstance, ctx: ApiContext): void {
  const { state } = ctx;

  const ownCalendar = (caller: Caller, calendarId: string) => {
    if (state.primaryCalendar(caller.appId) !== calendarId) throw Errors.calendarNotFound();
  };
  const liveEvent = (caller: Caller, calendarId: string, eventId: string): StoredEvent => {
    ownCalendar(caller, calendarId);
    const ev = state.events.get(eventId);
    if (!ev || ev.calendarId !== calendarId) throw Errors.eventNotFound();
    if (ev.deleted) throw Errors.eventDeleted();
    return ev;
  };

  const attendeeData = (a: CalendarAttendee, idType: string) => {
    const out: Record<string, unknown> = {
      type: a.type,
      attendee_id: a.attendeeId,
      rsvp_status: a.rsvpStatus,
      is_optional: a.isOptional,
      is_organizer: a.isOrganizer,
      is_external: false,
      display_name: a.displayName,
    };
    if (a.openId) {
      const u = state.user(a.openId);
      out.user_id = u ? state.userIdOfType(u, idType) : a.openId;
    }
    if (a.chatId) {
      out.chat_id = a.chatId;
      out.chat_members = [...(state.chats.get(a.chatId)?.members ?? [])].map((m) => ({ rsvp_status: 'needs_action', is_optional: a.isOptional, display_name: state.user(m)?.name ?? '', is_organizer: false, is_external: false }));
    }
    if (a.roomId) out.room_id = a.roomId;
    if (a.email) out.third_party_email = a.email;
    return out;
  };

  const eventData = (ev: StoredEvent) => ({
    ...ev.raw,
    event_id: ev.eventId,
    organizer_calendar_id: ev.calendarId,
    summary: ev.summary,
    description: ev.description,
    start_time: ev.start,
    end_time: ev.end,
    status: ev.deleted ? 'cancelled' : 'confirmed',
    is_exception: false,
    recurring_event_id: '',
    color: -1,
    create_time: String(Math.floor(ev.createTime / 1000)),
    app_link: `https://applink.feishu.cn/client/calendar/event/detail?calendarId=${encodeURIComponent(ev.calendarId)}&key=${ev.eventId}`,
    event_organizer: { user_id: '', display_name: state.apps.get(ev.appId)?.botName ?? '' },
  });

  scope.post(
    '/calendar/v4/calendars/primary',
    feishuRoute(ctx, 'calendar.primary', async (req, caller) => {
      parseOr(PrimaryQuery, req.query, Errors.calendarInvalidParam);
      const app = state.apps.get(caller.appId)!;
      return {
        calendars: [
          {
            calendar: {
              calendar_id: state.primaryCalendar(caller.appId),
              summary: app.botName,
              description: '',
              permissions: 'private',
              color: -1,
              type: 'primary',
              summary_alias: '',
              is_deleted: false,
              is_third_party: false,
              role: 'owner',
            },
            user_id: '',
          },
        ],
      };
    }),
  );

  scope.post(
    '/calendar/v4/calendars/:calendar_id/events',
    feishuRoute(ctx, 'calendar.event.create', async (req, caller) => {
      const { calendar_id } = parseOr(CalendarParams, req.params, Errors.calendarInvalidParam);
      const q = parseOr(EventQuery, req.query, Errors.calendarInvalidParam);
      const body = parseOr(EventBody, req.body, Errors.calendarInvalidParam);
      ownCalendar(caller, calendar_id);
      const dedup = q.idempotency_key ? state.eventDedup(caller.appId, calendar_id, q.idempotency_key) : undefined;
      const prior = dedup?.get();
      if (prior && state.events.has(prior)) {
        ctx.stats.duplicatesSeen++;
        return { event: eventData(state.events.get(prior)!) };
      }
      if (timeInfoMs(body.end_time) < timeInfoMs(body.start_time)) throw Errors.calendarInvalidParam('end_time is before start_time');
      const eventId = newCalendarEventId();
      const vcType = body.vchat?.vc_type;
      const raw: Record<string, unknown> = { ...body };
      // Feishu creates a VC link for events without an explicit meeting choice.
      if (vcType === undefined || vcType === 'vc') raw.vchat = { ...body.vchat, vc_type: 'vc', meeting_url: `https://vc.feishu.cn/j/${eventId.replace(/\D/g, '').slice(0, 9).padEnd(9, '0')}` };
      const ev: StoredEvent = {
        eventId,
        calendarId: calendar_id,
        appId: caller.appId,
        summary: body.summary ?? '',
        description: body.description ?? '',
        start: body.start_time,
        end: body.end_time,
        raw,
        attendees: [],
        idempotencyKey: q.idempotency_key,
        createTime: state.now(),
        deleted: false,
      };
      state.events.set(eventId, ev);
      dedup?.set(eventId);
      state.emit({ type: 'calendar', eventId, openIds: [] });
      return { event: eventData(ev) };
    }),
  );

  scope.patch(
    '/calendar/v4/calendars/:calendar_id/events/:event_id',
    feishuRoute(ctx, 'calendar.event.patch', async (req, caller) => {
      const { calendar_id, event_id } = parseOr(EventParams, req.params, Errors.calendarInvalidParam);
      parseOr(AttendeesQuery, req.query, Errors.calendarInvalidParam);
      const body = parseOr(PatchBody, req.body, Errors.calendarInvalidParam);
      const ev = liveEvent(caller, calendar_id, event_id);
      // Feishu: start_time and end_time take effect only together.
      const start = body.start_time && body.end_time ? body.start_time : ev.start;
      const end = body.start_time && body.end_time ? body.end_time : ev.end;
      if (timeInfoMs(end) < timeInfoMs(start)) throw Errors.calendarInvalidParam('end_time is before start_time');
      const { start_time: _s, end_time: _e, need_notification: _n, ...rest } = body;
      ev.start = start;
      ev.end = end;
      if (body.summary !== undefined) ev.summary = body.summary;
      if (body.description !== undefined) ev.description = body.description;
      ev.raw = { ...ev.raw, ...rest, start_time: start, end_time: end };
      state.emit({ type: 'calendar', eventId: ev.eventId, openIds: state.eventAudience(ev) });
      return { event: eventData(ev) };
    }),
  );

  scope.delete(
    '/calendar/v4/calendars/:calendar_id/events/:event_id',
    feishuRoute(ctx, 'calendar.event.delete', async (req, caller) => {
      const { calendar_id, event_id } = parseOr(EventParams, req.params, Errors.calendarInvalidParam);
      parseOr(DeleteQuery, req.query, Errors.calendarInvalidParam);
      const ev = liveEvent(caller, calendar_id, event_id);
      ev.deleted = true;
      state.emit({ type: 'calendar', eventId: ev.eventId, openIds: state.eventAudience(ev) });
      return {};
    }),
  );

  scope.post(
    '/calendar/v4/calendars/:calendar_id/events/:event_id/attendees',
    feishuRoute(ctx, 'calendar.event.attendee.create', async (req, caller) => {
      const { calendar_id, event_id } = parseOr(EventParams, req.params, Errors.calendarInvalidParam);
      const q = parseOr(AttendeesQuery, req.query, Errors.calendarInvalidParam);
      const body = parseOr(AttendeesBody, req.body, Errors.calendarInvalidParam);
      const ev = liveEvent(caller, calendar_id, event_id);
      const resolved: CalendarAttendee[] = body.attendees.map((a) => {
        const base = { type: a.type, isOptional: a.is_optional ?? false, isOrganizer: false, rsvpStatus: 'needs_action' };
        switch (a.type) {
          case 'user': {
            const u = a.user_id ? state.findUser(q.user_id_type, a.user_id) : undefined;
            if (!u) throw Errors.calendarInvalidParam(`user ${a.user_id ?? '(missing)'} not found`);
            return { ...base, attendeeId: `user_${u.openId.slice(3)}`, openId: u.openId, displayName: u.name };
          }
          case 'chat': {
            const c = a.chat_id ? state.chats.get(a.chat_id) : undefined;
            if (!c) throw Errors.calendarInvalidParam(`chat ${a.chat_id ?? '(missing)'} not found`);
            return { ...base, attendeeId: `chat_${c.chatId.slice(3)}`, chatId: c.chatId, displayName: c.name };
          }
          case 'resource':
            if (!a.room_id) throw Errors.calendarInvalidParam('room_id is required');
            return { ...base, attendeeId: `resource_${a.room_id}`, roomId: a.room_id, displayName: a.room_id, rsvpStatus: 'accept' };
          case 'third_party':
            if (!a.third_party_email) throw Errors.calendarInvalidParam('third_party_email is required');
            return { ...base, attendeeId: `third_party_${a.third_party_email}`, email: a.third_party_email, displayName: a.third_party_email };
        }
      });
      const added: CalendarAttendee[] = [];
      for (const a of resolved) {
        const existing = ev.attendees.find((x) => x.attendeeId === a.attendeeId);
        if (existing) added.push(existing);
        else {
          ev.attendees.push(a);
          added.push(a);
        }
      }
      state.emit({ type: 'calendar', eventId: ev.eventId, openIds: state.eventAudience(ev) });
      return { attendees: added.map((a) => attendeeData(a, q.user_id_type)) };
    }),
  );

  scope.get(
    '/calendar/v4/calendars/:calendar_id/events/:event_id/attendees',
    feishuRoute(ctx, 'calendar.event.attendee.list', async (req, caller) => {
      const { calendar_id, event_id } = parseOr(EventParams, req.params, Errors.calendarInvalidParam);
      const q = parseOr(ListAttendeesQuery, req.query, Errors.calendarInvalidParam);
      const ev = liveEvent(caller, calendar_id, event_id);
      const from = Number(q.page_token ?? 0);
      const items = ev.attendees.slice(from, from + q.page_size).map((a) => attendeeData(a, q.user_id_type));
      const more = from + q.page_size < ev.attendees.length;
      return { items, has_more: more, ...(more ? { page_token: String(from + q.page_size) } : {}) };
    }),
  );

  scope.post(
    '/calendar/v4/calendars/:calendar_id/events/:event_id/attendees/batch_delete',
    feishuRoute(ctx, 'calendar.event.attendee.batch_delete', async (req, caller) => {
      const { calendar_id, event_id } = parseOr(EventParams, req.params, Errors.calendarInvalidParam);
      const q = parseOr(AttendeesQuery, req.query, Errors.calendarInvalidParam);
      const body = parseOr(BatchDeleteBody, req.body, Errors.calendarInvalidParam);
      const ids = body.attendee_ids ?? [];
      const typed = body.delete_ids ?? [];
      if (ids.length + typed.length === 0) throw Errors.calendarInvalidParam('attendee_ids or delete_ids is required');
      if (ids.length + typed.length > 500) throw Errors.calendarInvalidParam('at most 500 attendees per call');
      const ev = liveEvent(caller, calendar_id, event_id);
      const gone = new Set(ids);
      for (const d of typed) {
        const u = d.type === 'user' && d.user_id ? state.findUser(q.user_id_type, d.user_id) : undefined;
        const hit = ev.attendees.find((a) => (u && a.openId === u.openId) || (d.chat_id && a.chatId === d.chat_id) || (d.room_id && a.roomId === d.room_id) || (d.third_party_email && a.email === d.third_party_email));
        if (hit) gone.add(hit.attendeeId);
      }
      // UNCONFIRMED: whether Feishu refuses ids that are not on the event (194000); here they are ignored.
      const audience = state.eventAudience(ev);
      ev.attendees = ev.attendees.filter((a) => !gone.has(a.attendeeId));
      state.emit({ type: 'calendar', eventId: ev.eventId, openIds: audience });
      return {};
    }),
  );
}
