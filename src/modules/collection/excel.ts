// Excel in and out: the submissions workbook an office files, and official figures read from an uploaded .xlsx or .csv.
import ExcelJS from 'exceljs';
import { parsePeriodLabel, periodInText } from './period-label.ts';

// ───────────── types ─────────────

export type SubmissionStatus = '已报送' | '未报送' | '逾期未报' | '逾期补报';

export interface ExportRow {
  unitName: string;
  unitCode: string;
  indicatorName: string;
  indicatorCode: string;
  measureUnit: string;
  /** Indicator's decimal places (Indicator.decimals); 2 when absent. */
  decimals?: number;
  value: string | null;
  growthPct: string | null;
  targetGrowthPct: string | null;
  status: SubmissionStatus;
  submittedBy: string | null;
  /** 'YYYY-MM-DD HH:mm', Beijing time. */
  submittedAt: string | null;
  revisionNo: number | null;
  vintage: '快报' | '正式' | null;
  problems: string | null;
  forecast: string | null;
  measures: string | null;
}

export interface ExportMeta {
  /** e.g. '鞍江市 2026年11月 经济运行指标报送汇总' */
  title: string;
  cycleName: string;
  periodLabel: string;
  dueText: string;
  generatedAt: string;
  unitSections: { unitName: string; enterpriseCoverage: string | null; keyWork: string | null }[];
}

export interface OfficialRow {
  /** Spreadsheet row number as Excel shows it (CSV: record number). */
  rowNo: number;
  /** Unit code or Chinese name as typed (NFKC-normalised, trimmed). */
  unit: string;
  /** Indicator code or name as typed. */
  indicator: string;
  period: string | null;
  /** Exact decimal string, e.g. '1234.5'; null when the file gives only the growth. */
  value: string | null;
  growthPct: string | null;
  /** The same figures counted from January, when the table has both 本月 and 累计: a cumulative indicator takes these. */
  cumulative?: { value: string | null; growthPct: string | null };
}

/** rowNo 0 concerns the whole file (e.g. no header row found). */
export interface ImportIssue {
  rowNo: number;
  message: string;
}

/** The uploaded file cannot be read at all (wrong format, corrupt). Message is for the organiser. */
export class ImportFileError extends Error {}

// ───────────── export ─────────────

const FONT = '宋体';
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
const SECTION_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF2F2F2' } };
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const STATUS_COLOR: Record<SubmissionStatus, string | undefined> = {
  已报送: undefined,
  逾期补报: 'FF9C5700',
  未报送: 'FFC65911',
  逾期未报: 'FFC00000',
};
const GROWTH_FORMAT = '0.00';
// Doubles keep 15 significant digits; longer values are written as text so Excel shows them exactly.
const MAX_NUMBER_DIGITS = 15;

interface Column {
  header: string;
  width: number;
  /** The system's codes: kept in the file (a re-import matches on them) but hidden, so officials read Chinese only. */
  hidden?: boolean;
}

const MAIN_COLUMNS: Column[] = [
  { header: '序号', width: 6 },
  { header: '单位', width: 18 },
  { header: '单位代码', width: 11, hidden: true },
  { header: '指标', width: 24 },
  { header: '指标代码', width: 11, hidden: true },
  { header: '计量单位', width: 9 },
  { header: '本期值', width: 14 },
  { header: '同比增速(%)', width: 12 },
  { header: '目标增速(%)', width: 12 },
  { header: '口径', width: 7 },
  { header: '报送状态', width: 10 },
  { header: '报送人', width: 10 },
  { header: '报送时间', width: 17 },
  { header: '版次', width: 6 },
];

const STATUS_ORDER: SubmissionStatus[] = ['已报送', '逾期补报', '未报送', '逾期未报'];

/** Rows grouped by unit, units in order of first appearance, rows within a unit in input order. */
function groupByUnit(rows: ExportRow[]): { unitName: string; unitCode: string; rows: ExportRow[] }[] {
  const groups = new Map<string, { unitName: string; unitCode: string; rows: ExportRow[] }>();
  for (const r of rows) {
    const key = r.unitCode || r.unitName;
    let g = groups.get(key);
    if (!g) {
      g = { unitName: r.unitName, unitCode: r.unitCode, rows: [] };
      groups.set(key, g);
    }
    g.rows.push(r);
  }
  return [...groups.values()];
}

function numberFormat(decimals: number): string {
  const d = Math.max(0, Math.min(4, Math.trunc(decimals)));
  return d === 0 ? '0' : `0.${'0'.repeat(d)}`;
}

/** A decimal string as a number cell value, or as text when a double would change it. */
function numericCell(text: string | null): number | string | null {
  if (text === null || text.trim() === '') return null;
  const canonical = canonicalDecimal(text);
  if (canonical === null) return text;
  if (canonical.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length > MAX_NUMBER_DIGITS) return canonical;
  return Number(canonical);
}

/** Approximate display width: CJK and full-width characters take two columns. */
function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch) ? 2 : 1;
  return w;
}

/** Row height for wrapped text, since Excel does not auto-fit rows written by a library. */
function wrappedHeight(cells: { text: string; width: number }[]): number {
  let lines = 1;
  for (const { text, width } of cells) {
    const n = text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil(displayWidth(line) / Math.max(1, width - 1))), 0);
    lines = Math.max(lines, n);
  }
  return Math.max(18, lines * 15);
}

function addTitleRows(ws: ExcelJS.Worksheet, title: string, meta: ExportMeta, columnCount: number): void {
  const titleRow = ws.addRow([title]);
  ws.mergeCells(1, 1, 1, columnCount);
  titleRow.height = 30;
  titleRow.getCell(1).font = { name: FONT, size: 16, bold: true };
  titleRow.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };

  const metaText = [`报送周期：${meta.cycleName}`, `报告期：${meta.periodLabel}`, `截止时间：${meta.dueText}`, `导出时间：${meta.generatedAt}`].join('　　');
  const metaRow = ws.addRow([metaText]);
  ws.mergeCells(2, 1, 2, columnCount);
  metaRow.height = 20;
  metaRow.getCell(1).font = { name: FONT, size: 10 };
  metaRow.getCell(1).alignment = { horizontal: 'left', vertical: 'middle' };
}

function addHeaderRow(ws: ExcelJS.Worksheet, headers: string[]): ExcelJS.Row {
  const row = ws.addRow(headers);
  row.height = 22;
  row.eachCell((cell) => {
    cell.font = { name: FONT, size: 11, bold: true };
    cell.fill = HEADER_FILL;
    cell.border = THIN;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  return row;
}

function setupSheet(ws: ExcelJS.Worksheet, columns: Column[], headerRowNo: number): void {
  columns.forEach((c, i) => {
    ws.getColumn(i + 1).width = c.width;
    if (c.hidden) ws.getColumn(i + 1).hidden = true;
  });
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: headerRowNo, topLeftCell: `A${headerRowNo + 1}`, activeCell: `A${headerRowNo + 1}` }];
  ws.pageSetup = {
    ...ws.pageSetup,
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `${headerRowNo}:${headerRowNo}`,
    horizontalCentered: true,
  };
}

function bodyStyle(row: ExcelJS.Row, columnCount: number): void {
  for (let c = 1; c <= columnCount; c++) {
    const cell = row.getCell(c);
    cell.border = THIN;
    cell.font = { name: FONT, size: 11, ...(cell.font?.color ? { color: cell.font.color } : {}) };
    cell.alignment = { vertical: 'middle', ...(cell.alignment ?? {}) };
  }
}

function buildMainSheet(wb: ExcelJS.Workbook, meta: ExportMeta, groups: ReturnType<typeof groupByUnit>): void {
  const ws = wb.addWorksheet('指标汇总');
  const n = MAIN_COLUMNS.length;
  addTitleRows(ws, meta.title, meta, n);
  addHeaderRow(ws, MAIN_COLUMNS.map((c) => c.header));
  setupSheet(ws, MAIN_COLUMNS, 3);
  ws.autoFilter = { from: { row: 3, column: 1 }, to: { row: 3, column: n } };

  let seq = 0;
  for (const g of groups) {
    g.rows.forEach((r, i) => {
      seq++;
      const row = ws.addRow([
        seq,
        r.unitName,
        r.unitCode,
        r.indicatorName,
        r.indicatorCode,
        r.measureUnit,
        numericCell(r.value),
        numericCell(r.growthPct),
        numericCell(r.targetGrowthPct),
        r.vintage ?? '',
        r.status,
        r.submittedBy ?? '',
        r.submittedAt ?? '',
        r.revisionNo,
      ]);
      bodyStyle(row, n);
      row.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
      for (const c of [3, 5, 6, 10, 11, 14]) row.getCell(c).alignment = { horizontal: 'center', vertical: 'middle' };
      row.getCell(7).numFmt = numberFormat(r.decimals ?? 2);
      row.getCell(8).numFmt = GROWTH_FORMAT;
      row.getCell(9).numFmt = GROWTH_FORMAT;
      for (const c of [7, 8, 9]) row.getCell(c).alignment = { horizontal: 'right', vertical: 'middle' };
      const color = STATUS_COLOR[r.status];
      if (color) row.getCell(11).font = { name: FONT, size: 11, color: { argb: color }, bold: r.status === '逾期未报' };
      // A heavier rule where a new unit starts makes the grouping visible on paper.
      if (i === 0 && seq > 1) {
        for (let c = 1; c <= n; c++) row.getCell(c).border = { ...THIN, top: { style: 'medium' } };
      }
    });
  }
  if (seq === 0) {
    const row = ws.addRow(['（本期暂无报送数据）']);
    ws.mergeCells(row.number, 1, row.number, n);
    row.getCell(1).alignment = { horizontal: 'center' };
  }
}

const NARRATIVE_COLUMNS: Column[] = [
  { header: '指标', width: 22 },
  { header: '困难问题', width: 42 },
  { header: '本月预判', width: 42 },
  { header: '措施建议', width: 42 },
];

function buildNarrativeSheet(wb: ExcelJS.Workbook, meta: ExportMeta, groups: ReturnType<typeof groupByUnit>): void {
  const ws = wb.addWorksheet('文字材料');
  const n = NARRATIVE_COLUMNS.length;
  addTitleRows(ws, `${meta.title}（文字材料）`, meta, n);
  addHeaderRow(ws, NARRATIVE_COLUMNS.map((c) => c.header));
  setupSheet(ws, NARRATIVE_COLUMNS, 3);
  const mergedWidth = NARRATIVE_COLUMNS.slice(1).reduce((s, c) => s + c.width, 0);

  const sections = new Map(meta.unitSections.map((s) => [s.unitName, s]));
  const units: { unitName: string; rows: ExportRow[] }[] = groups.map((g) => ({ unitName: g.unitName, rows: g.rows }));
  for (const s of meta.unitSections) if (!units.some((u) => u.unitName === s.unitName)) units.push({ unitName: s.unitName, rows: [] });

  units.forEach((u, index) => {
    const heading = ws.addRow([`${chineseOrdinal(index + 1)}、${u.unitName}`]);
    ws.mergeCells(heading.number, 1, heading.number, n);
    heading.height = 22;
    heading.getCell(1).font = { name: FONT, size: 12, bold: true };
    heading.getCell(1).fill = SECTION_FILL;
    heading.getCell(1).border = THIN;
    heading.getCell(1).alignment = { vertical: 'middle' };

    const section = sections.get(u.unitName);
    for (const [label, text] of [
      ['企业包保情况', section?.enterpriseCoverage],
      ['重点工作推进情况', section?.keyWork],
    ] as const) {
      const body = text?.trim() ? text.trim() : '（未填报）';
      const row = ws.addRow([label, body]);
      ws.mergeCells(row.number, 2, row.number, n);
      bodyStyle(row, n);
      row.getCell(1).font = { name: FONT, size: 11, bold: true };
      row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
      row.height = wrappedHeight([{ text: body, width: mergedWidth }]);
    }

    const narrated = u.rows.filter((r) => [r.problems, r.forecast, r.measures].some((t) => t?.trim()));
    for (const r of narrated) {
      const texts = [r.problems, r.forecast, r.measures].map((t) => t?.trim() ?? '');
      const row = ws.addRow([r.indicatorName, ...texts]);
      bodyStyle(row, n);
      for (let c = 1; c <= n; c++) row.getCell(c).alignment = { wrapText: true, vertical: 'top' };
      row.height = wrappedHeight(texts.map((text, i) => ({ text, width: NARRATIVE_COLUMNS[i + 1]!.width })));
    }
    if (narrated.length === 0) {
      const row = ws.addRow(['指标说明', '（无指标文字说明）']);
      ws.mergeCells(row.number, 2, row.number, n);
      bodyStyle(row, n);
      row.getCell(1).font = { name: FONT, size: 11, bold: true };
    }
  });
}

const STATUS_COLUMNS: Column[] = [
  { header: '序号', width: 6 },
  { header: '单位', width: 20 },
  { header: '单位代码', width: 11, hidden: true },
  { header: '应报指标', width: 10 },
  { header: '已报送', width: 9 },
  { header: '逾期补报', width: 10 },
  { header: '未报送', width: 9 },
  { header: '逾期未报', width: 10 },
  { header: '报送率', width: 9 },
];

function buildStatusSheet(wb: ExcelJS.Workbook, meta: ExportMeta, groups: ReturnType<typeof groupByUnit>): void {
  const ws = wb.addWorksheet('报送情况');
  const n = STATUS_COLUMNS.length;
  addTitleRows(ws, `${meta.title}（报送情况）`, meta, n);
  addHeaderRow(ws, STATUS_COLUMNS.map((c) => c.header));
  setupSheet(ws, STATUS_COLUMNS, 3);

  const totals = { all: 0, counts: STATUS_ORDER.map(() => 0) };
  const addCounts = (label: (string | number)[], all: number, counts: number[], bold: boolean) => {
    const done = (counts[0] ?? 0) + (counts[1] ?? 0);
    const row = ws.addRow([...label, all, ...counts, all > 0 ? done / all : null]);
    bodyStyle(row, n);
    for (let c = 1; c <= n; c++) if (c !== 2) row.getCell(c).alignment = { horizontal: 'center', vertical: 'middle' };
    row.getCell(9).numFmt = '0.0%';
    if (bold) for (let c = 1; c <= n; c++) row.getCell(c).font = { name: FONT, size: 11, bold: true };
    // Units still owing figures stand out.
    if (!bold && (counts[2] ?? 0) + (counts[3] ?? 0) > 0) row.getCell(2).font = { name: FONT, size: 11, color: { argb: 'FFC00000' } };
    return row;
  };

  groups.forEach((g, i) => {
    const counts = STATUS_ORDER.map((s) => g.rows.filter((r) => r.status === s).length);
    totals.all += g.rows.length;
    counts.forEach((c, k) => (totals.counts[k]! += c));
    addCounts([i + 1, g.unitName, g.unitCode], g.rows.length, counts, false);
  });
  const total = addCounts(['合计', '', ''], totals.all, totals.counts, true);
  ws.mergeCells(total.number, 1, total.number, 3);
}

/** 1 → 一, 12 → 十二, 23 → 二十三 (section numbering of official documents). */
function chineseOrdinal(n: number): string {
  const digits = '零一二三四五六七八九';
  if (n < 10) return digits[n]!;
  if (n < 100) {
    const tens = Math.floor(n / 10);
    const ones = n % 10;
    return `${tens === 1 ? '' : digits[tens]}十${ones === 0 ? '' : digits[ones]}`;
  }
  return String(n);
}

/** The layout a government office files: a title row merged across, a meta row, a header row, one row per unit × indicator grouped by unit, numbers as numbers with the indicator's decimals, frozen header, column widths, a second sheet 「文字材料」 with the unit sections and narratives, a third sheet 「报送情况」 with per-unit status counts. */
export async function buildSubmissionsWorkbook(meta: ExportMeta, rows: ExportRow[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '经济运行调度助手';
  wb.title = meta.title;
  const groups = groupByUnit(rows);
  buildMainSheet(wb, meta, groups);
  buildNarrativeSheet(wb, meta, groups);
  buildStatusSheet(wb, meta, groups);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// ───────────── import ─────────────

type KeyField = 'unitCode' | 'unitName' | 'indicatorCode' | 'indicatorName' | 'period';
type Measure = 'value' | 'growth';
type Field = KeyField | Measure;

// Header names after normalisation (NFKC, no spaces, parenthesised notes and % removed); earlier entries win.
const HEADER_NAMES: Record<Field, string[]> = {
  unitName: ['单位', '单位名称', '责任单位', '填报单位', '地区', '地区名称', '区县', '县区', '县市区', '县', '区域', '地区别'],
  unitCode: ['单位代码', '单位编码', '地区代码', '区划代码'],
  indicatorName: ['指标', '指标名称', '项目', '指标项目'],
  indicatorCode: ['指标代码', '指标编码'],
  period: ['期别', '月份', '报告期', '报告期别', '统计期', '时间'],
  value: ['本期值', '数值', '累计值', '本期数', '绝对值', '本月', '累计', '本期', '当月', '本月数', '累计数', '总量', '本年累计', '1-本月', '本月止累计'],
  growth: ['同比', '同比增速', '增速', '同比增长', '比上年同期增长', '比同期增长', '增幅', '增长', '±', '比上年同期±', '同比±', '增减', '比上年增长', '累计增长', '本月增长', '当月增长', '同比增减'],
};
/** A growth column named after its indicator: '规上工业增加值增速(%)'. */
const GROWTH_SUFFIX = /(比上年同期增长|同比增长|同比增速|同比|增速|增长|增幅)$/u;
/** Columns bureaus add that are no figure: places, notes, measure units. */
const IGNORED_HEADER = /^(序号|计量单位|备注|说明)$|(位次|排位|排名|名次)$/u;
const NULL_MARKS = new Set(['-', '--', '—', '——', '/', '…', '...', 'N/A', 'NA', '无']);
const NOTE_PREFIX = /^(注|说明|备注|资料来源|数据来源|制表|填报|审核)/;
const HEADER_SCAN_ROWS = 30;

/** One figure column: its measure, and in a wide table its indicator; a period printed above it. */
interface FigureColumn {
  c: number;
  measure: Measure;
  /** The indicator named above the column (wide tables); null in the long form. */
  indicator: string | null;
  period: string | null;
  label: string;
  /** The label above it, normalised (本月, 累计, an indicator, a period); '' without one. */
  group: string;
}

/** Groups of a long table that holds both the month's figures and those counted from January. */
const CURRENT_GROUPS = new Set(['本月', '当月', '本月数']);
const CUMULATIVE_GROUPS = new Set(['累计', '本年累计', '累计值', '累计数', '1-本月', '本月止累计']);

interface HeaderMap {
  /** The first and last header row (0-based; two-line headers span two). */
  first: number;
  last: number;
  keys: Partial<Record<KeyField, number>>;
  labels: Partial<Record<Field, string>>;
  /** The long form's value and growth column; the wide form's pairs, by indicator. */
  long: { value: FigureColumn | null; growth: FigureColumn | null; cumulative?: { value: FigureColumn | null; growth: FigureColumn | null } } | null;
  wide: { indicator: string; value: FigureColumn | null; growth: FigureColumn | null }[];
}

/** A measure unit in brackets after a name ('(亿元)', '（%）'); '（当月）' says what is counted and stays. */
const MEASURE_NOTE = /\((?:[^)]*(?:元|%|千瓦时|吨|人|户|个|辆|平方米|人次|家|亩|立方米)|单位[^)]*)\)/gu;

/** The name without its measure unit, as NFKC text: '地区生产总值（亿元）' → '地区生产总值'. */
export function withoutMeasureNote(text: string): string {
  return text.normalize('NFKC').replace(MEASURE_NOTE, '').replace(/%/g, '').trim();
}

function normaliseHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】/g, '')
    .replace(/[*:：%]/g, '');
}

function classify(label: string): Field | null {
  const n = normaliseHeader(label);
  if (!n) return null;
  for (const field of Object.keys(HEADER_NAMES) as Field[]) if (HEADER_NAMES[field].includes(n)) return field;
  return null;
}

const isKey = (f: Field | null): f is KeyField => f !== null && f !== 'value' && f !== 'growth';
const isMeasure = (f: Field | null): f is Measure => f === 'value' || f === 'growth';

/**
 * The header at row r: one line, or two as bureaus print them (the indicator or the period above, merged
 * over its columns; 绝对值 / 增长% below). A column with no known name in a one-line header without an
 * indicator column is an indicator of a wide table (its growth: the 增长% column after it, or its name
 * ending in 增速).
 */
function headerAt(grid: string[][], r: number): HeaderMap | null {
  const top = grid[r] ?? [];
  const bottom = grid[r + 1];
  if (bottom && bottom.some((cell) => isMeasure(classify(cell)))) {
    const two = buildHeader(r, top, bottom);
    if (two) return two;
  }
  return buildHeader(r, top, null);
}

function buildHeader(r: number, top: string[], bottom: string[] | null): HeaderMap | null {
  const keys: Partial<Record<KeyField, number>> = {};
  const labels: Partial<Record<Field, string>> = {};
  const columns: FigureColumn[] = [];
  const width = Math.max(top.length, bottom?.length ?? 0);
  let span = '';
  let lastWide: string | null = null;
  for (let c = 0; c < width; c++) {
    const upper = (top[c] ?? '').trim();
    const lower = (bottom?.[c] ?? '').trim();
    const lowerField = bottom ? classify(lower) : null;
    if (bottom) {
      // A label merged over several columns is read at its first one; it goes on while labels follow below.
      if (upper) span = upper;
      else if (!isMeasure(lowerField)) span = '';
    }
    if (bottom && isMeasure(lowerField)) {
      const group = upper || span;
      const groupField = classify(group);
      if (isKey(groupField) || IGNORED_HEADER.test(normaliseHeader(group))) continue;
      const period = group && parsePeriodLabel(group) ? cleanName(group) : null;
      const indicator = !group || isMeasure(groupField) || period ? null : cleanName(withoutMeasureNote(group));
      columns.push({ c, measure: lowerField, indicator, period, label: lower, group: normaliseHeader(group) });
      continue;
    }
    const label = upper || lower;
    if (!label) continue;
    const field = classify(label);
    const n = normaliseHeader(label);
    if (isKey(field)) {
      if (keys[field] === undefined) {
        keys[field] = c;
        labels[field] = label;
      }
    } else if (isMeasure(field)) {
      // A bare 增长% after an indicator's column is that indicator's growth (one-line wide tables).
      columns.push({ c, measure: field, indicator: field === 'growth' ? lastWide : null, period: null, label, group: '' });
      if (!labels[field]) labels[field] = label;
    } else if (parsePeriodLabel(label)) {
      columns.push({ c, measure: 'value', indicator: null, period: cleanName(label), label, group: '' });
    } else if (!IGNORED_HEADER.test(n) && n) {
      const suffix = GROWTH_SUFFIX.exec(n);
      const bare = cleanName(withoutMeasureNote(label));
      const name = suffix && suffix.index > 0 ? bare.replace(GROWTH_SUFFIX, '').trim() : bare;
      columns.push({ c, measure: suffix && suffix.index > 0 ? 'growth' : 'value', indicator: name, period: null, label, group: '' });
      lastWide = name;
      continue;
    }
    lastWide = null;
  }
  if (keys.unitName === undefined && keys.unitCode === undefined) return null;
  const first = r;
  const last = bottom ? r + 1 : r;
  if (keys.indicatorName !== undefined || keys.indicatorCode !== undefined) {
    const longCols = columns.filter((x) => x.indicator === null || !bottom);
    // 本月 and 累计 side by side: the month's pair, and the cumulative one for cumulative indicators.
    const pairIn = (groups: Set<string>) => ({ value: longCols.find((x) => x.measure === 'value' && groups.has(x.group)) ?? null, growth: longCols.find((x) => x.measure === 'growth' && groups.has(x.group)) ?? null });
    const current = pairIn(CURRENT_GROUPS);
    const cumulative = pairIn(CUMULATIVE_GROUPS);
    if ((current.value || current.growth) && (cumulative.value || cumulative.growth)) return { first, last, keys, labels, long: { ...current, cumulative }, wide: [] };
    const value = longCols.find((x) => x.measure === 'value' && (x.indicator === null || x.period !== null)) ?? null;
    // The growth beside the value (the same group when the header has several).
    const growths = longCols.filter((x) => x.measure === 'growth');
    const growth = growths.find((x) => value && x.period === value.period) ?? growths.find((x) => x.period === null) ?? growths[0] ?? null;
    if (!value && !growth) return null;
    return { first, last, keys, labels, long: { value, growth }, wide: [] };
  }
  const wide = new Map<string, { indicator: string; value: FigureColumn | null; growth: FigureColumn | null }>();
  for (const col of columns) {
    if (col.indicator === null) continue;
    const pair = wide.get(col.indicator) ?? { indicator: col.indicator, value: null, growth: null };
    if (!pair[col.measure]) pair[col.measure] = col;
    wide.set(col.indicator, pair);
  }
  if (!wide.size) return null;
  // One line with a single unknown name is no wide table (a title or a data row).
  if (!bottom && ![...wide.values()].some((p) => p.growth) && wide.size < 2) return null;
  return { first, last, keys, labels, long: null, wide: [...wide.values()] };
}

function findHeader(grid: string[][]): HeaderMap | null {
  for (let r = 0; r < Math.min(grid.length, HEADER_SCAN_ROWS); r++) {
    const h = headerAt(grid, r);
    if (h) return h;
  }
  return null;
}

/** '１，２３４．５' / '1,234.5' / '5.2%' / '1.2E+3' → exact decimal string, or null if not a number. */
export function canonicalDecimal(raw: string): string | null {
  let s = raw.normalize('NFKC').replace(/[\s\u00a0\u3000]/g, '').replace(/[\u2212\u2012\u2013\ufe63]/g, '-');
  s = s.replace(/%$/, '');
  if (s.includes(',')) {
    if (!/^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$/.test(s)) return null;
    s = s.replace(/,/g, '');
  }
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(s);
  if (!m || (!m[2] && !m[3])) return null;
  const negative = m[1] === '-';
  let int = m[2] || '';
  let frac = m[3] ?? '';
  const exp = Number(m[4] ?? 0);
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 100) return null;
  // Move the decimal point by the exponent: exact, no float round-trip.
  const digits = int + frac;
  let point = int.length + exp;
  let all = digits;
  if (point < 0) {
    all = '0'.repeat(-point) + all;
    point = 0;
  }
  if (point > all.length) all += '0'.repeat(point - all.length);
  int = all.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  frac = all.slice(point).replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return negative && /[1-9]/.test(body) ? `-${body}` : body;
}

/** Exact ×100 for cells formatted as a percentage (0.052 shown as 5.2%). */
function percentOf(decimal: string): string {
  return canonicalDecimal(`${decimal}e2`) ?? decimal;
}

function doubleText(n: number): string {
  // 15 significant digits is what Excel itself shows; it drops binary noise such as 1234.5600000000002.
  return canonicalDecimal(n.toPrecision(15)) ?? String(n);
}

function dateText(d: Date): string {
  const y = d.getUTCFullYear();
  const m = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = d.getUTCDate();
  return day === 1 ? `${y}-${m}` : `${y}-${m}-${String(day).padStart(2, '0')}`;
}

function cellText(value: ExcelJS.CellValue, numFmt: string | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    const text = doubleText(value);
    return numFmt?.includes('%') ? percentOf(text) : text;
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return dateText(value);
  if ('richText' in value) return value.richText.map((t) => t.text).join('');
  if ('error' in value) return String(value.error);
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: unknown }).result;
    if (result === undefined || result === null) return '';
    if (typeof result === 'object' && !(result instanceof Date) && 'error' in result) return String((result as { error: unknown }).error);
    return cellText(result as ExcelJS.CellValue, numFmt);
  }
  if ('text' in value) return String((value as { text: unknown }).text ?? '');
  return '';
}

function sniff(bytes: Buffer, fileName: string): 'xlsx' | 'csv' {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName.trim())?.[1]?.toLowerCase();
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;
  const isOle = bytes.length >= 4 && bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0;
  if (isOle || ext === 'xls' || ext === 'et') {
    throw new ImportFileError('暂不支持 Excel 97-2003（.xls）格式，请在 Excel 中“另存为” .xlsx 或 CSV（逗号分隔）后重新上传');
  }
  if (isZip || ext === 'xlsx' || ext === 'xlsm') return 'xlsx';
  if (ext === 'csv' || ext === 'txt') return 'csv';
  throw new ImportFileError(`无法识别的文件类型“${fileName}”：请上传 .xlsx 或 .csv 文件`);
}

async function readXlsx(bytes: Buffer): Promise<string[][][]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch {
    throw new ImportFileError('无法读取该 Excel 文件：文件可能已损坏，或不是 .xlsx 格式');
  }
  const sheets: string[][][] = [];
  wb.eachSheet((ws) => {
    const grid: string[][] = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells: string[] = [];
      for (let c = 1; c <= Math.max(ws.columnCount, row.cellCount); c++) {
        const cell = row.getCell(c);
        // Merged areas (a title across the sheet) count once, at their top-left cell.
        const text = cell.isMerged && cell.master !== cell ? '' : cellText(cell.value, cell.numFmt);
        cells.push(text);
      }
      grid.push(cells);
    }
    sheets.push(grid);
  });
  if (sheets.length === 0) throw new ImportFileError('该 Excel 文件中没有工作表');
  return sheets;
}

/** UTF-8 (with or without BOM), UTF-16 with BOM, otherwise GB18030 (Excel's CSV on Chinese Windows). */
export function decodeCsvBytes(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

function detectDelimiter(text: string): string {
  const sample = text.split(/\r?\n/).slice(0, 10).join('\n');
  const counts = [',', '\t', ';'].map((d) => ({ d, n: sample.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0]!.n > 0 ? counts[0]!.d : ',';
}

/** RFC 4180: quoted fields, doubled quotes, line breaks inside quotes; one grid row per record. */
export function parseCsvText(text: string): string[][] {
  const delimiter = detectDelimiter(text);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function cleanName(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/** A header row again (a table printed over several pages): its unit column holds a header name. */
function repeatsHeader(cells: string[], header: HeaderMap): boolean {
  const c = header.keys.unitName ?? header.keys.unitCode!;
  const f = classify(cells[c] ?? '');
  const filled = cells.filter((x) => x.trim() !== '');
  return isKey(f) || (filled.length > 0 && filled.every((x) => classify(x) !== null || IGNORED_HEADER.test(normaliseHeader(x))));
}

function numberIn(raw: string, label: string, problems: string[]): string | null {
  if (raw === '' || NULL_MARKS.has(raw)) return null;
  const n = canonicalDecimal(raw);
  if (n === null) problems.push(`「${label}」不是数字：“${raw}”`);
  return n;
}

function rowsFromGrid(grid: string[][], header: HeaderMap, titlePeriod: string | null): { rows: OfficialRow[]; issues: ImportIssue[] } {
  const rows: OfficialRow[] = [];
  const issues: ImportIssue[] = [];
  const { keys, labels } = header;
  const at = (cells: string[], field: KeyField) => {
    const c = keys[field];
    return c === undefined ? '' : (cells[c] ?? '').trim();
  };
  const cell = (cells: string[], col: FigureColumn | null) => (col ? (cells[col.c] ?? '').trim() : '');
  const label = (field: Field, fallback: string) => labels[field] || fallback;

  for (let r = header.last + 1; r < grid.length; r++) {
    const cells = grid[r] ?? [];
    const filled = cells.map((c) => c.trim()).filter((c) => c !== '');
    if (filled.length === 0) continue;
    if (filled.length === 1 && NOTE_PREFIX.test(filled[0]!)) continue;
    if (repeatsHeader(cells, header)) continue;

    const rowNo = r + 1;
    const problems: string[] = [];
    const unit = cleanName(at(cells, 'unitCode') || at(cells, 'unitName'));
    const rowPeriod = at(cells, 'period');
    const periodOf = (col: FigureColumn | null) => (rowPeriod ? cleanName(rowPeriod) : (col?.period ?? titlePeriod));
    const found: OfficialRow[] = [];
    if (header.long) {
      const { value: vCol, growth: gCol, cumulative: cum } = header.long;
      const indicator = cleanName(at(cells, 'indicatorCode') || at(cells, 'indicatorName'));
      if (!unit) problems.push(`「${label('unitName', label('unitCode', '单位'))}」为空`);
      if (!indicator) problems.push(`「${label('indicatorName', label('indicatorCode', '指标'))}」为空`);
      const named = (col: FigureColumn | null, fallback: string) => (col ? (cum && col.group ? `${col.group}${col.label}` : col.label) : fallback);
      const value = numberIn(cell(cells, vCol), named(vCol, '本期值'), problems);
      const growthPct = numberIn(cell(cells, gCol), named(gCol, '同比'), problems);
      const cumulative = cum ? { value: numberIn(cell(cells, cum.value), named(cum.value, '累计'), problems), growthPct: numberIn(cell(cells, cum.growth), named(cum.growth, '累计增长'), problems) } : null;
      const empty = value === null && growthPct === null && (!cumulative || (cumulative.value === null && cumulative.growthPct === null));
      if (empty && !problems.some((p) => p.includes('不是数字'))) problems.push(`「${named(vCol, label('value', '本期值'))}」为空`);
      found.push({ rowNo, unit, indicator, period: periodOf(vCol ?? gCol), value, growthPct, ...(cumulative ? { cumulative } : {}) });
    } else {
      // A wide row: one figure per indicator; an indicator left blank (—) is not published for the unit.
      for (const pair of header.wide) {
        const value = numberIn(cell(cells, pair.value), `${pair.indicator}${pair.value?.label && pair.value.label !== pair.indicator ? ` ${pair.value.label}` : ''}`, problems);
        const growthPct = numberIn(cell(cells, pair.growth), `${pair.indicator} ${pair.growth?.label ?? ''}`.trim(), problems);
        if (value === null && growthPct === null) continue;
        found.push({ rowNo, unit, indicator: pair.indicator, period: periodOf(pair.value ?? pair.growth), value, growthPct });
      }
      // A section line (「其中：城区」) has no figure.
      if (!found.length && !problems.length) continue;
      if (!unit) problems.push(`「${label('unitName', label('unitCode', '单位'))}」为空`);
    }
    if (problems.length > 0) {
      for (const p of problems) issues.push({ rowNo, message: `第 ${rowNo} 行：${p}` });
      continue;
    }
    rows.push(...found);
  }
  return { rows, issues };
}

const NO_HEADER =
  '未找到表头：表格中需要有「单位」（或「地区」「单位名称」「区县」「单位代码」）列，以及「指标」列和「本期值」（或「绝对值」「本月」「累计」）、「增速」列；或者每个指标一组「绝对值」「增长%」列（指标名写在上一行）';

export interface OfficialFile {
  rows: OfficialRow[];
  issues: ImportIssue[];
  /** Indicator names read from the header of a wide table (one column pair each). */
  columns: string[];
  /** The header's row number as Excel shows it (its first line). */
  headerRowNo: number;
  /** The year a title above the header names, for labels without one (1-3月). */
  year: number | null;
}

/**
 * Reads official figures (统计局 正式数据) from an .xlsx or .csv the organiser uploads: finds the header by
 * its names (see HEADER_NAMES; one line or two), in the long form (a row per unit × indicator) or wide (a
 * row per unit, a column pair per indicator); a title row may name the period (2017年1-3月). Full-width
 * digits, '1,234.5', '%', blank rows and repeated headers are fine. Returns rows and per-row issues; a row
 * with a bad cell gives issues and no figure. Throws only on an unreadable file (Chinese message).
 * CSV: UTF-8 with or without BOM, UTF-16 with BOM, else GB18030.
 */
export async function parseOfficialFile(bytes: Buffer, fileName: string): Promise<OfficialFile> {
  if (bytes.length === 0) throw new ImportFileError('上传的文件是空的');
  const kind = sniff(bytes, fileName);
  const sheets = kind === 'xlsx' ? await readXlsx(bytes) : [parseCsvText(decodeCsvBytes(bytes))];
  for (const grid of sheets) {
    const header = findHeader(grid);
    if (!header) continue;
    let title: { label: string | null; year: number | null } = { label: null, year: null };
    for (let r = 0; r < header.first && !title.label; r++) {
      const found = periodInText((grid[r] ?? []).join(' '));
      title = { label: found.label ?? title.label, year: found.year ?? title.year };
    }
    return {
      ...rowsFromGrid(grid, header, title.label),
      columns: header.wide.map((p) => p.indicator),
      headerRowNo: header.first + 1,
      year: title.year,
    };
  }
  return { rows: [], issues: [{ rowNo: 0, message: NO_HEADER }], columns: [], headerRowNo: 0, year: null };
}
