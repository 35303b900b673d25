// Bench `schedule`: reminder scheduling for 2,000 units × 12 monthly periods, planned (planCycle) and
// applied (applyPlan) to a real BullMQ queue on the bench prefix, no worker consuming it.
// Setup, outside the measurement: 2,000 extra region units (the 5 main indicators in `monthly`), the
// periods 2025-12 … 2026-11 (ensurePeriod, set OPEN as if opened; not 2026-01 … 2026-12: 2026-12 is due in
// January 2027, a year chinese-days does not carry yet, so it could not be planned) and one UnitReport per
// unit and period, 5 % of them (every 20th unit) with an extension (extendedDueDate 3 workdays after the
// period's due date). Then an injected clock (fixedClock) steps month by month to an hour after each
// period's opening and the plan runs and is applied, as the worker's plan job would that day.
// The design keeps the figures small: a period's reminders and escalations are period-wide jobs (one per
// step, 3 reminders + 2 escalations for `monthly`) that fan out to the still-pending units when they fire;
// only a unit with an extension (its own deadline) gets jobs of its own. So 12 × (5 + 100 × 5) = 6,060
// delayed jobs, not 12 × 2,000 × 5 = 120,000.
// Figures:
//   seconds   total planning + applying over the 12 steps
//   redis_mb  memory used by the prefix's keys afterwards (sum of MEMORY USAGE over SCAN MATCH <prefix>:*)
//   jobs      delayed jobs stored in the domain queue
// A second pass over the same 12 steps (what the worker's 10-minute re-plan costs once everything is
// scheduled: nothing moves) is reported on stderr.
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { createPrisma } from '../src/platform/prisma.ts';
import { createRedis } from '../src/platform/redis.ts';
import { createQueues, closeQueues } from '../src/platform/queues.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { cycleRuleOf } from '../src/modules/collection/cycle-rule.ts';
import { loadWorkCalendar } from '../src/modules/calendar/calendar.load.ts';
import { periodSchedule } from '../src/modules/collection/schedule.ts';
import { asDate, dayOf } from '../src/modules/shared/dates.ts';
import { ensurePeriod } from '../src/modules/collection/periods.ts';
import { planCycle } from '../src/modules/collection/plan.ts';
import { applyPlan } from '../jobs/collection.job.ts';
import { benchEnv, clearPrefix, createBenchUnits, figure } from './support.ts';

const UNITS = 2_000;
const EXTENDED_EVERY = 20; // 5 %
const KEYS = ['2025-12', ...Array.from({ length: 11 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`)];

const env = await benchEnv('schedule');
const prisma = createPrisma(env.databaseUrl, { max: 8 });

// ── setup (not measured) ──
const t0 = performance.now();
const units = await createBenchUnits(prisma, { count: UNITS, codePrefix: 'bench-region' });
const cycle = await prisma.reportingCycle.findUniqueOrThrow({ where: { code: 'monthly' } });
const rule = cycleRuleOf(cycle);
const cal = await loadWorkCalendar(prisma);
const opensAt: Date[] = [];
for (const key of KEYS) {
  const schedule = periodSchedule(rule, key, cal);
  const planned = await ensurePeriod(prisma, cycle, rule, key, cal);
  const period = await prisma.reportingPeriod.update({ where: { id: planned.id }, data: { status: 'OPEN', openedAt: schedule.openAt } });
  const extended = asDate(cal.addWorkdays(dayOf(period.dueDate), 3));
  await prisma.unitReport.createMany({
    data: units.map((u, i) => ({ periodId: period.id, unitId: u.id, ...(i % EXTENDED_EVERY === 0 ? { extendedDueDate: extended } : {}) })),
  });
  opensAt.push(schedule.openAt);
}
console.error(`schedule: ${UNITS} units × ${KEYS.length} periods written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const redis = createRedis(env.redisUrl, 'producer');
const queues = createQueues(redis, env.prefix);
await queues.domain.waitUntilReady();
const clock = fixedClock(opensAt[0]!);

// The last step also looks at 2026-12, due in 2027: that problem is expected (said once below), the rest plans.
const problems = new Set<string>();
async function pass(): Promise<{ seconds: number; planned: number; added: number; moved: number; removed: number; planS: number }> {
  const out = { seconds: 0, planned: 0, added: 0, moved: 0, removed: 0, planS: 0 };
  for (const [i, key] of KEYS.entries()) {
    clock.set(new Date(opensAt[i]!.getTime() + 3600_000));
    const start = performance.now();
    const plan = await planCycle({ prisma, clock }, cycle.code);
    const planned = performance.now();
    const applied = await applyPlan(queues, clock, plan.jobs, plan.unwanted);
    out.seconds += (performance.now() - start) / 1000;
    out.planS += (planned - start) / 1000;
    for (const p of plan.problems) problems.add(`at ${key}: ${p}`);
    out.planned += plan.jobs.length;
    out.added += applied.added;
    out.moved += applied.moved;
    out.removed += applied.removed;
  }
  return out;
}

// ── measured: the 12 steps, planning + applying ──
const first = await pass();
const jobs = await queues.domain.getDelayedCount();

/** Bytes of every key under the prefix, MEMORY USAGE … SAMPLES 0 (every element counted). */
async function prefixBytes(): Promise<{ bytes: number; keys: number }> {
  const r = new Redis(env.redisUrl, { maxRetriesPerRequest: 1 });
  let bytes = 0;
  let keys = 0;
  try {
    let cursor = '0';
    do {
      const [next, found] = await r.scan(cursor, 'MATCH', `${env.prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (!found.length) continue;
      const p = r.pipeline();
      for (const k of found) p.call('MEMORY', 'USAGE', k, 'SAMPLES', '0');
      for (const [err, n] of (await p.exec()) ?? []) if (!err) bytes += Number(n ?? 0);
      keys += found.length;
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
  return { bytes, keys };
}
const mem = await prefixBytes();

// ── the steady-state re-plan (stderr only) ──
const second = await pass();

const expected = KEYS.length * (5 + Math.ceil(UNITS / EXTENDED_EVERY) * 5);
console.error(
  `schedule: first pass ${first.seconds.toFixed(2)} s (planning ${first.planS.toFixed(2)} s), ${first.planned} jobs planned, ${first.added} added; ` +
    `${jobs} delayed (expected ${expected}); ${mem.keys} keys, ${(mem.bytes / jobs).toFixed(0)} B per job`,
);
console.error(
  `schedule: re-plan pass ${second.seconds.toFixed(2)} s (planning ${second.planS.toFixed(2)} s): ${second.added} added, ${second.moved} moved, ${second.removed} removed`,
);

for (const p of problems) console.error(`schedule: plan problem ${p.slice(0, 160)}…`);

figure('schedule', 'seconds', first.seconds, 's');
figure('schedule', 'redis_mb', mem.bytes / 1024 / 1024, 'MB');
figure('schedule', 'jobs', jobs, 'count');

await closeQueues(queues);
await redis.quit();
await clearPrefix(env.redisUrl, env.prefix);
await prisma.$disconnect();
await env.cleanup();
