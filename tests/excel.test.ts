// Excel export (the workbook an office files) and import of official figures from .xlsx / .csv.
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  buildSubmissionsWorkbook,
  ImportFileError,
  parseOfficialFile,
  type ExportMeta,
  type ExportRow,
} from '../src/modules/collection/excel.ts';

const META: ExportMeta = {
  title: '鞍江市 2026年11月 经济运行指标报送汇总',
  cycleName: '月度报送',
  periodLabel: '2026年11月',
  dueText: '2026-12-15 18:00',
  generatedAt: '2026-12-16 09:30',
  unitSections: [
    { unitName: '财政局', enterpriseCoverage: '包保企业 12 家，走访 8 家。', keyWork: '推进留抵退税。' },
    { unitName: '统计局', enterpriseCoverage: null, keyWork: null },
  ],
};

function row(over: Partial<ExportRow>): ExportRow {
  return {
    unitName: '财政局',
    unitCode: 'CZJ',
    indicatorName: '一般公共预算收入',
    indicatorCode: 'GBR',
    measureUnit: '亿元',
    value: '1234.5000',
    growthPct: '5.20',
    targetGrowthPct: '7.00',
    status: '已报送',
    submittedBy: '王丽',
    submittedAt: '2026-12-10 14:05',
    revisionNo: 2,
    vintage: '快报',
    problems: null,
    forecast: null,
    measures: null,
    ...over,
  };
}

// Interleaved on purpose: the workbook groups by unit.
const ROWS: ExportRow[] = [
  row({ problems: '房地产相关税收下滑。', forecast: '预计全年完成目标。', measures: '加强征管。' }),
  row({ unitName: '统计局', unitCode: 'TJJ', indicatorName: '规上工业增加值', indicatorCode: 'GYZ', measureUnit: '%', value: null, growthPct: null, targetGrowthPct: '8.00', status: '逾期未报', submittedBy: null, submittedAt: null, revisionNo: null, vintage: null }),
  row({ indicatorName: '税收收入', indicatorCode: 'SS', value: '88.1', decimals: 1, growthPct: '-3.10', status: '逾期补报', revisionNo: 1 }),
];

async function readBack(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as Parameters<typeof wb.xlsx.load>[0]);
  return wb;
}

const rowValues = (ws: ExcelJS.Worksheet, r: number) => (ws.getRow(r).values as unknown[]).slice(1);

describe('buildSubmissionsWorkbook', () => {
  it('lays out the summary sheet with a merged title, meta row, header and rows grouped by unit', async () => {
    const wb = await readBack(await buildSubmissionsWorkbook(META, ROWS));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['指标汇总', '文字材料', '报送情况']);
    const ws = wb.worksheets[0]!;

    expect(ws.getCell('A1').value).toBe(META.title);
    expect(ws.getCell('N1').isMerged).toBe(true);
    expect(ws.getCell('N1').master.address).toBe('A1');
    expect(String(ws.getCell('A2').value)).toContain('报告期：2026年11月');
    expect(String(ws.getCell('A2').value)).toContain('截止时间：2026-12-15 18:00');
    expect(rowValues(ws, 3)).toEqual(['序号', '单位', '单位代码', '指标', '指标代码', '计量单位', '本期值', '同比增速(%)', '目标增速(%)', '口径', '报送状态', '报送人', '报送时间', '版次']);

    // 财政局's two indicators come together, before 统计局.
    expect([4, 5, 6].map((r) => [ws.getCell(r, 2).value, ws.getCell(r, 4).value])).toEqual([
      ['财政局', '一般公共预算收入'],
      ['财政局', '税收收入'],
      ['统计局', '规上工业增加值'],
    ]);
    expect([4, 5, 6].map((r) => ws.getCell(r, 1).value)).toEqual([1, 2, 3]);

    const value = ws.getCell('G4');
    expect(value.value).toBe(1234.5);
    expect(value.numFmt).toBe('0.00');
    expect(ws.getCell('G5').value).toBe(88.1);
    expect(ws.getCell('G5').numFmt).toBe('0.0');
    expect(ws.getCell('H5').value).toBe(-3.1);
    expect(ws.getCell('H5').numFmt).toBe('0.00');
    // Nothing reported yet: an empty cell, not 0.
    expect(ws.getCell('G6').value).toBeNull();
    expect(ws.getCell('K6').value).toBe('逾期未报');
    expect(ws.getCell('J4').value).toBe('快报');
    expect(ws.getCell('M4').value).toBe('2026-12-10 14:05');

    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(ws.getColumn(4).width).toBeGreaterThan(ws.getColumn(1).width!);
  });

  it('shows officials Chinese only: the codes stay in the file, in hidden columns (issue 12)', async () => {
    const wb = await readBack(await buildSubmissionsWorkbook(META, ROWS));
    for (const ws of wb.worksheets) {
      const visible: string[] = [];
      ws.eachRow((r) => r.eachCell((c) => {
        if (!ws.getColumn(c.col).hidden && typeof c.value === 'string') visible.push(c.value);
      }));
      expect(visible.filter((t) => /[A-Za-z]/.test(t)), ws.name).toEqual([]);
    }
    const main = wb.getWorksheet('指标汇总')!;
    expect([3, 5].map((c) => main.getColumn(c).hidden)).toEqual([true, true]);
    expect(main.getCell('C4').value).toBe('CZJ');
    expect(wb.getWorksheet('报送情况')!.getColumn(3).hidden).toBe(true);
  });

  it('writes the unit sections and narratives on 「文字材料」', async () => {
    const wb = await readBack(await buildSubmissionsWorkbook(META, ROWS));
    const ws = wb.getWorksheet('文字材料')!;
    const texts: string[] = [];
    // Merged cells read back with the master's value in every cell: count each area once.
    ws.eachRow((r) => {
      const own: string[] = [];
      r.eachCell((c) => {
        if (c.master.address === c.address && typeof c.value === 'string') own.push(c.value);
      });
      texts.push(own.join('|'));
    });
    expect(texts[0]).toBe(`${META.title}（文字材料）`);
    expect(texts).toContain('一、财政局');
    expect(texts).toContain('企业包保情况|包保企业 12 家，走访 8 家。');
    expect(texts).toContain('重点工作推进情况|推进留抵退税。');
    expect(texts).toContain('一般公共预算收入|房地产相关税收下滑。|预计全年完成目标。|加强征管。');
    expect(texts).toContain('二、统计局');
    // Blank sections are marked, not silently left out.
    expect(texts.slice(texts.indexOf('二、统计局'))).toContain('企业包保情况|（未填报）');
  });

  it('counts statuses per unit on 「报送情况」 with a total row', async () => {
    const wb = await readBack(await buildSubmissionsWorkbook(META, ROWS));
    const ws = wb.getWorksheet('报送情况')!;
    expect(rowValues(ws, 3)).toEqual(['序号', '单位', '单位代码', '应报指标', '已报送', '逾期补报', '未报送', '逾期未报', '报送率']);
    expect(rowValues(ws, 4)).toEqual([1, '财政局', 'CZJ', 2, 1, 1, 0, 0, 1]);
    expect(rowValues(ws, 5)).toEqual([2, '统计局', 'TJJ', 1, 0, 0, 0, 1, 0]);
    expect(ws.getCell('A6').value).toBe('合计');
    expect(ws.getCell('D6').value).toBe(3);
    expect(ws.getCell('I6').value).toBeCloseTo(2 / 3);
    expect(ws.getCell('I6').numFmt).toBe('0.0%');
  });
});

async function xlsxOf(build: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  build(wb.addWorksheet('正式数据'));
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('parseOfficialFile', () => {
  it('reads an .xlsx with a title row above the header', async () => {
    const bytes = await xlsxOf((ws) => {
      ws.addRow(['鞍江市 2026年11月 主要经济指标（统计局正式数据）']);
      ws.mergeCells('A1:F1');
      ws.addRow([]);
      ws.addRow(['单位名称', '单位代码', '指标名称', '报告期', '本期值（亿元）', '同比增速(%)']);
      ws.addRow(['财政局', 'CZJ', '一般公共预算收入', '2026年11月', 1234.56, 5.2]);
      ws.addRow([]);
      ws.addRow(['统计局', '', '规上工业增加值', '2026年11月', '１，２３４．５', '-3.1%']);
      const r = ws.addRow(['发改委', 'FGW', '固定资产投资', '2026年11月', '88', 0.052]);
      r.getCell(6).numFmt = '0.0%';
      ws.addRow(['注：本表数据为统计局正式数据。']);
    });
    const { rows, issues } = await parseOfficialFile(bytes, '11月正式数据.xlsx');
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      { rowNo: 4, unit: 'CZJ', indicator: '一般公共预算收入', period: '2026年11月', value: '1234.56', growthPct: '5.2' },
      { rowNo: 6, unit: '统计局', indicator: '规上工业增加值', period: '2026年11月', value: '1234.5', growthPct: '-3.1' },
      // A cell shown as 5.2% holds 0.052: the percentage is what the official typed.
      { rowNo: 7, unit: 'FGW', indicator: '固定资产投资', period: '2026年11月', value: '88', growthPct: '5.2' },
    ]);
  });

  it('reads a UTF-8 CSV with a BOM', async () => {
    const text = '单位,指标,本期值,同比\r\n财政局,一般公共预算收入,"1,234.50",5.2%\r\n\r\n统计局,规上工业增加值,12.3,—\r\n';
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    const { rows, issues } = await parseOfficialFile(bytes, 'official.csv');
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      { rowNo: 2, unit: '财政局', indicator: '一般公共预算收入', period: null, value: '1234.5', growthPct: '5.2' },
      { rowNo: 4, unit: '统计局', indicator: '规上工业增加值', period: null, value: '12.3', growthPct: null },
    ]);
  });

  it('reads a GB18030 CSV as Excel saves it on Chinese Windows', async () => {
    const text = '鞍江市主要经济指标,,,\r\n单位代码,指标代码,月份,累计值\r\nCZJ,GBR,2026-11,１２３．４\r\n';
    const bytes = iconv.encode(text, 'gb18030');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const { rows, issues } = await parseOfficialFile(bytes, '正式数据.csv');
    expect(issues).toEqual([]);
    expect(rows).toEqual([{ rowNo: 3, unit: 'CZJ', indicator: 'GBR', period: '2026-11', value: '123.4', growthPct: null }]);
  });

  it('reports bad rows by row number and keeps the good ones', async () => {
    const text = ['单位,指标,本期值,同比增速(%)', '财政局,税收收入,一百,1', ',税收收入,5,1', '财政局,税收收入,,', '财政局,税收收入,7,增长五', '财政局,税收收入,9.5,2', '财政局,税收收入,,1'].join('\n');
    const { rows, issues } = await parseOfficialFile(Buffer.from(text, 'utf8'), 'bad.csv');
    expect(issues).toEqual([
      { rowNo: 2, message: '第 2 行：「本期值」不是数字：“一百”' },
      { rowNo: 3, message: '第 3 行：「单位」为空' },
      { rowNo: 4, message: '第 4 行：「本期值」为空' },
      { rowNo: 5, message: '第 5 行：「同比增速(%)」不是数字：“增长五”' },
    ]);
    // A growth without a value is read; whether it may be stored is the importer's to decide.
    expect(rows).toEqual([
      { rowNo: 6, unit: '财政局', indicator: '税收收入', period: null, value: '9.5', growthPct: '2' },
      { rowNo: 7, unit: '财政局', indicator: '税收收入', period: null, value: null, growthPct: '1' },
    ]);
  });

  it('says so when no header row is found, without throwing', async () => {
    const { rows, issues } = await parseOfficialFile(Buffer.from('名称,金额\n财政局,5\n', 'utf8'), 'x.csv');
    expect(rows).toEqual([]);
    expect(issues).toEqual([{ rowNo: 0, message: expect.stringContaining('未找到表头') }]);
  });

  it('throws a Chinese message for files it cannot read', async () => {
    await expect(parseOfficialFile(Buffer.from('PK\u0003\u0004 not really a zip'), '数据.xlsx')).rejects.toThrow(/无法读取该 Excel 文件/);
    await expect(parseOfficialFile(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0]), '数据.xls')).rejects.toThrow(ImportFileError);
    await expect(parseOfficialFile(Buffer.from('x'), '数据.pdf')).rejects.toThrow(/请上传 \.xlsx 或 \.csv 文件/);
    await expect(parseOfficialFile(Buffer.alloc(0), '数据.csv')).rejects.toThrow('上传的文件是空的');
  });
});
