// Bench `lights`: the light rules over a province (2,000 units in 100 parents × 60 indicators × 36 months,
// generated in memory), then one group of 2,000 units on PostgreSQL. Figures:
//   full_s          full recompute of the latest period, every unit × indicator: median of 5 runs, the
//                   first (cold) included (goal ≤ 2 s)
//   peak_mb         peak RSS after generating the dataset and one full recompute (tsx itself ≈ 85 MB)
//   incremental_ms  one submission: recordFigure + evaluateOne (the unit and its siblings), median of 500
//                   random submissions (goal ≤ 20 ms)
//   incremental_db_ms  the same on PostgreSQL, as the worker runs it after one submission (5 figures) in a
//                   group of 2,000 units that have all reported: evaluateLights with the peers' memory,
//                   then pushDigests; median of 40 submissions (goal ≤ 50 ms)
import { performance } from 'node:perf_hooks';
import { generateLightsDataset, mulberry32 } from '../scripts/generate-lights-dataset.ts';
import { evaluateAll, evaluateOne, recordFigure } from '../src/modules/lights/evaluate.ts';
import { randomUUID } from 'node:crypto';
import { benchEnv, createBenchUnits, figure, MAIN_INDICATORS, percentile } from './support.ts';
import { createPrisma } from '../src/platform/prisma.ts';
import { systemClock } from '../src/platform/clock.ts';
import { cycleRuleOf } from '../src/modules/collection/cycle-rule.ts';
import { loadWorkCalendar } from '../src/modules/calendar/calendar.load.ts';
import { ensurePeriod } from '../src/modules/collection/periods.ts';
import { evaluateLights, pushDigests } from '../src/modules/lights/lights.service.ts';

const ds = generateLightsDataset();
const latest = ds.periods.at(-1)!.key;

const fullRuns: number[] = [];
let lit = 0;
let peakMb = 0;
for (let run = 0; run < 5; run++) {
  const t0 = performance.now();
  const results = evaluateAll(ds);
  fullRuns.push((performance.now() - t0) / 1000);
  lit = results.filter((r) => r.evaluation.status === 'LIT').length;
  // Peak of the dataset plus one full result set; later runs only add garbage not yet collected.
  if (run === 0) peakMb = process.resourceUsage().maxRSS / 1024;
}
const counts = { GREEN: 0, YELLOW: 0, RED: 0 };
for (const r of evaluateAll(ds)) if (r.evaluation.status === 'LIT') counts[r.evaluation.light]++;
console.error(`lights: ${lit} lit of ${ds.units.length * ds.indicators.length}; ${JSON.stringify(counts)}; full runs ${fullRuns.map((s) => s.toFixed(3)).join(' ')} s`);

const rand = mulberry32(7);
const incremental: number[] = [];
for (let n = 0; n < 500; n++) {
  const ind = ds.indicators[Math.floor(rand() * ds.indicators.length)]!;
  const unit = ds.units[Math.floor(rand() * ds.units.length)]!;
  const growth = Math.round((rand() * 16 - 4) * 100) / 100;
  const t0 = performance.now();
  recordFigure(ds, { indicator: ind.code, unit: unit.code, periodKey: latest, growthPct: ind.basis === 'none' ? null : growth, value: ind.basis === 'none' ? 5 + rand() : 100, vintage: 'FLASH' });
  evaluateOne(ds, { indicator: ind.code, unit: unit.code });
  incremental.push(performance.now() - t0);
}
incremental.sort((a, b) => a - b);
console.error(`lights: incremental p50 ${percentile(incremental, 50).toFixed(3)} ms, p95 ${percentile(incremental, 95).toFixed(3)} ms, max ${incremental.at(-1)!.toFixed(3)} ms`);

figure('lights', 'full_s', [...fullRuns].sort((a, b) => a - b)[2]!, 's');
figure('lights', 'peak_mb', peakMb, 'MB');
console.error(`lights: peak RSS over the whole bench ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
figure('lights', 'incremental_ms', percentile(incremental, 50), 'ms');

// ── on the database ──
const env = await benchEnv('lights');
const prisma = createPrisma(env.databaseUrl, { max: 8 });
const deps = { prisma, clock: systemClock };
const UNITS = 2_000;
const units = await createBenchUnits(prisma, { count: UNITS, codePrefix: 'bench-lights' });
const cycle = await prisma.reportingCycle.findUniqueOrThrow({ where: { code: 'monthly' } });
const period = await ensurePeriod(prisma, cycle, cycleRuleOf(cycle), '2026-11', await loadWorkCalendar(prisma));
const inds = await prisma.indicator.findMany({ where: { code: { in: MAIN_INDICATORS } } });
const submissions = units.flatMap((u) => inds.map((ind) => ({ id: randomUUID(), periodId: period.id, unitId: u.id, indicatorId: ind.id, currentRevisionNo: 1 })));
const growthOf = () => (Math.round((rand() * 16 - 4) * 10) / 10).toFixed(1);
for (let i = 0; i < submissions.length; i += 5_000) {
  const rows = submissions.slice(i, i + 5_000);
  await prisma.submission.createMany({ data: rows });
  await prisma.submissionRevision.createMany({ data: rows.map((r) => ({ submissionId: r.id, revisionNo: 1, value: '100', growthPct: growthOf(), submittedAt: new Date() })) });
}
let t = performance.now();
let { memory } = await evaluateLights(deps, { periodId: period.id });
console.error(`lights: full evaluation on PostgreSQL of ${UNITS} units × ${inds.length} indicators in ${((performance.now() - t) / 1000).toFixed(1)} s`);
const revisionOf = new Map(submissions.map((r) => [r.id, 1]));
const bySubmission = new Map(units.map((u) => [u.id, submissions.filter((r) => r.unitId === u.id)]));
const dbRuns: number[] = [];
let evaluated = 0;
for (let n = 0; n < 40; n++) {
  const unit = units[Math.floor(rand() * units.length)]!;
  // One submission: a new revision of each of the unit's 5 figures (as an edit writes it).
  for (const sub of bySubmission.get(unit.id)!) {
    const no = revisionOf.get(sub.id)! + 1;
    revisionOf.set(sub.id, no);
    await prisma.submissionRevision.create({ data: { submissionId: sub.id, revisionNo: no, value: '100', growthPct: growthOf(), submittedAt: new Date() } });
    await prisma.submission.update({ where: { id: sub.id }, data: { currentRevisionNo: no } });
  }
  t = performance.now();
  const res = await evaluateLights(deps, { periodId: period.id, indicatorIds: inds.map((i) => i.id), unitIds: [unit.id] }, memory);
  await pushDigests(deps, res.changes, `bench-${n}`);
  dbRuns.push(performance.now() - t);
  memory = { ...memory, ...res.memory };
  evaluated += res.changes.length;
}
dbRuns.sort((a, b) => a - b);
console.error(`lights: on PostgreSQL, one submission p50 ${percentile(dbRuns, 50).toFixed(1)} ms, max ${dbRuns.at(-1)!.toFixed(1)} ms (${evaluated} light changes in 40 runs)`);
figure('lights', 'incremental_db_ms', percentile(dbRuns, 50), 'ms');
await prisma.$disconnect();
await env.cleanup();
