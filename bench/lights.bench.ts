// Bench `lights`: the light rules over a province (2,000 units in 100 parents × 60 indicators × 36 months,
// generated in memory, no services). Figures:
//   full_s          full recompute of the latest period, every unit × indicator: median of 5 runs, the
//                   first (cold) included (goal ≤ 2 s)
//   peak_mb         peak RSS after generating the dataset and one full recompute (tsx itself ≈ 85 MB)
//   incremental_ms  one submission: recordFigure + evaluateOne (the unit and its siblings), median of 500
//                   random submissions (goal ≤ 20 ms)
import { performance } from 'node:perf_hooks';
import { generateLightsDataset, mulberry32 } from '../scripts/generate-lights-dataset.ts';
import { evaluateAll, evaluateOne, recordFigure } from '../src/modules/lights/evaluate.ts';
import { figure, percentile } from './support.ts';

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
