// Sandbox: calendar/v4 — the app's primary calendar, events (idempotency_key) and attendees
// (contract §5.1–5.3). Creating an event adds nobody; attendees come from the attendees API.
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
const AttendeesQuery = z.object({ user_id_type: idTypeSchema });
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
    if (!ev || ev.deleted || ev.calendarId !== calendarId) throw Errors.eventNotFound();
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

  scope.delete(
    '/calendar/v4/calendars/:calendar_id/events/:event_id',
    feishuRoute(ctx, 'calendar.event.delete', async (req, caller) => {
      const { calendar_id, event_id } = parseOr(EventParams, req.params, Errors.calendarInvalidParam);
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
}
