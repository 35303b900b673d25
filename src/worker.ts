// Composition root of the worker: BullMQ workers for the `outbound` queue (the single path to Feishu,
// rate-limited below the app quota, paced per receiver) and the `domain` queue, plus the system schedulers.
import { Worker, type Job } from 'bullmq';
import type { AppContext } from './context.ts';
import type { FeishuSettings } from './feishu/settings.ts';
import { createFeishuClient, type FeishuClient } from './feishu/client.ts';
import { receiverPace } from './platform/pace.ts';
import { parsePayload } from './platform/enqueue.ts';
import { watchRedisLoss, type RedisWatch } from './platform/redis-watch.ts';
import { ensureSchedules, lightUpOnce, planNow, restoreFromDatabase } from './schedules.ts';
import { deliverOutbound } from '../jobs/outbound-deliver.job.ts';
import { sweepOutbox } from '../jobs/outbox-sweep.job.ts';
import { jobsOfQueue, type JobHandler, type JobHandlers, type JobName } from '../jobs/catalog.ts';
import { collectionHandlers } from '../jobs/collection.job.ts';
import { lightsHandlers } from '../jobs/lights.job.ts';
import { taskHandlers } from '../jobs/tasks.job.ts';
import { meetingsHandlers } from '../jobs/meetings.job.ts';
import { markFollowUpDone } from './outbox/follow-ups.enqueue.ts';

export interface RunningWorker {
  feishu: FeishuClient;
  outbound: Worker;
  domain: Worker;
  /** The Redis loss check (sentinel key, reconnects). */
  redisWatch: RedisWatch;
}

/**
 * BullMQ's limiter counts in back-to-back windows, so one second can see up to twice the `max` of a
 * one-second window (measured: 35 in a second at max 20) — at the default 40/s, 80 against Feishu's 50.
 * Windows of ~100 ms keep every second within 10 % of the rate (40/s → 4 per 100 ms: at most 44).
 * The price: after a 429 pause the queue restarts at the rate, not with a burst of a whole second.
 */
export function limiterFor(ratePerSecond: number): { max: number; duration: number } {
  const max = Math.max(1, Math.round(ratePerSecond / 10));
  return { max, duration: Math.round((1_000 * max) / ratePerSecond) };
}


export async function startWorker(
  ctx: AppContext,
  opts: { feishu: FeishuSettings; domainHandlers?: JobHandlers },
): Promise<RunningWorker> {
  const { env, logger } = ctx;
  const feishu = createFeishuClient({ ...opts.feishu, logger });
  const deliverDeps = {
    prisma: ctx.prisma,
    clock: ctx.clock,
    logger: logger.child({ module: 'outbound' }),
    feishu,
    queue: ctx.queues.outbound,
    pace: receiverPace(ctx.redis, { prefix: env.QUEUE_PREFIX, perSecond: env.OUTBOUND_PER_RECEIVER_PER_SECOND }),
  };
  const outbound = new Worker('outbound', (job: Job, token?: string) => deliverOutbound(deliverDeps, job, token), {
    connection: ctx.workerRedis(),
    prefix: env.QUEUE_PREFIX,
    concurrency: env.OUTBOUND_CONCURRENCY,
    lockDuration: env.OUTBOUND_LOCK_MS,
    stalledInterval: env.OUTBOUND_STALLED_CHECK_MS,
    // Below Feishu's 50/s per app and API; a 429 still pauses the queue (deliverOutbound).
    limiter: limiterFor(env.OUTBOUND_RATE_PER_SECOND),
  });

  const domainHandlers: JobHandlers = {
    'outbox.sweep.v1': (p) => sweepOutbox({ prisma: ctx.prisma, queues: ctx.queues, clock: ctx.clock }, p.olderThanMs),
    ...collectionHandlers({ prisma: ctx.prisma, clock: ctx.clock, logger: logger.child({ module: 'collection' }), queues: ctx.queues, feishu }),
    ...lightsHandlers({ prisma: ctx.prisma, clock: ctx.clock, logger: logger.child({ module: 'lights' }), queues: ctx.queues }),
    ...taskHandlers({ prisma: ctx.prisma, clock: ctx.clock, logger: logger.child({ module: 'tasks' }), queues: ctx.queues }),
    ...meetingsHandlers({ prisma: ctx.prisma, clock: ctx.clock, logger: logger.child({ module: 'meetings' }), queues: ctx.queues, feishu }),
    ...opts.domainHandlers,
  };
  const domainJobs = new Set<string>(jobsOfQueue('domain'));
  const domain = new Worker(
    'domain',
    async (job: Job) => {
      const name = job.name as JobName;
      const handler = (domainJobs.has(job.name) ? domainHandlers[name] : undefined) as JobHandler<JobName> | undefined;
      if (!handler) throw new Error(`no handler for job ${job.name}`);
      // Parsed once, here: a job added by an older or foreign producer fails loudly.
      const result = await handler(parsePayload(name, job.data), job);
      // A follow-up a command wrote is done once its job has run: the sweeper leaves it alone.
      await markFollowUpDone(ctx.prisma, job.id, new Date());
      return result;
    },
    { connection: ctx.workerRedis(), prefix: env.QUEUE_PREFIX, concurrency: 4 },
  );

  for (const w of [outbound, domain]) {
    w.on('failed', (job, err) => logger.warn({ jobId: job?.id, job: job?.name, err: err.message }, '[worker] job failed'));
    w.on('error', (err) => logger.error({ err: err.message }, '[worker] error'));
  }
  await ensureSchedules(ctx);
  await planNow(ctx);
  await lightUpOnce(ctx);
  // Redis restarted without persistence or flushed: schedulers, plans and pending rows come back from
  // PostgreSQL (without waiting for a restart of this process).
  const watch = await watchRedisLoss(ctx.redis, {
    key: `${env.QUEUE_PREFIX}:redis-sentinel`,
    everyMs: env.REDIS_CHECK_EVERY_MS,
    logger: logger.child({ module: 'redis-watch' }),
    restore: () => restoreFromDatabase(ctx),
  });
  ctx.shutdown.add('redis-watch', () => watch.stop());

  // Workers close before storage (registered earlier than registerStorageClosers); close() waits for
  // the jobs running now, so no call to Feishu is cut off halfway.
  ctx.shutdown.add('workers', () => Promise.all([outbound.close(), domain.close()]));
  logger.info({ rate: env.OUTBOUND_RATE_PER_SECOND, perReceiver: env.OUTBOUND_PER_RECEIVER_PER_SECOND, feishu: opts.feishu.mode }, '[worker] running');
  return { feishu, outbound, domain, redisWatch: watch };
}
