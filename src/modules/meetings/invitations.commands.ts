// Meetings: invitations — 参加 / 请假并委派 on an invitation card.
//
// Decisions:
// - Only the invited person answers (their card is theirs alone); anyone else is refused.
// - The same answer twice is one answer (nothing written, nobody told again); a changed answer is allowed
//   until the meeting starts. An answer on an older version's card changes nothing.
// - The organiser who scheduled the meeting hears leaves with their delegate, and a return from leave to
//   参加 — not every acceptance. A delegate found in the directory by exact name gets a notice.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { MeetingsCard } from '../../commands/command.ts';
import { toast, type HandlerTable, type Outcome, type UseCase } from '../shared/outcome.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { organisers } from '../people/people.service.ts';
import type { Card } from '../../../cards/card.ts';
import type { MeetingKindWord } from '../../../cards/meeting.ts';
import { meetingInviteCard, meetingLeaveNoticeCard, meetingStaleCard, STALE_VERSION, type AttendeeRoleWord } from '../../../cards/meeting-invite.ts';
import { delegateCardOf, inviteKey, inviteViewOf, loadInviteMeeting, personLabel, whenOf, type InviteAttendee } from './invitations.ts';
import { syncAttendeesLater } from './follow-ups.ts';

type C<K extends MeetingsCard['kind']> = Extract<MeetingsCard, { kind: K }>;
const json = (c: Card) => c as unknown as Prisma.InputJsonValue;

const answer: UseCase<C<'meeting.rsvp'>> = async (cmd, ctx) => {
  const { tx, actor, now } = ctx;
  // Two clicks of one person are ordered: the second sees the first's answer.
  await tx.$queryRaw`SELECT id FROM "MeetingAttendee" WHERE "meetingId" = ${cmd.meetingId}::uuid AND "personId" = ${actor.personId}::uuid FOR UPDATE`;
  const m = await loadInviteMeeting(tx, cmd.meetingId);
  if (!m) return toast('warning', '找不到这项会议，可能已撤销。请以最新通知为准。');
  const a = m.attendees.find((x) => x.personId === actor.personId);
  if (!a) return toast('error', '这份邀请不是发给您的，只有受邀本人可以回复。');
  const kind = m.kind as MeetingKindWord;
  if (m.status === 'CANCELLED') return { toast: { type: 'info', content: '会议已取消，无需回复' }, card: meetingStaleCard({ kind, title: m.title, cancelled: true }) };
  if (cmd.version !== m.version) return { toast: { type: 'warning', content: STALE_VERSION }, card: meetingStaleCard({ kind, title: m.title }) };
  if (m.status !== 'SCHEDULED' || m.startsAt <= now) return { toast: { type: 'warning', content: '会议已开始或已结束，回复不能再更改。' }, card: meetingInviteCard(inviteViewOf(m, a, now)) };

  let data: Prisma.MeetingAttendeeUpdateInput;
  let delegate: { id: string; openId: string | null; active: boolean } | undefined;
  if (cmd.accept) {
    if (a.rsvp === 'ACCEPTED') return same(m, a, now, '您已确认参加');
    data = { rsvp: 'ACCEPTED', respondedAt: now, delegateName: null, delegate: { disconnect: true }, leaveReason: null };
  } else {
    const name = (cmd.delegate ?? '').trim();
    if (!name) return toast('error', '请假需委派他人参加：请填写委派人姓名后再点「请假并委派」。');
    if (name === actor.name) return toast('error', '委派人不能是您本人：请填写代您参加的同志姓名。');
    const reason = cmd.reason?.trim() || null;
    if (a.rsvp === 'DELEGATED' && a.delegateName === name && (a.leaveReason ?? null) === reason) return same(m, a, now, `已请假，委派 ${name} 参加`);
    // A name that matches exactly one person in the directory is linked (and notified); otherwise kept as written.
    const found = await tx.person.findMany({ where: { name, active: true, id: { not: actor.personId } }, take: 2 });
    delegate = found.length === 1 ? found[0]! : undefined;
    data = { rsvp: 'DELEGATED', respondedAt: now, delegateName: name, delegate: delegate ? { connect: { id: delegate.id } } : { disconnect: true }, leaveReason: reason };
  }
  const was = a.rsvp;
  await tx.meetingAttendee.update({ where: { id: a.id }, data });
  const audit = await tx.auditLog.create({ data: { at: now, actorId: actor.personId, action: 'meeting.rsvp', entity: 'Meeting', entityId: m.id, data: { version: m.version, rsvp: cmd.accept ? 'ACCEPTED' : 'DELEGATED', delegate: cmd.delegate ?? null, was } } });
  const fresh = (await loadInviteMeeting(tx, m.id))!;
  const me = fresh.attendees.find((x) => x.id === a.id)!;
  // The calendar event has the delegate in the person's place: it follows the answer.
  if (calendarPerson(a) !== calendarPerson(me)) await syncAttendeesLater(tx, m, `r${audit.id}`);

  if (delegate?.openId && delegate.active) {
    await addOutbound(tx, { kind: 'SEND', dedupeKey: inviteKey(m.id, m.version, delegate.id, true), receiveIdType: 'open_id', receiveId: delegate.openId, msgType: 'interactive', content: json(delegateCardOf(fresh, me, now)) });
  }
  // The organiser hears leaves, and a return from leave; a plain acceptance is only counted.
  if (!cmd.accept || was === 'DELEGATED' || was === 'DECLINED') {
    const notice = meetingLeaveNoticeCard({
      no: m.no,
      kind,
      title: m.title,
      whenLabel: whenOf(m),
      person: personLabel(me),
      role: me.role as AttendeeRoleWord,
      rsvp: me.rsvp,
      ...(me.delegateName ? { delegateName: me.delegateName, delegateKnown: !!me.delegateId } : {}),
      ...(me.leaveReason ? { leaveReason: me.leaveReason } : {}),
    });
    const to = m.organiser?.openId && m.organiser.active ? [m.organiser] : await organisers(tx);
    for (const o of to) {
      if (o.id === actor.personId) continue;
      await addOutbound(tx, { kind: 'SEND', dedupeKey: `mleave-${a.id}-${o.id}-${now.getTime()}`, receiveIdType: 'open_id', receiveId: o.openId!, msgType: 'interactive', content: json(notice) });
    }
  }
  const done = cmd.accept ? '已确认参加' : `已请假，委派 ${me.delegateName} 参加${delegate?.openId ? '（已通知本人）' : ''}`;
  return { toast: { type: 'success', content: done }, card: meetingInviteCard(inviteViewOf(fresh, me, now)) };
};

/** Who is on the calendar event for this invitation (meeting-sync.ts calendarPeople). */
const calendarPerson = (a: InviteAttendee) => (a.rsvp === 'DELEGATED' && a.delegate?.openId && a.delegate.active ? a.delegate.id : a.personId);

/** The answer stands already: the card shows it, nothing is written. */
function same(m: Parameters<typeof inviteViewOf>[0], a: Parameters<typeof inviteViewOf>[1], now: Date, words: string): Outcome {
  return { toast: { type: 'info', content: words }, card: meetingInviteCard(inviteViewOf(m, a, now)) };
}

export const invitationCards: HandlerTable<C<'meeting.rsvp'>> = {
  'meeting.rsvp': answer,
};
