// The 专报's paragraphs as drafted from the month's facts: the wording of the city's reports, every number
// one of the facts, the same facts always giving the same words; and the city's growth weighted by value,
// never a mean of the regions' rates. Figures invented, shaped like a bureau's monthly table.
import { describe, expect, it } from 'vitest';
import { cityFromRegions, spanLabel, type IndicatorFacts } from '../src/modules/report/facts.ts';
import { sampleIndicator as indicator, sampleMonth as month } from './support/report-facts.ts';
import { draftParagraphs, growthPhrase, indicatorParagraph, PARAGRAPH_MAX, targetPhrase, trendPhrase } from '../src/modules/report/narrative.ts';

describe('the city figure', () => {
  it('weights the regions by value: a large region moves the city more than a small one', () => {
    // A 900 亿元 region growing 2% and a 100 亿元 one growing 20%: the mean of rates would say 11%.
    const c = cityFromRegions([{ value: 900, growthPct: 2 }, { value: 100, growthPct: 20 }]);
    expect(c.value).toBe(1000);
    // 1000 / (900/1.02 + 100/1.2) − 1 = 3.55…% → 3.6%
    expect(c.growthPct).toBe(3.6);
  });

  it('gives no growth while a region has not reported, and says how many are missing', () => {
    expect(cityFromRegions([{ value: 900, growthPct: 2 }, { value: null, growthPct: null }])).toEqual({ value: null, growthPct: null, missing: 1 });
  });
});

describe('phrases', () => {
  it.each([
    [5.2, '同比增长 5.2%'],
    [-1.54, '同比下降 1.5%'],
    [0.04, '与上年同期持平'],
  ])('growth %s → %s', (g, text) => expect(growthPhrase(g)).toBe(text));

  it.each([
    [5.2, 8, '低于目标进度 2.8 个百分点'],
    [9.4, 9, '高于目标进度 0.4 个百分点'],
    [8.04, 8, '与目标进度持平'],
  ])('growth %s against target %s → %s', (g, t, text) => expect(targetPhrase(g, t)).toBe(text));

  it.each([
    [5.2, 5.5, '1-9月', '增速比1-9月回落 0.3 个百分点'],
    [6, 5.5, '1-9月', '增速比1-9月提高 0.5 个百分点'],
    [5.5, 5.5, '1-9月', '增速与1-9月持平'],
  ])('growth %s after %s → %s', (g, p, label, text) => expect(trendPhrase(g, p, label)).toBe(text));

  it.each([
    ['2026-10', true, '1-10月'],
    ['2026-01', true, '1月'],
    ['2026-10', false, '10月'],
  ])('%s cumulative=%s reads %s', (k, c, label) => expect(spanLabel(k, c)).toBe(label));
});

describe('indicator paragraphs', () => {
  it.each<[string, Partial<IndicatorFacts>, string]>([
    [
      'behind target, slowing, regions at each end, lights',
      {},
      '1-10月，全市规模以上工业增加值累计完成 1,286.43 亿元，同比增长 5.2%，低于目标进度 2.8 个百分点，增速比1-9月回落 0.3 个百分点；分区县看，增速居前的是高新区（10.0%）、鞍西区（9.1%），居后的是鞍东区（2.0%）、云台县（3.4%）；共有 2 个单位亮红灯、3 个单位亮黄灯。',
    ],
    [
      'a falling figure without a target',
      { city: { value: 120, growthPct: -3.1, source: 'city', missing: 0 }, targetPct: null, previousGrowthPct: null, lights: { red: 0, yellow: 0, green: 10 }, best: [], worst: [] },
      '1-10月，全市规模以上工业增加值累计完成 120.00 亿元，同比下降 3.1%。',
    ],
    [
      'regions still missing: no city total',
      { city: { value: null, growthPct: null, source: null, missing: 2 }, lights: { red: 0, yellow: 0, green: 0 }, best: [], worst: [] },
      '1-10月，全市规模以上工业增加值尚有 2 个区县（单位）未报送，暂无全市汇总数。',
    ],
    [
      'an indicator judged by its value (no growth basis)',
      { name: '新增规上企业', measureUnit: '户', decimals: 0, yoy: false, cumulative: true, city: { value: 46, growthPct: null, source: 'sum', missing: 0 }, targetPct: null, previousGrowthPct: null, lights: { red: 0, yellow: 0, green: 10 }, best: [{ unit: '高新区', growthPct: 9 }], worst: [{ unit: '鞍东区', growthPct: 1 }] },
      '1-10月，全市新增规上企业累计完成 46 户；分区县看，完成值居前的是高新区（9 户），居后的是鞍东区（1 户）。',
    ],
  ])('%s', (_name, over, text) => {
    expect(indicatorParagraph(indicator(over), '2026-10')).toBe(text);
  });
});

describe('the draft', () => {
  it('has the summary, each indicator, ranking and seats, problems, measures, warnings and tasks — in that order', () => {
    const ps = draftParagraphs(month());
    expect(ps.map((p) => p.key)).toEqual(['summary', 'ind-industrial-va', 'ind-retail-sales', 'ranking', 'problems', 'measures', 'warnings']);
    const text = Object.fromEntries(ps.map((p) => [p.key, p.text]));
    expect(text.summary).toBe(
      '2026年10月，全市 27 个责任单位中 25 个已完成报送，2 个未完成；纳入监测的 2 项主要指标中，2 项同比增长；1 项达到目标进度，1 项低于目标进度（规模以上工业增加值）；各项指标共亮红灯 4 个、黄灯 6 个。',
    );
    expect(text.ranking).toBe('按综合排名（积分法），10 个区县中居前三位的是高新区、鞍西区、石桥市，居后三位的是白石县、云台县、鞍东区。例会席位建议：高新区、鞍西区在经验交流席发言，鞍东区、云台县在表态席发言。约谈名单建议：鞍东区。');
    expect(text.problems).toBe('各单位反映的主要困难和问题：（1）鞍东区（规模以上工业增加值，红灯）：两家重点企业停产检修，产值减少约 3 亿元；（2）云台县（固定资产投资，黄灯）：新开工项目不足。');
    expect(text.measures).toBe('各单位提出的主要措施和建议：（1）鞍东区（规模以上工业增加值，红灯）：协调企业提前复产，争取新增规上企业 2 家。');
    expect(text.warnings).toBe('本月预警：红灯 4 个、黄灯 6 个，领导已阅 7 个、未阅 3 个。截至目前，交办事项累计 10 项（本月新交办 3 项），其中待办理 2 项、办理中 3 项、待销号 1 项、已销号 4 项，逾期未完成 1 项。');
  });

  it('is the same for the same facts', () => {
    expect(draftParagraphs(month())).toEqual(draftParagraphs(structuredClone(month())));
  });

  it('leaves out the ranking before one is built, and keeps every paragraph within what the card can edit', () => {
    const long = '停产'.repeat(400);
    const ps = draftParagraphs(month({ ranking: null, seats: null, problems: Array.from({ length: 12 }, (_, i) => ({ unit: `单位${i}`, indicator: '固定资产投资', light: 'RED' as const, problems: long, measures: long })), problemCount: 40 }));
    expect(ps.map((p) => p.key)).not.toContain('ranking');
    for (const p of ps) expect([...p.text].length).toBeLessThanOrEqual(PARAGRAPH_MAX);
    expect(ps.find((p) => p.key === 'problems')!.text).toMatch(/^各单位反映的主要困难和问题（各单位共填报 40 条，以下摘录 \d 条，亮灯指标在前）：（1）单位0/);
  });
});
