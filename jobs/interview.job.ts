// Jobs: interview (issue 10).
import type { JobHandlers } from './catalog.ts';
import type { MeetingJobDeps } from './meetings.job.ts';

export function interviewHandlers(_deps: MeetingJobDeps): JobHandlers {
  return {};
}
