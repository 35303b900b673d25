// /healthz and /metrics: what an operator's probe sees, including a stopped Redis.
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../src/config/env.ts';
import { createContext, registerStorageClosers } from '../src/context.ts';
import { startApi } from '../src/app.ts';
import { createLogger } from '../src/platform/logger.ts';
import { useTestDatabase } from './support/db.ts';
import { startPrivateRedis } from './support/redis-server.ts';

const db = await useTestDatabase();
const redis = await startPrivateRedis();
const ctx = createContext(
  parseEnv({ DATABASE_URL: db.url, REDIS_URL: redis.url, QUEUE_PREFIX: 'health', PORT: '0', HOST: '127.0.0.1' }),
  { logger: createLogger({ level: 'silent', pretty: false }) },
);
const api = await startApi(ctx);
registerStorageClosers(ctx);
afterAll(async () => {
  await ctx.shutdown.run('test end');
  await redis.stop();
});

const getHealth = async () => {
  const res = await fetch(`${api.url}/healthz`);
  return { status: res.status, body: (await res.json()) as { status: string; checks: Record<string, { status: string; error?: string }> } };
};

describe('/healthz', () => {
  it('answers 200 with database, redis and queue status when all are up', async () => {
    const { status, body } = await getHealth();
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.checks.database?.status).toBe('up');
    expect(body.checks.redis?.status).toBe('up');
    expect(body.checks.queues).toMatchObject({ status: 'up', queues: { outbound: { waiting: 0 }, domain: { failed: 0 } } });
  });

  it('answers 503 naming Redis as down while Redis is stopped, and recovers when it is back', async () => {
    await redis.stop();
    const down = await getHealth();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('degraded');
    expect(down.body.checks.redis?.status).toBe('down');
    expect(down.body.checks.database?.status).toBe('up');

    await redis.start();
    let recovered = down;
    for (let i = 0; i < 50 && recovered.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      recovered = await getHealth();
    }
    expect(recovered.status).toBe(200);
  });
});

describe('/metrics', () => {
  it('serves Prometheus text with dependency gauges and process metrics', async () => {
    const res = await fetch(`${api.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/econ_dependency_up\{dependency="database"\} 1/);
    expect(text).toMatch(/econ_queue_jobs\{queue="outbound",state="waiting"\} 0/);
    expect(text).toContain('econ_process_resident_memory_bytes');
  });
});
