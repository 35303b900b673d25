// Light rules (seed 001 第五条): each rule a pure function of one unit's figures and its configured thresholds.
import { formatValue } from '../shared/numbers.ts';

export type Light = 'GREEN' | 'YELLOW' | 'RED';
export type Direction = 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER';
export type RuleKind = 'gap_to_target' | 'below_average' | 'rank_bottom' | 'declining_trend' | 'overdue_tasks' | 'negative_growth';

export interface SeriesPoint {
  periodKey: string;
  growthPct: number | null;
  value: number | null;
  /** Same period last year when the caller knows it: tells a non-positive base from a missing one. */
  base?: number | null;
}

export interface LightIndicator {
  code: string;
  name: string;
  direction: Direction;
  measureUnit: string;
  /** growth_basis: 'yoy' (default) compares growth; 'none' (e.g. 失业率) compares the value itself. */
  basis?: 'yoy' | 'none';
  /** The indicator's own decimals, for values as printed (absent: one decimal). */
  decimals?: number;
}

/** compare_with of an indicator: what below_average compares a unit with. */
export type CompareWith = 'parent' | 'weighted' | 'mean';

/**
 * What below_average compares with, as the reason names it: the parent's own figure (全市增速), the
 * siblings' value-weighted growth or the plain mean of their metrics (各区县平均).
 */
export interface PeerReference {
  basis: 'parent' | 'weighted' | 'mean';
  /** Growth in percent (the value for basis 'none'). */
  value: number;
  /** '全市增速', '全市水平', '各区县平均'. */
  label: string;
}

/** Measure units whose values add up (a total for the parent makes sense); rates, prices and indices do not. */
const ADDITIVE = /(元|千瓦时|吨|人|户|辆|平方米|人次)$/;

/** Whether an indicator's values add up: 亿元, 万千瓦时, 人… but not %, 元/吨 or an index. */
export function addsUp(measureUnit: string): boolean {
  return ADDITIVE.test(measureUnit) && !measureUnit.includes('/');
}

/** Siblings' figures digested once: shared by every sibling when a whole group is evaluated. */
export interface PeerStats {
  count: number;
  /** Mean of the raw metrics. */
  mean: number;
  /** One-decimal metrics, best first (the order of the ranking). */
  sorted: Float64Array;
}

export interface LightInput {
  indicator: LightIndicator;
  unit: { code: string; name: string };
  periodKey: string;
  periodLabel: string;
  /** This unit's recent figures in force, oldest first, ending with this period; a missing period is a null point. */
  series: SeriesPoint[];
  /** Target growth for this period (for basis 'none': the target value), already resolved by the caller. */
  targetPct: number | null;
  /** Target value for this period ({ value: … } in the city file), already resolved by the caller. */
  targetValue?: number | null;
  /** Siblings' metric this period (growth; the value for basis 'none'), including this unit. */
  siblings: { unitCode: string; growthPct: number }[];
  /** Precomputed from `siblings` by peerStats(); saves the work when many siblings are evaluated together. */
  peers?: PeerStats;
  /** What below_average compares with (peerReference()); by default the plain mean of `siblings`. */
  reference?: PeerReference | null;
  /** How the siblings are named in '低于各区县平均': 各区县, 各部门…; '同级单位' by default. */
  peersWord?: string;
  /** Overdue key tasks of the unit for this indicator. */
  overdueTasks: number;
  /** The top unit (a city over its districts): it has no siblings, so the peer rules neither judge nor say so. */
  top?: boolean;
  vintage: 'FLASH' | 'OFFICIAL';
}

export interface RuleConfig {
  code: string;
  kind: RuleKind;
  yellow: number;
  red: number;
  params?: Record<string, unknown>;
}

export interface RuleHit {
  rule: string;
  kind: RuleKind;
  light: Light;
  text: string;
}

/** Ranking and average need this many units, or they say nothing. */
export const MIN_PEERS = 3;

const SEVERITY: Record<Light, number> = { GREEN: 0, YELLOW: 1, RED: 2 };

export function worse(a: Light, b: Light): Light {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

// ───────────── numbers as the leader reads them ─────────────

/** Rounds half away from zero to one decimal; every comparison uses the figures as printed. */
export function r1(x: number): number {
  const r = Math.round(Math.abs(x) * 10 + 1e-7) / 10;
  return x < 0 ? -r : r;
}

/** One decimal, e.g. '8.0'; never '-0.0'. */
export function fmt1(x: number): string {
  return (r1(x) + 0).toFixed(1);
}

function usesValue(ind: LightIndicator): boolean {
  return ind.basis === 'none';
}

function isPercent(ind: LightIndicator): boolean {
  return !usesValue(ind) || ind.measureUnit === '%';
}

/** A value with the indicator's own decimals ('14,095,656'); growth rates keep one. */
function valueText(ind: LightIndicator, x: number): string {
  return ind.decimals === undefined ? fmt1(x) : formatValue(x, ind.decimals);
}

/** A level: '3.2%' or '123.4 亿元'. */
function level(ind: LightIndicator, x: number): string {
  if (!usesValue(ind)) return `${fmt1(x)}%`;
  return isPercent(ind) ? `${valueText(ind, x)}%` : `${valueText(ind, x)} ${ind.measureUnit}`;
}

/** A difference: '4.8 个百分点' or '6.6 亿元'. */
function points(ind: LightIndicator, x: number): string {
  if (!usesValue(ind)) return `${fmt1(x)} 个百分点`;
  return isPercent(ind) ? `${valueText(ind, x)} 个百分点` : `${valueText(ind, x)} ${ind.measureUnit}`;
}

/** A value as such (not a growth): '5.8%' for a percentage indicator, else '1,200.00 亿元' (its decimals). */
function valueLevel(ind: LightIndicator, x: number): string {
  return ind.measureUnit === '%' ? `${fmt1(x)}%` : `${valueText(ind, x)} ${ind.measureUnit}`;
}

/** A difference of values: '0.3 个百分点' for a percentage indicator, else '6.6 亿元'. */
function valuePoints(ind: LightIndicator, x: number): string {
  return ind.measureUnit === '%' ? `${fmt1(x)} 个百分点` : `${valueText(ind, x)} ${ind.measureUnit}`;
}

function num(x: number | null | undefined): number | null {
  return x === null || x === undefined || Number.isNaN(x) ? null : x;
}

/** The compared figure of a point: growth, or the value for basis 'none'; null when there is none. */
export function metricOf(ind: LightIndicator, p: SeriesPoint | undefined): number | null {
  if (!p) return null;
  const m = usesValue(ind) ? p.value : p.growthPct;
  return m === null || m === undefined || Number.isNaN(m) ? null : m;
}

/** This period's point, or undefined when the series does not reach it. */
export function currentPoint(input: LightInput): SeriesPoint | undefined {
  const last = input.series.at(-1);
  return last && last.periodKey === input.periodKey ? last : undefined;
}

function currentMetric(input: LightInput): number | null {
  return metricOf(input.indicator, currentPoint(input));
}

/** Positive when the unit is worse than the reference, in the indicator's own direction. */
function shortfall(ind: LightIndicator, actual: number, reference: number): number {
  const d = ind.direction === 'LOWER_IS_BETTER' ? r1(actual) - r1(reference) : r1(reference) - r1(actual);
  return r1(d);
}

/** '增速 3.2%' or '本期 5.7%'. */
export function leadText(input: LightInput): string {
  const p = currentPoint(input);
  const m = metricOf(input.indicator, p);
  if (m !== null) return usesValue(input.indicator) ? `本期 ${level(input.indicator, m)}` : `增速 ${fmt1(m)}%`;
  const v = p?.value;
  return v === null || v === undefined || Number.isNaN(v) ? '本期无数' : `本期 ${valueText(input.indicator, v)} ${input.indicator.measureUnit}`;
}

// ───────────── thresholds ─────────────

/** Amount above red → RED, above yellow → YELLOW (points: strictly more than the threshold). */
function gradeAbove(amount: number, rule: RuleConfig): Light | null {
  if (amount > rule.red) return 'RED';
  if (amount > rule.yellow) return 'YELLOW';
  return null;
}

/** Count at least red → RED, at least yellow → YELLOW (periods, tasks). */
function gradeAtLeast(count: number, rule: RuleConfig): Light | null {
  if (count >= rule.red && count > 0) return 'RED';
  if (count >= rule.yellow && count > 0) return 'YELLOW';
  return null;
}

function hit(rule: RuleConfig, light: Light | null, text: string): RuleHit | null {
  return light ? { rule: rule.code, kind: rule.kind, light, text } : null;
}

function numParam(rule: RuleConfig, name: string, fallback: number): number {
  const v = rule.params?.[name];
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

// ───────────── peers ─────────────

/** Mean and ranking order of the siblings' metrics; compute once per indicator × parent. */
export function peerStats(siblings: readonly { growthPct: number }[], direction: Direction): PeerStats {
  const sorted = new Float64Array(siblings.length);
  let sum = 0;
  for (let i = 0; i < siblings.length; i++) {
    const g = siblings[i]!.growthPct;
    sum += g;
    sorted[i] = r1(g);
  }
  sorted.sort();
  if (direction === 'HIGHER_IS_BETTER') sorted.reverse();
  return { count: siblings.length, mean: siblings.length ? sum / siblings.length : NaN, sorted };
}

/** The peers of the input, with this unit added when the caller left it out. */
export function peersOf(input: LightInput): PeerStats {
  if (input.peers) return input.peers;
  const own = currentMetric(input);
  const sibs = input.siblings;
  const withOwn = own !== null && !sibs.some((s) => s.unitCode === input.unit.code) ? [...sibs, { unitCode: input.unit.code, growthPct: own }] : sibs;
  return peerStats(withOwn, input.indicator.direction);
}

/** Competition ranking: ties share the better rank (two units at 5.0% both 3rd, the next 5th); `worst` is the tie's last place (4th). */
export function rankIn(peers: PeerStats, metric: number, direction: Direction): { rank: number; tied: boolean; worst: number } {
  const m = r1(metric);
  const s = peers.sorted;
  const better = direction === 'HIGHER_IS_BETTER' ? (x: number) => x > m : (x: number) => x < m;
  // Binary search for the first entry not better than m.
  let lo = 0;
  let hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (better(s[mid]!)) lo = mid + 1;
    else hi = mid;
  }
  const tied = s[lo] === m && s[lo + 1] === m;
  // The last of the units tied with m: a tie at the bottom counts as the worse place.
  let last = lo;
  while (s[last + 1] === m) last++;
  return { rank: lo + 1, tied, worst: last + 1 };
}

/**
 * A level a year earlier as its reported growth implies it: value / (1 + growth), the base the growth was
 * computed on (同口径); null without a value or with a growth of −100 % or less. baseSql is the same in SQL.
 */
export function impliedBase(value: number | null, growthPct: number | null): number | null {
  return value === null || growthPct === null || growthPct <= -100 ? null : value / (1 + growthPct / 100);
}

/**
 * The siblings' value-weighted growth: Σ this period / Σ same period last year − 1, over the siblings
 * with both levels (the base positive: impliedBase, else last year's level). The same arithmetic as the
 * parent's total, over fewer units.
 */
export function weightedGrowth(levels: readonly { value: number | null; base: number | null }[]): { count: number; growthPct: number } | null {
  let now = 0;
  let base = 0;
  let count = 0;
  for (const l of levels) {
    const v = num(l.value);
    const b = num(l.base);
    if (v === null || b === null || b <= 0) continue;
    now += v;
    base += b;
    count++;
  }
  return count ? { count, growthPct: (now / base - 1) * 100 } : null;
}

/** The facts below_average may compare with, gathered by the caller for one sibling group. */
export interface ReferenceFacts {
  /** The indicator's compare_with; 'parent' by default. */
  compareWith?: CompareWith;
  /** The parent's own figure in force (growth; the value for basis 'none'), or its members' total when it has none. */
  parent: number | null;
  /** The siblings' value-weighted growth (weightedGrowth()); null when their values do not add up. */
  weighted: { count: number; growthPct: number } | null;
  peers: PeerStats;
  /** 全市, 全区, 全省… */
  parentWord: string;
  /** 各区县, 各部门… */
  peersWord: string;
}

/**
 * What officials mean by 全市平均: the parent's own figure (its official figure when imported); else,
 * for indicators whose values add up, the siblings' value-weighted growth; else the plain mean of the
 * siblings' metrics. compare_with 'weighted' starts at the weighted growth, 'mean' uses the mean only.
 * The weighted growth and the mean need MIN_PEERS siblings with a figure; the parent's figure does not.
 */
export function peerReference(ind: LightIndicator, f: ReferenceFacts): PeerReference | null {
  const start = f.compareWith === 'mean' ? 2 : f.compareWith === 'weighted' ? 1 : 0;
  const parent = num(f.parent);
  if (start <= 0 && parent !== null) return { basis: 'parent', value: parent, label: `${f.parentWord}${usesValue(ind) ? '水平' : '增速'}` };
  if (start <= 1 && !usesValue(ind) && f.weighted) {
    const w = f.weighted;
    if (w.count >= MIN_PEERS) return { basis: 'weighted', value: w.growthPct, label: `${f.peersWord}平均` };
  }
  if (f.peers.count >= MIN_PEERS) return { basis: 'mean', value: f.peers.mean, label: `${f.peersWord}平均` };
  return null;
}

/** The reference of the input: the caller's, else the plain mean of the siblings (null: too few). */
export function referenceOf(input: LightInput): PeerReference | null {
  if (input.reference !== undefined) return input.reference;
  const peers = peersOf(input);
  return peers.count >= MIN_PEERS ? { basis: 'mean', value: peers.mean, label: `${input.peersWord ?? '同级单位'}平均` } : null;
}

/**
 * How the parent is named in 「低于全市增速」: 全 + the last character of its short name (else name) when
 * that is 省, 市, 州, 盟, 县, 区 or 旗 (鞍江市 → 全市, 湖南省 → 全省, 松岭县 → 全县, 经开区 → 全区); else 全市
 * for a unit of kind city; else the parent's short name itself (市发改委).
 */
export function parentWordOf(parent: { name: string; shortName?: string | null; kind: string } | undefined): string {
  if (!parent) return '上级';
  const name = (parent.shortName ?? parent.name).trim();
  const last = name.replace(/[（(][^）)]*[）)]$/, '').slice(-1);
  if ('省市州盟县区旗'.includes(last) && last) return `全${last}`;
  if (parent.kind === 'CITY') return '全市';
  return name;
}

/** How a group of siblings is named in 「低于各区县平均」, by their kind. */
export function peersWordOf(kind: string): string {
  return ({ CITY: '各市州', REGION: '各区县', DEPARTMENT: '各部门', WORKING_GROUP: '各工作组', STREET: '各街镇', OFFICE: '各单位' } as Record<string, string>)[kind] ?? '同级单位';
}

// ───────────── the rules ─────────────

export type Rule = (input: LightInput, rule: RuleConfig) => RuleHit | null;

interface TargetGap {
  gap: number;
  /** 目标进度 8.0% or 目标 5.5% */
  target: string;
  /** What is compared: 增速 3.2%, 本期 5.8%. */
  subject: string;
  /** The gap as printed: 4.8 个百分点. */
  amount: string;
}

/** The target gaps of this period: growth against the growth target, the value against a value target. */
function targetGaps(input: LightInput): TargetGap[] {
  const ind = input.indicator;
  const out: TargetGap[] = [];
  const g = usesValue(ind) ? null : currentMetric(input);
  const tg = usesValue(ind) ? null : num(input.targetPct);
  if (g !== null && tg !== null) {
    const gap = shortfall(ind, g, tg);
    out.push({ gap, target: `目标进度 ${level(ind, tg)}`, subject: leadText(input), amount: points(ind, gap) });
  }
  // basis 'none' carries its value target in targetPct too (the callers' older contract).
  const v = num(currentPoint(input)?.value);
  const tv = num(input.targetValue) ?? (usesValue(ind) ? num(input.targetPct) : null);
  if (v !== null && tv !== null) {
    const gap = shortfall(ind, v, tv);
    out.push({ gap, target: `目标 ${valueLevel(ind, tv)}`, subject: usesValue(ind) ? leadText(input) : `本期 ${valueLevel(ind, v)}`, amount: valuePoints(ind, gap) });
  }
  return out;
}

/** 增速 3.2%，低于目标进度 8.0% 4.8 个百分点 · 本期 5.2%，低于目标 5.5% · 增速 8.0%，达到目标进度 8.0%. */
function gapText(ind: LightInput['indicator'], t: TargetGap, withAmount: boolean): string {
  const lower = ind.direction === 'LOWER_IS_BETTER';
  if (t.gap === 0) return `${t.subject}，达到${t.target}`;
  const side = t.gap > 0 === lower ? '高于' : '低于';
  return `${t.subject}，${side}${t.target}${withAmount && t.gap > 0 ? ` ${t.amount}` : ''}`;
}

/** gap = target − growth (LOWER_IS_BETTER: growth − target); a value target likewise on the value. */
const gapToTarget: Rule = (input, rule) => {
  let light: Light | null = null;
  const texts: string[] = [];
  for (const t of targetGaps(input)) {
    const l = gradeAbove(t.gap, rule);
    if (!l) continue;
    light = light ? worse(light, l) : l;
    texts.push(gapText(input.indicator, t, true));
  }
  return hit(rule, light, texts.join('；'));
};

const belowAverage: Rule = (input, rule) => {
  const m = currentMetric(input);
  if (m === null) return null;
  const ref = referenceOf(input);
  if (!ref) return null;
  const ind = input.indicator;
  const d = shortfall(ind, m, ref.value);
  const side = ind.direction === 'LOWER_IS_BETTER' ? '高于' : '低于';
  return hit(rule, gradeAbove(d, rule), `${side}${ref.label} ${level(ind, ref.value)} ${points(ind, d)}`);
};

/**
 * Bottom `red` places → RED, bottom `yellow` → YELLOW; a tie counts as the worse place (two units tied
 * last of 10 are both 并列倒数第 1). A tie reaching into the upper half (better rank ≤ ⌈n/2⌉) is never
 * "bottom", so yellow 3 spares the 2nd of 4 and a group all tied.
 */
const rankBottom: Rule = (input, rule) => {
  const m = currentMetric(input);
  if (m === null) return null;
  const peers = peersOf(input);
  if (peers.count < MIN_PEERS) return null;
  const { rank, tied, worst } = rankIn(peers, m, input.indicator.direction);
  if (rank <= Math.ceil(peers.count / 2)) return null;
  const fromBottom = peers.count - worst + 1;
  const light: Light | null = fromBottom <= rule.red ? 'RED' : fromBottom <= rule.yellow ? 'YELLOW' : null;
  return hit(rule, light, tied ? `在 ${peers.count} 个单位中并列倒数第 ${fromBottom}` : `在 ${peers.count} 个单位中排名第 ${rank}`);
};

function periodWord(periodKey: string): string {
  if (/Q\d/i.test(periodKey)) return '个季度';
  if (/W\d/i.test(periodKey)) return '周';
  return '个月';
}

/** Falling N periods in a row at the end of the series, each drop at least params.min_drop_pct. */
const decliningTrend: Rule = (input, rule) => {
  const ind = input.indicator;
  const s = input.series;
  if (currentMetric(input) === null) return null;
  const minDrop = numParam(rule, 'min_drop_pct', 0);
  const sign = ind.direction === 'LOWER_IS_BETTER' ? -1 : 1;
  let streak = 0;
  for (let i = s.length - 1; i > 0; i--) {
    const cur = metricOf(ind, s[i]);
    const prev = metricOf(ind, s[i - 1]);
    if (cur === null || prev === null) break;
    const drop = r1(sign * (r1(prev) - r1(cur)));
    if (drop <= 0 || drop < minDrop) break;
    streak++;
  }
  const light = gradeAtLeast(streak, rule);
  if (!light) return null;
  const path = s
    .slice(s.length - streak - 1)
    .map((p) => level(ind, metricOf(ind, p)!))
    .join(' → ');
  const verb = ind.direction === 'LOWER_IS_BETTER' ? '上升' : '回落';
  return hit(rule, light, `连续 ${streak} ${periodWord(input.periodKey)}${verb}（${path}）`);
};

/** Growth on the wrong side of zero; the amount beyond zero is graded, so red 0 makes any fall red. */
const negativeGrowth: Rule = (input, rule) => {
  if (usesValue(input.indicator)) return null;
  const m = currentMetric(input);
  if (m === null) return null;
  const lower = input.indicator.direction === 'LOWER_IS_BETTER';
  const adverse = r1(lower ? m : -m);
  if (adverse <= 0) return null;
  return hit(rule, gradeAbove(adverse, rule), lower ? '同比上升' : '同比负增长');
};

const overdueTasks: Rule = (input, rule) => {
  const n = input.overdueTasks;
  return hit(rule, gradeAtLeast(n, rule), `${n} 项重点任务逾期`);
};

export const RULES: Record<RuleKind, Rule> = {
  gap_to_target: gapToTarget,
  below_average: belowAverage,
  rank_bottom: rankBottom,
  declining_trend: decliningTrend,
  negative_growth: negativeGrowth,
  overdue_tasks: overdueTasks,
};

/** Reading order of the reasons: the target first (it carries the figure), tasks last. */
export const KIND_ORDER: readonly RuleKind[] = ['gap_to_target', 'below_average', 'rank_bottom', 'declining_trend', 'negative_growth', 'overdue_tasks'];

/** Kinds that need this period's growth (or value for basis 'none'). */
export const METRIC_KINDS: ReadonlySet<RuleKind> = new Set(['gap_to_target', 'below_average', 'rank_bottom', 'declining_trend', 'negative_growth']);

/** Green still says why, briefly: the figure against the target, else the reference (when those rules are in force). */
export function greenSummary(input: LightInput, inForce: { target: boolean; peers: boolean }): string {
  const lead = leadText(input);
  const ind = input.indicator;
  const lower = ind.direction === 'LOWER_IS_BETTER';
  const gaps = inForce.target ? targetGaps(input) : [];
  if (gaps.length) {
    const text = gaps.map((t) => gapText(ind, t, true)).join('；');
    return text.startsWith(lead) ? text : `${lead}，${text}`;
  }
  const m = currentMetric(input);
  if (m === null) return lead;
  if (inForce.peers) {
    const ref = referenceOf(input);
    if (ref) {
      const d = shortfall(ind, m, ref.value);
      const label = `${ref.label} ${level(ind, ref.value)}`;
      if (d === 0) return `${lead}，与${label} 持平`;
      return `${lead}，${(d < 0) !== lower ? '高于' : '低于'}${label}`;
    }
  }
  return lead;
}

/** Why the growth rules said nothing: '缺少上年同期数据，无法计算增速'. */
export function missingGrowthNote(input: LightInput): string {
  const base = currentPoint(input)?.base;
  const why =
    base === undefined ? '无可比增速（缺上年同期数或基数非正）' : base === null || Number.isNaN(base) ? '缺少上年同期数据，无法计算增速' : '上年同期基数为零或负数，增速无意义';
  return `${why}，未按增速评灯`;
}

// ───────────── one unit's light ─────────────

export type Evaluation =
  | { status: 'NOT_REPORTED' }
  | {
      status: 'LIT';
      light: Light;
      hits: RuleHit[];
      /** Joined '；', shown to the leader. */
      reasons: string;
      /** Rules that could not judge, and why ('同级单位不足 3 个…'). */
      skipped: { rule: string; text: string }[];
      vintage: 'FLASH' | 'OFFICIAL';
    };

export interface CombinePolicy {
  combine: 'worst';
}

const NOT_REPORTED: Evaluation = Object.freeze({ status: 'NOT_REPORTED' });

/** Whether the unit has a figure this period: any value or growth (basis 'none': the value). */
function reported(input: LightInput): boolean {
  const p = currentPoint(input);
  if (!p) return false;
  const has = (x: number | null | undefined) => x !== null && x !== undefined && !Number.isNaN(x);
  return usesValue(input.indicator) ? has(p.value) : has(p.value) || has(p.growthPct);
}

/** Lights one unit × indicator × period; no figure this period is NOT_REPORTED, never a light. */
export function evaluateLight(input: LightInput, rules: readonly RuleConfig[], policy: CombinePolicy = { combine: 'worst' }): Evaluation {
  if (!reported(input)) return NOT_REPORTED;
  const ordered = orderRules(rules);
  const hasMetric = currentMetric(input) !== null;
  const skipped: { rule: string; text: string }[] = [];
  // Notes a leader should read (no growth, too few siblings); a missing target is only listed.
  const notes = new Set<string>();
  // With the parent's own figure the average still judges; only the ranking needs the peers.
  const fewPeers = `同级单位不足 ${MIN_PEERS} 个，未作${referenceOf(input) ? '' : '平均和'}排名比较`;
  const gaps = targetGaps(input).length;
  for (const r of ordered) {
    let text: string | undefined;
    if (r.kind === 'gap_to_target' && gaps) text = undefined;
    else if (!hasMetric) text = METRIC_KINDS.has(r.kind) ? missingGrowthNote(input) : undefined;
    else if (r.kind === 'below_average') text = referenceOf(input) || input.top ? undefined : fewPeers;
    else if (r.kind === 'rank_bottom') text = peersOf(input).count < MIN_PEERS && !input.top ? fewPeers : undefined;
    else if (r.kind === 'gap_to_target') skipped.push({ rule: r.code, text: '未设定目标' });
    if (text) {
      skipped.push({ rule: r.code, text });
      notes.add(text);
    }
  }

  const hits: RuleHit[] = [];
  let light: Light = 'GREEN';
  for (const r of ordered) {
    const h = RULES[r.kind](input, r);
    if (!h) continue;
    hits.push(h);
    if (policy.combine === 'worst') light = worse(light, h.light);
  }

  const parts: string[] = [];
  if (hits.length) {
    const lead = leadText(input);
    hits.forEach((h, i) => parts.push(i === 0 && !h.text.startsWith(lead) ? `${lead}，${h.text}` : h.text));
  } else {
    parts.push(greenSummary(input, { target: ordered.some((r) => r.kind === 'gap_to_target'), peers: ordered.some((r) => r.kind === 'below_average') }));
  }
  parts.push(...notes);
  return { status: 'LIT', light, hits, reasons: parts.join('；'), skipped, vintage: input.vintage };
}

/** Rules in reading order (KIND_ORDER, then as configured). */
function orderRules(rules: readonly RuleConfig[]): RuleConfig[] {
  return rules
    .map((r, i) => ({ r, i }))
    .sort((a, b) => KIND_ORDER.indexOf(a.r.kind) - KIND_ORDER.indexOf(b.r.kind) || a.i - b.i)
    .map((x) => x.r);
}

/** The rules in force for one indicator: its own rule of a kind beats the default (no indicator) of that kind. */
export function resolveRules(all: readonly (RuleConfig & { indicator?: string })[], indicatorCode: string): RuleConfig[] {
  const own = new Set(all.filter((r) => r.indicator === indicatorCode).map((r) => r.kind));
  return all
    .filter((r) => (r.indicator === undefined ? !own.has(r.kind) : r.indicator === indicatorCode))
    .map(({ code, kind, yellow, red, params }) => (params === undefined ? { code, kind, yellow, red } : { code, kind, yellow, red, params }));
}

// ───────────── sticky red ─────────────

/** A past period: the light shown, and (when a red was being held) the light the rules computed. */
export type ShownLight = Light | { shown: Light; computed: Light };

/**
 * Sticky red: a red becomes yellow only after `holdPeriods` consecutive non-red evaluations, and only
 * then may the next period go green. A bare Light in the history counts as both shown and computed,
 * so record held periods as { shown: 'RED', computed } or the hold never ends.
 */
export function applySticky(history: readonly ShownLight[], computed: Light, holdPeriods: number): Light {
  if (computed === 'RED' || holdPeriods <= 0 || !history.length) return computed;
  const shownOf = (h: ShownLight) => (typeof h === 'string' ? h : h.shown);
  const computedOf = (h: ShownLight) => (typeof h === 'string' ? h : h.computed);
  const lastShown = shownOf(history[history.length - 1]!);
  if (lastShown !== 'RED') return computed;
  // Non-red evaluations since the last computed red, counting this one.
  let run = 1;
  for (let i = history.length - 1; i >= 0 && computedOf(history[i]!) !== 'RED'; i--) run++;
  return run < holdPeriods ? 'RED' : 'YELLOW';
}
