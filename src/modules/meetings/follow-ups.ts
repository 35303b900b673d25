// Meetings: the background work a change of a meeting starts, written in the command's transaction
// (FollowUp rows, enqueued after commit). Job ids carry the meeting's version: a job of an older
// version finds the meeting moved on and does nothing.
import type { Tx } from '../../platform/prisma.ts';
import { addFollowUp } from '../../outbox/follow-ups.ts';

/** Brings the Feishu calendar event and the group chat in line with the row (jobs/meeting-sync.job.ts). */
export function syncLater(tx: Tx, m: { id: string; version: number }) {
  return addFollowUp(tx, { name: 'meeting.sync.v1', payload: { meetingId: m.id, version: m.version }, jobId: `msync-${m.id}-v${m.version}` });
}

/**
 * An answer changed who attends (a delegate in a person's place) without a new version: the event's
 * people follow. `cause` names the answer (its audit row), so each answer is one job.
 */
export function syncAttendeesLater(tx: Tx, m: { id: string; version: number }, cause: string) {
  return addFollowUp(tx, { name: 'meeting.sync.v1', payload: { meetingId: m.id, version: m.version, attendees: true }, jobId: `msync-${m.id}-v${m.version}-${cause}` });
}

/** When the meeting ends, the organiser is asked for the record (jobs/interview.job.ts). */
export function afterMeetingLater(tx: Tx, m: { id: string; version: number; endsAt: Date }) {
  return addFollowUp(tx, { name: 'meeting.after.v1', payload: { meetingId: m.id, version: m.version }, jobId: `mafter-${m.id}-v${m.version}`, runAt: m.endsAt });
}
