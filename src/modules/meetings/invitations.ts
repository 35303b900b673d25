// Meetings: what attendees hear — invitations with 参加 / 请假并委派, notices of a new time or a
// cancellation, seat notices of the monthly meeting, and the reminders (a day and an hour before).
//
// Decisions:
// - A new time resets every answer (hosts included) to PENDING and drops the delegations: an answer was
//   given for the old time. Everyone gets the notice with the buttons again; a named delegate hears it too.
// - Reminders: 'day' at 16:00 Beijing on the day before (in office hours, after the day's work is planned),
//   'hour' one hour before the start; a time already past when the meeting is confirmed is skipped.
// - Dedupe keys carry meeting id + version + person, so a retried transaction or a redelivered command
//   sends nothing twice; the cards of older versions are turned into 「会议时间已变更」 cards.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Tx } from '../../platform/prisma.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { addFollowUp } from '../../outbox/follow-ups.ts';
import { beijingDate } from '../../platform/business-time.ts';
import type { Card } from '../../../cards/card.ts';
import type { MeetingKindWord } from '../../../cards/meeting.ts';
import {
  meetingCancelledCard,
  meetingDelegateCard,
  meetingInviteCard,
  meetingStaleCard,
  ROLE_LABELS,
  type AttendeeRoleWord,
  type MeetingInviteView,
  type RsvpWord,
} from '../../../cards/meeting-invite.ts';
import { formatWhen } from './when.ts';

export type MeetingChange = 'scheduled' | 'rescheduled' | 'cancelled';
export type ReminderKind = 'day' | 'hour';

const json = (c: Card) => c as unknown as Prisma.InputJsonValue;
const HOUR = 3_600_000;
const DAY_REMINDER_TIME = '16:00';

export const inviteInclude = {
  attendees: { include: { person: true, unit: true, delegate: true }, orderBy: [{ role: 'asc' }, { person: { code: 'asc' } }] },
  organiser: true,
} satisfies Prisma.MeetingInclude;
export type InviteMeeting = Prisma.MeetingGetPayload<{ include: typeof inviteInclude }>;
export type InviteAttendee = InviteMeeting['attendees'][number];

export const loadInviteMeeting = (tx: Tx, id: string) => tx.meeting.findUnique({ where: { id }, include: inviteInclude });

/** Dedupe key of the card a person gets for a version; the delegate's copy has its own. */
export const inviteKey = (meetingId: string, version: number, personId: string, delegate = false) => `minv-${meetingId}-v${version}-${personId}${delegate ? '-d' : ''}`;
export const remindJobId = (meetingId: string, kind: ReminderKind, version: number) => `mrem-${meetingId}-${kind}-v${version}`;

/** When each reminder goes: 16:00 Beijing the day before, and one hour before the start. */
export function reminderTimes(startsAt: Date): Record<ReminderKind, Date> {
  const dayBefore = beijingDate(new Date(startsAt.getTime() - 24 * HOUR));
  return { day: new Date(`${dayBefore}T${DAY_REMINDER_TIME}:00+08:00`), hour: new Date(startsAt.getTime() - HOUR) };
}

const unitLabel = (u: { name: string; shortName: string | null } | null) => (u ? (u.shortName ?? u.name) : undefined);
export const personLabel = (a: InviteAttendee) => `${unitLabel(a.unit) ? `${unitLabel(a.unit)} ` : ''}${a.person.name}${a.person.title ? `（${a.person.title}）` : ''}`;
export const whenOf = (m: { startsAt: Date; endsAt: Date }) => formatWhen(m.startsAt, m.endsAt);

/** The invitation as this attendee sees it, with their answer. */
export function inviteViewOf(m: InviteMeeting, a: InviteAttendee, now: Date, previous?: { startsAt: Date; endsAt: Date }): MeetingInviteView {
  const u = unitLabel(a.unit);
  return {
    meetingId: m.id,
    version: m.version,
    no: m.no,
    kind: m.kind as MeetingKindWord,
    title: m.title,
    whenLabel: whenOf(m),
    ...(previous ? { previousWhen: whenOf(previous) } : {}),
    location: m.location ?? '',
    role: a.role as AttendeeRoleWord,
    ...(u ? { unitName: u } : {}),
    agenda: m.agenda ?? '',
    reasons: Array.isArray(m.reasons) ? (m.reasons as string[]) : [],
    organiser: m.organiser?.name ?? '经济运行例会办公室',
    attendees: m.attendees.map((x) => `${ROLE_LABELS[x.role as AttendeeRoleWord]}：${personLabel(x)}`),
    rsvp: a.rsvp as RsvpWord,
    ...(a.delegateName ? { delegateName: a.delegateName } : {}),
    ...(a.leaveReason ? { leaveReason: a.leaveReason } : {}),
    open: m.status === 'SCHEDULED' && m.startsAt > now,
  };
}

export function delegateCardOf(m: InviteMeeting, a: InviteAttendee, now: Date, previous?: { startsAt: Date; endsAt: Date }): Card {
  const { meetingId: _m, version: _v, rsvp: _r, delegateName: _d, open: _o, ...rest } = inviteViewOf(m, a, now, previous);
  return meetingDelegateCard({ ...rest, delegatedBy: personLabel(a) });
}

/**
 * Writes, in the caller's transaction, the cards every attendee (and delegate) gets for this change of
 * the meeting at its current version, and for 'scheduled' / 'rescheduled' the reminder follow-ups.
 */
export async function announceMeeting(tx: Tx, meetingId: string, change: MeetingChange, at: { now: Date; by: string; previous?: { startsAt: Date; endsAt: Date } }): Promise<void> {
  const before = await loadInviteMeeting(tx, meetingId);
  if (!before) return;
  // The delegates named for the old time hear of the change, then the answers start again.
  const delegated = before.attendees.filter((a) => a.rsvp === 'DELEGATED' && a.delegate?.openId && a.delegate.active);
  if (change === 'rescheduled') {
    await tx.meetingAttendee.updateMany({ where: { meetingId }, data: { rsvp: 'PENDING', respondedAt: null, delegateName: null, delegateId: null, leaveReason: null } });
  }
  const m = change === 'rescheduled' ? (await loadInviteMeeting(tx, meetingId))! : before;
  await retireOldCards(tx, m);

  const send = (key: string, openId: string, card: Card) => addOutbound(tx, { kind: 'SEND', dedupeKey: key, receiveIdType: 'open_id', receiveId: openId, msgType: 'interactive', content: json(card) });
  if (change === 'cancelled') {
    const card = meetingCancelledCard({
      no: m.no,
      kind: m.kind as MeetingKindWord,
      title: m.title,
      whenLabel: whenOf(m),
      location: m.location ?? '',
      ...(m.cancelReason ? { reason: m.cancelReason } : {}),
      by: `${at.by}（经济运行例会办公室）`,
    });
    for (const a of m.attendees) if (a.person.openId && a.person.active) await send(inviteKey(m.id, m.version, a.personId), a.person.openId, card);
    for (const a of delegated) await send(inviteKey(m.id, m.version, a.delegateId!, true), a.delegate!.openId!, card);
    return;
  }

  const previous = change === 'rescheduled' ? at.previous : undefined;
  for (const a of m.attendees) {
    if (!a.person.openId || !a.person.active) continue;
    await send(inviteKey(m.id, m.version, a.personId), a.person.openId, meetingInviteCard(inviteViewOf(m, a, at.now, previous)));
  }
  for (const old of delegated) {
    const a = m.attendees.find((x) => x.personId === old.personId);
    if (a) await send(inviteKey(m.id, m.version, old.delegateId!, true), old.delegate!.openId!, delegateCardOf(m, a, at.now, previous));
  }
  for (const [kind, runAt] of Object.entries(reminderTimes(m.startsAt)) as [ReminderKind, Date][]) {
    if (runAt <= at.now) continue;
    await addFollowUp(tx, { name: 'meeting.remind.v1', payload: { meetingId: m.id, version: m.version, kind }, jobId: remindJobId(m.id, kind, m.version), runAt });
  }
}

/** Invitation cards of older versions: sent ones say 「会议时间已变更」, unsent ones are not sent at all. */
async function retireOldCards(tx: Tx, m: InviteMeeting): Promise<void> {
  const rows = await tx.outboundMessage.findMany({ where: { kind: 'SEND', dedupeKey: { startsWith: `minv-${m.id}-v` }, NOT: { dedupeKey: { startsWith: `minv-${m.id}-v${m.version}-` } } } });
  const stale = json(meetingStaleCard({ kind: m.kind as MeetingKindWord, title: m.title, cancelled: m.status === 'CANCELLED' }));
  for (const r of rows) {
    if (r.status === 'PENDING') await tx.outboundMessage.updateMany({ where: { id: r.id, status: 'PENDING' }, data: { status: 'CANCELLED' } });
    else if (r.status === 'SENT' && r.feishuMessageId) await addOutbound(tx, { kind: 'UPDATE_CARD', dedupeKey: `mstale-${r.id}`, targetMessageId: r.feishuMessageId, content: stale });
  }
}
