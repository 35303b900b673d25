// Values as users read them (the indicator's own decimals, never 「14095656.0 万元」), the top unit without
// 「同级单位不足 3 个」, and periods typed to 为什么 (10月, 1-10月, 三季度) made concrete for a cycle.
import { describe, expect, it } from 'vitest';
import { formatGrowth, formatValue, plainValue } from '../src/modules/shared/numbers.ts';
import { evaluateLight, type LightInput, type RuleConfig } from '../src/modules/lights/rules.ts';
import { resolvePeriodRef } from '../src/modules/shared/period-ref.ts';
import { parsePeriodRef, parseTextCommand } from '../src/commands/parse.ts';

describe('formatValue, plainValue, formatGrowth', () => {
  it.each([
    // A county's 规上工业总产值 in 万元 (decimals 0), stored at the column's scale.
    ['14095656.0000', 0, '14,095,656', '14095656'],
    ['1369.4700', 2, '1,369.47', '1369.47'],
    ['1234.5', 1, '1,234.5', '1234.5'],
    ['5.5000', 1, '5.5', '5.5'],
    ['88.1', 2, '88.10', '88.10'],
    ['-0.0400', 1, '0.0', '0.0'],
  ])('%s with %i decimals → %s (input: %s)', (v, d, shown, plain) => {
    expect(formatValue(v, d)).toBe(shown);
    expect(plainValue(v, d)).toBe(plain);
  });

  it('prints growth with one decimal and a sign, never 「-0.0%」', () => {
    expect(formatGrowth('5.72')).toBe('+5.7%');
    expect(formatGrowth('-0.29')).toBe('-0.3%');
    expect(formatGrowth('-0.04')).toBe('0.0%');
    expect(formatGrowth(null)).toBeNull();
  });
});

const GAP: RuleConfig = { code: 'gap-to-target', kind: 'gap_to_target', yellow: 1, red: 3 };
const AVG: RuleConfig = { code: 'below-average', kind: 'below_average', yellow: 0, red: 3 };
const RANK: RuleConfig = { code: 'rank-bottom', kind: 'rank_bottom', yellow: 3, red: 1 };
/** 规上工业总产值 of a county, in 万元 with no decimals. */
const OUTPUT = { code: 'industrial-output', name: '规上工业总产值', direction: 'HIGHER_IS_BETTER', measureUnit: '万元', decimals: 0 } as const;

function input(over: Partial<LightInput>): LightInput {
  return {
    indicator: OUTPUT,
    unit: { code: 'songling', name: '松岭县' },
    periodKey: '2026-10',
    periodLabel: '2026年10月',
    series: [{ periodKey: '2026-10', growthPct: 4.1, value: 14095656 }],
    targetPct: null,
    siblings: [],
    overdueTasks: 0,
    vintage: 'OFFICIAL',
    ...over,
  };
}

function reasons(i: LightInput, rules: RuleConfig[]): string {
  const e = evaluateLight(i, rules);
  if (e.status !== 'LIT') throw new Error('not lit');
  return e.reasons;
}

describe('light reasons print values with the indicator’s decimals', () => {
  it('a figure without a growth rate reads 「本期 14,095,656 万元」', () => {
    const r = reasons(input({ series: [{ periodKey: '2026-10', growthPct: null, value: 14095656 }] }), [GAP]);
    expect(r).toContain('本期 14,095,656 万元');
    expect(r).not.toContain('14095656.0');
  });

  it('a value target (growth_basis none) reads the target and the shortfall with the decimals', () => {
    const r = reasons(input({ indicator: { ...OUTPUT, basis: 'none' }, targetPct: 15000000 }), [GAP]);
    expect(r).toBe('本期 14,095,656 万元，低于目标 15,000,000 万元 904,344 万元');
  });

  it('a rate compared as a value (失业率, decimals 1) keeps its percent', () => {
    const jobless = { code: 'unemployment-rate', name: '城镇调查失业率', direction: 'LOWER_IS_BETTER', measureUnit: '%', basis: 'none', decimals: 1 } as const;
    const r = reasons(input({ indicator: jobless, series: [{ periodKey: '2026-10', growthPct: null, value: 5.8 }], targetPct: 5.5 }), [GAP]);
    expect(r).toBe('本期 5.8%，高于目标 5.5% 0.3 个百分点');
  });
});

describe('the top unit has no siblings to be compared with', () => {
  it('says nothing of 「同级单位不足 3 个」 on the top unit, and still says it on a unit short of peers', () => {
    const alone = input({ siblings: [{ unitCode: 'songling', growthPct: 4.1 }] });
    expect(reasons({ ...alone, top: true }, [AVG, RANK])).toBe('增速 4.1%');
    expect(reasons(alone, [AVG, RANK])).toBe('增速 4.1%；同级单位不足 3 个，未作平均和排名比较');
  });
});

describe('periods typed to 为什么', () => {
  it.each([
    ['10月', { month: 10 }],
    ['10月份', { month: 10 }],
    ['2026年10月', { year: 2026, month: 10 }],
    ['2026-10', { year: 2026, month: 10 }],
    ['1-10月', { month: 10 }],
    ['1～10月', { month: 10 }],
    ['2026年1-10月', { year: 2026, month: 10 }],
    ['１０月', { month: 10 }],
    ['三季度', { quarter: 3 }],
    ['第三季度', { quarter: 3 }],
    ['前三季度', { quarter: 3 }],
    ['一季度', { quarter: 1 }],
    ['2026年第3季度', { year: 2026, quarter: 3 }],
    ['2026-Q3', { year: 2026, quarter: 3 }],
    ['上半年', { quarter: 2 }],
  ])('%s', (text, ref) => {
    expect(parsePeriodRef(text)).toEqual({ text, ...ref });
  });

  it.each(['13月', '3-10月', '五季度', '青山区', '2026'])('%s is no period', (text) => {
    expect(parsePeriodRef(text)).toBeNull();
  });

  it('reads the period off the end of 为什么, and refuses one it cannot read', () => {
    expect(parseTextCommand('为什么 规上工业增加值 青山区 10月')).toEqual({ kind: 'light.why', indicator: '规上工业增加值', unit: '青山区', period: { text: '10月', month: 10 } });
    expect(parseTextCommand('为什么 规上工业增加值 青山区')).toEqual({ kind: 'light.why', indicator: '规上工业增加值', unit: '青山区' });
    expect(parseTextCommand('为什么 社会消费品零售总额 鞍江市 2026年三季度')).toMatchObject({ unit: '鞍江市', period: { year: 2026, quarter: 3 } });
    expect(parseTextCommand('为什么 规上工业增加值 青山区 13月')).toMatchObject({ kind: 'usage', title: '期别格式有误' });
    expect(parseTextCommand('为什么 青山区')).toMatchObject({ kind: 'usage', title: '请写出指标和单位' });
  });

  it('makes the period concrete for the cycle: months, quarters, and the year when left out', () => {
    // Monthly: 三季度 is 1-9月; without a year, the latest such month not after the cycle's latest period.
    expect(resolvePeriodRef({ text: '10月', month: 10 }, 'MONTHLY', '2026-11', 2026)).toEqual({ ok: true, key: '2026-10' });
    expect(resolvePeriodRef({ text: '12月', month: 12 }, 'MONTHLY', '2027-01', 2027)).toEqual({ ok: true, key: '2026-12' });
    expect(resolvePeriodRef({ text: '三季度', quarter: 3 }, 'MONTHLY', '2026-11', 2026)).toEqual({ ok: true, key: '2026-09' });
    expect(resolvePeriodRef({ text: '2025年10月', year: 2025, month: 10 }, 'MONTHLY', '2026-11', 2026)).toEqual({ ok: true, key: '2025-10' });
    // Quarterly: a quarter's last month names the quarter; another month is refused with what to write.
    expect(resolvePeriodRef({ text: '三季度', quarter: 3 }, 'QUARTERLY', '2026-Q4', 2026)).toEqual({ ok: true, key: '2026-Q3' });
    expect(resolvePeriodRef({ text: '1-9月', month: 9 }, 'QUARTERLY', '2026-Q4', 2026)).toEqual({ ok: true, key: '2026-Q3' });
    expect(resolvePeriodRef({ text: '四季度', quarter: 4 }, 'QUARTERLY', '2026-Q3', 2026)).toEqual({ ok: true, key: '2025-Q4' });
    const bad = resolvePeriodRef({ text: '10月', month: 10 }, 'QUARTERLY', '2026-Q4', 2026);
    expect(bad).toEqual({ ok: false, message: '该指标按季度报送，「10月」不是季度末月份。请写「三季度」「1-9月」或「2026年第3季度」。' });
    // No period yet: this year.
    expect(resolvePeriodRef({ text: '3月', month: 3 }, 'MONTHLY', null, 2026)).toEqual({ ok: true, key: '2026-03' });
  });
});
