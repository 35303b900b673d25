// The worker's job schedulers and the jobs planned from PostgreSQL. Set up at start and again whenever
// Redis has lost its data (src/platform/redis-watch.ts): PostgreSQL is the source of truth, Redis only
// holds what can be planned again. Idempotent, and safe when several processes do it at once.
import type { AppContext } from './context.ts';
import { enqueue, upsertSchedule } from './platform/enqueue.ts';
import { SWEEP_EVERY_MS } from '../jobs/outbox-sweep.job.ts';
import { PLAN_EVERY_MS } from '../jobs/collection.job.ts';
import { TASK_PLAN_EVERY_MS, BULLETIN_PATTERN } from '../jobs/tasks.job.ts';
import { planEscalations } from '../jobs/lights.job.ts';
import { pendingEscalations } from './modules/lights/lights.service.ts';

export const SCHEDULER_IDS = ['outbox-sweep', 'collection-plan', 'task-plan', 'bulletin-monthly'] as const;

/** Creates or updates every job scheduler (upserting one twice keeps one). */
export async function ensureSchedules(ctx: Pick<AppContext, 'queues'>): Promise<void> {
  const { queues } = ctx;
  await upsertSchedule(queues, 'outbox-sweep', { every: SWEEP_EVERY_MS }, 'outbox.sweep.v1', {});
  // Reminders live in Redis as delayed jobs; planning again at start and every few minutes restores
  // anything lost and follows configuration changes.
  await upsertSchedule(queues, 'collection-plan', { every: PLAN_EVERY_MS }, 'collection.plan.v1', {});
  await upsertSchedule(queues, 'task-plan', { every: TASK_PLAN_EVERY_MS }, 'task.plan.v1', {});
  // Daily at 09:00 Beijing; the job itself sends only on the first workdays of a month.
  await upsertSchedule(queues, 'bulletin-monthly', BULLETIN_PATTERN, 'bulletin.monthly.v1', {});
}

/**
 * Plans collection steps and task reminders now; `sweep` also re-enqueues every pending outbox row whose
 * job is missing (after a Redis loss, however young the row). Processes asking at the same moment get one
 * job of each (deduplication for a few seconds).
 */
export async function planNow(ctx: Pick<AppContext, 'queues'>, opts: { sweep?: boolean } = {}): Promise<void> {
  const once = (id: string) => ({ deduplication: { id, ttl: 10_000 } });
  await enqueue(ctx.queues, 'collection.plan.v1', {}, once('plan-now-collection'));
  await enqueue(ctx.queues, 'task.plan.v1', {}, once('plan-now-tasks'));
  if (opts.sweep) await enqueue(ctx.queues, 'outbox.sweep.v1', { olderThanMs: 0 }, once('sweep-now'));
}

/**
 * A city that has figures but no lights yet (the demo history, a first import) is lit once, from its
 * latest closed period, so leaders see their domain's warnings from day one.
 */
export async function lightUpOnce(ctx: Pick<AppContext, 'queues' | 'prisma'>): Promise<void> {
  if ((await ctx.prisma.warning.count()) > 0) return;
  const latest = await ctx.prisma.reportingPeriod.findMany({
    where: { status: 'CLOSED', submissions: { some: {} } },
    orderBy: { endDate: 'desc' },
    distinct: ['cycleId'],
  });
  for (const p of latest) await enqueue(ctx.queues, 'lights.evaluate.v1', { periodId: p.id, batch: `initial-${p.id}` }, { jobId: `initial-lights-${p.id}` });
}

/**
 * After a Redis loss: the schedulers, a re-plan, a sweep and a first lighting still owed; the escalation
 * timers of unacknowledged reds; and the open periods' lights in full, since the coalesced evaluation's
 * notes and peer memory lived in Redis (a full evaluation rebuilds both).
 */
export async function restoreFromDatabase(ctx: Pick<AppContext, 'queues' | 'prisma' | 'clock'>): Promise<void> {
  await ensureSchedules(ctx);
  await planNow(ctx, { sweep: true });
  await lightUpOnce(ctx);
  await planEscalations(ctx.queues, await pendingEscalations(ctx.prisma), ctx.clock.now());
  const open = await ctx.prisma.reportingPeriod.findMany({ where: { status: 'OPEN', submissions: { some: {} } }, select: { id: true } });
  for (const p of open) {
    await enqueue(ctx.queues, 'lights.evaluate.v1', { periodId: p.id, batch: `restore-${p.id}-${ctx.clock.now().getTime()}` }, { deduplication: { id: `restore-lights-${p.id}`, ttl: 60_000 } });
  }
}
