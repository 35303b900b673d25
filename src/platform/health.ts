// Platform: dependency checks for /healthz and /metrics. Each check is bounded so a hung server reads as down.
import type { PrismaClient } from './prisma.ts';
import type { Redis } from './redis.ts';
import type { Queues } from './queues.ts';

export interface CheckResult {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
  [k: string]: unknown;
}

export interface HealthReport {
  status: 'ok' | 'degraded';
  checks: Record<string, CheckResult>;
}

export type Check = () => Promise<Record<string, unknown> | void>;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

async function run(check: Check, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  try {
    const extra = (await withTimeout(check(), timeoutMs)) ?? {};
    return { status: 'up', latencyMs: Math.round(performance.now() - started), ...extra };
  } catch (err) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: (err as Error).message };
  }
}

/**
 * Runs required checks (a failure makes the report degraded → HTTP 503) and informational ones
 * (reported in the body only, e.g. Feishu reachability).
 */
export async function healthReport(
  required: Record<string, Check>,
  informational: Record<string, Check> = {},
  timeoutMs = 2_000,
): Promise<HealthReport> {
  const names = [...Object.keys(required), ...Object.keys(informational)];
  const fns = [...Object.values(required), ...Object.values(informational)];
  const results = await Promise.all(fns.map((fn) => run(fn, timeoutMs)));
  const checks = Object.fromEntries(names.map((n, i) => [n, results[i]!]));
  const down = Object.keys(required).some((n) => checks[n]!.status === 'down');
  return { status: down ? 'degraded' : 'ok', checks };
}

export const databaseCheck = (prisma: PrismaClient): Check => async () => {
  await prisma.$queryRaw`SELECT 1`;
};

export const redisCheck = (redis: Redis): Check => async () => {
  if (redis.status !== 'ready') throw new Error(`connection ${redis.status}`);
  await redis.ping();
};

export const queuesCheck = (queues: Queues): Check => async () => {
  const counts: Record<string, Record<string, number>> = {};
  for (const [name, q] of Object.entries(queues)) {
    counts[name] = await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
  }
  return { queues: counts };
};
