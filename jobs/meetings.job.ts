// Jobs of meetings: each feature's handlers put together for the worker.
import type { PrismaClient } from '../src/platform/prisma.ts';
import type { Clock } from '../src/platform/clock.ts';
import type { Logger } from '../src/platform/logger.ts';
import type { Queues } from '../src/platform/queues.ts';
import type { FeishuClient } from '../src/feishu/client.ts';
import type { JobHandlers } from './catalog.ts';
import { meetingSyncHandlers } from './meeting-sync.job.ts';
import { meetingRemindHandlers } from './meeting-remind.job.ts';
import { interviewHandlers } from './interview.job.ts';
import { rankingHandlers } from './ranking.job.ts';
import { reportHandlers } from './report.job.ts';

export interface MeetingJobDeps {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  queues: Queues;
  feishu: FeishuClient;
}

export function meetingsHandlers(deps: MeetingJobDeps): JobHandlers {
  return { ...meetingSyncHandlers(deps), ...meetingRemindHandlers(deps), ...interviewHandlers(deps), ...rankingHandlers(deps), ...reportHandlers(deps) };
}
