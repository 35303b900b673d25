// Jobs: meeting-sync (issue 10).
import type { JobHandlers } from './catalog.ts';
import type { MeetingJobDeps } from './meetings.job.ts';

export function meetingSyncHandlers(_deps: MeetingJobDeps): JobHandlers {
  return {};
}
