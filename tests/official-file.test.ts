// Official files as bureaus export them (figures invented): header synonyms, two-line headers with the
// indicator merged above 绝对值 / 增长%, wide tables with a column pair per indicator, the long form,
// period labels, GB18030 CSV. Pure parsing: which unit, indicator and period each figure belongs to is
// the importer's (tests/official-import.test.ts).
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { parseOfficialFile } from '../src/modules/collection/excel.ts';
import { parsePeriodLabel, periodInText, periodKeyOf } from '../src/modules/collection/period-label.ts';

async function xlsxOf(build: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb.addWorksheet('Sheet1'));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
const csv = (lines: string[]) => Buffer.from(lines.join('\r\n'), 'utf8');

describe('period labels as bureaus print them', () => {
  it.each([
    ['2017年1-3月', { year: 2017, from: 1, to: 3, kind: 'span' }],
    ['2017年1—3月', { year: 2017, from: 1, to: 3, kind: 'span' }],
    ['1-3月', { year: null, from: 1, to: 3, kind: 'span' }],
    ['１－３月累计', { year: null, from: 1, to: 3, kind: 'span' }],
    ['2017年3月', { year: 2017, from: 3, to: 3, kind: 'month' }],
    ['3月份', { year: null, from: 3, to: 3, kind: 'month' }],
    ['2017-03', { year: 2017, from: 3, to: 3, kind: 'month' }],
    ['201703', { year: 2017, from: 3, to: 3, kind: 'month' }],
    ['一季度', { year: null, from: 1, to: 3, kind: 'quarter' }],
    ['2017年第三季度', { year: 2017, from: 7, to: 9, kind: 'quarter' }],
    ['上半年', { year: null, from: 1, to: 6, kind: 'span' }],
    ['2017年前三季度', { year: 2017, from: 1, to: 9, kind: 'span' }],
  ])('%s', (label, span) => {
    expect(parsePeriodLabel(label)).toEqual(span);
  });

  it('is no period for other words or impossible months', () => {
    for (const s of ['绝对值', '13月', '3-1月', '地区', '']) expect(parsePeriodLabel(s)).toBeNull();
  });

  it('finds the period a title names, or its year', () => {
    expect(periodInText('鞍江市2017年1-3月主要经济指标完成情况')).toEqual({ label: '2017年1-3月', year: 2017 });
    expect(periodInText('2017年 一季度 各县区主要指标')).toEqual({ label: '2017年一季度', year: 2017 });
    expect(periodInText('2017年主要经济指标')).toEqual({ label: null, year: 2017 });
  });

  it('names the period key of the indicator’s cycle, and refuses a sum that is no figure of it', () => {
    const monthly = { frequency: 'MONTHLY' as const };
    const quarterly = { frequency: 'QUARTERLY' as const };
    const cumulative = { valueKind: 'CUMULATIVE' as const };
    const current = { valueKind: 'CURRENT' as const };
    expect(periodKeyOf(parsePeriodLabel('1-3月')!, monthly, cumulative, 2017)).toEqual({ key: '2017-03' });
    expect(periodKeyOf(parsePeriodLabel('2016年12月')!, monthly, current, 2017)).toEqual({ key: '2016-12' });
    expect(periodKeyOf(parsePeriodLabel('一季度')!, monthly, cumulative, 2017)).toEqual({ key: '2017-03' });
    expect(periodKeyOf(parsePeriodLabel('一季度')!, quarterly, current, 2017)).toEqual({ key: '2017-Q1' });
    expect(periodKeyOf(parsePeriodLabel('1-6月')!, quarterly, cumulative, 2017)).toEqual({ key: '2017-Q2' });
    // 1-3月 added up is not March's own figure: a current-month indicator refuses it.
    expect(periodKeyOf(parsePeriodLabel('1-3月')!, monthly, current, 2017)).toEqual({ error: expect.stringContaining('请提供3月当月数') });
    expect(periodKeyOf(parsePeriodLabel('1-6月')!, quarterly, current, 2017)).toEqual({ error: expect.stringContaining('第2季度') });
    expect(periodKeyOf(parsePeriodLabel('5月')!, quarterly, cumulative, 2017)).toEqual({ error: '5 月不是季末，该指标按季度报送' });
  });
});

describe('header names bureaus use', () => {
  it.each([
    ['单位,指标,本期值,同比增速'],
    ['地区,指标,绝对值,增长%'],
    ['单位名称,指标名称,本月,比上年同期增长%'],
    ['区县,指标,累计,±%'],
    ['地区,项目,本期,增长(%)'],
    ['单位名称,指标,累计数（亿元）,比上年同期增长(%)'],
  ])('%s', async (header) => {
    const { rows, issues } = await parseOfficialFile(csv([header, '鞍东区,社会消费品零售总额,"1,234.5",-3.2']), 'x.csv');
    expect(issues).toEqual([]);
    expect(rows).toEqual([{ rowNo: 2, unit: '鞍东区', indicator: '社会消费品零售总额', period: null, value: '1234.5', growthPct: '-3.2' }]);
  });
});

describe('tables as bureaus publish them', () => {
  it('reads a wide .xlsx whose indicators sit merged above 绝对值 / 增长%, with the period from the title', async () => {
    const bytes = await xlsxOf((ws) => {
      ws.addRow(['鞍江市2026年1-11月主要经济指标']);
      ws.mergeCells('A1:F1');
      ws.addRow(['', '', '', '', '', '单位：亿元、%']);
      ws.addRow(['地区', '社会消费品零售总额', '', '一般公共预算收入', '', '位次']);
      ws.addRow(['', '绝对值', '增长%', '绝对值', '增长%', '']);
      ws.mergeCells('A3:A4');
      ws.mergeCells('B3:C3');
      ws.mergeCells('D3:E3');
      ws.addRow(['全市', 1456.78, 4.4, 98.61, -2.1, '']);
      ws.addRow(['鞍 东 区', 321.4, 5.1, 20.3, '—', 3]);
      ws.addRow(['其中：城区']);
      ws.addRow(['青山区', '—', '—', 11.05, 1.2, 8]);
      ws.addRow(['临江区', '三百', 2, 9.9, 1, 9]);
      ws.addRow(['注：增速按可比价计算。']);
    });
    const { rows, issues, columns, headerRowNo } = await parseOfficialFile(bytes, '主要指标.xlsx');
    expect(headerRowNo).toBe(3);
    expect(columns).toEqual(['社会消费品零售总额', '一般公共预算收入']);
    // A bad cell refuses the whole row (临江区): none of its figures is read.
    expect(issues).toEqual([{ rowNo: 9, message: '第 9 行：「社会消费品零售总额 绝对值」不是数字：“三百”' }]);
    const p = '2026年1-11月';
    expect(rows).toEqual([
      { rowNo: 5, unit: '全市', indicator: '社会消费品零售总额', period: p, value: '1456.78', growthPct: '4.4' },
      { rowNo: 5, unit: '全市', indicator: '一般公共预算收入', period: p, value: '98.61', growthPct: '-2.1' },
      { rowNo: 6, unit: '鞍 东 区', indicator: '社会消费品零售总额', period: p, value: '321.4', growthPct: '5.1' },
      { rowNo: 6, unit: '鞍 东 区', indicator: '一般公共预算收入', period: p, value: '20.3', growthPct: null },
      // An indicator left blank (—) for a unit is not published for it.
      { rowNo: 8, unit: '青山区', indicator: '一般公共预算收入', period: p, value: '11.05', growthPct: '1.2' },
    ]);
  });

  it('reads a long .xlsx with the period merged above 绝对值 / 增长%', async () => {
    const bytes = await xlsxOf((ws) => {
      ws.addRow(['单位名称', '指标名称', '2026年1-10月', '']);
      ws.addRow(['', '', '绝对值', '比上年同期增长%']);
      ws.mergeCells('C1:D1');
      ws.addRow(['鞍西区', '地区生产总值', 210.5, 5.5]);
      ws.addRow(['单位名称', '指标名称', '2026年1-10月', '']);
      ws.addRow(['鞍西区', '固定资产投资', '', -8.2]);
    });
    const { rows, issues } = await parseOfficialFile(bytes, 'x.xlsx');
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      { rowNo: 3, unit: '鞍西区', indicator: '地区生产总值', period: '2026年1-10月', value: '210.5', growthPct: '5.5' },
      // The header again (a new printed page) is skipped; a growth alone is read.
      { rowNo: 5, unit: '鞍西区', indicator: '固定资产投资', period: '2026年1-10月', value: null, growthPct: '-8.2' },
    ]);
  });

  it('reads a one-line wide CSV: 增长% after its indicator, or a column named 「…增速」', async () => {
    const { rows, issues, columns } = await parseOfficialFile(
      csv(['区县,地区生产总值(亿元),增长%,规上工业增加值增速(%),排名', '松岭县,88.2,4.9,6.1,2', '合计,1020,5.2,6.6,']),
      'wide.csv',
    );
    expect(issues).toEqual([]);
    expect(columns).toEqual(['地区生产总值', '规上工业增加值']);
    expect(rows).toEqual([
      { rowNo: 2, unit: '松岭县', indicator: '地区生产总值', period: null, value: '88.2', growthPct: '4.9' },
      { rowNo: 2, unit: '松岭县', indicator: '规上工业增加值', period: null, value: null, growthPct: '6.1' },
      { rowNo: 3, unit: '合计', indicator: '地区生产总值', period: null, value: '1020', growthPct: '5.2' },
      { rowNo: 3, unit: '合计', indicator: '规上工业增加值', period: null, value: null, growthPct: '6.6' },
    ]);
  });

  it('reads a two-line wide CSV in GB18030, as Excel saves it on Chinese Windows', async () => {
    const text = ['2026年11月各县区主要指标,,,,', '地区,社会消费品零售总额,,一般公共预算收入,', ',本月,±%,累计,比上年同期增长%', '白石县,12.3,1.5,30.1,-0.4', '全市,1456.78,4.4,98.61,-2.1', ''].join('\r\n');
    const bytes = iconv.encode(text, 'gb18030');
    const { rows, issues } = await parseOfficialFile(bytes, '县区.csv');
    expect(issues).toEqual([]);
    expect(rows.map((r) => [r.rowNo, r.unit, r.indicator, r.period, r.value, r.growthPct])).toEqual([
      [4, '白石县', '社会消费品零售总额', '2026年11月', '12.3', '1.5'],
      [4, '白石县', '一般公共预算收入', '2026年11月', '30.1', '-0.4'],
      [5, '全市', '社会消费品零售总额', '2026年11月', '1456.78', '4.4'],
      [5, '全市', '一般公共预算收入', '2026年11月', '98.61', '-2.1'],
    ]);
  });

  it('reads a long table with 本月 and 累计 side by side, keeping both', async () => {
    const { rows, issues } = await parseOfficialFile(csv(['地区,指标,本月,,累计,', ',,绝对值,增长%,绝对值,增长%', '鞍东区,社会消费品零售总额,30.1,2.5,321.4,5.1', '鞍西区,社会消费品零售总额,28,x,300,4']), 'x.csv');
    expect(issues).toEqual([{ rowNo: 4, message: '第 4 行：「本月增长%」不是数字：“x”' }]);
    expect(rows).toEqual([{ rowNo: 3, unit: '鞍东区', indicator: '社会消费品零售总额', period: null, value: '30.1', growthPct: '2.5', cumulative: { value: '321.4', growthPct: '5.1' } }]);
  });

  it('refuses a long row with neither value nor growth, naming the column', async () => {
    const { rows, issues } = await parseOfficialFile(csv(['地区,指标,绝对值,增长%', '鞍东区,地区生产总值,—,—']), 'x.csv');
    expect(rows).toEqual([]);
    expect(issues).toEqual([{ rowNo: 2, message: '第 2 行：「绝对值」为空' }]);
  });
});
