// Domain: the month as the 经济运行专报 reads it — plain, JSON-able facts gathered at close (gather.ts),
// from which the narratives are drafted (narrative.ts) and the docx is rendered (src/report). Pure helpers
// only here: the city's figure from its members is value-weighted, never a mean of rates.
import { impliedBase } from '../lights/rules.ts';

export type Light = 'GREEN' | 'YELLOW' | 'RED';

export interface CityFigure {
  value: number | null;
  growthPct: number | null;
  /** 'city': the city's own figure (its submission or its lead department's); 'sum': its regions added up; null: none. */
  source: 'city' | 'sum' | null;
  /** Regions without a figure this period (a sum is only made when every region reported). */
  missing: number;
}

export interface UnitGrowth {
  unit: string;
  growthPct: number;
}

export interface IndicatorFacts {
  code: string;
  name: string;
  measureUnit: string;
  decimals: number;
  direction: 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER';
  /** 累计 (1-11月) or 当期 (11月). */
  cumulative: boolean;
  /** Growth-based (同比) or judged by its value. */
  yoy: boolean;
  city: CityFigure;
  /** The city's target growth for the period (month, else quarter, else year), if set. */
  targetPct: number | null;
  /** The city's growth last month (same year only: a cumulative figure restarts in January). */
  previousGrowthPct: number | null;
  /** The city's own light, when the lights gave it one. */
  light: Light | null;
  /** Lights of the units this period. */
  lights: { red: number; yellow: number; green: number };
  /** Regions with a figure, best first (as the ranking reads them), at most a few each end: growth, or the value when not `yoy`. */
  best: UnitGrowth[];
  worst: UnitGrowth[];
  regions: number;
  /** The city's growth over the last 12 months, oldest first. */
  trend: { periodKey: string; growthPct: number | null }[];
}

export interface RankingFacts {
  method: string;
  total: number;
  /** First and last places (at most 20 each), best first. */
  entries: { rank: number; tied: boolean; unit: string; score: number; previousRank: number | null }[];
}

export interface ProblemFacts {
  unit: string;
  indicator: string;
  light: Light | null;
  problems: string | null;
  measures: string | null;
}

export interface MonthFacts {
  periodId: string;
  periodKey: string;
  /** 2026年11月 */
  periodLabel: string;
  cityName: string;
  units: { total: number; submitted: number; missing: number };
  indicators: IndicatorFacts[];
  ranking: RankingFacts | null;
  seats: { exchange: string[]; statement: string[]; interview: string[]; confirmed: boolean } | null;
  problems: ProblemFacts[];
  /** Submissions with a 困难问题 or 措施建议 in all (the list above is the most urgent few). */
  problemCount: number;
  warnings: { red: number; yellow: number; acknowledged: number };
  /** Every task on record as the report is drafted (statuses now), and those assigned during the month. */
  tasks: { open: number; inProgress: number; awaitingClose: number; done: number; overdue: number; assignedInMonth: number };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The city's figure from its regions: the total value, and the growth of the total over the total of
 * last year's values (each region's implied by its value and growth) — so a large region weighs more
 * than a small one, as in the statistics bureau's own sum. Null growth unless every region has one.
 */
export function cityFromRegions(regions: { value: number | null; growthPct: number | null }[]): { value: number | null; growthPct: number | null; missing: number } {
  const missing = regions.filter((r) => r.value === null).length;
  if (!regions.length || missing) return { value: null, growthPct: null, missing };
  let value = 0;
  let base = 0;
  let growthKnown = true;
  for (const r of regions) {
    value += r.value!;
    const b = impliedBase(r.value, r.growthPct);
    if (b === null) growthKnown = false;
    else base += b;
  }
  return { value, growthPct: growthKnown && base > 0 ? round1((value / base - 1) * 100) : null, missing: 0 };
}

/** 「1-11月」 for a cumulative figure (「1月」 in January), 「11月」 for the month's own. */
export function spanLabel(periodKey: string, cumulative: boolean): string {
  const m = Number(periodKey.slice(5, 7));
  return cumulative && m > 1 ? `1-${m}月` : `${m}月`;
}

/** The month before in the same year (2026-11 → 2026-10); null in January. */
export function previousMonthKey(periodKey: string): string | null {
  const m = Number(periodKey.slice(5, 7));
  return m > 1 ? `${periodKey.slice(0, 4)}-${String(m - 1).padStart(2, '0')}` : null;
}

/** The 12 months ending with `periodKey`, oldest first. */
export function last12Months(periodKey: string): string[] {
  const y = Number(periodKey.slice(0, 4));
  const m = Number(periodKey.slice(5, 7));
  return Array.from({ length: 12 }, (_, i) => {
    const k = y * 12 + (m - 1) - (11 - i);
    return `${Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
  });
}
