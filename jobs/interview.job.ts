// Jobs after a meeting: meeting.after.v1 asks the organiser for the record when a meeting ends;
// interview.followup.v1 asks for the outcome of a 约谈's commitments on its 跟踪日期. Thin: the domain
// decides and writes the outbox in one transaction, these enqueue delivery.
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import { collectWritten } from '../src/outbox/written.ts';
import { askFollowUp, requestMeetingRecord } from '../src/modules/meetings/after-meeting.ts';
import type { JobHandlers } from './catalog.ts';
import type { MeetingJobDeps } from './meetings.job.ts';

export function interviewHandlers(deps: MeetingJobDeps): JobHandlers {
  return {
    'meeting.after.v1': async (p) => {
      const { result, written } = await collectWritten(() => deps.prisma.$transaction((tx) => requestMeetingRecord(tx, p.meetingId, p.version, deps.clock.now())));
      await enqueueOutbound(deps.queues, written.outbound);
      return result;
    },
    'interview.followup.v1': async (p) => {
      const { result, written } = await collectWritten(() => deps.prisma.$transaction((tx) => askFollowUp(tx, p.recordId)));
      await enqueueOutbound(deps.queues, written.outbound);
      return result;
    },
  };
}
