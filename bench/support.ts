// Bench support: a fresh migrated database with the demo city, a Redis prefix, and figure output.
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { migrateDeploy, dropDatabase, ensureDatabase } from '../src/platform/migrator.ts';
import { databaseUrlFromEnv, DEFAULT_REDIS_URL } from '../src/config/env.ts';
import { createPrisma, type PrismaClient } from '../src/platform/prisma.ts';
import { systemClock } from '../src/platform/clock.ts';
import { loadDemoCity } from '../src/modules/demo/demo-city.ts';
import { ensureServices } from '../scripts/lib/services.ts';

export function figure(bench: string, metric: string, value: number, unit: string): void {
  console.log(JSON.stringify({ bench, metric, value: Math.round(value * 1000) / 1000, unit }));
}

export interface BenchEnv {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  cleanup(): Promise<void>;
}

export async function benchEnv(name: string, opts: { demoCity?: boolean } = {}): Promise<BenchEnv> {
  const base = databaseUrlFromEnv();
  const redisUrl = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  await ensureServices({ databaseUrl: base, redisUrl }, () => undefined);
  const u = new URL(base);
  u.pathname = `/econ_bench_${name}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = u.toString();
  await ensureDatabase(databaseUrl);
  await migrateDeploy(databaseUrl);
  if (opts.demoCity !== false) {
    const prisma = createPrisma(databaseUrl);
    await loadDemoCity(prisma, systemClock, { history: false });
    await prisma.$disconnect();
  }
  return {
    databaseUrl,
    redisUrl,
    prefix: `bench-${name}-${randomBytes(3).toString('hex')}`,
    cleanup: () => dropDatabase(databaseUrl),
  };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

/** Removes every key of a bench's Redis prefix (`<prefix>:*`, BullMQ's separator); returns how many. */
export async function clearPrefix(redisUrl: string, prefix: string): Promise<number> {
  const r = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  let removed = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) removed += await r.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
  return removed;
}

export interface BenchUnit {
  id: string;
  code: string;
  personId: string;
  openId: string;
}

/** The district-level main indicators, assigned to every bench unit. */
export const MAIN_INDICATORS = ['gdp', 'industrial-va', 'fai', 'retail-sales', 'budget-revenue'];

/**
 * `count` extra region units under the demo city, straight into the database with createMany (seconds,
 * where a generated city file through applyCityConfig would diff and write row by row): each with a
 * liaison (a person with an open_id) and `indicators` assigned in `cycleCode`.
 */
export async function createBenchUnits(
  prisma: PrismaClient,
  opts: { count: number; codePrefix: string; cycleCode?: string; indicators?: string[]; /** default: the city */ parentId?: string },
): Promise<BenchUnit[]> {
  const city = opts.parentId ? { id: opts.parentId } : await prisma.unit.findFirstOrThrow({ where: { kind: 'CITY', active: true } });
  const cycle = await prisma.reportingCycle.findUniqueOrThrow({ where: { code: opts.cycleCode ?? 'monthly' } });
  const codes = opts.indicators ?? MAIN_INDICATORS;
  const indicators = await prisma.indicator.findMany({ where: { code: { in: codes } } });
  if (indicators.length !== codes.length) throw new Error(`bench units: indicators missing from the demo city: ${codes.join(', ')}`);
  const pad = (i: number) => String(i).padStart(5, '0');
  const units: BenchUnit[] = Array.from({ length: opts.count }, (_, i) => ({
    id: randomUUID(),
    code: `${opts.codePrefix}-${pad(i)}`,
    personId: randomUUID(),
    openId: `ou_${opts.codePrefix.replace(/[^a-z0-9]/gi, '')}${pad(i)}`,
  }));
  const chunk = <T>(rows: T[], n = 5_000) => Array.from({ length: Math.ceil(rows.length / n) }, (_, i) => rows.slice(i * n, (i + 1) * n));
  const unitRows = units.map((u, i) => ({ id: u.id, code: u.code, name: `压测区${u.code.slice(-5)}`, kind: 'REGION' as const, parentId: city.id, sortOrder: 10_000 + i }));
  for (const rows of chunk(unitRows)) await prisma.unit.createMany({ data: rows });
  for (const rows of chunk(units)) {
    await prisma.person.createMany({ data: rows.map((u) => ({ id: u.personId, code: `${u.code}-liaison`, name: `联络员${u.code.slice(-5)}`, openId: u.openId })) });
    await prisma.unitRole.createMany({ data: rows.map((u) => ({ unitId: u.id, personId: u.personId, role: 'LIAISON' as const })) });
  }
  const assignments = units.flatMap((u) => indicators.map((ind) => ({ indicatorId: ind.id, unitId: u.id, cycleId: cycle.id })));
  for (const rows of chunk(assignments)) await prisma.assignment.createMany({ data: rows });
  return units;
}

/**
 * Waits until the bot's queues have nothing waiting, active or delayed-and-due: the start-up work (the
 * period opening with its cards, the first plans) must not be measured as callback latency.
 */
export async function waitForIdle(redisUrl: string, prefix: string, timeoutMs = 120_000): Promise<void> {
  const { Queue } = await import('bullmq');
  const queues = ['domain', 'outbound'].map((name) => new Queue(name, { connection: { url: redisUrl }, prefix }));
  const until = Date.now() + timeoutMs;
  try {
    let quiet = 0;
    while (Date.now() < until && quiet < 3) {
      const counts = await Promise.all(queues.map((q) => q.getJobCounts('waiting', 'active', 'prioritized')));
      quiet = counts.every((c) => Object.values(c).every((n) => n === 0)) ? quiet + 1 : 0;
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await Promise.all(queues.map((q) => q.close()));
  }
}
