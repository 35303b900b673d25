// Jobs of tasks (交办事项): planning keeps each open task's reminders in the `domain` queue (a moved time
// changes the delay), a reminder fires one step, the bulletin goes out on the first workdays of a month.
// Thin: the domain decides and writes the outbox, these enqueue delivery.
// The names are not in jobs/catalog.ts yet: TASK_JOBS carries their schemas and options for it.
import { z } from 'zod';
import type { JobsOptions } from 'bullmq';
import type { PrismaClient } from '../src/platform/prisma.ts';
import type { Clock } from '../src/platform/clock.ts';
import type { Logger } from '../src/platform/logger.ts';
import type { Queues } from '../src/platform/queues.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import { fireTaskReminder, monthlyBulletin, planTaskReminders, type TaskReminderJob } from '../src/modules/tasks/tasks.service.ts';

const keep: JobsOptions = {
  removeOnComplete: { age: 24 * 3600, count: 20_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

export const TASK_JOBS = {
  /** Keeps the reminders of open tasks scheduled (the next week's). */
  'task.plan.v1': {
    queue: 'domain',
    schema: z.object({}),
    opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 200 }, attempts: 3, backoff: { type: 'exponential', delay: 5_000 } },
  },
  /** One reminder of a task. jobId = task-<taskId>-<kind>. */
  'task.remind.v1': {
    queue: 'domain',
    schema: z.object({ taskId: z.uuid(), kind: z.enum(['before', 'due', 'overdue']) }),
    opts: { ...keep, attempts: 5, backoff: { type: 'exponential', delay: 5_000 } },
  },
  /** The monthly 问效 bulletin; without a month, sent only on the first workdays of a month (for the month before). */
  'bulletin.monthly.v1': {
    queue: 'domain',
    schema: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional() }),
    opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 200 }, attempts: 3, backoff: { type: 'exponential', delay: 60_000 } },
  },
} as const satisfies Record<string, { queue: 'domain'; schema: z.ZodType; opts: JobsOptions }>;

export type TaskJobName = keyof typeof TASK_JOBS;

/** How often the plan should run by itself (schedule it like collection-plan). */
export const TASK_PLAN_EVERY_MS = 10 * 60_000;
/** The bulletin's schedule: every day at 09:00 Beijing; the domain decides whether today is a bulletin day. */
export const BULLETIN_PATTERN = { pattern: '0 9 * * *', tz: 'Asia/Shanghai' } as const;

export interface TaskJobDeps {
  prisma: PrismaClient;
  clock: Clock;
  logger: Logger;
  queues: Queues;
}

/** Adds each wanted reminder, moves one whose time changed (still waiting); a reminder already run stays done. */
export async function applyTaskPlan(queues: Queues, clock: Clock, jobs: TaskReminderJob[]): Promise<{ added: number; moved: number }> {
  const q = queues.domain;
  const def = TASK_JOBS['task.remind.v1'];
  const now = clock.now().getTime();
  const out = { added: 0, moved: 0 };
  for (const j of jobs) {
    if (j.jobId.includes(':')) throw new Error(`jobId "${j.jobId}" must not contain ':'`);
    const delay = Math.max(0, j.at.getTime() - now);
    const existing = await q.getJob(j.jobId);
    if (existing) {
      // BullMQ counts delays in wall-clock time, the plan in business time: compare what is left to wait.
      const left = existing.timestamp + (existing.delay ?? 0) - Date.now();
      if (j.at.getTime() <= now || Math.abs(left - delay) < 5_000 || (await existing.getState()) !== 'delayed') continue;
      await existing.remove();
      out.moved++;
    }
    await q.add('task.remind.v1', def.schema.parse(j.payload), { ...def.opts, jobId: j.jobId, delay });
    if (!existing) out.added++;
  }
  return out;
}

export async function runTaskPlan(deps: TaskJobDeps) {
  const plan = await planTaskReminders(deps);
  const applied = await applyTaskPlan(deps.queues, deps.clock, plan.jobs);
  if (applied.added || applied.moved) deps.logger.info(applied, '[tasks] reminders updated');
  if (plan.problems.length) deps.logger.error({ problems: plan.problems }, '[tasks] cannot plan reminders');
  return { ...applied, problems: plan.problems.length };
}

export function taskHandlers(deps: TaskJobDeps) {
  return {
    'task.plan.v1': async (job: { data: unknown }) => {
      TASK_JOBS['task.plan.v1'].schema.parse(job.data);
      return runTaskPlan(deps);
    },
    'task.remind.v1': async (job: { data: unknown }) => {
      const ids = await fireTaskReminder(deps, TASK_JOBS['task.remind.v1'].schema.parse(job.data));
      await enqueueOutbound(deps.queues, ids);
      return { sent: ids.length };
    },
    'bulletin.monthly.v1': async (job: { data: unknown }) => {
      const p = TASK_JOBS['bulletin.monthly.v1'].schema.parse(job.data);
      const ids = await monthlyBulletin(deps, p.month ? { month: p.month } : {});
      await enqueueOutbound(deps.queues, ids);
      if (ids.length) deps.logger.info({ sent: ids.length, month: p.month }, '[tasks] bulletin sent');
      return { sent: ids.length };
    },
  } satisfies Record<TaskJobName, (job: { data: unknown }) => Promise<unknown>>;
}
