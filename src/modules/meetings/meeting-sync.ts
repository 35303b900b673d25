// Meetings: the Feishu calendar event and the optional group chat follow the meeting row (the job
// meeting.sync.v1, jobs/meeting-sync.job.ts). Domain logic against a port; the Feishu calls live in
// src/feishu/calendar.ts.
//
// Decisions:
// - One sync of a meeting at a time (a PostgreSQL advisory lock): a version's job, its retry and an
//   attendee change never interleave their reads and writes on Feishu.
// - Every step is saved as soon as Feishu answers (calendarEventId, chatId), so a retry after a partial
//   failure continues; creating is idempotent on Feishu's side too (the event's idempotency_key and the
//   chat's uuid come from the meeting id), so an answer lost on the way creates nothing twice.
// - Attendees are reconciled against the event's own list (read from Feishu), not against a local copy:
//   whatever a failed run left behind is seen by the next one.
// - The group keeps people who dropped out (a delegate's principal, say): removing members from a
//   group is noisy and they may still need the material. New attendees are added.
// - Chat messages go through the outbox (dedupe key per meeting and version): a retry never posts twice.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { PrismaClient } from '../../platform/prisma.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { KIND_WORDS } from '../../../cards/meeting.ts';
import { beijingDate } from '../../platform/business-time.ts';
import { formatWhen } from './when.ts';

export interface EventFields {
  summary: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  location?: string;
}

/** What the sync needs from Feishu. Ids of people are open_ids. */
export interface MeetingSyncPort {
  /** Creates the event on the app's primary calendar; the same key gives back the same event. */
  createEvent(fields: EventFields, idempotencyKey: string): Promise<string>;
  patchEvent(eventId: string, fields: EventFields): Promise<void>;
  /** Deletes the event; one that is gone already counts as deleted. */
  deleteEvent(eventId: string): Promise<void>;
  /** The event's user attendees (removed ones left out). */
  listAttendees(eventId: string): Promise<{ attendeeId: string; openId: string }[]>;
  addAttendees(eventId: string, openIds: string[]): Promise<void>;
  removeAttendees(eventId: string, attendeeIds: string[]): Promise<void>;
  /** Creates the group with the bot in it; the same uuid gives back the same chat. */
  createChat(input: { name: string; description: string; openIds: string[]; uuid: string }): Promise<string>;
  listChatMembers(chatId: string): Promise<string[]>;
  addChatMembers(chatId: string, openIds: string[]): Promise<void>;
}

export interface MeetingSyncDeps {
  prisma: PrismaClient;
}

export interface SyncPayload {
  meetingId: string;
  version: number;
  /** An attendee change at the same version (a delegation): reconcile the people only. */
  attendees?: boolean;
}

export type SyncResult =
  | { done: 'stale' | 'synced-already' | 'nothing-to-do' }
  | { done: 'synced' | 'attendees'; outbound: string[]; added: number; removed: number };

/** Feishu's idempotency_key is 32–128 characters; the chat uuid at most 50. */
export const eventKeyOf = (meetingId: string) => `econ-dispatch-meeting-${meetingId}-event`;
export const chatUuidOf = (meetingId: string) => `mchat-${meetingId}`;
/** Feishu: at most 50 users per chat create / add-members call. */
const CHAT_BATCH = 50;
const ATTENDEE_BATCH = 1000;

const syncInclude = {
  attendees: { include: { person: true, delegate: true }, orderBy: [{ role: 'asc' }, { person: { code: 'asc' } }] },
} satisfies Prisma.MeetingInclude;
type SyncMeeting = Prisma.MeetingGetPayload<{ include: typeof syncInclude }>;

/** The people on the event: everyone invited, a delegate in place of who named them (when reachable). */
export function calendarPeople(m: SyncMeeting): string[] {
  const out = new Set<string>();
  for (const a of m.attendees) {
    const d = a.rsvp === 'DELEGATED' && a.delegate?.openId && a.delegate.active ? a.delegate : a.person;
    if (d.openId && d.active) out.add(d.openId);
  }
  return [...out];
}

function reasonsOf(m: SyncMeeting): string[] {
  return Array.isArray(m.reasons) ? (m.reasons as unknown[]).filter((r): r is string => typeof r === 'string') : [];
}

export function eventFieldsOf(m: SyncMeeting): EventFields {
  const lines = [`会议编号：${m.no}`, `类型：${KIND_WORDS[m.kind]}`];
  if (m.agenda) lines.push(`议程：${m.agenda}`);
  const reasons = reasonsOf(m);
  // A 约谈 typed by chat has its reason as the agenda too: said once.
  if (reasons.length && reasons.join('；') !== m.agenda) lines.push(`事由：${reasons.join('；')}`);
  lines.push('组织：经济运行例会办公室。请以机器人发送的会议通知为准。');
  return { summary: m.title, description: lines.join('\n'), startsAt: m.startsAt, endsAt: m.endsAt, ...(m.location ? { location: m.location } : {}) };
}

const monthDay = (d: Date) => {
  const [, mm, dd] = beijingDate(d).split('-');
  return `${Number(mm)}月${Number(dd)}日`;
};
/** Feishu: a group name of at most 60 characters. */
export const chatNameOf = (m: { title: string; startsAt: Date }) => `${m.title}（${monthDay(m.startsAt)}）`.slice(0, 60);
const placeOf = (m: { location: string | null }) => m.location || '另行通知';

export const chatWelcomeText = (m: SyncMeeting) =>
  `本群为「${m.title}」会议群（${KIND_WORDS[m.kind]}，编号 ${m.no}）。\n时间：${formatWhen(m.startsAt, m.endsAt)}\n地点：${placeOf(m)}\n会议材料和通知请在本群查看。`;
export const chatUpdateText = (m: SyncMeeting) => `【会议更新】「${m.title}」时间调整为 ${formatWhen(m.startsAt, m.endsAt)}，地点：${placeOf(m)}。请以新的时间为准。`;
export const chatCancelText = (m: SyncMeeting) =>
  `【会议取消】「${m.title}」（原定 ${formatWhen(m.startsAt, m.endsAt)}）已取消。${m.cancelReason ? `原因：${m.cancelReason}。` : ''}`;

/** Whether the last message to the group already gives the meeting's current time and place. */
function saysWhenAndWhere(content: unknown, m: SyncMeeting): boolean {
  const text = (content as { text?: unknown } | null)?.text;
  return typeof text === 'string' && text.includes(formatWhen(m.startsAt, m.endsAt)) && text.includes(placeOf(m));
}

const chunks = <T>(xs: T[], n: number) => Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));

/** Holds the meeting's sync lock for the duration of fn (writes inside fn commit on their own). */
async function withMeetingLock<T>(prisma: PrismaClient, meetingId: string, fn: () => Promise<T>): Promise<T> {
  return prisma.$transaction(
    async (lock) => {
      await lock.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`msync-${meetingId}`}, 0))`;
      return fn();
    },
    // Feishu calls take up to 15 s each; a big meeting makes a few dozen.
    { maxWait: 60_000, timeout: 10 * 60_000 },
  );
}

/**
 * Brings the Feishu calendar event (and the group chat) of a meeting in line with its row at `version`.
 * A job of an older version does nothing, nor does one whose version is synced already. Throws on a
 * Feishu failure: the job is retried and continues where it stopped.
 */
export async function syncMeeting(deps: MeetingSyncDeps, port: MeetingSyncPort, p: SyncPayload): Promise<SyncResult> {
  return withMeetingLock(deps.prisma, p.meetingId, async () => {
    const m = await deps.prisma.meeting.findUnique({ where: { id: p.meetingId }, include: syncInclude });
    if (!m || m.version > p.version) return { done: 'stale' };
    const synced = m.syncedVersion >= p.version;
    if (synced && !p.attendees) return { done: 'synced-already' };
    const outbound: string[] = [];
    const counts = { added: 0, removed: 0 };

    if (m.status === 'CANCELLED') {
      if (synced) return { done: 'nothing-to-do' };
      if (m.calendarEventId) await port.deleteEvent(m.calendarEventId);
      if (m.chatId) await post(deps, outbound, m.chatId, `mchat-cancel-${m.id}`, chatCancelText(m));
      await markSynced(deps, m);
      return { done: 'synced', outbound, ...counts };
    }
    if (m.status !== 'SCHEDULED') return { done: 'nothing-to-do' };
    if (synced && !m.calendarEventId) return { done: 'nothing-to-do' };

    const people = calendarPeople(m);
    let eventId = m.calendarEventId;
    if (!eventId) {
      eventId = await port.createEvent(eventFieldsOf(m), eventKeyOf(m.id));
      await deps.prisma.meeting.update({ where: { id: m.id }, data: { calendarEventId: eventId } });
    } else if (!synced) {
      // 改期: the same event moves.
      await port.patchEvent(eventId, eventFieldsOf(m));
    }
    Object.assign(counts, await reconcileAttendees(port, eventId, people));

    if (m.wantsChat) {
      let chatId = m.chatId;
      if (!chatId) {
        chatId = await port.createChat({ name: chatNameOf(m), description: `${KIND_WORDS[m.kind]} · 编号 ${m.no}`, openIds: people.slice(0, CHAT_BATCH), uuid: chatUuidOf(m.id) });
        await deps.prisma.meeting.update({ where: { id: m.id }, data: { chatId } });
      }
      const members = new Set(await port.listChatMembers(chatId));
      for (const batch of chunks(people.filter((o) => !members.has(o)), CHAT_BATCH)) await port.addChatMembers(chatId, batch);
      // The welcome once per meeting; 【会议更新】 (once per version) when what the group was told is out of date.
      const welcomeKey = `mchat-hello-${m.id}`;
      const told = await deps.prisma.outboundMessage.findFirst({
        where: { OR: [{ dedupeKey: welcomeKey }, { dedupeKey: { startsWith: `mchat-update-${m.id}-` } }] },
        orderBy: { createdAt: 'desc' },
        select: { content: true },
      });
      await post(deps, outbound, chatId, welcomeKey, chatWelcomeText(m));
      if (told && !synced && !saysWhenAndWhere(told.content, m)) await post(deps, outbound, chatId, `mchat-update-${m.id}-v${m.version}`, chatUpdateText(m));
    }
    if (synced) return { done: 'attendees', outbound, ...counts };
    await markSynced(deps, m);
    return { done: 'synced', outbound, ...counts };
  });
}

async function reconcileAttendees(port: MeetingSyncPort, eventId: string, people: string[]): Promise<{ added: number; removed: number }> {
  const onEvent = await port.listAttendees(eventId);
  const have = new Set(onEvent.map((a) => a.openId));
  const want = new Set(people);
  const add = people.filter((o) => !have.has(o));
  const drop = onEvent.filter((a) => !want.has(a.openId)).map((a) => a.attendeeId);
  for (const batch of chunks(add, ATTENDEE_BATCH)) await port.addAttendees(eventId, batch);
  // Feishu: at most 500 attendees per batch_delete.
  for (const batch of chunks(drop, 500)) await port.removeAttendees(eventId, batch);
  return { added: add.length, removed: drop.length };
}

async function post(deps: MeetingSyncDeps, outbound: string[], chatId: string, dedupeKey: string, text: string): Promise<void> {
  const row = await addOutbound(deps.prisma, { kind: 'SEND', dedupeKey, receiveIdType: 'chat_id', receiveId: chatId, msgType: 'text', content: { text } });
  if (row.created) outbound.push(row.id);
}

async function markSynced(deps: MeetingSyncDeps, m: { id: string; version: number }): Promise<void> {
  await deps.prisma.meeting.updateMany({ where: { id: m.id, syncedVersion: { lt: m.version } }, data: { syncedVersion: m.version } });
}
