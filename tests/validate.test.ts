// Validation of a unit's card page: each rule's message, outliers to confirm, and the figures that pass.
import { describe, expect, it } from 'vitest';
import { validatePage, type IndicatorContext, type RawEntry } from '../src/modules/collection/validate.ts';

/** Cumulative, in 亿元; Jan–Oct 2026 grew by 95 亿元 a month on average, growth about 5%. */
const industry: IndicatorContext = {
  indicatorId: 'id-va', code: 'VA', name: '规上工业增加值', measureUnit: '亿元',
  valueKind: 'CUMULATIVE', growthBasis: 'YOY', direction: 'HIGHER_IS_BETTER', decimals: 2,
  previous: { periodLabel: '2026年10月', value: '950.0000', growthPct: '5.2', sameYear: true },
  lastYear: { value: '1000' },
  targetGrowthPct: '4',
  cityAverageGrowthPct: '4.5',
  history: ['95', '190', '290', '385', '480', '580', '670', '770', '860', '950'].map((value, i) => ({
    value, growthPct: i >= 6 ? ['5.0', '5.5', '4.8', '5.2'][i - 6] ?? null : null,
  })),
};

/** Current-period, in 亿千瓦时; last month 20. */
const power: IndicatorContext = {
  indicatorId: 'id-pw', code: 'PW', name: '全社会用电量', measureUnit: '亿千瓦时',
  valueKind: 'CURRENT', growthBasis: 'YOY', direction: 'HIGHER_IS_BETTER', decimals: 2,
  previous: { periodLabel: '2026年10月', value: '20', growthPct: '4', sameYear: true },
  lastYear: null, targetGrowthPct: null, cityAverageGrowthPct: null,
  history: [{ value: '19', growthPct: '4' }, { value: '19.5', growthPct: '4.5' }, { value: '20', growthPct: '5' }],
};

/** Lower is better, target a 2% fall. */
const energy: IndicatorContext = {
  indicatorId: 'id-en', code: 'EN', name: '规上工业综合能耗', measureUnit: '万吨',
  valueKind: 'CURRENT', growthBasis: 'YOY', direction: 'LOWER_IS_BETTER', decimals: 2,
  previous: null, lastYear: null, targetGrowthPct: '-2', cityAverageGrowthPct: null, history: [],
};

/** A rate without growth. */
const jobless: IndicatorContext = {
  indicatorId: 'id-ue', code: 'UE', name: '城镇调查失业率', measureUnit: '%',
  valueKind: 'CURRENT', growthBasis: 'NONE', direction: 'LOWER_IS_BETTER', decimals: 1,
  previous: { periodLabel: '2026年10月', value: '5.1', growthPct: null, sameYear: true },
  lastYear: null, targetGrowthPct: null, cityAverageGrowthPct: null, history: [],
};

const good: RawEntry = { value: '1050', growth: '5' };
const narrative = { problems: '部分企业订单不足，开工率下降', measures: '组织产销对接，帮助企业拓展市场' };
type Input = Parameters<typeof validatePage>[0];
type Extra = Omit<Input, 'indicators' | 'entries'>;

function one(ind: IndicatorContext, entry: RawEntry, extra: Extra = {}) {
  return validatePage({ indicators: [ind], entries: { [ind.code]: entry }, ...extra });
}

describe('rules that refuse a field', () => {
  it.each<[string, IndicatorContext, RawEntry, Extra, { field: string; message: string }[]]>([
    ['1: value required', industry, { growth: '5' }, {},
      [{ field: 'value', message: '规上工业增加值 本期值：未填写，请填写数字（单位：亿元）。' }]],
    ['1: value in another unit', industry, { value: '105000万元', growth: '5' }, {},
      [{ field: 'value', message: '规上工业增加值 本期值：填写的“105000万元”单位是万元，本项以亿元为单位，请换算后只填写数字：105000万元 = 10.5亿元。' }]],
    ['1: growth required for a YOY indicator', industry, { value: '1050' }, {},
      [{ field: 'growth', message: '规上工业增加值 同比增长：未填写，请填写百分比数字，如 3.2，下降填 -1.5。' }]],
    ['2: cumulative below the previous cumulative of the year', industry, { value: '100', growth: '5' }, {},
      [{ field: 'value', message: '规上工业增加值 本期值：累计值不能小于上期累计值 950 亿元（2026年10月），请核对是否误填了当月值。' }]],
    ['3: growth inconsistent with the values', industry, { value: '1050', growth: '7' }, {},
      [{ field: 'growth', message: '规上工业增加值 同比增长：按本期值 1050 亿元与去年同期值 1000 亿元计算，同比增长约 5.0%，与填写的 7.0% 不一致，请核对本期值和同比增长。' }]],
    ['3: a tighter tolerance from settings', industry, { value: '1050', growth: '5.6' }, { settings: { growthTolerancePp: 0.5 } },
      [{ field: 'growth', message: '规上工业增加值 同比增长：按本期值 1050 亿元与去年同期值 1000 亿元计算，同比增长约 5.0%，与填写的 5.6% 不一致，请核对本期值和同比增长。' }]],
    ['4: below target without narrative', { ...industry, lastYear: null }, { value: '1050', growth: '3' }, {}, [
      { field: 'problems', message: '规上工业增加值 困难问题：同比增长 3%，低于目标增速 4%，请填写存在的困难问题（至少 5 个字）。' },
      { field: 'measures', message: '规上工业增加值 措施建议：同比增长 3%，低于目标增速 4%，请填写拟采取的措施建议（至少 5 个字）。' },
    ]],
    ['4: narrative too short or only spaces', { ...industry, lastYear: null }, { value: '1050', growth: '3', problems: '无', measures: '　　 ' }, {}, [
      { field: 'problems', message: '规上工业增加值 困难问题：同比增长 3%，低于目标增速 4%，填写的内容过短，请具体说明存在的困难问题（至少 5 个字）。' },
      { field: 'measures', message: '规上工业增加值 措施建议：同比增长 3%，低于目标增速 4%，请填写拟采取的措施建议（至少 5 个字）。' },
    ]],
    ['4: a drop with no target', { ...industry, lastYear: null, targetGrowthPct: null }, { value: '1050', growth: '下降1.5%', ...narrative, measures: '' }, {}, [
      { field: 'measures', message: '规上工业增加值 措施建议：同比下降 1.5%，请填写拟采取的措施建议（至少 5 个字）。' },
    ]],
    ['4: lower-is-better above its target', energy, { value: '80', growth: '1', measures: narrative.measures }, {}, [
      { field: 'problems', message: '规上工业综合能耗 困难问题：同比增长 1%，高于目标增速 -2%（该指标越低越好），请填写存在的困难问题（至少 5 个字）。' },
    ]],
    ['4: lower-is-better rising with no target', { ...energy, targetGrowthPct: null }, { value: '80', growth: '2', problems: narrative.problems }, {}, [
      { field: 'measures', message: '规上工业综合能耗 措施建议：同比增长 2%（该指标越低越好），请填写拟采取的措施建议（至少 5 个字）。' },
    ]],
    ['6: an edit without a reason', industry, good, { requireReason: true, reason: '　' },
      [{ field: 'reason', message: '修改原因：未填写。修改已报送的数据须说明原因，请填写修改原因后再次提交。' }]],
  ])('%s', (_name, ind, entry, extra, expected) => {
    const r = one(ind, entry, extra);
    const errors = expected.map((e) => (e.field === 'reason' ? e : { indicatorCode: ind.code, ...e }));
    expect(r).toEqual({ ok: false, errors, outliers: [] });
  });
});

describe('rules that let a figure through', () => {
  it.each<[string, IndicatorContext, RawEntry, Extra]>([
    ['2: January restarts the cumulative value', { ...industry, previous: { ...industry.previous!, periodLabel: '2026年12月', value: '1200', sameYear: false }, lastYear: { value: '95.2' }, history: [] },
      { value: '100', growth: '5' }, {}],
    ['3: a gap exactly at the tolerance', industry, { value: '1050', growth: '6' }, {}],
    ['3: no check without last year', { ...industry, lastYear: null }, { value: '1050', growth: '4.5' }, {}],
    ['3: no check when last year is zero', { ...industry, lastYear: { value: '0' } }, { value: '1050', growth: '4.5' }, {}],
    ['4: below target with narrative', { ...industry, lastYear: null }, { value: '1050', growth: '3', ...narrative }, {}],
    ['4: at target needs no narrative', { ...industry, lastYear: null }, { value: '1050', growth: '4' }, {}],
    ['4: lower-is-better falling faster than its target', energy, { value: '80', growth: '-3' }, {}],
    ['4: lower-is-better falling with no target', { ...energy, targetGrowthPct: null }, { value: '80', growth: '-2' }, {}],
    ['5: a month like the others', industry, good, {}],
    ['6: an edit with a reason', industry, good, { requireReason: true, reason: '统计局反馈口径调整' }],
  ])('%s', (_name, ind, entry, extra) => {
    expect(one(ind, entry, extra)).toMatchObject({ ok: true, outliers: [] });
  });

  it('returns normalised figures with trimmed narrative', () => {
    const r = validatePage({
      indicators: [industry, jobless],
      entries: {
        VA: { value: ' 1,050.00 亿元', growth: '增长5%', problems: '　订单不足，开工率下降　', forecast: '  ', measures: '产销对接，拓展市场' },
        UE: { value: '5.2%', growth: 'ignored: no growth for this indicator' },
      },
    });
    expect(r).toEqual({
      ok: true, outliers: [], figures: [
        { indicatorId: 'id-va', code: 'VA', value: '1050', growthPct: '5', problems: '订单不足，开工率下降', forecast: null, measures: '产销对接，拓展市场' },
        { indicatorId: 'id-ue', code: 'UE', value: '5.2', growthPct: null, problems: null, forecast: null, measures: null },
      ],
    });
  });

  it('reports every indicator of the page at once', () => {
    const r = validatePage({ indicators: [industry, power], entries: { VA: { growth: '5' }, PW: { value: '21', growth: '5' } } });
    expect(r).toEqual({ ok: false, outliers: [], errors: [
      { indicatorCode: 'VA', field: 'value', message: '规上工业增加值 本期值：未填写，请填写数字（单位：亿元）。' },
    ] });
  });
});

describe('5: figures far from their history ask to confirm', () => {
  const ask = '，明显偏离历史水平，请核实；如确认无误，请填写说明后再次提交。';
  it.each<[string, IndicatorContext, RawEntry, string]>([
    ['a current value jumping from the previous one', power, { value: '35', growth: '5' },
      '全社会用电量 本期 35 亿千瓦时，较上期 20 亿千瓦时（2026年10月）增长 75%'],
    ['a current value collapsing', power, { value: '7', growth: '5' },
      '全社会用电量 本期 7 亿千瓦时，较上期 20 亿千瓦时（2026年10月）下降 65%'],
    ['a cumulative month increment unlike history', { ...industry, lastYear: null }, { value: '1200', growth: '5' },
      '规上工业增加值 本期累计 1200 亿元，当月新增 250 亿元，较近 9 个月月均新增 95 亿元多 163.2%'],
    ['growth far from the mean of history growth', { ...industry, lastYear: null }, { value: '1050', growth: '25' },
      '规上工业增加值 同比增长 25%，与近 4 期平均增速 5.1% 相差 19.9 个百分点'],
  ])('%s', (_name, ind, entry, what) => {
    expect(one(ind, entry)).toEqual({ ok: false, errors: [], outliers: [{ indicatorCode: ind.code, message: what + ask }] });
  });

  it.each<[string, IndicatorContext, RawEntry]>([
    ['a current change within the threshold', power, { value: '31', growth: '5' }],
    ['a history too short to judge growth', { ...industry, lastYear: null, history: industry.history.slice(0, 8) }, { value: '1050', growth: '25' }],
  ])('not for %s', (_name, ind, entry) => {
    expect(one(ind, entry)).toMatchObject({ ok: true, outliers: [] });
  });

  it('passes once confirmed, returning the outlier with the reason', () => {
    const r = one(power, { value: '35', growth: '5' }, { confirmation: { codes: ['PW'], reason: ' 新增数据中心投产 ' } });
    expect(r).toEqual({
      ok: true,
      figures: [{ indicatorId: 'id-pw', code: 'PW', value: '35', growthPct: '5', problems: null, forecast: null, measures: null }],
      outliers: [{ indicatorCode: 'PW', message: '全社会用电量 本期 35 亿千瓦时，较上期 20 亿千瓦时（2026年10月）增长 75%，明显偏离历史水平。确认说明：新增数据中心投产' }],
    });
  });

  it('still asks when the confirmation names another indicator', () => {
    const r = one(power, { value: '35', growth: '5' }, { confirmation: { codes: ['VA'], reason: '新增数据中心投产' } });
    expect(r).toMatchObject({ ok: false, errors: [], outliers: [{ indicatorCode: 'PW' }] });
  });

  it('asks for the confirmation reason when it is empty', () => {
    const r = one(power, { value: '35', growth: '5' }, { confirmation: { codes: ['PW'], reason: '　' } });
    expect(r).toEqual({
      ok: false,
      errors: [{ field: 'confirmReason', message: '确认说明：未填写。全社会用电量 的数据明显偏离历史水平，如确认无误，请填写说明后再次提交。' }],
      outliers: [{ indicatorCode: 'PW', message: `全社会用电量 本期 35 亿千瓦时，较上期 20 亿千瓦时（2026年10月）增长 75%${ask}` }],
    });
  });

  it('needs no confirmation reason once the figure is corrected back into line (issue 12)', () => {
    // The officer was asked about 35 (c = 1 on the button), typed 31 instead and pressed 确认并提交 with the reason empty.
    const r = one(power, { value: '31', growth: '5' }, { confirmation: { codes: ['PW'], reason: '' } });
    expect(r).toMatchObject({ ok: true, outliers: [], figures: [{ code: 'PW', value: '31' }] });
  });

  it('lists outliers next to the field errors of other indicators', () => {
    const r = validatePage({ indicators: [industry, power], entries: { VA: { value: '1050' }, PW: { value: '35', growth: '5' } } });
    expect(r).toMatchObject({ ok: false, errors: [{ indicatorCode: 'VA', field: 'growth' }], outliers: [{ indicatorCode: 'PW' }] });
  });
});

/** A county's 规上工业增加值, published only as a growth rate at comparable prices (no level). */
const countyVa: IndicatorContext = {
  ...industry, indicatorId: 'id-cva', code: 'CVA', growthBasis: 'COMPARABLE', growthOnly: true,
  previous: { periodLabel: '2026年10月', value: null, growthPct: '6.1', sameYear: true },
  lastYear: null, targetGrowthPct: '6.5',
  history: ['5.8', '6.0', '6.3', '6.1'].map((growthPct) => ({ value: null, growthPct })),
};

describe('growth-only and comparable-price indicators', () => {
  it.each<[string, IndicatorContext, RawEntry, { field: string; message: string }[]]>([
    ['a growth-only indicator needs its growth', countyVa, {},
      [{ field: 'growth', message: '规上工业增加值 同比增长：未填写，请填写百分比数字，如 3.2，下降填 -1.5。' }]],
    ['a growth-only growth below target still needs the narrative', countyVa, { growth: '5.9' }, [
      { field: 'problems', message: '规上工业增加值 困难问题：同比增长 5.9%，低于目标增速 6.5%，请填写存在的困难问题（至少 5 个字）。' },
      { field: 'measures', message: '规上工业增加值 措施建议：同比增长 5.9%，低于目标增速 6.5%，请填写拟采取的措施建议（至少 5 个字）。' },
    ]],
    ['a comparable-price indicator still needs its value', { ...industry, growthBasis: 'COMPARABLE' }, { growth: '5' },
      [{ field: 'value', message: '规上工业增加值 本期值：未填写，请填写数字（单位：亿元）。' }]],
  ])('%s', (_name, ind, entry, expected) => {
    expect(one(ind, entry)).toEqual({ ok: false, outliers: [], errors: expected.map((e) => ({ indicatorCode: ind.code, ...e })) });
  });

  it('stores a growth-only figure with its growth and no value (a value sent by an old card is ignored)', () => {
    expect(one(countyVa, { value: '88', growth: '增长7.2%' })).toEqual({
      ok: true, outliers: [],
      figures: [{ indicatorId: 'id-cva', code: 'CVA', value: null, growthPct: '7.2', problems: null, forecast: null, measures: null }],
    });
  });

  // 1050 亿元 over 1000 亿元 is 5.0 % at current prices; with industrial prices down, the bureau's 7.0 % at comparable prices is right.
  it('does not check a growth at comparable prices against the values', () => {
    expect(one({ ...industry, growthBasis: 'COMPARABLE' }, { value: '1050', growth: '7' })).toMatchObject({ ok: true, figures: [{ value: '1050', growthPct: '7' }] });
  });

  it('keeps the check for a year-on-year growth', () => {
    expect(one(industry, { value: '1050', growth: '7' })).toMatchObject({ ok: false, errors: [{ field: 'growth' }] });
  });

  it('asks to confirm a growth-only figure far from its past growth', () => {
    const r = one(countyVa, { growth: '25', ...narrative });
    expect(r).toEqual({
      ok: false, errors: [],
      outliers: [{ indicatorCode: 'CVA', message: '规上工业增加值 同比增长 25%，与近 4 期平均增速 6.1% 相差 18.9 个百分点，明显偏离历史水平，请核实；如确认无误，请填写说明后再次提交。' }],
    });
  });
});
