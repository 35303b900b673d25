// A whole bot for end-to-end tests: API + worker in sandbox mode on a spare port, on this file's own
// database (with the demo city, without its history) and Redis prefix.
import { afterAll } from 'vitest';
import { parseEnv } from '../../src/config/env.ts';
import { createContext, registerStorageClosers, type AppContext } from '../../src/context.ts';
import { startApi, type RunningApi } from '../../src/app.ts';
import { startWorker } from '../../src/worker.ts';
import { createLogger } from '../../src/platform/logger.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { loadDemoCity } from '../../src/modules/demo/demo-city.ts';
import { systemClock } from '../../src/platform/clock.ts';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';
import { useTestDatabase } from './db.ts';
import { useTestRedis } from './redis.ts';

export interface TestBot {
  ctx: AppContext;
  api: RunningApi;
  sandbox: Sandbox;
  url: string;
}

export async function startTestBot(opts: { clock?: Clock; env?: Record<string, string>; worker?: boolean } = {}): Promise<TestBot> {
  const db = await useTestDatabase();
  const redis = useTestRedis();
  await loadDemoCity(db.prisma, opts.clock ?? systemClock, { history: false });
  const env = parseEnv({
    DATABASE_URL: db.url,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: redis.prefix,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...opts.env,
  });
  const ctx = createContext(env, { logger: createLogger({ level: env.LOG_LEVEL, pretty: false }), clock: opts.clock });
  const api = await startApi(ctx);
  if (opts.worker !== false) {
    await startWorker(ctx, { feishu: api.feishu });
    // The worker's start-up work (plans, a period opening with its cards) settles before the test acts,
    // so a test counting messages counts its own.
    await settle(ctx);
  }
  registerStorageClosers(ctx);
  afterAll(() => ctx.shutdown.run('test end'));
  if (!api.sandbox) throw new Error('expected sandbox mode');
  return { ctx, api, sandbox: api.sandbox, url: api.url };
}

/** The demo city's liaison officer of a unit, by unit code. */
export async function liaisonOf(bot: TestBot, unitCode: string): Promise<{ openId: string; name: string }> {
  const role = await bot.ctx.prisma.unitRole.findFirstOrThrow({
    where: { role: 'LIAISON', unit: { code: unitCode } },
    include: { person: true },
  });
  return { openId: role.person.openId!, name: role.person.name };
}

/** Waits until no job waits or runs in the bot's queues (three quiet looks in a row). */
export async function settle(ctx: AppContext, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let quiet = 0;
  while (quiet < 3 && Date.now() < until) {
    const counts = await Promise.all([ctx.queues.domain, ctx.queues.outbound].map((q) => q.getJobCounts('waiting', 'active', 'prioritized')));
    quiet = counts.every((c) => Object.values(c).every((n) => n === 0)) ? quiet + 1 : 0;
    await new Promise((r) => setTimeout(r, 200));
  }
}
