// npm exec tsx scripts/generate-demo-history.ts [config] [out] — writes config/demo-history.csv:
// 24 months (2024-11 … 2026-10) of plausible official figures for every assignment of the demo
// city's monthly cycles. Deterministic (seeded PRNG per series, no Math.random, no clock): running
// it twice gives a byte-identical file.
//
// Model: monthly flows of 2023 come from a base size and a seasonal profile; every later month's
// flow is the same month a year earlier times (1 + g), where g (YoY growth of the month) is the
// indicator's typical growth plus the unit's profile (strong, weak, declining) plus noise.
// Cumulative values add up flows from January, and the reported growth is computed from the
// values, so figures and growth rates always agree.
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { loadCityConfigFile } from '../src/modules/city-config/city-config.load.ts';
import type { CityConfig, IndicatorConfig } from '../src/modules/city-config/city-config.schema.ts';

export const FIRST_PERIOD = '2024-11';
export const LAST_PERIOD = '2026-10';
const MODEL_START_YEAR = 2023; // one year before the first output, so the first output has a YoY base

// ───────────────────────────── Deterministic randomness ─────────────────────────────

import { seededRandom as mulberry32 } from '../src/platform/random.ts';

/** FNV-1a: one seed per series, so adding a series never shifts the others' numbers. */
function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Roughly standard normal (Irwin–Hall of three uniforms): plain arithmetic, identical everywhere. */
const normal = (rnd: () => number) => (rnd() + rnd() + rnd() - 1.5) * 2;

// ───────────────────────────── Economic profiles ─────────────────────────────

interface IndicatorModel {
  /** Yearly flow (cumulative indicators) or level (current ones) of the whole city in 2023. */
  base: number;
  /** Typical YoY growth in percent, and its month-to-month noise. */
  growth: number;
  noise: number;
  season?: keyof typeof SEASONS;
  /** The base is already the size of the one unit that reports it (zone-only indicators, per-capita figures). */
  unitLevel?: boolean;
}

const MODELS: Record<string, IndicatorModel> = {
  gdp: { base: 3000, growth: 5.6, noise: 0.8 },
  'industrial-va': { base: 900, growth: 7, noise: 2.5 },
  fai: { base: 1500, growth: 5.5, noise: 4, season: 'investment' },
  'retail-sales': { base: 1400, growth: 5.8, noise: 1.5, season: 'consumption' },
  'budget-revenue': { base: 230, growth: 4, noise: 4, season: 'fiscal' },
  'tax-revenue': { base: 170, growth: 3.5, noise: 4, season: 'fiscal' },
  'budget-expenditure': { base: 450, growth: 3, noise: 4, season: 'investment' },
  'industrial-investment': { base: 450, growth: 8, noise: 5, season: 'investment' },
  'high-tech-va': { base: 600, growth: 10, noise: 3 },
  'other-services-revenue': { base: 300, growth: 7, noise: 3 },
  // Published as a growth rate only: the model's level gives the growth, the row has no value.
  'services-production-index': { base: 1000, growth: 6.3, noise: 1.5 },
  electricity: { base: 260, growth: 5, noise: 2 },
  'industrial-electricity': { base: 170, growth: 4, noise: 2.5 },
  'new-jobs': { base: 58000, growth: 3, noise: 4 },
  'unemployment-rate': { base: 5.2, growth: 0, noise: 0.15, unitLevel: true },
  'urban-income': { base: 48000, growth: 5.2, noise: 0.5, unitLevel: true },
  'import-export': { base: 600, growth: 3, noise: 7 },
  fdi: { base: 5, growth: 2, noise: 15 },
  'construction-output': { base: 1200, growth: 4, noise: 3, season: 'investment' },
  'freight-volume': { base: 25000, growth: 4, noise: 3 },
  'agri-output': { base: 400, growth: 3.6, noise: 0.8, season: 'harvest' },
  'tourist-arrivals': { base: 6000, growth: 9, noise: 6, season: 'tourism' },
  'real-estate-investment': { base: 400, growth: -8, noise: 5, season: 'investment' },
  'housing-sales-area': { base: 550, growth: -6, noise: 6 },
  'new-market-entities': { base: 80000, growth: 5, noise: 5 },
  deposits: { base: 8000, growth: 8, noise: 0.8 },
  loans: { base: 7000, growth: 7.5, noise: 0.8 },
  'wholesale-sales': { base: 2500, growth: 6.5, noise: 3 },
  'catering-revenue': { base: 180, growth: 6.5, noise: 3, season: 'consumption' },
  'domestic-capital': { base: 600, growth: 9, noise: 8 },
  'software-revenue': { base: 150, growth: 12, noise: 4 },
  'sci-services-revenue': { base: 120, growth: 10, noise: 4 },
  'self-employed-upgrades': { base: 300, growth: 10, noise: 10, unitLevel: true },
  'park-revenue': { base: 750, growth: 11, noise: 4, unitLevel: true },
  'new-above-scale-firms': { base: 800, growth: 8, noise: 10 },
  'investment-project-fai': { base: 90, growth: 12, noise: 8, unitLevel: true, season: 'investment' },
};
const DEFAULT_MODEL: IndicatorModel = { base: 100, growth: 5, noise: 3 };

/** Monthly shares of a year's flow (normalised below). */
const SEASONS = {
  even: [7.2, 6.4, 8.4, 8.1, 8.3, 8.8, 8.2, 8.1, 8.5, 8.6, 8.9, 10.5],
  investment: [3.5, 3.5, 7.5, 8, 9, 11.5, 8, 8.5, 10, 9, 9.5, 12],
  consumption: [9.5, 8, 7.8, 7.6, 8.4, 8.2, 7.7, 7.8, 8.2, 9, 8.6, 9.2],
  fiscal: [12, 6.5, 9, 10.5, 9, 7.5, 8.5, 7, 7.5, 8.5, 7, 7],
  harvest: [4, 4, 5.5, 6, 7, 10, 8, 9, 13, 12, 11, 10.5],
  tourism: [8, 9.5, 6.5, 8, 9.5, 7.5, 10, 10.5, 8, 10.5, 6, 6],
} as const;

interface UnitProfile {
  /** Share of the city's economy (regions); departments and working groups report for their whole area. */
  share?: number;
  /** Percentage points added to every growth rate. */
  offset?: number;
  /** Percentage points per year by which growth falls from January 2025: a visibly declining unit. */
  slope?: number;
  /** Extra points for single indicators. */
  indicators?: Record<string, number>;
  /** Noise multiplier. */
  volatility?: number;
}

// Strong, average, weak and declining regions so that lights and rankings show every colour.
const PROFILES: Record<string, UnitProfile> = {
  'andong-district': { share: 0.16, offset: 1 },
  'anxi-district': { share: 0.14 },
  'linjiang-district': { share: 0.1, offset: -1.5, slope: -3 },
  'hewan-district': { share: 0.11, offset: 0.3 },
  'qingshan-district': { share: 0.08, offset: -0.5, indicators: { 'industrial-va': -6 } },
  'songling-county': { share: 0.07, offset: 1, indicators: { 'industrial-va': 3 } },
  'baishi-county': { share: 0.06, slope: -2.5 },
  'yuntai-county': { share: 0.07, offset: 1.5 },
  'shiqiao-city': { share: 0.09, volatility: 1.8 },
  'high-tech-zone': { share: 0.12, offset: 2.5 },
  commerce: { indicators: { 'import-export': -3, fdi: -10 }, slope: -1 },
  housing: { indicators: { 'real-estate-investment': -2 } },
};

// ───────────────────────────── Periods ─────────────────────────────

/** Months as indexes counted from January of the model's first year. */
const monthIndex = (key: string) => {
  const [y, m] = key.split('-').map(Number) as [number, number];
  return (y - MODEL_START_YEAR) * 12 + (m - 1);
};
const periodKey = (index: number) => {
  const y = MODEL_START_YEAR + Math.floor(index / 12);
  const m = (index % 12) + 1;
  return `${y}-${String(m).padStart(2, '0')}`;
};

// ───────────────────────────── Series ─────────────────────────────

interface Series {
  cycle: string;
  unit: string;
  indicator: IndicatorConfig;
  /** Whose economy the figures describe: a working group reports for its zone. */
  entity: string;
  unitOrder: number;
  /** For a department reporting the city total of an indicator the regions also report: those regions. */
  sumOf: string[];
}

/** Every (cycle, unit, indicator) of the monthly cycles, skipping weekly indicators. */
export function monthlySeries(config: CityConfig): Series[] {
  const monthlyCycles = new Set(config.cycles.filter((c) => c.frequency === 'monthly').map((c) => c.code));
  const units = new Map(config.units.map((u, i) => [u.code, { ...u, order: i }]));
  const indicators = new Map(config.indicators.map((ind) => [ind.code, ind]));
  const seen = new Map<string, string>();
  const out: Series[] = [];
  for (const a of config.assignments) {
    const indicator = indicators.get(a.indicator)!;
    if (!monthlyCycles.has(a.cycle) || indicator.frequency === 'weekly') continue;
    for (const code of a.units) {
      // The history's request keys name period, unit and indicator: one monthly cycle per pair.
      const key = `${code}:${indicator.code}`;
      if (seen.has(key)) throw new Error(`${key} is assigned in two monthly cycles (${seen.get(key)}, ${a.cycle})`);
      seen.set(key, a.cycle);
      const unit = units.get(code)!;
      const entity = unit.kind === 'working_group' && unit.parent ? unit.parent : code;
      const regions = a.units.filter((u) => units.get(u)?.kind === 'region');
      const sumOf = unit.kind === 'department' ? regions : [];
      out.push({ cycle: a.cycle, unit: code, indicator, entity, unitOrder: unit.order, sumOf });
    }
  }
  return out;
}

export interface HistoryRow {
  cycle: string;
  period: string;
  unit: string;
  indicator: string;
  value: string;
  growth_pct: string;
}

function growthAt(model: IndicatorModel, profile: UnitProfile, indicator: string, index: number, rnd: () => number): number {
  const monthsDeclining = Math.max(0, index - monthIndex('2025-01'));
  return (
    model.growth +
    (profile.offset ?? 0) +
    (profile.indicators?.[indicator] ?? 0) +
    ((profile.slope ?? 0) * monthsDeclining) / 12 +
    normal(rnd) * model.noise * (profile.volatility ?? 1)
  );
}

/** Monthly flows (cumulative indicators) or levels (current ones) from January 2023 to the last month. */
function simulate(series: Series, last: number): number[] {
  const ind = series.indicator;
  const model = MODELS[ind.code] ?? DEFAULT_MODEL;
  const profile = PROFILES[series.entity] ?? {};
  const rnd = mulberry32(hashSeed(`${series.entity}:${ind.code}`));
  const scale = model.unitLevel ? 1 : (profile.share ?? 1);
  const season = SEASONS[model.season ?? 'even'];
  const seasonTotal = season.reduce((a, b) => a + b, 0);
  const out: number[] = [];
  for (let t = 0; t <= last; t++) {
    const month = t % 12;
    if (ind.growth_basis === 'none') {
      // A rate such as unemployment: a level with a small seasonal bump after Spring Festival.
      const bump = month === 1 || month === 2 ? 0.2 : 0;
      out.push(model.base - (profile.offset ?? 0) * 0.1 + bump + normal(rnd) * model.noise);
    } else if (t < 12) {
      const level = model.base * scale * (1 + normal(rnd) * 0.01);
      out.push(ind.value_kind === 'cumulative' ? (level * season[month]!) / seasonTotal : level * (1 + 0.004 * month));
    } else {
      out.push(out[t - 12]! * (1 + growthAt(model, profile, ind.code, t, rnd) / 100));
    }
  }
  return out;
}

function sumSeries(parts: number[][]): number[] {
  return parts[0]!.map((_, t) => parts.reduce((sum, p) => sum + p[t]!, 0));
}

const isReported = (ind: IndicatorConfig, month: number) => ind.frequency !== 'quarterly' || month % 3 === 2;

/** Fixed-point text without "-0.00". */
function fixed(n: number, decimals: number): string {
  const s = n.toFixed(decimals);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

export function generateHistory(config: CityConfig): HistoryRow[] {
  const first = monthIndex(FIRST_PERIOD);
  const last = monthIndex(LAST_PERIOD);
  const rows: (HistoryRow & { order: [number, number, number] })[] = [];
  const indicatorOrder = new Map(config.indicators.map((ind, i) => [ind.code, i]));
  const cycleOrder = new Map(config.cycles.map((c, i) => [c.code, i]));
  // The city total of an indicator the regions report is their sum, so averages and totals agree.
  const simulated = new Map<string, number[]>();
  const levels = (s: Series): number[] => {
    const key = `${s.entity}:${s.indicator.code}`;
    let level = simulated.get(key);
    if (!level) {
      level = s.sumOf.length
        ? sumSeries(s.sumOf.map((entity) => levels({ ...s, entity, sumOf: [] })))
        : simulate(s, last);
      simulated.set(key, level);
    }
    return level;
  };
  for (const s of monthlySeries(config)) {
    const level = levels(s);
    const cumulative = s.indicator.value_kind === 'cumulative';
    const valueAt = (t: number) => {
      if (!cumulative) return level[t]!;
      let sum = 0;
      for (let m = t - (t % 12); m <= t; m++) sum += level[m]!;
      return sum;
    };
    for (let t = first; t <= last; t++) {
      if (!isReported(s.indicator, t % 12)) continue;
      const value = valueAt(t);
      const growth = s.indicator.growth_basis !== 'none' ? fixed((value / valueAt(t - 12) - 1) * 100, s.indicator.growth_only ? 1 : 2) : '';
      rows.push({
        cycle: s.cycle,
        period: periodKey(t),
        unit: s.unit,
        indicator: s.indicator.code,
        value: s.indicator.growth_only ? '' : fixed(value, s.indicator.decimals),
        growth_pct: growth,
        order: [cycleOrder.get(s.cycle)!, s.unitOrder, indicatorOrder.get(s.indicator.code)!],
      });
    }
  }
  rows.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0) || a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.order[2] - b.order[2]);
  return rows.map(({ order: _order, ...row }) => row);
}

export const HISTORY_COLUMNS = ['cycle', 'period', 'unit', 'indicator', 'value', 'growth_pct'] as const;

export function toCsv(rows: HistoryRow[]): string {
  return [HISTORY_COLUMNS.join(','), ...rows.map((r) => HISTORY_COLUMNS.map((c) => r[c]).join(','))].join('\n') + '\n';
}

async function main(): Promise<void> {
  const [configPath = 'config/demo-city.yaml', outPath = 'config/demo-history.csv'] = process.argv.slice(2);
  const config = await loadCityConfigFile(configPath);
  const rows = generateHistory(config);
  await writeFile(outPath, toCsv(rows));
  console.log(`Wrote ${rows.length} figures (${FIRST_PERIOD} … ${LAST_PERIOD}) to ${outPath}`);
}

// Run as a script, not when imported by a test.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
