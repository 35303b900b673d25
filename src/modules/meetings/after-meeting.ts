// Meetings: after a meeting ends (jobs/interview.job.ts) the organiser who scheduled it is asked, once,
// for the record — a 约谈's record form (记入档案), or the 已召开 card of a 专题会 / 例会. On a 约谈's
// 跟踪日期 the organiser is asked for the outcome of the commitments.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Tx } from '../../platform/prisma.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import type { Card } from '../../../cards/card.ts';
import { KIND_WORDS } from '../../../cards/meeting.ts';
import { interviewFollowUpCard, interviewRecordFormCard, meetingHeldCard } from '../../../cards/meeting-record.ts';
import { beijingDate } from '../../platform/business-time.ts';
import { loadMeeting, whenLabelOf, type LoadedMeeting, type MeetingKind } from './scheduling.ts';
import { dayLabel, loadRecordView, rankingNoteOf, reasonsOf } from './archive.ts';

const json = (c: Card) => c as unknown as Prisma.InputJsonValue;
const DAY = 24 * 3600_000;
/** The 跟踪日期 the record form suggests: a month after the talk. */
const SUGGESTED_FOLLOW_UP_DAYS = 30;

const personLine = (p: { name: string; title: string | null }) => `${p.name}${p.title ? `（${p.title}）` : ''}`;

/** The prefills of the record form: the person talked to (their delegate when they sent one) and the hosts. */
export function prefillsOf(m: LoadedMeeting): { interviewee: string; interviewers: string; intervieweeId: string | null } {
  const a = m.attendees.find((x) => x.role === 'INTERVIEWEE');
  const delegate = a?.rsvp === 'DELEGATED' && a.delegateName ? a.delegateName : '';
  return {
    interviewee: a ? delegate || personLine(a.person) : '',
    intervieweeId: a ? (delegate ? a.delegateId : a.personId) : null,
    interviewers: m.attendees.filter((x) => x.role === 'HOST').map((x) => personLine(x.person)).join('、'),
  };
}

async function unitNameOf(tx: Tx, m: LoadedMeeting): Promise<string> {
  const u = m.unitId ? await tx.unit.findUnique({ where: { id: m.unitId } }) : m.attendees.find((a) => a.role === 'INTERVIEWEE')?.unit;
  return u ? (u.shortName ?? u.name) : m.title;
}

export type RecordRequest = { sent: true } | { sent: false; why: 'gone' | 'stale' | 'not-scheduled' | 'asked' | 'no-organiser' };

/**
 * meeting.after.v1: asks the organiser for the record of a meeting that has ended. A job of an older
 * version (rescheduled, cancelled) or a second run does nothing; the question goes out once.
 */
export async function requestMeetingRecord(tx: Tx, meetingId: string, version: number, now: Date): Promise<RecordRequest> {
  const m = await loadMeeting(tx, { id: meetingId });
  if (!m) return { sent: false, why: 'gone' };
  if (m.version !== version) return { sent: false, why: 'stale' };
  if (m.status !== 'SCHEDULED') return { sent: false, why: 'not-scheduled' };
  if (m.recordRequestedAt) return { sent: false, why: 'asked' };
  if (!m.organiser?.openId) return { sent: false, why: 'no-organiser' };
  // Conditional: two runs racing cannot both ask.
  const { count } = await tx.meeting.updateMany({ where: { id: m.id, version, recordRequestedAt: null }, data: { recordRequestedAt: now } });
  if (count === 0) return { sent: false, why: 'asked' };
  let content: Card;
  if (m.kind === 'INTERVIEW') {
    const p = prefillsOf(m);
    const rankingNote = await rankingNoteOf(tx, m);
    content = interviewRecordFormCard({
      meetingId: m.id,
      no: m.no,
      title: m.title,
      unitName: await unitNameOf(tx, m),
      whenLabel: whenLabelOf(m),
      reasons: reasonsOf(m),
      ...(rankingNote ? { rankingNote } : {}),
      interviewee: p.interviewee,
      interviewers: p.interviewers,
      followUpDate: beijingDate(new Date(m.startsAt.getTime() + SUGGESTED_FOLLOW_UP_DAYS * DAY)),
    });
  } else {
    content = meetingHeldCard({ meetingId: m.id, no: m.no, kindWord: KIND_WORDS[m.kind as MeetingKind], title: m.title, whenLabel: whenLabelOf(m) });
  }
  await addOutbound(tx, { kind: 'SEND', dedupeKey: `mrecord-${m.id}`, receiveIdType: 'open_id', receiveId: m.organiser.openId, msgType: 'interactive', content: json(content) });
  return { sent: true };
}

/** interview.followup.v1: on the 跟踪日期, the organiser (else the one who filed it) is asked for the outcome. */
export async function askFollowUp(tx: Tx, recordId: string): Promise<{ sent: boolean }> {
  const r = await tx.interviewRecord.findUnique({ where: { id: recordId }, include: { meeting: { include: { organiser: true } }, recordedBy: true } });
  if (!r?.followUpDate) return { sent: false };
  const to = r.meeting.organiser?.openId ?? r.recordedBy?.openId;
  if (!to) return { sent: false };
  const view = await loadRecordView(tx, recordId);
  if (!view) return { sent: false };
  const content = interviewFollowUpCard({
    recordId,
    title: view.title,
    unitName: view.unitName,
    interviewee: view.interviewee,
    heldLabel: view.heldLabel,
    commitments: view.commitments,
    followUpLabel: dayLabel(r.followUpDate),
    outcomes: view.outcomes,
  });
  const row = await addOutbound(tx, { kind: 'SEND', dedupeKey: `ifollow-${recordId}`, receiveIdType: 'open_id', receiveId: to, msgType: 'interactive', content: json(content) });
  return { sent: row.created };
}
