// Deterministic province-sized lights dataset (seeded mulberry32) for the bench; prints a summary, writes only with --out.
import { seededRandom } from '../src/platform/random.ts';
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { emptyDataset, VINTAGE_FLASH, VINTAGE_OFFICIAL, type LightsDataset } from '../src/modules/lights/evaluate.ts';
import type { LightIndicator, RuleConfig } from '../src/modules/lights/rules.ts';

export interface GenerateOptions {
  seed?: number;
  units?: number;
  parents?: number;
  indicators?: number;
  months?: number;
  /** First month, 'YYYY-MM'. */
  start?: string;
}

/** mulberry32: small, fast, good enough for test data, and the same on every machine. */
export const mulberry32 = seededRandom;

const INDICATOR_NAMES = ['地区生产总值', '规上工业增加值', '固定资产投资', '社会消费品零售总额', '一般公共预算收入', '外贸进出口总额', '实际利用外资', '全社会用电量', '城镇调查失业率', '规上工业综合能耗'];

const RULES: (RuleConfig & { indicator?: string })[] = [
  { code: 'below-average', kind: 'below_average', yellow: 0, red: 3, params: { scope: 'region' } },
  { code: 'declining-trend', kind: 'declining_trend', yellow: 2, red: 3, params: { min_drop_pct: 0.5 } },
  { code: 'gap-to-target', kind: 'gap_to_target', yellow: 1, red: 3 },
  { code: 'gap-ind-01', kind: 'gap_to_target', indicator: 'ind-01', yellow: 2, red: 5 },
  { code: 'gap-ind-08', kind: 'gap_to_target', indicator: 'ind-08', yellow: 0.2, red: 0.5 },
  { code: 'rank-bottom', kind: 'rank_bottom', yellow: 3, red: 1, params: { scope: 'region' } },
  { code: 'negative-growth', kind: 'negative_growth', yellow: 0, red: 5 },
  { code: 'overdue-tasks', kind: 'overdue_tasks', yellow: 1, red: 3 },
];

function monthKeys(start: string, n: number): { key: string; label: string }[] {
  const [y0, m0] = start.split('-').map(Number) as [number, number];
  return Array.from({ length: n }, (_, i) => {
    const y = y0 + Math.floor((m0 - 1 + i) / 12);
    const m = ((m0 - 1 + i) % 12) + 1;
    return { key: `${y}-${String(m).padStart(2, '0')}`, label: `${y}年${m}月` };
  });
}

/** 2,000 units in 100 parents × 60 indicators × 36 months by default; same seed, same figures. */
export function generateLightsDataset(opts: GenerateOptions = {}): LightsDataset {
  const { seed = 20260501, units: U = 2000, parents: PA = 100, indicators: I = 60, months: P = 36, start = '2023-06' } = opts;
  const rand = mulberry32(seed);
  const normal = () => {
    // Irwin–Hall: close enough to normal, no log/trig.
    let s = 0;
    for (let k = 0; k < 6; k++) s += rand();
    return (s - 3) * Math.SQRT2;
  };
  const indicators: LightIndicator[] = Array.from({ length: I }, (_, i) => {
    const code = `ind-${String(i).padStart(2, '0')}`;
    const base = INDICATOR_NAMES[i % INDICATOR_NAMES.length]!;
    const name = i < INDICATOR_NAMES.length ? base : `${base}（${Math.floor(i / INDICATOR_NAMES.length) + 1}）`;
    if (i % 10 === 8) return { code, name, direction: 'LOWER_IS_BETTER', measureUnit: '%', basis: 'none' };
    if (i % 10 === 9) return { code, name, direction: 'LOWER_IS_BETTER', measureUnit: '万吨' };
    return { code, name, direction: 'HIGHER_IS_BETTER', measureUnit: '亿元' };
  });
  const parents = Array.from({ length: PA }, (_, i) => ({ code: `city-${String(i).padStart(3, '0')}`, name: `第${i + 1}市`, peerLabel: '全市' }));
  const units = Array.from({ length: U }, (_, i) => ({ code: `unit-${String(i).padStart(4, '0')}`, name: `第${i + 1}县`, parent: i % PA }));
  const ds = emptyDataset({ periods: monthKeys(start, P), periodsPerYear: 12, parents, units, indicators, rules: RULES });

  for (let i = 0; i < I; i++) {
    const ind = indicators[i]!;
    const rate = ind.basis === 'none';
    for (let u = 0; u < U; u++) {
      const cell = i * U + u;
      // Each unit hovers around its own mean (mean-reverting), most near the target, a few far behind.
      const target = rate ? 5.5 : Math.round((6 + rand() * 3) * 10) / 10;
      const mean = rate ? 4.8 + rand() * 1.2 : target + 0.5 + normal() * 2;
      let level = mean;
      let value = 50 + rand() * 500;
      const silent = rand() < 0.02;
      for (let p = 0; p < P; p++) {
        const k = cell * P + p;
        level = mean + 0.8 * (level - mean) + normal() * (rate ? 0.1 : 0.8);
        ds.target[k] = target;
        value *= 1 + (rate ? 0 : level / 1200);
        if (silent || rand() < 0.03) continue;
        const zeroBase = !rate && rand() < 0.005;
        ds.value[k] = rate ? Math.round(level * 10) / 10 : Math.round(value * 100) / 100;
        ds.growth[k] = rate || zeroBase ? NaN : Math.round(level * 100) / 100;
        ds.vintage[k] = p === P - 1 && rand() < 0.3 ? VINTAGE_FLASH : VINTAGE_OFFICIAL;
      }
      ds.overdue[cell] = rand() < 0.05 ? 1 + Math.floor(rand() * 4) : 0;
    }
  }
  return ds;
}

function main(argv: string[]): void {
  const ds = generateLightsDataset();
  let figures = 0;
  let sum = 0;
  for (let k = 0; k < ds.growth.length; k++) {
    if (!Number.isNaN(ds.value[k]!)) figures++;
    if (!Number.isNaN(ds.growth[k]!)) sum += ds.growth[k]!;
  }
  const summary = { units: ds.units.length, parents: ds.parents.length, indicators: ds.indicators.length, periods: ds.periods.length, figures, growthSum: Math.round(sum * 100) / 100 };
  console.log(JSON.stringify(summary));
  const out = argv.indexOf('--out');
  if (out >= 0 && argv[out + 1]) {
    const plain = { ...ds, growth: Array.from(ds.growth, nullOrNumber), value: Array.from(ds.value, nullOrNumber), target: Array.from(ds.target, nullOrNumber), vintage: Array.from(ds.vintage), overdue: Array.from(ds.overdue) };
    writeFileSync(argv[out + 1]!, JSON.stringify(plain));
  }
}

function nullOrNumber(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
