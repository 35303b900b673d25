// Outbound delivery survives the crashes that matter, with no message lost and none shown twice:
// (a) the worker process killed with SIGKILL mid-send, then started again;
// (b) Redis killed mid fan-out and started again empty (its queued jobs lost with it).
// Feishu's uuid = outbox row id makes a resend after a lost answer harmless; BullMQ's stalled-job check
// brings back the jobs of a dead worker; the outbox sweeper re-enqueues rows whose jobs were lost.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../src/config/env.ts';
import { createContext, registerStorageClosers } from '../src/context.ts';
import { createLogger } from '../src/platform/logger.ts';
import { useTestDatabase } from './support/db.ts';
import { useTestRedis } from './support/redis.ts';
import { startPrivateRedis } from './support/redis-server.ts';
import {
  addReceivers,
  allSent,
  newApp,
  queueRows,
  startOutboundWorker,
  startStandaloneSandbox,
  storedByUuid,
  textMessage,
  waitUntil,
} from './support/outbound.ts';

const db = await useTestDatabase();
const redis = useTestRedis();
const prisma = db.prisma;
const app = newApp();
const sandbox = await startStandaloneSandbox(app);
afterAll(() => sandbox.close());

const N = 300;
const storedCount = (ids: string[]) => storedByUuid(sandbox, ids).size;

/** Every row SENT with its Feishu message id, and exactly one stored message per row. */
async function expectExactlyOnce(ids: string[]) {
  const stored = storedByUuid(sandbox, ids);
  expect(stored.size).toBe(ids.length);
  expect([...stored.values()].every((l) => l.length === 1)).toBe(true);
  const rows = await prisma.outboundMessage.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, feishuMessageId: true } });
  expect(rows.filter((r) => r.status !== 'SENT')).toEqual([]);
  expect(rows.filter((r) => r.feishuMessageId !== stored.get(r.id)![0]!.messageId)).toEqual([]);
}

describe('a worker killed with SIGKILL mid-send', () => {
  const prefix = `${redis.prefix}-kill`;
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });

  function startChild(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/support/worker-process.ts'], {
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        REDIS_URL: redis.url,
        QUEUE_PREFIX: prefix,
        FEISHU_APP_ID: app.appId,
        FEISHU_APP_SECRET: app.appSecret,
        FEISHU_ENCRYPT_KEY: app.encryptKey,
        FEISHU_VERIFICATION_TOKEN: app.verificationToken,
        FEISHU_DOMAIN: sandbox.url,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
        LOG_PRETTY: 'false',
        DATABASE_POOL_SIZE: '5',
        // The jobs of a dead worker come back after its lock expires and a stalled check sees it.
        OUTBOUND_LOCK_MS: '3000',
        OUTBOUND_STALLED_CHECK_MS: '500',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let err = '';
    child.stderr!.on('data', (d: Buffer) => void (err += d.toString()));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker process not ready within 30 s\n${err}`)), 30_000);
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('ready')) {
          clearTimeout(timer);
          resolve(child);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`worker process exited (${code}) before it was ready\n${err}`));
      });
    });
  }

  it(`loses nothing and shows nothing twice: ${N} messages, the worker killed after ~100 and restarted`, async () => {
    // The producer side (the API process): rows and jobs, no worker.
    const ctx = createContext(parseEnv({ DATABASE_URL: db.url, REDIS_URL: redis.url, QUEUE_PREFIX: prefix, DATABASE_POOL_SIZE: '5' }), {
      logger: createLogger({ level: 'silent' }),
    });
    registerStorageClosers(ctx);
    try {
      // Each call takes 200 ms, so a dozen sends are in flight at any moment (at 40/s in 100-ms limiter
      // windows, 50 ms would leave about two, and the kill could land between them).
      sandbox.setFaults({ latencyMs: 200 });
      const people = addReceivers(sandbox, 100, 'kill');
      const ids = await queueRows(ctx, Array.from({ length: N }, (_, i) => textMessage(people[i % people.length]!, `kill-${i}`)));
      const dupBefore = sandbox.stats().duplicatesSeen;

      const first = await startChild();
      await waitUntil(() => storedCount(ids) >= 100, '~100 messages are stored', 30_000, 10);
      await waitUntil(async () => ((await ctx.queues.outbound.getJobCounts('active')).active ?? 0) > 0, 'sends are in flight', 10_000, 5);
      const exited = new Promise((r) => first.once('exit', r));
      first.kill('SIGKILL');
      await exited;
      const atKill = { stored: storedCount(ids), sent: await prisma.outboundMessage.count({ where: { id: { in: ids }, status: 'SENT' } }) };
      const orphaned = (await ctx.queues.outbound.getJobCounts('active')).active ?? 0;
      expect(atKill.stored).toBeLessThan(N);

      await startChild();
      await waitUntil(() => allSent(prisma, ids), `all ${N} rows are SENT`, 45_000, 200);
      await expectExactlyOnce(ids);
      console.info(
        `[kill] at kill: ${atKill.stored} stored, ${atKill.sent} rows SENT, ${orphaned} jobs left active by the dead worker; ` +
          `uuid replays seen by the sandbox: ${sandbox.stats().duplicatesSeen - dupBefore}`,
      );
      // The dead worker's jobs were really taken over (not just jobs that had never started).
      expect(orphaned).toBeGreaterThan(0);
    } finally {
      sandbox.setFaults({});
      for (const c of children) if (c.exitCode === null && c.signalCode === null) {
        const gone = new Promise((r) => c.once('exit', r));
        c.kill('SIGTERM');
        await gone;
      }
      await ctx.shutdown.run('test end');
    }
  }, 90_000);
});

describe('Redis restarted during a fan-out', () => {
  it(`loses nothing and shows nothing twice: ${N} messages, Redis killed after ~100 and started again empty`, async () => {
    const server = await startPrivateRedis();
    const w = await startOutboundWorker({ databaseUrl: db.url, redisUrl: server.url, prefix: 'econ-restart', app, domain: sandbox.url, env: { DATABASE_POOL_SIZE: '5' } });
    try {
      sandbox.setFaults({ latencyMs: 20 });
      const people = addReceivers(sandbox, 100, 'rst');
      const ids = await queueRows(w.ctx, Array.from({ length: N }, (_, i) => textMessage(people[i % people.length]!, `restart-${i}`)));
      const dupBefore = sandbox.stats().duplicatesSeen;

      await waitUntil(() => storedCount(ids) >= 100, '~100 messages are stored', 30_000, 10);
      await server.stop();
      const atKill = storedCount(ids);
      expect(await prisma.outboundMessage.count({ where: { id: { in: ids }, status: 'PENDING' } })).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 500)); // an outage, not a blink
      await server.start();
      // The private server keeps nothing on disk: the queued jobs went with it. The worker notices on
      // reconnect and re-enqueues every PENDING row (the recovery sweep), without waiting for a minute.
      await waitUntil(() => allSent(prisma, ids), `all ${N} rows are SENT`, 50_000, 250);
      await expectExactlyOnce(ids);
      expect(await waitForRedis(() => w.ctx.redis.exists('econ-restart:redis-sentinel'))).toBe(1);
      console.info(`[redis restart] stored at kill: ${atKill}; uuid replays: ${sandbox.stats().duplicatesSeen - dupBefore}`);
    } finally {
      sandbox.setFaults({});
      await w.stop();
      await server.stop();
    }
  }, 90_000);
});

/** Retries a Redis read while the producer connection reconnects. */
async function waitForRedis<T>(read: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      return await read();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
