// Composition: the process-wide dependencies, built once from the parsed environment.
import type { Env } from './config/env.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { systemClock, type Clock } from './platform/clock.ts';
import { createPrisma, type PrismaClient } from './platform/prisma.ts';
import { createRedis, type Redis } from './platform/redis.ts';
import { createQueues, closeQueues, type Queues } from './platform/queues.ts';
import { createMetrics, type Metrics } from './platform/metrics.ts';
import { createShutdown, type Shutdown } from './platform/shutdown.ts';

export interface AppContext {
  env: Env;
  logger: Logger;
  clock: Clock;
  prisma: PrismaClient;
  /** Producer connection: queues and Redis reads on the request path; fails fast when Redis is down. */
  redis: Redis;
  /** Worker connection factory: BullMQ workers block, so each gets its own connection. */
  workerRedis: () => Redis;
  /** Every connection handed out by workerRedis, closed at shutdown. */
  workerConnections: Redis[];
  queues: Queues;
  metrics: Metrics;
  shutdown: Shutdown;
}

export function createContext(env: Env, overrides: { logger?: Logger; clock?: Clock } = {}): AppContext {
  const logger = overrides.logger ?? createLogger({ level: env.LOG_LEVEL, pretty: env.LOG_PRETTY });
  const shutdown = createShutdown(logger);
  const prisma = createPrisma(env.DATABASE_URL, { max: env.DATABASE_POOL_SIZE });
  const redis = createRedis(env.REDIS_URL, 'producer');
  const queues = createQueues(redis, env.QUEUE_PREFIX);
  const workerConnections: Redis[] = [];
  const workerRedis = () => {
    const r = createRedis(env.REDIS_URL, 'worker');
    workerConnections.push(r);
    return r;
  };
  // Storage closes last: shutdown runs closers in order, and intake/workers register theirs first.
  const ctx: AppContext = {
    env,
    logger,
    clock: overrides.clock ?? systemClock,
    prisma,
    redis,
    workerRedis,
    workerConnections,
    queues,
    metrics: createMetrics(),
    shutdown,
  };
  return ctx;
}

/** Closes storage after everything registered on the shutdown has stopped. */
export function registerStorageClosers(ctx: AppContext): void {
  ctx.shutdown.add('queues', () => closeQueues(ctx.queues));
  ctx.shutdown.add('prisma', () => ctx.prisma.$disconnect());
  ctx.shutdown.add('redis', () =>
    Promise.all([ctx.redis, ...ctx.workerConnections].map((r) => r.quit().catch(() => r.disconnect()))),
  );
}
