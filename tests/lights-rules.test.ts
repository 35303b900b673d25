// Light rules engine: the light a leader sees and the exact reasons it gives, per rule, edge case and batch.
import { describe, expect, it } from 'vitest';
import {
  applySticky,
  evaluateLight,
  parentWordOf,
  peerReference,
  peersWordOf,
  peerStats,
  r1,
  resolveRules,
  weightedGrowth,
  type Evaluation,
  type ReferenceFacts,
  type Light,
  type LightInput,
  type RuleConfig,
  type SeriesPoint,
  type ShownLight,
} from '../src/modules/lights/rules.ts';
import { emptyDataset, evaluateAll, evaluateOne, recordFigure, type LightResult } from '../src/modules/lights/evaluate.ts';
import { valueTargetFor } from '../src/modules/collection/collection.repo.ts';

const GAP: RuleConfig = { code: 'gap-to-target', kind: 'gap_to_target', yellow: 1, red: 3 };
const AVG: RuleConfig = { code: 'below-average', kind: 'below_average', yellow: 0, red: 3 };
const RANK: RuleConfig = { code: 'rank-bottom', kind: 'rank_bottom', yellow: 3, red: 1 };
const TREND: RuleConfig = { code: 'declining-trend', kind: 'declining_trend', yellow: 2, red: 3, params: { min_drop_pct: 0.5 } };
const NEG: RuleConfig = { code: 'negative-growth', kind: 'negative_growth', yellow: 0, red: 5 };
const NEG_DEFAULT: RuleConfig = { code: 'negative-growth', kind: 'negative_growth', yellow: 0, red: 0 };
const OVERDUE: RuleConfig = { code: 'overdue-tasks', kind: 'overdue_tasks', yellow: 1, red: 3 };

const VA = { code: 'industrial-va', name: '规上工业增加值', direction: 'HIGHER_IS_BETTER', measureUnit: '亿元' } as const;
const JOBLESS = { code: 'unemployment-rate', name: '城镇调查失业率', direction: 'LOWER_IS_BETTER', measureUnit: '%', basis: 'none' } as const;
const ENERGY = { code: 'energy', name: '规上工业综合能耗', direction: 'LOWER_IS_BETTER', measureUnit: '万吨' } as const;

const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];

/** A growth series ending in 2026-06 (null = no figure that month). */
function growths(...g: (number | null)[]): SeriesPoint[] {
  const keys = MONTHS.slice(MONTHS.length - g.length);
  return g.map((x, i) => ({ periodKey: keys[i]!, growthPct: x, value: x === null ? null : 100 }));
}

function values(...v: number[]): SeriesPoint[] {
  const keys = MONTHS.slice(MONTHS.length - v.length);
  return v.map((x, i) => ({ periodKey: keys[i]!, growthPct: null, value: x }));
}

/** Ten siblings: the unit (u-own) plus nine others at the given growths. */
function peers(own: number, others: number[]): LightInput['siblings'] {
  return [{ unitCode: 'u-own', growthPct: own }, ...others.map((g, i) => ({ unitCode: `u-${i}`, growthPct: g }))];
}

function input(over: Partial<LightInput> = {}): LightInput {
  const series = over.series ?? growths(8.0);
  return {
    indicator: VA,
    unit: { code: 'u-own', name: '东城区' },
    periodKey: '2026-06',
    periodLabel: '2026年6月',
    series,
    targetPct: 8.0,
    siblings: [],
    overdueTasks: 0,
    vintage: 'OFFICIAL',
    ...over,
  };
}

function shown(e: Evaluation): { light: Light | 'NOT_REPORTED'; reasons?: string } {
  return e.status === 'LIT' ? { light: e.light, reasons: e.reasons } : { light: 'NOT_REPORTED' };
}

describe('evaluateLight: each rule, as the leader reads it', () => {
  const cases: { name: string; input: Partial<LightInput>; rules: RuleConfig[]; light: Light | 'NOT_REPORTED'; reasons?: string }[] = [
    // gap_to_target
    { name: 'far below the target pace is red', input: { series: growths(3.2) }, rules: [GAP], light: 'RED', reasons: '增速 3.2%，低于目标进度 8.0% 4.8 个百分点' },
    { name: 'a little below the pace is yellow', input: { series: growths(6.5) }, rules: [GAP], light: 'YELLOW', reasons: '增速 6.5%，低于目标进度 8.0% 1.5 个百分点' },
    { name: 'exactly the yellow gap is still green', input: { series: growths(7.0) }, rules: [GAP], light: 'GREEN', reasons: '增速 7.0%，低于目标进度 8.0% 1.0 个百分点' },
    { name: 'judged on the printed one-decimal figure (7.04 → 7.0)', input: { series: growths(7.04) }, rules: [GAP], light: 'GREEN', reasons: '增速 7.0%，低于目标进度 8.0% 1.0 个百分点' },
    { name: 'half rounds up (6.95 → 7.0)', input: { series: growths(6.95) }, rules: [GAP], light: 'GREEN', reasons: '增速 7.0%，低于目标进度 8.0% 1.0 个百分点' },
    { name: 'above the target is green and says so', input: { series: growths(9.1) }, rules: [GAP], light: 'GREEN', reasons: '增速 9.1%，高于目标进度 8.0%' },
    { name: 'on the target is green', input: { series: growths(8.0) }, rules: [GAP], light: 'GREEN', reasons: '增速 8.0%，达到目标进度 8.0%' },
    { name: 'no target: the gap rule stays silent', input: { series: growths(3.2), targetPct: null }, rules: [GAP], light: 'GREEN', reasons: '增速 3.2%' },
    // below_average
    {
      name: 'below the siblings\' plain mean (no parent figure given) by less than 3 points is yellow',
      input: { series: growths(3.2), targetPct: null, peersWord: '各区县', siblings: [{ unitCode: 'u-own', growthPct: 3.2 }, { unitCode: 'a', growthPct: 5.0 }, { unitCode: 'b', growthPct: 7.1 }] },
      rules: [AVG], light: 'YELLOW', reasons: '增速 3.2%，低于各区县平均 5.1% 1.9 个百分点',
    },
    {
      name: 'the reference the caller gives is used and named as it says (全州增速)',
      input: { series: growths(1.0), targetPct: null, reference: { basis: 'parent', value: 5.0, label: '全州增速' }, siblings: [{ unitCode: 'u-own', growthPct: 1.0 }, { unitCode: 'a', growthPct: 7.0 }, { unitCode: 'b', growthPct: 7.0 }] },
      rules: [AVG], light: 'RED', reasons: '增速 1.0%，低于全州增速 5.0% 4.0 个百分点',
    },
    {
      name: 'the unit counts in the average even when the caller left it out',
      input: { series: growths(2.0), targetPct: null, siblings: [{ unitCode: 'a', growthPct: 5.0 }, { unitCode: 'b', growthPct: 8.0 }] },
      rules: [AVG], light: 'YELLOW', reasons: '增速 2.0%，低于同级单位平均 5.0% 3.0 个百分点',
    },
    {
      name: 'above the average is green and says so',
      input: { series: growths(9.0), targetPct: null, siblings: [{ unitCode: 'u-own', growthPct: 9.0 }, { unitCode: 'a', growthPct: 5.0 }, { unitCode: 'b', growthPct: 7.0 }] },
      rules: [AVG], light: 'GREEN', reasons: '增速 9.0%，高于同级单位平均 7.0%',
    },
    // rank_bottom
    { name: '9th of 10 is in the bottom three: yellow', input: { series: growths(2.0), targetPct: null, siblings: peers(2.0, [9, 8, 7, 6, 5, 4, 3, 2.5, 1]) }, rules: [RANK], light: 'YELLOW', reasons: '增速 2.0%，在 10 个单位中排名第 9' },
    { name: 'last of 10 is red', input: { series: growths(0.5), targetPct: null, siblings: peers(0.5, [9, 8, 7, 6, 5, 4, 3, 2, 1]) }, rules: [RANK], light: 'RED', reasons: '增速 0.5%，在 10 个单位中排名第 10' },
    { name: 'tied for last counts as the worse place: 并列倒数第 1, red', input: { series: growths(1.0), targetPct: null, siblings: peers(1.0, [9, 8, 7, 6, 5, 4, 3, 2, 1]) }, rules: [RANK], light: 'RED', reasons: '增速 1.0%，在 10 个单位中并列倒数第 1' },
    { name: 'a tie on the printed figure (5.04 and 4.96 are both 5.0)', input: { series: growths(4.96), targetPct: null, siblings: peers(4.96, [9, 8, 7, 6, 5.04, 4, 3, 2, 1]) }, rules: [RANK], light: 'GREEN', reasons: '增速 5.0%' },
    { name: 'everyone tied: nobody is bottom', input: { series: growths(5.0), targetPct: null, siblings: [{ unitCode: 'u-own', growthPct: 5 }, { unitCode: 'a', growthPct: 5 }, { unitCode: 'b', growthPct: 5 }] }, rules: [RANK], light: 'GREEN', reasons: '增速 5.0%' },
    {
      name: 'the upper half of a small group is never bottom (2nd of 3, yellow 3)',
      input: { series: growths(5.0), targetPct: null, siblings: [{ unitCode: 'u-own', growthPct: 5 }, { unitCode: 'a', growthPct: 6 }, { unitCode: 'b', growthPct: 4 }] },
      rules: [RANK], light: 'GREEN', reasons: '增速 5.0%',
    },
    {
      name: 'fewer than 3 siblings: no average and no ranking, and it says so',
      input: { series: growths(1.0), targetPct: null, siblings: [{ unitCode: 'u-own', growthPct: 1.0 }, { unitCode: 'a', growthPct: 9.0 }] },
      rules: [AVG, RANK], light: 'GREEN', reasons: '增速 1.0%；同级单位不足 3 个，未作平均和排名比较',
    },
    // declining_trend
    { name: 'two months falling is yellow, with the path', input: { series: growths(8.6, 8.5, 7.9, 7.2), targetPct: null }, rules: [TREND], light: 'YELLOW', reasons: '增速 7.2%，连续 2 个月回落（8.5% → 7.9% → 7.2%）' },
    { name: 'three months falling is red', input: { series: growths(9.5, 8.5, 7.9, 7.2), targetPct: null }, rules: [TREND], light: 'RED', reasons: '增速 7.2%，连续 3 个月回落（9.5% → 8.5% → 7.9% → 7.2%）' },
    { name: 'a drop under min_drop_pct ends the run', input: { series: growths(9.5, 8.2, 7.9, 7.2), targetPct: null }, rules: [TREND], light: 'GREEN', reasons: '增速 7.2%' },
    { name: 'a month without a figure ends the run', input: { series: growths(9.5, null, 7.9, 7.2), targetPct: null }, rules: [TREND], light: 'GREEN', reasons: '增速 7.2%' },
    {
      name: 'quarterly periods say 个季度',
      input: { periodKey: '2026-Q2', series: [{ periodKey: '2025-Q4', growthPct: 7, value: 1 }, { periodKey: '2026-Q1', growthPct: 6, value: 1 }, { periodKey: '2026-Q2', growthPct: 5, value: 1 }], targetPct: null },
      rules: [TREND], light: 'YELLOW', reasons: '增速 5.0%，连续 2 个季度回落（7.0% → 6.0% → 5.0%）',
    },
    // negative_growth and overdue_tasks
    { name: 'a small fall is yellow', input: { series: growths(-2.3), targetPct: null }, rules: [NEG], light: 'YELLOW', reasons: '增速 -2.3%，同比负增长' },
    { name: 'a deep fall is red', input: { series: growths(-6.0), targetPct: null }, rules: [NEG], light: 'RED', reasons: '增速 -6.0%，同比负增长' },
    { name: 'red 0: any fall is red', input: { series: growths(-0.1), targetPct: null }, rules: [NEG_DEFAULT], light: 'RED', reasons: '增速 -0.1%，同比负增长' },
    { name: '-0.04 prints as 0.0 and is not a fall', input: { series: growths(-0.04), targetPct: null }, rules: [NEG_DEFAULT], light: 'GREEN', reasons: '增速 0.0%' },
    { name: 'two overdue tasks are yellow', input: { series: growths(9.1), overdueTasks: 2 }, rules: [GAP, OVERDUE], light: 'YELLOW', reasons: '增速 9.1%，2 项重点任务逾期' },
    { name: 'three overdue tasks are red', input: { series: growths(9.1), overdueTasks: 3 }, rules: [OVERDUE], light: 'RED', reasons: '增速 9.1%，3 项重点任务逾期' },
    // growth null: the figure is in, the growth rules cannot judge
    {
      name: 'missing last year: growth rules skip and it says so',
      input: { series: [{ periodKey: '2026-06', growthPct: null, value: 123.4, base: null }] },
      rules: [GAP, AVG, TREND], light: 'GREEN', reasons: '本期 123.4 亿元；缺少上年同期数据，无法计算增速，未按增速评灯',
    },
    {
      name: 'zero base: growth meaningless, said so',
      input: { series: [{ periodKey: '2026-06', growthPct: null, value: 5, base: 0 }] },
      rules: [GAP], light: 'GREEN', reasons: '本期 5.0 亿元；上年同期基数为零或负数，增速无意义，未按增速评灯',
    },
    {
      name: 'base unknown to the caller',
      input: { series: [{ periodKey: '2026-06', growthPct: null, value: 5 }] },
      rules: [NEG], light: 'GREEN', reasons: '本期 5.0 亿元；无可比增速（缺上年同期数或基数非正），未按增速评灯',
    },
    {
      name: 'overdue tasks still light a unit without growth',
      input: { series: [{ periodKey: '2026-06', growthPct: null, value: 123.4, base: null }], overdueTasks: 1 },
      rules: [GAP, OVERDUE], light: 'YELLOW', reasons: '本期 123.4 亿元，1 项重点任务逾期；缺少上年同期数据，无法计算增速，未按增速评灯',
    },
    // no figure this period
    { name: 'no figure this period is not reported, never a light', input: { series: growths(8.0, null), overdueTasks: 3 }, rules: [GAP, OVERDUE], light: 'NOT_REPORTED' },
    { name: 'a series that stops last month is not reported', input: { series: [{ periodKey: '2026-05', growthPct: 1, value: 1 }] }, rules: [GAP], light: 'NOT_REPORTED' },
    { name: 'an empty series is not reported', input: { series: [] }, rules: [GAP], light: 'NOT_REPORTED' },
    // LOWER_IS_BETTER
    { name: 'unemployment exactly 0.2 over the target is still green (5.7 − 5.5 in floats is 0.2000…2)', input: { indicator: JOBLESS, series: values(5.7), targetPct: 5.5 }, rules: [{ ...GAP, yellow: 0.2, red: 0.5 }], light: 'GREEN', reasons: '本期 5.7%，高于目标 5.5% 0.2 个百分点' },
    { name: 'unemployment 0.3 over the target is yellow', input: { indicator: JOBLESS, series: values(5.8), targetPct: 5.5 }, rules: [{ ...GAP, yellow: 0.2, red: 0.5 }], light: 'YELLOW', reasons: '本期 5.8%，高于目标 5.5% 0.3 个百分点' },
    { name: 'unemployment under the target is green', input: { indicator: JOBLESS, series: values(5.2), targetPct: 5.5 }, rules: [{ ...GAP, yellow: 0.2, red: 0.5 }], light: 'GREEN', reasons: '本期 5.2%，低于目标 5.5%' },
    { name: 'unemployment rising two months is yellow', input: { indicator: JOBLESS, series: values(5.0, 5.5, 6.0), targetPct: null }, rules: [TREND], light: 'YELLOW', reasons: '本期 6.0%，连续 2 个月上升（5.0% → 5.5% → 6.0%）' },
    { name: 'unemployment: a falling rate is no decline', input: { indicator: JOBLESS, series: values(6.0, 5.5, 5.0), targetPct: null }, rules: [TREND], light: 'GREEN', reasons: '本期 5.0%' },
    {
      name: 'unemployment: the highest rate ranks last',
      input: { indicator: JOBLESS, series: values(6.5), targetPct: null, peersWord: '各区县', siblings: peers(6.5, [4, 4.2, 4.4, 4.6, 4.8, 5, 5.2, 5.4, 5.6]) },
      rules: [RANK, AVG], light: 'RED', reasons: '本期 6.5%，高于各区县平均 5.0% 1.5 个百分点；在 10 个单位中排名第 10',
    },
    { name: 'energy use: growth above a falling target', input: { indicator: ENERGY, series: growths(1.0), targetPct: -2.0 }, rules: [GAP, NEG_DEFAULT], light: 'RED', reasons: '增速 1.0%，高于目标进度 -2.0% 3.0 个百分点；同比上升' },
    { name: 'energy use falling faster than the target is green', input: { indicator: ENERGY, series: growths(-3.0), targetPct: -2.0 }, rules: [GAP, NEG_DEFAULT], light: 'GREEN', reasons: '增速 -3.0%，低于目标进度 -2.0%' },
    // combining
    {
      name: 'worst wins, the target reason first, then in reading order',
      input: { series: growths(9.0, 8.5, 7.9, 0.5), targetPct: 2.0, peersWord: '各区县', siblings: peers(0.5, [9, 8, 7, 6, 5, 4, 3, 2, 1]) },
      rules: [TREND, RANK, GAP, AVG],
      light: 'RED',
      reasons: '增速 0.5%，低于目标进度 2.0% 1.5 个百分点；低于各区县平均 4.6% 4.1 个百分点；在 10 个单位中排名第 10；连续 3 个月回落（9.0% → 8.5% → 7.9% → 0.5%）',
    },
  ];

  it.each(cases)('$name', ({ input: over, rules, light, reasons }) => {
    expect(shown(evaluateLight(input(over), rules, { combine: 'worst' }))).toEqual(reasons === undefined ? { light } : { light, reasons });
  });

  it('each hit keeps its own light, the rule code and a text', () => {
    const e = evaluateLight(input({ series: growths(6.5), siblings: peers(6.5, [9, 8, 7, 6, 5, 4, 3, 2, 1]) }), [GAP, RANK]);
    expect(e).toMatchObject({ status: 'LIT', light: 'YELLOW', hits: [{ rule: 'gap-to-target', kind: 'gap_to_target', light: 'YELLOW', text: '增速 6.5%，低于目标进度 8.0% 1.5 个百分点' }] });
  });

  it('lists the rules that could not judge', () => {
    const e = evaluateLight(input({ series: growths(5), targetPct: null, siblings: [] }), [GAP, AVG]);
    expect(e.status === 'LIT' && e.skipped).toEqual([
      { rule: 'gap-to-target', text: '未设定目标' },
      { rule: 'below-average', text: '同级单位不足 3 个，未作平均和排名比较' },
    ]);
  });

  it('a revised figure flips the light, and the light carries the vintage', () => {
    const flash = evaluateLight(input({ series: growths(7.5), vintage: 'FLASH' }), [GAP]);
    const official = evaluateLight(input({ series: growths(6.5), vintage: 'OFFICIAL' }), [GAP]);
    expect([flash, official].map((e) => e.status === 'LIT' && [e.light, e.vintage, e.reasons])).toEqual([
      ['GREEN', 'FLASH', '增速 7.5%，低于目标进度 8.0% 0.5 个百分点'],
      ['YELLOW', 'OFFICIAL', '增速 6.5%，低于目标进度 8.0% 1.5 个百分点'],
    ]);
  });
});

describe('resolveRules', () => {
  const all = [
    { ...GAP, code: 'gap-default' },
    { ...GAP, code: 'gap-va', indicator: 'industrial-va', yellow: 2, red: 5 },
    { ...GAP, code: 'gap-jobless', indicator: 'unemployment-rate', yellow: 0.2, red: 0.5 },
    AVG,
    { ...TREND, code: 'trend-jobless', indicator: 'unemployment-rate' },
  ];
  it.each([
    { indicator: 'industrial-va', codes: ['gap-va', 'below-average'] },
    { indicator: 'unemployment-rate', codes: ['gap-jobless', 'below-average', 'trend-jobless'] },
    { indicator: 'gdp', codes: ['gap-default', 'below-average'] },
  ])('$indicator gets $codes', ({ indicator, codes }) => {
    const rules = resolveRules(all, indicator);
    expect(rules.map((r) => r.code)).toEqual(codes);
    expect(rules.every((r) => !('indicator' in r))).toBe(true);
  });
  it('the specific rule brings its own thresholds', () => {
    const va = resolveRules(all, 'industrial-va');
    expect(shown(evaluateLight(input({ series: growths(6.5) }), va))).toEqual({ light: 'GREEN', reasons: '增速 6.5%，低于目标进度 8.0% 1.5 个百分点；同级单位不足 3 个，未作平均和排名比较' });
  });
});

describe('applySticky: a red holds until enough calm periods, then steps down through yellow', () => {
  const R = 'RED' as const;
  const Y = 'YELLOW' as const;
  const G = 'GREEN' as const;
  const held = (computed: Light): ShownLight => ({ shown: R, computed });
  it.each<{ name: string; history: ShownLight[]; computed: Light; hold: number; light: Light }>([
    { name: 'red stays red', history: [G, R], computed: R, hold: 2, light: R },
    { name: 'first green after a red is held red (hold 2)', history: [R], computed: G, hold: 2, light: R },
    { name: 'second green in a row steps down to yellow (hold 2)', history: [R, held(G)], computed: G, hold: 2, light: Y },
    { name: 'a yellow computed counts as calm too', history: [R, held(Y)], computed: Y, hold: 2, light: Y },
    { name: 'after the yellow step, green shows green', history: [R, held(G), Y], computed: G, hold: 2, light: G },
    { name: 'a red during the hold restarts the count', history: [R, held(G), R], computed: G, hold: 2, light: R },
    { name: 'hold 3 needs three calm periods', history: [R, held(G)], computed: G, hold: 3, light: R },
    { name: 'hold 3, third calm period', history: [R, held(G), held(G)], computed: G, hold: 3, light: Y },
    { name: 'hold 1: the first calm period shows yellow', history: [R], computed: G, hold: 1, light: Y },
    { name: 'hold 0: no stickiness', history: [R], computed: G, hold: 0, light: G },
    { name: 'no red before: computed as is', history: [G, Y], computed: G, hold: 2, light: G },
    { name: 'no history', history: [], computed: Y, hold: 2, light: Y },
  ])('$name', ({ history, computed, hold, light }) => {
    expect(applySticky(history, computed, hold)).toBe(light);
  });

  it('across periods: R, G, G, G computed shows R, R, Y, G (hold 2)', () => {
    const history: ShownLight[] = [];
    const shownLights = (['RED', 'GREEN', 'GREEN', 'GREEN'] as Light[]).map((computed) => {
      const light = applySticky(history, computed, 2);
      history.push({ shown: light, computed });
      return light;
    });
    expect(shownLights).toEqual(['RED', 'RED', 'YELLOW', 'GREEN']);
  });
});

describe('evaluateAll and evaluateOne', () => {
  /** Two cities; city A has 4 districts, city B 3; months 2026-04..06. */
  function city() {
    const ds = emptyDataset({
      periods: ['2026-04', '2026-05', '2026-06'].map((key) => ({ key, label: key })),
      periodsPerYear: 12,
      parents: [{ code: 'city-a', name: '甲市' }, { code: 'city-b', name: '乙州', peerLabel: '全州' }],
      units: [
        { code: 'a1', name: '甲一区', parent: 0 },
        { code: 'a2', name: '甲二区', parent: 0 },
        { code: 'a3', name: '甲三区', parent: 0 },
        { code: 'a4', name: '甲四区', parent: 0 },
        { code: 'b1', name: '乙一县', parent: 1 },
        { code: 'b2', name: '乙二县', parent: 1 },
        { code: 'b3', name: '乙三县', parent: 1 },
      ],
      indicators: [VA, JOBLESS],
      rules: [
        { ...RANK, yellow: 1, red: 1 },
        { ...GAP, code: 'gap-jobless', indicator: 'unemployment-rate', yellow: 0.2, red: 0.5 },
        OVERDUE,
      ],
    });
    const put = (ind: number, unit: number, p: number, growth: number | null, value: number) => {
      const k = (ind * ds.units.length + unit) * ds.periods.length + p;
      ds.growth[k] = growth ?? NaN;
      ds.value[k] = value;
      ds.vintage[k] = 2;
      ds.target[k] = ind === 1 ? 5.5 : 6;
    };
    [9, 7, 5, 3, 8, 6, 4].forEach((g, u) => [0, 1, 2].forEach((p) => put(0, u, p, g, 100)));
    [5.0, 5.2, 5.9, 5.1, 5.0, 5.0].forEach((v, u) => put(1, u, 2, null, v));
    ds.overdue[1 * ds.units.length + 0] = 3;
    return ds;
  }
  const view = (rs: LightResult[]) => Object.fromEntries(rs.map((r) => [`${r.indicator}/${r.unit}`, shown(r.evaluation)]));

  it('lights the latest period for every unit × indicator, ranking within each city', () => {
    expect(view(evaluateAll(city()))).toEqual({
      'industrial-va/a1': { light: 'GREEN', reasons: '增速 9.0%' },
      'industrial-va/a2': { light: 'GREEN', reasons: '增速 7.0%' },
      'industrial-va/a3': { light: 'GREEN', reasons: '增速 5.0%' },
      'industrial-va/a4': { light: 'RED', reasons: '增速 3.0%，在 4 个单位中排名第 4' },
      'industrial-va/b1': { light: 'GREEN', reasons: '增速 8.0%' },
      'industrial-va/b2': { light: 'GREEN', reasons: '增速 6.0%' },
      'industrial-va/b3': { light: 'RED', reasons: '增速 4.0%，在 3 个单位中排名第 3' },
      'unemployment-rate/a1': { light: 'RED', reasons: '本期 5.0%，3 项重点任务逾期' },
      'unemployment-rate/a2': { light: 'GREEN', reasons: '本期 5.2%，低于目标 5.5%' },
      'unemployment-rate/a3': { light: 'RED', reasons: '本期 5.9%，高于目标 5.5% 0.4 个百分点；在 4 个单位中排名第 4' },
      'unemployment-rate/a4': { light: 'GREEN', reasons: '本期 5.1%，低于目标 5.5%' },
      'unemployment-rate/b1': { light: 'GREEN', reasons: '本期 5.0%，低于目标 5.5%；同级单位不足 3 个，未作平均和排名比较' },
      'unemployment-rate/b2': { light: 'GREEN', reasons: '本期 5.0%，低于目标 5.5%；同级单位不足 3 个，未作平均和排名比较' },
      'unemployment-rate/b3': { light: 'NOT_REPORTED' },
    });
  });

  it('an earlier period is evaluated on request', () => {
    const ds = city();
    const may = evaluateAll(ds, { periodKey: '2026-05' }).filter((r) => r.indicator === 'unemployment-rate');
    expect(may.every((r) => r.evaluation.status === 'NOT_REPORTED')).toBe(true);
  });

  it('one submission relights the unit and, as the ranking moves, its siblings', () => {
    const ds = city();
    recordFigure(ds, { indicator: 'industrial-va', unit: 'a4', periodKey: '2026-06', growthPct: 6.0, value: 100, vintage: 'FLASH' });
    const { own, siblings } = evaluateOne(ds, { indicator: 'industrial-va', unit: 'a4' });
    expect(shown(own.evaluation)).toEqual({ light: 'GREEN', reasons: '增速 6.0%' });
    expect(own.evaluation.status === 'LIT' && own.evaluation.vintage).toBe('FLASH');
    expect(view(siblings)).toEqual({
      'industrial-va/a1': { light: 'GREEN', reasons: '增速 9.0%' },
      'industrial-va/a2': { light: 'GREEN', reasons: '增速 7.0%' },
      'industrial-va/a3': { light: 'RED', reasons: '增速 5.0%，在 4 个单位中排名第 4' },
    });
    // The incremental answer matches a full recompute.
    const full = view(evaluateAll(ds));
    for (const r of [own, ...siblings]) expect(shown(r.evaluation)).toEqual(full[`${r.indicator}/${r.unit}`]);
  });

  it('a unit that has not reported does not count among the ranked', () => {
    const ds = city();
    recordFigure(ds, { indicator: 'industrial-va', unit: 'a1', periodKey: '2026-06', growthPct: null, value: null, vintage: 'OFFICIAL' });
    const { own, siblings } = evaluateOne(ds, { indicator: 'industrial-va', unit: 'a1' });
    expect(own.evaluation).toEqual({ status: 'NOT_REPORTED' });
    expect(view(siblings)['industrial-va/a4']).toEqual({ light: 'RED', reasons: '增速 3.0%，在 3 个单位中排名第 3' });
  });

  it('a null growth: its growth rules skip, and the siblings rank without it', () => {
    const ds = city();
    recordFigure(ds, { indicator: 'industrial-va', unit: 'b1', periodKey: '2026-06', growthPct: null, value: 42, vintage: 'OFFICIAL' });
    const { own, siblings } = evaluateOne(ds, { indicator: 'industrial-va', unit: 'b1' });
    expect(shown(own.evaluation)).toEqual({ light: 'GREEN', reasons: '本期 42.0 亿元；无可比增速（缺上年同期数或基数非正），未按增速评灯' });
    expect(view(siblings)['industrial-va/b3']).toEqual({ light: 'GREEN', reasons: '增速 4.0%；同级单位不足 3 个，未作平均和排名比较' });
  });

  it('below_average against the city’s own figure when the dataset has one, else the districts’ weighted growth; incremental as full', () => {
    const ds = city();
    ds.rules = [{ ...AVG, yellow: 1, red: 3 }];
    ds.indicators = [{ ...VA, additive: true }, JOBLESS];
    // Last year's levels (2025-06 sits 12 periods back: widen the window), then 甲市's own growth 4.4%.
    const wide = emptyDataset({ ...ds, periods: Array.from({ length: 15 }, (_, i) => ({ key: `p${i}`, label: `p${i}` })) });
    const put = (u: number, p: number, value: number, growth: number) => {
      const k = (0 * wide.units.length + u) * wide.periods.length + p;
      wide.value[k] = value;
      wide.growth[k] = growth;
      wide.vintage[k] = 2;
    };
    // 甲一区..甲四区: +10%, +6%, +2%, 0% on last year's 200, 100, 100, 100 亿元: weighted 528 / 500 − 1 = 5.6%
    // (the plain mean of the rates would be 4.5%).
    [[200, 10], [100, 6], [100, 2], [100, 0]].forEach(([base, g], u) => {
      put(u, 2, base!, 0);
      put(u, 14, base! * (1 + g! / 100), g!);
    });
    const lit = (d: typeof wide) => view(evaluateAll(d).filter((r) => r.indicator === 'industrial-va' && r.unit.startsWith('a')));
    expect(lit(wide)['industrial-va/a3']).toEqual({ light: 'RED', reasons: '增速 2.0%，低于各区县平均 5.6% 3.6 个百分点' });
    wide.parentFigure = new Float64Array(wide.indicators.length * wide.parents.length * wide.periods.length).fill(NaN);
    wide.parentFigure[(0 * wide.parents.length + 0) * wide.periods.length + 14] = 4.4;
    const full = lit(wide);
    expect(full['industrial-va/a3']).toEqual({ light: 'YELLOW', reasons: '增速 2.0%，低于全市增速 4.4% 2.4 个百分点' });
    expect(full['industrial-va/a2']).toEqual({ light: 'GREEN', reasons: '增速 6.0%，高于全市增速 4.4%' });
    const { own, siblings } = evaluateOne(wide, { indicator: 'industrial-va', unit: 'a3' });
    for (const r of [own, ...siblings]) expect(shown(r.evaluation)).toEqual(full[`industrial-va/${r.unit}`]);
  });

  it('refuses an unknown unit or indicator', () => {
    expect(() => evaluateOne(city(), { indicator: 'gdp', unit: 'a1' })).toThrow('unknown indicator "gdp"');
    expect(() => recordFigure(city(), { indicator: 'industrial-va', unit: 'zz', periodKey: '2026-06', growthPct: 1, value: 1, vintage: 'FLASH' })).toThrow('unknown unit "zz"');
  });
});

// ───────────── issue 11: the comparison officials mean, ties at the bottom, value targets ─────────────

/**
 * A bureau-shaped table (invented): 规上工业增加值 1-10月 of a city's seven districts and counties, in 亿元,
 * with last year's level and the growth each published. The city publishes its own growth, 4.4%, which
 * the members' levels do not reproduce (comparable scope).
 */
const BUREAU: { name: string; value: number; base: number; growthPct: number }[] = [
  { name: '鞍东区', value: 412.6, base: 400.2, growthPct: 3.1 },
  { name: '鞍西区', value: 268.3, base: 253.6, growthPct: 5.8 },
  { name: '临江区', value: 155.2, base: 138.1, growthPct: 12.4 },
  { name: '河湾区', value: 98.7, base: 85.7, growthPct: 15.2 },
  { name: '青山区', value: 530.9, base: 513.4, growthPct: 3.4 },
  { name: '松岭县', value: 61.5, base: 56.1, growthPct: 9.7 },
  { name: '白石县', value: 44.8, base: 40.3, growthPct: 11.3 },
];

describe('below_average: what 全市 means', () => {
  const bureauPeers = peerStats(BUREAU.map((r) => ({ growthPct: r.growthPct })), 'HIGHER_IS_BETTER');
  const levels = BUREAU.map((r) => ({ value: r.value, base: r.base }));
  const facts = (over: Partial<ReferenceFacts> = {}): ReferenceFacts => ({ parent: 4.4, weighted: weightedGrowth(levels), peers: bureauPeers, parentWord: '全市', peersWord: '各区县', ...over });
  /** A district of the table, lit with below_average (yellow 0, red 3) against the reference of `f`. */
  const district = (growth: number, f: ReferenceFacts, rules: RuleConfig[] = [AVG], indicator: LightInput['indicator'] = VA) =>
    shown(evaluateLight(input({ indicator, series: indicator.basis === 'none' ? values(growth) : growths(growth), targetPct: null, siblings: [], peers: bureauPeers, reference: peerReference(indicator, f) }), rules));

  it('the weighted growth of the table is Σ this year / Σ last year − 1, the mean is the plain mean', () => {
    // 1571.9 / 1487.4 − 1 = 5.68%; (3.1 + 5.8 + 12.4 + 15.2 + 3.4 + 9.7 + 11.3) / 7 = 8.7%.
    expect(r1(weightedGrowth(levels)!.growthPct)).toBe(5.7);
    expect(weightedGrowth(levels)!.count).toBe(7);
    expect(r1(bureauPeers.mean)).toBe(8.7);
  });

  it.each<{ name: string; growth: number; f: Partial<ReferenceFacts>; light: Light; reasons: string }>([
    // 青山区 3.4%: one point under the city's 4.4%; against the mean of rates (8.7%) it would be 5.3 points and red.
    { name: 'a district 1 point below the city’s own growth is yellow, not red as against the rate mean', growth: 3.4, f: {}, light: 'YELLOW', reasons: '增速 3.4%，低于全市增速 4.4% 1.0 个百分点' },
    { name: 'the issue’s wording: 0.3 points under 全市增速 4.4%', growth: 4.1, f: {}, light: 'YELLOW', reasons: '增速 4.1%，低于全市增速 4.4% 0.3 个百分点' },
    { name: 'exactly at the city’s growth is not below it', growth: 4.4, f: {}, light: 'GREEN', reasons: '增速 4.4%，与全市增速 4.4% 持平' },
    { name: 'above the city’s growth says so', growth: 5.8, f: {}, light: 'GREEN', reasons: '增速 5.8%，高于全市增速 4.4%' },
    { name: 'no parent figure: the weighted growth of the districts, named 各区县平均', growth: 3.4, f: { parent: null }, light: 'YELLOW', reasons: '增速 3.4%，低于各区县平均 5.7% 2.3 个百分点' },
    { name: 'no parent figure and no levels (rates only): the plain mean', growth: 3.4, f: { parent: null, weighted: null }, light: 'RED', reasons: '增速 3.4%，低于各区县平均 8.7% 5.3 个百分点' },
    { name: 'compare_with weighted skips the parent’s figure', growth: 3.4, f: { compareWith: 'weighted' }, light: 'YELLOW', reasons: '增速 3.4%，低于各区县平均 5.7% 2.3 个百分点' },
    { name: 'compare_with mean uses the plain mean even with levels and a parent figure', growth: 3.4, f: { compareWith: 'mean' }, light: 'RED', reasons: '增速 3.4%，低于各区县平均 8.7% 5.3 个百分点' },
    { name: 'thresholds are strictly more than: 3.0 points under is yellow with red 3', growth: 1.4, f: {}, light: 'YELLOW', reasons: '增速 1.4%，低于全市增速 4.4% 3.0 个百分点' },
    { name: '3.1 points under is red', growth: 1.3, f: {}, light: 'RED', reasons: '增速 1.3%，低于全市增速 4.4% 3.1 个百分点' },
    { name: 'the parent named by its kind of place (全县 for a county’s towns)', growth: 3.4, f: { parentWord: '全县' }, light: 'YELLOW', reasons: '增速 3.4%，低于全县增速 4.4% 1.0 个百分点' },
  ])('$name', ({ growth, f, light, reasons }) => {
    expect(district(growth, facts(f))).toEqual({ light, reasons });
  });

  it('the weighted growth needs 3 siblings with both levels; with fewer it falls back to the mean', () => {
    const two = [{ value: 412.6, base: 400.2 }, { value: 268.3, base: 253.6 }, { value: 155.2, base: null }];
    expect(weightedGrowth(two)!.count).toBe(2);
    expect(peerReference(VA, facts({ parent: null, weighted: weightedGrowth(two) }))).toEqual({ basis: 'mean', value: bureauPeers.mean, label: '各区县平均' });
  });

  it('a parent’s figure compares even with fewer than 3 siblings; only the ranking is left out, and it says so', () => {
    const few = peerStats([{ growthPct: 3.4 }, { growthPct: 9.0 }], 'HIGHER_IS_BETTER');
    const e = evaluateLight(input({ series: growths(3.4), targetPct: null, peers: few, reference: peerReference(VA, facts({ peers: few, weighted: null })) }), [AVG, RANK]);
    expect(shown(e)).toEqual({ light: 'YELLOW', reasons: '增速 3.4%，低于全市增速 4.4% 1.0 个百分点；同级单位不足 3 个，未作排名比较' });
  });

  it('a rate without growth (城镇调查失业率) against the parent’s own rate: 全市水平, the plain mean otherwise', () => {
    const rates = peerStats([{ growthPct: 5.1 }, { growthPct: 5.4 }, { growthPct: 5.8 }, { growthPct: 4.9 }], 'LOWER_IS_BETTER');
    const f = { parent: 5.2, weighted: null, peers: rates, parentWord: '全市', peersWord: '各区县' };
    expect(district(5.8, f, [AVG], JOBLESS)).toEqual({ light: 'YELLOW', reasons: '本期 5.8%，高于全市水平 5.2% 0.6 个百分点' });
    // A rate has no weighted growth: compare_with weighted means the plain mean (5.3%).
    expect(district(5.8, { ...f, compareWith: 'weighted' }, [AVG], JOBLESS)).toEqual({ light: 'YELLOW', reasons: '本期 5.8%，高于各区县平均 5.3% 0.5 个百分点' });
  });

  it.each([
    { parent: { name: '鞍江市', kind: 'CITY' }, word: '全市' },
    { parent: { name: '湖南省', kind: 'CITY' }, word: '全省' },
    { parent: { name: '湘西土家族苗族自治州', kind: 'CITY' }, word: '全州' },
    { parent: { name: '鞍江', kind: 'CITY' }, word: '全市' },
    { parent: { name: '松岭县', kind: 'REGION' }, word: '全县' },
    { parent: { name: '鞍江经济技术开发区', shortName: '经开区', kind: 'REGION' }, word: '全区' },
    { parent: { name: '鞍江市发展和改革委员会', shortName: '市发改委', kind: 'DEPARTMENT' }, word: '市发改委' },
  ])('the parent $parent.name is named $word', ({ parent, word }) => {
    expect(parentWordOf(parent)).toBe(word);
  });

  it.each([
    ['REGION', '各区县'],
    ['DEPARTMENT', '各部门'],
    ['WORKING_GROUP', '各工作组'],
    ['STREET', '各街镇'],
  ])('siblings of kind %s are 「%s」', (kind, word) => {
    expect(peersWordOf(kind)).toBe(word);
  });
});

describe('rank_bottom: ties count as the worse place', () => {
  // The bottom three yellow, the last red.
  it.each<{ name: string; own: number; others: number[]; light: Light; reasons: string; rules?: RuleConfig[] }>([
    { name: 'two tied last of 10: both 并列倒数第 1, red', own: 1.0, others: [9.1, 8.4, 7.7, 6.9, 6.2, 5.5, 4.8, 3.6, 1.0], light: 'RED', reasons: '增速 1.0%，在 10 个单位中并列倒数第 1' },
    { name: 'three tied last of 10: all three red', own: 1.0, others: [9.1, 8.4, 7.7, 6.9, 6.2, 5.5, 4.8, 1.0, 1.0], light: 'RED', reasons: '增速 1.0%，在 10 个单位中并列倒数第 1' },
    { name: 'tied second from last: 并列倒数第 2, yellow', own: 2.0, others: [9.1, 8.4, 7.7, 6.9, 6.2, 5.5, 4.8, 2.0, 0.5], light: 'YELLOW', reasons: '增速 2.0%，在 10 个单位中并列倒数第 2' },
    { name: 'tied just above the bottom three: 并列倒数第 4 is nothing', own: 4.0, others: [9.1, 8.4, 7.7, 6.9, 6.2, 4.0, 3.0, 2.0, 0.5], light: 'GREEN', reasons: '增速 4.0%' },
    { name: 'tied on the printed figure (1.04 and 0.96 are both 1.0)', own: 0.96, others: [9.1, 8.4, 7.7, 6.9, 6.2, 5.5, 4.8, 3.6, 1.04], light: 'RED', reasons: '增速 1.0%，在 10 个单位中并列倒数第 1' },
    { name: 'a tie reaching into the upper half is never bottom (2 of 3 tied first)', own: 5.0, others: [5.0, 3.0], light: 'GREEN', reasons: '增速 5.0%', rules: [{ ...RANK, yellow: 2, red: 1 }] },
    { name: 'the last alone is still 排名第 10', own: 0.5, others: [9.1, 8.4, 7.7, 6.9, 6.2, 5.5, 4.8, 3.6, 1.0], light: 'RED', reasons: '增速 0.5%，在 10 个单位中排名第 10' },
  ])('$name', ({ own, others, light, reasons, rules }) => {
    expect(shown(evaluateLight(input({ series: growths(own), targetPct: null, siblings: peers(own, others) }), rules ?? [RANK]))).toEqual({ light, reasons });
  });

  it('lower is better: two districts tied at the highest unemployment are both 并列倒数第 1', () => {
    const e = evaluateLight(input({ indicator: JOBLESS, series: values(5.9), targetPct: null, siblings: peers(5.9, [4.8, 5.0, 5.1, 5.2, 5.3, 5.4, 5.5, 5.6, 5.9]) }), [RANK]);
    expect(shown(e)).toEqual({ light: 'RED', reasons: '本期 5.9%，在 10 个单位中并列倒数第 1' });
  });
});

describe('gap_to_target: value targets', () => {
  const GAP_JOBLESS: RuleConfig = { ...GAP, yellow: 0.2, red: 0.5 };
  /** 研发经费投入强度: a share in %, with a growth basis, and a value target { value: 2.5 }. */
  const RD = { code: 'rd-intensity', name: '研发经费投入强度', direction: 'HIGHER_IS_BETTER', measureUnit: '%' } as const;
  const point = (growthPct: number | null, value: number) => [{ periodKey: '2026-06', growthPct, value }];
  it.each<{ name: string; input: Partial<LightInput>; rules: RuleConfig[]; light: Light; reasons: string }>([
    { name: '城镇调查失业率 5.8 against a target of at most 5.5 is above target: yellow', input: { indicator: JOBLESS, series: values(5.8), targetPct: null, targetValue: 5.5 }, rules: [GAP_JOBLESS], light: 'YELLOW', reasons: '本期 5.8%，高于目标 5.5% 0.3 个百分点' },
    { name: '城镇调查失业率 6.1 is red', input: { indicator: JOBLESS, series: values(6.1), targetPct: null, targetValue: 5.5 }, rules: [GAP_JOBLESS], light: 'RED', reasons: '本期 6.1%，高于目标 5.5% 0.6 个百分点' },
    { name: '城镇调查失业率 at the target is green', input: { indicator: JOBLESS, series: values(5.5), targetPct: null, targetValue: 5.5 }, rules: [GAP_JOBLESS], light: 'GREEN', reasons: '本期 5.5%，达到目标 5.5%' },
    { name: 'a percentage indicator with growth: the value against its value target', input: { indicator: RD, series: point(4.1, 2.1), targetPct: null, targetValue: 2.5 }, rules: [{ ...GAP, yellow: 0.2, red: 0.5 }], light: 'YELLOW', reasons: '增速 4.1%，本期 2.1%，低于目标 2.5% 0.4 个百分点' },
    { name: 'a percentage indicator above its value target is green and says so', input: { indicator: RD, series: point(4.1, 2.6), targetPct: null, targetValue: 2.5 }, rules: [GAP], light: 'GREEN', reasons: '增速 4.1%，本期 2.6%，高于目标 2.5%' },
    {
      name: 'growth and value targets both judged, the worse wins',
      input: { series: point(6.5, 1104.0), targetPct: 8.0, targetValue: 1200 },
      rules: [{ ...GAP, yellow: 1, red: 50 }],
      light: 'RED', reasons: '增速 6.5%，低于目标进度 8.0% 1.5 个百分点；本期 1104.0 亿元，低于目标 1200.0 亿元 96.0 亿元',
    },
    { name: 'a value target still judges a figure without growth (no last year)', input: { series: [{ periodKey: '2026-06', growthPct: null, value: 1104.0, base: null }], targetPct: 8.0, targetValue: 1200 }, rules: [{ ...GAP, yellow: 50, red: 100 }], light: 'YELLOW', reasons: '本期 1104.0 亿元，低于目标 1200.0 亿元 96.0 亿元' },
  ])('$name', ({ input: over, rules, light, reasons }) => {
    expect(shown(evaluateLight(input(over), rules))).toEqual({ light, reasons });
  });
});

describe('valueTargetFor: which value target a period is held to', () => {
  const t = (periodType: string, periodNo: number, value: number) => ({ indicatorId: 'i', unitId: 'u', year: 2026, periodType, periodNo, value });
  const rows = [t('YEAR', 0, 5.5), t('QUARTER', 3, 5.4), t('MONTH', 7, 5.3)];
  const amounts = [t('YEAR', 0, 1500), t('QUARTER', 3, 1100), t('MONTH', 7, 850)];
  const RATE = { id: 'i', measureUnit: '%', valueKind: 'CURRENT' };
  const CUM = { id: 'i', measureUnit: '亿元', valueKind: 'CUMULATIVE' };
  const CUR = { id: 'i', measureUnit: '亿元', valueKind: 'CURRENT' };
  it.each<{ name: string; rows: typeof rows; ind: typeof RATE; frequency: 'MONTHLY' | 'QUARTERLY'; key: string; addsUp: boolean; target: string | null }>([
    { name: 'a rate: the month’s target in its month', rows, ind: RATE, frequency: 'MONTHLY', key: '2026-07', addsUp: false, target: '5.3' },
    { name: 'a rate: else the quarter’s', rows, ind: RATE, frequency: 'MONTHLY', key: '2026-08', addsUp: false, target: '5.4' },
    { name: 'a rate: else the year’s, held all year', rows, ind: RATE, frequency: 'MONTHLY', key: '2026-02', addsUp: false, target: '5.5' },
    { name: 'a cumulative amount: the month’s in its month', rows: amounts, ind: CUM, frequency: 'MONTHLY', key: '2026-07', addsUp: true, target: '850' },
    { name: 'a cumulative amount: the quarter’s at its last month (1-9月)', rows: amounts, ind: CUM, frequency: 'MONTHLY', key: '2026-09', addsUp: true, target: '1100' },
    { name: 'a cumulative amount: not the quarter’s mid-quarter', rows: amounts, ind: CUM, frequency: 'MONTHLY', key: '2026-08', addsUp: true, target: null },
    { name: 'a cumulative amount: the year’s in December only', rows: amounts, ind: CUM, frequency: 'MONTHLY', key: '2026-12', addsUp: true, target: '1500' },
    { name: 'a cumulative amount: never the year’s in June', rows: amounts, ind: CUM, frequency: 'MONTHLY', key: '2026-06', addsUp: true, target: null },
    { name: 'a month’s own amount: only the month’s', rows: amounts, ind: CUR, frequency: 'MONTHLY', key: '2026-09', addsUp: true, target: null },
    { name: 'quarterly cumulative: the year’s in Q4', rows: amounts, ind: CUM, frequency: 'QUARTERLY', key: '2026-Q4', addsUp: true, target: '1500' },
    { name: 'quarterly: the quarter’s', rows: amounts, ind: CUM, frequency: 'QUARTERLY', key: '2026-Q3', addsUp: true, target: '1100' },
  ])('$name', ({ rows: r, ind, frequency, key, addsUp: a, target }) => {
    expect(valueTargetFor(r, ind, 'u', frequency, key, a)).toBe(target);
  });
});
