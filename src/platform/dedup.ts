// Platform: at-the-door de-duplication in Redis (SET NX EX). Feishu redelivers events for ~7.1 hours,
// so keys live 8 hours. The database's unique constraints stand behind this.
import type { Redis } from './redis.ts';

export const DEDUP_TTL_SECONDS = 8 * 3600;

export interface Dedup {
  /** True when this key is seen for the first time (and claims it). */
  claim(key: string): Promise<boolean>;
  /** Forgets a claim whose handling failed, so a redelivery is processed. */
  release(key: string): Promise<void>;
  /** Stores the answer given for a key, so a duplicate gets the same answer. */
  remember(key: string, answer: unknown): Promise<void>;
  recall<T>(key: string): Promise<T | null>;
}

export function createDedup(redis: Redis, prefix: string): Dedup {
  const k = (key: string) => `${prefix}:dedup:${key}`;
  return {
    claim: async (key) => (await redis.set(k(key), '1', 'EX', DEDUP_TTL_SECONDS, 'NX')) === 'OK',
    release: async (key) => {
      await redis.del(k(key), `${k(key)}:answer`);
    },
    remember: async (key, answer) => {
      await redis.set(`${k(key)}:answer`, JSON.stringify(answer), 'EX', DEDUP_TTL_SECONDS);
    },
    recall: async <T>(key: string) => {
      const raw = await redis.get(`${k(key)}:answer`);
      return raw ? (JSON.parse(raw) as T) : null;
    },
  };
}
