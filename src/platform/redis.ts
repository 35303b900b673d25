// Platform: Redis connections. BullMQ's production guide wants separate connections for producers
// (fail fast: no offline queue) and workers (retry forever: maxRetriesPerRequest null).
import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

export function createRedis(url: string, kind: 'producer' | 'worker' | 'client', extra: RedisOptions = {}): Redis {
  const base: RedisOptions = {
    lazyConnect: false,
    connectTimeout: 5_000,
    // Reconnect with a capped backoff; a stopped Redis must not crash the process.
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  };
  const byKind: Record<typeof kind, RedisOptions> = {
    producer: { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
    worker: { maxRetriesPerRequest: null },
    client: { maxRetriesPerRequest: 1 },
  };
  const redis = new Redis(url, { ...base, ...byKind[kind], ...extra });
  // Errors surface through health checks and job failures; an unhandled 'error' event would crash.
  redis.on('error', () => undefined);
  return redis;
}
