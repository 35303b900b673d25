// Meetings: what attendees hear — invitations with 参加 / 请假并委派, notices of a new time or a
// cancellation, seat notices of the monthly meeting, and the reminders (a day and an hour before).
import type { Tx } from '../../platform/prisma.ts';

export type MeetingChange = 'scheduled' | 'rescheduled' | 'cancelled';

/**
 * Writes, in the caller's transaction, the cards every attendee (and delegate) gets for this change of
 * the meeting at its current version, and for 'scheduled' / 'rescheduled' the reminder follow-ups.
 */
export async function announceMeeting(_tx: Tx, _meetingId: string, _change: MeetingChange, _at: { now: Date; by: string }): Promise<void> {
  // TODO(issue 10): invitations.
}
