// Jobs: meeting-remind (issue 10).
import type { JobHandlers } from './catalog.ts';
import type { MeetingJobDeps } from './meetings.job.ts';

export function meetingRemindHandlers(_deps: MeetingJobDeps): JobHandlers {
  return {};
}
