// Platform: notices that Redis lost its data — a restart without persistence, a FLUSHALL — so the caller
// can restore what PostgreSQL knows. A sentinel key written at start must still be there; it is checked on
// every reconnect ('ready') and every `everyMs`, since a FLUSHALL drops no connection.
import type { Redis } from './redis.ts';
import type { Logger } from './logger.ts';

export interface RedisWatch {
  /** Checks now; true when the data was found lost and restored. */
  check(): Promise<boolean>;
  stop(): void;
}

export async function watchRedisLoss(
  redis: Redis,
  opts: { key: string; everyMs: number; logger: Logger; restore: () => Promise<void> },
): Promise<RedisWatch> {
  const { key, logger } = opts;
  const mark = () => redis.set(key, new Date().toISOString());
  await mark();
  let stopped = false;
  let running: Promise<boolean> | undefined;

  const run = async (): Promise<boolean> => {
    if (stopped || (await redis.exists(key))) return false;
    logger.warn({ key }, '[redis] data lost (restart without persistence, or a flush): restoring schedules and jobs from PostgreSQL');
    await opts.restore();
    // Written last: a restore cut off halfway is retried by the next check (here or in another process).
    await mark();
    logger.info('[redis] schedules and jobs restored');
    return true;
  };
  const check = (): Promise<boolean> => {
    running ??= run()
      .catch((err: unknown) => {
        // Redis down or reconnecting: the next 'ready' or tick tries again.
        logger.debug({ err: (err as Error).message }, '[redis] check failed');
        return false;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const onReady = () => void check();
  redis.on('ready', onReady);
  const timer = setInterval(() => void check(), opts.everyMs);
  timer.unref();
  return {
    check,
    stop: () => {
      stopped = true;
      clearInterval(timer);
      redis.off('ready', onReady);
    },
  };
}
