// Bench support: a fresh migrated database with the demo city, a Redis prefix, and figure output.
import { randomBytes } from 'node:crypto';
import { migrateDeploy, dropDatabase, ensureDatabase } from '../src/platform/migrator.ts';
import { databaseUrlFromEnv, DEFAULT_REDIS_URL } from '../src/config/env.ts';
import { createPrisma } from '../src/platform/prisma.ts';
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
