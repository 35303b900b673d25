// Jobs: ranking (issue 10).
import type { JobHandlers } from './catalog.ts';
import type { MeetingJobDeps } from './meetings.job.ts';

export function rankingHandlers(_deps: MeetingJobDeps): JobHandlers {
  return {};
}
