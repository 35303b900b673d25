// Per-file Redis key prefix, removed after the file's tests.
import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { Redis } from 'ioredis';

export interface TestRedis {
  url: string;
  prefix: string;
}

export function useTestRedis(): TestRedis {
  const url = inject('redisUrl');
  const prefix = `econt-${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    const r = new Redis(url, { maxRetriesPerRequest: 1 });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await r.unlink(...keys);
      } while (cursor !== '0');
    } finally {
      r.disconnect();
    }
  });
  return { url, prefix };
}
