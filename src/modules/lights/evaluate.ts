// Lights for a whole period (every unit × indicator) and after one submission (the unit and its siblings).
import {
  evaluateLight,
  peerReference,
  peerStats,
  peersWordOf,
  weightedGrowth,
  resolveRules,
  type Evaluation,
  type LightIndicator,
  type LightInput,
  type PeerReference,
  type PeerStats,
  type CompareWith,
  type RuleConfig,
  type SeriesPoint,
} from './rules.ts';

/** Vintage codes in LightsDataset.vintage. */
export const VINTAGE_NONE = 0;
export const VINTAGE_FLASH = 1;
export const VINTAGE_OFFICIAL = 2;

/**
 * Figures in memory, no DB. Cube arrays are laid out [indicator][unit][period]:
 * index = (indicator * units.length + unit) * periods.length + period; NaN = no figure.
 */
export interface LightsDataset {
  /** Oldest first, contiguous (a missing figure is NaN, not a missing period). */
  periods: { key: string; label: string }[];
  /** Periods per year, to find the base of a null growth (12 monthly, 4 quarterly); 0 = unknown. */
  periodsPerYear: number;
  parents: { code: string; name: string; /** '全市' by default */ peerLabel?: string }[];
  /** `parent` indexes `parents`: siblings share a parent; `kind` names them (各区县 for REGION, the default). */
  units: { code: string; name: string; parent: number; kind?: string }[];
  /** `additive`: values add up, so the siblings' value-weighted growth is a reference (compare_with). */
  indicators: (LightIndicator & { compareWith?: CompareWith; additive?: boolean })[];
  /** Config warning_rules as they are (indicator-specific beats default). */
  rules: (RuleConfig & { indicator?: string })[];
  growth: Float64Array;
  value: Float64Array;
  /** Resolved target growth (basis 'none': target value) per cell and period. */
  target: Float64Array;
  vintage: Uint8Array;
  /** Overdue key tasks now, [indicator][unit]. */
  overdue: Uint16Array;
  /** The parents' own figures (growth; value for basis 'none'), [indicator][parent][period]; NaN = none. */
  parentFigure?: Float64Array;
}

export interface LightResult {
  indicator: string;
  unit: string;
  periodKey: string;
  evaluation: Evaluation;
}

/** One submitted (or revised) figure. */
export interface Submission {
  indicator: string;
  unit: string;
  periodKey: string;
  growthPct: number | null;
  value: number | null;
  vintage: 'FLASH' | 'OFFICIAL';
}

/** Builds an empty dataset of the right shape (all NaN) for a caller to fill. */
export function emptyDataset(shape: Omit<LightsDataset, 'growth' | 'value' | 'target' | 'vintage' | 'overdue'>): LightsDataset {
  const cells = shape.indicators.length * shape.units.length;
  const n = cells * shape.periods.length;
  return {
    ...shape,
    growth: new Float64Array(n).fill(NaN),
    value: new Float64Array(n).fill(NaN),
    target: new Float64Array(n).fill(NaN),
    vintage: new Uint8Array(n),
    overdue: new Uint16Array(cells),
  };
}

function nullable(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

function indexOf<T extends { code: string }>(list: readonly T[], code: string, what: string): number {
  const i = list.findIndex((x) => x.code === code);
  if (i < 0) throw new Error(`unknown ${what} "${code}"`);
  return i;
}

function periodIndex(ds: LightsDataset, periodKey: string | undefined): number {
  if (periodKey === undefined) return ds.periods.length - 1;
  const p = ds.periods.findIndex((x) => x.key === periodKey);
  if (p < 0) throw new Error(`unknown period "${periodKey}"`);
  return p;
}

/** Unit indices per parent, in unit order. */
function groupByParent(ds: LightsDataset): Int32Array[] {
  const counts = new Int32Array(ds.parents.length);
  for (const u of ds.units) counts[u.parent]!++;
  const groups = Array.from(counts, (n) => new Int32Array(n));
  const fill = new Int32Array(ds.parents.length);
  ds.units.forEach((u, i) => {
    groups[u.parent]![fill[u.parent]!++] = i;
  });
  return groups;
}

/** How many points the rules look back: the longest declining_trend streak they grade, plus one. */
function seriesLength(rules: readonly RuleConfig[]): number {
  let n = 1;
  for (const r of rules) if (r.kind === 'declining_trend') n = Math.max(n, Math.ceil(Math.max(r.red, r.yellow)) + 1);
  return n;
}

/** A sibling group as its members' lights see it. */
interface Group {
  siblings: { unitCode: string; growthPct: number }[];
  stats: PeerStats;
  reference: PeerReference | null;
}

/** Evaluates one indicator for the given units of one parent, sharing the siblings and their stats. */
class IndicatorPass {
  private readonly U: number;
  private readonly P: number;
  readonly rules: RuleConfig[];
  private readonly len: number;

  constructor(
    private readonly ds: LightsDataset,
    private readonly i: number,
    private readonly p: number,
  ) {
    this.U = ds.units.length;
    this.P = ds.periods.length;
    this.rules = resolveRules(ds.rules, ds.indicators[i]!.code);
    this.len = seriesLength(this.rules);
  }

  private at(u: number, p: number): number {
    return (this.i * this.U + u) * this.P + p;
  }

  private metric(u: number): number {
    const k = this.at(u, this.p);
    return this.ds.indicators[this.i]!.basis === 'none' ? this.ds.value[k]! : this.ds.growth[k]!;
  }

  /** Siblings with a figure this period, and their stats, once per parent. */
  peers(members: Int32Array): Group {
    const { ds } = this;
    const ind = ds.indicators[this.i]!;
    const siblings: { unitCode: string; growthPct: number }[] = [];
    const levels: { value: number | null; base: number | null }[] = [];
    const ly = ds.periodsPerYear > 0 && this.p >= ds.periodsPerYear ? this.p - ds.periodsPerYear : -1;
    for (const u of members) {
      const m = this.metric(u);
      if (!Number.isNaN(m)) siblings.push({ unitCode: ds.units[u]!.code, growthPct: m });
      // Levels only matter where they add up and last year is in the dataset.
      if (ind.additive && ly >= 0) levels.push({ value: nullable(ds.value[this.at(u, this.p)]!), base: nullable(ds.value[this.at(u, ly)]!) });
    }
    const stats = peerStats(siblings, ind.direction);
    const first = ds.units[members[0]!]!;
    const parent = first.parent;
    const reference = peerReference(ind, {
      compareWith: ind.compareWith ?? 'parent',
      parent: ds.parentFigure ? nullable(ds.parentFigure[(this.i * ds.parents.length + parent) * this.P + this.p]!) : null,
      weighted: ind.additive ? weightedGrowth(levels) : null,
      peers: stats,
      parentWord: ds.parents[parent]?.peerLabel ?? '全市',
      peersWord: peersWordOf(first.kind ?? 'REGION'),
    });
    return { siblings, stats, reference };
  }

  private series(u: number): SeriesPoint[] {
    const { ds, p } = this;
    const from = Math.max(0, p - this.len + 1);
    const out: SeriesPoint[] = new Array(p - from + 1);
    for (let q = from; q <= p; q++) {
      const k = this.at(u, q);
      const point: SeriesPoint = { periodKey: ds.periods[q]!.key, growthPct: nullable(ds.growth[k]!), value: nullable(ds.value[k]!) };
      // Only a null growth needs its base, to say why.
      if (q === p && point.growthPct === null && ds.periodsPerYear > 0) {
        point.base = q >= ds.periodsPerYear ? nullable(ds.value[this.at(u, q - ds.periodsPerYear)]!) : undefined;
      }
      out[q - from] = point;
    }
    return out;
  }

  evaluate(u: number, group: Group): LightResult {
    const { ds, p } = this;
    const k = this.at(u, p);
    const unit = ds.units[u]!;
    const input: LightInput = {
      indicator: ds.indicators[this.i]!,
      unit,
      periodKey: ds.periods[p]!.key,
      periodLabel: ds.periods[p]!.label,
      series: this.series(u),
      targetPct: nullable(ds.target[k]!),
      siblings: group.siblings,
      peers: group.stats,
      reference: group.reference,
      overdueTasks: ds.overdue[this.i * this.U + u]!,
      vintage: ds.vintage[k] === VINTAGE_FLASH ? 'FLASH' : 'OFFICIAL',
    };
    return { indicator: input.indicator.code, unit: unit.code, periodKey: input.periodKey, evaluation: evaluateLight(input, this.rules) };
  }
}

/** Every unit × indicator for one period (default the latest); siblings' average and ranking computed once per indicator × parent. */
export function evaluateAll(ds: LightsDataset, opts: { periodKey?: string } = {}): LightResult[] {
  const p = periodIndex(ds, opts.periodKey);
  const groups = groupByParent(ds);
  const out: LightResult[] = [];
  for (let i = 0; i < ds.indicators.length; i++) {
    const pass = new IndicatorPass(ds, i, p);
    for (const members of groups) {
      if (!members.length) continue;
      const group = pass.peers(members);
      for (const u of members) out.push(pass.evaluate(u, group));
    }
  }
  return out;
}

/**
 * After one submission: the unit's own light and, since the average and the ranking moved, its
 * siblings' lights for that indicator. Call recordFigure() first to put the figure in.
 */
export function evaluateOne(ds: LightsDataset, at: { indicator: string; unit: string; periodKey?: string }): { own: LightResult; siblings: LightResult[] } {
  const i = indexOf(ds.indicators, at.indicator, 'indicator');
  const u = indexOf(ds.units, at.unit, 'unit');
  const p = periodIndex(ds, at.periodKey);
  const parent = ds.units[u]!.parent;
  const members = Int32Array.from(ds.units.flatMap((x, j) => (x.parent === parent ? [j] : [])));
  const pass = new IndicatorPass(ds, i, p);
  const group = pass.peers(members);
  const siblings: LightResult[] = [];
  let own: LightResult | undefined;
  for (const m of members) {
    const r = pass.evaluate(m, group);
    if (m === u) own = r;
    else siblings.push(r);
  }
  return { own: own!, siblings };
}

/** Writes one submitted or revised figure into the dataset (the one mutation here). */
export function recordFigure(ds: LightsDataset, s: Submission): void {
  const i = indexOf(ds.indicators, s.indicator, 'indicator');
  const u = indexOf(ds.units, s.unit, 'unit');
  const p = periodIndex(ds, s.periodKey);
  const k = (i * ds.units.length + u) * ds.periods.length + p;
  ds.growth[k] = s.growthPct ?? NaN;
  ds.value[k] = s.value ?? NaN;
  ds.vintage[k] = s.vintage === 'FLASH' ? VINTAGE_FLASH : VINTAGE_OFFICIAL;
}
