// Jobs: meeting-remind — the reminder a day before and an hour before a meeting (issue 10). A job of an
// older version, or of a meeting cancelled or held, does nothing; a late job (the worker was down) whose
// moment has passed is dropped rather than sent out of time.
import type { Prisma } from '../src/generated/prisma/client.ts';
import type { PrismaClient } from '../src/platform/prisma.ts';
import type { Clock } from '../src/platform/clock.ts';
import { addOutbound } from '../src/outbox/outbox.service.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import { loadInviteMeeting, personLabel, reminderTimes, whenOf, type ReminderKind } from '../src/modules/meetings/invitations.ts';
import { meetingReminderCard, type AttendeeRoleWord } from '../cards/meeting-invite.ts';
import type { MeetingKindWord } from '../cards/meeting.ts';
import type { JobHandlers, JobPayload } from './catalog.ts';
import type { MeetingJobDeps } from './meetings.job.ts';

/** Writes the reminders (one per person, dedupe key by meeting + version + kind + person); returns the new outbound ids. */
export async function fireMeetingReminder(deps: { prisma: PrismaClient; clock: Clock }, p: JobPayload<'meeting.remind.v1'>): Promise<string[]> {
  const now = deps.clock.now();
  return deps.prisma.$transaction(async (tx) => {
    const m = await loadInviteMeeting(tx, p.meetingId);
    if (!m || m.version !== p.version || m.status !== 'SCHEDULED' || m.startsAt <= now) return [];
    // The day-before reminder arriving after the hour-before one's time would only repeat it.
    if (p.kind === 'day' && now >= reminderTimes(m.startsAt).hour) return [];
    const base = { no: m.no, kind: m.kind as MeetingKindWord, title: m.title, whenLabel: whenOf(m), location: m.location ?? '', at: p.kind as ReminderKind };
    const ids: string[] = [];
    for (const a of m.attendees) {
      if (a.rsvp === 'DECLINED') continue;
      const unitName = a.unit ? (a.unit.shortName ?? a.unit.name) : undefined;
      const seat = { role: a.role as AttendeeRoleWord, ...(unitName ? { unitName } : {}) };
      let to: { id: string; openId: string | null; active: boolean } = a.person;
      let card;
      if (a.rsvp === 'DELEGATED' && a.delegate?.openId && a.delegate.active) {
        to = a.delegate;
        card = meetingReminderCard({ ...base, ...seat, pending: false, onBehalfOf: personLabel(a) });
      } else if (a.rsvp === 'DELEGATED') {
        // A delegate not in the directory cannot be reached: the one who named them passes it on.
        card = meetingReminderCard({ ...base, ...seat, pending: false, delegatedTo: a.delegateName ?? '' });
      } else card = meetingReminderCard({ ...base, ...seat, pending: a.rsvp === 'PENDING' });
      if (!to.openId || !to.active) continue;
      const row = await addOutbound(tx, {
        kind: 'SEND',
        dedupeKey: `mrem-${m.id}-v${m.version}-${p.kind}-${to.id}`,
        receiveIdType: 'open_id',
        receiveId: to.openId,
        msgType: 'interactive',
        content: card as unknown as Prisma.InputJsonValue,
      });
      if (row.created) ids.push(row.id);
    }
    return ids;
  });
}

export function meetingRemindHandlers(deps: MeetingJobDeps): JobHandlers {
  return {
    'meeting.remind.v1': async (p) => {
      const ids = await fireMeetingReminder(deps, p);
      await enqueueOutbound(deps.queues, ids);
      if (ids.length) deps.logger.info({ meetingId: p.meetingId, version: p.version, kind: p.kind, sent: ids.length }, '[meetings] reminders sent');
      return { sent: ids.length };
    },
  };
}
