// Jobs of tasks (交办事项): planning keeps each open task's reminders in the `domain` queue (a moved time
// changes the delay), a reminder fires one step, the bulletin goes out on the first workdays of a month.
// Thin: the domain decides and writes the outbox, these enqueue delivery.
import type { PrismaClient } from '../src/platform/prisma.ts';
import type { Clock } from '../src/platform/clock.ts';
import type { Logger } from '../src/platform/logger.ts';
import type { Queues } from '../src/platform/queues.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import type { JobHandlers } from './catalog.ts';
import { fireTaskReminder, planTaskReminders } from '../src/modules/tasks/task-reminders.ts';
import { monthlyBulletin } from '../src/modules/tasks/bulletin.ts';
import { applyPlan } from './collection.job.ts';

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

export async function runTaskPlan(deps: TaskJobDeps) {
  const plan = await planTaskReminders(deps);
  const applied = await applyPlan(deps.queues, deps.clock, plan.jobs.map((j) => ({ ...j, name: 'task.remind.v1' as const })));
  if (applied.added || applied.moved) deps.logger.info(applied, '[tasks] reminders updated');
  if (plan.problems.length) deps.logger.error({ problems: plan.problems }, '[tasks] cannot plan reminders');
  return { ...applied, problems: plan.problems.length };
}

export function taskHandlers(deps: TaskJobDeps) {
  return {
    'task.plan.v1': () => runTaskPlan(deps),
    'task.remind.v1': async (p) => {
      const ids = await fireTaskReminder(deps, p);
      await enqueueOutbound(deps.queues, ids);
      return { sent: ids.length };
    },
    'bulletin.monthly.v1': async (p) => {
      const ids = await monthlyBulletin(deps, p.month ? { month: p.month } : {});
      await enqueueOutbound(deps.queues, ids);
      if (ids.length) deps.logger.info({ sent: ids.length, month: p.month }, '[tasks] bulletin sent');
      return { sent: ids.length };
    },
  } satisfies JobHandlers;
}
