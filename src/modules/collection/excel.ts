// Excel in and out: the submissions workbook an office files, and official figures read from an uploaded .xlsx or .csv.
import ExcelJS from 'exceljs';

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
  /** Exact decimal string, e.g. '1234.5'. */
  value: string;
  growthPct: string | null;
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

type Field = 'unitCode' | 'unitName' | 'indicatorCode' | 'indicatorName' | 'period' | 'value' | 'growth';

// Header names after normalisation (NFKC, no spaces, parenthesised notes removed); earlier entries win.
const HEADER_NAMES: Record<Field, string[]> = {
  unitName: ['单位', '单位名称', '责任单位', '填报单位'],
  unitCode: ['单位代码', '单位编码'],
  indicatorName: ['指标', '指标名称'],
  indicatorCode: ['指标代码', '指标编码'],
  period: ['期别', '月份', '报告期', '报告期别', '统计期'],
  value: ['本期值', '数值', '累计值', '本期数'],
  growth: ['同比', '同比增速', '增速', '同比增长', '比上年同期增长', '比同期增长', '增幅'],
};
const NULL_MARKS = new Set(['-', '--', '—', '——', '/', '…', '...', 'N/A', 'NA', '无']);
const NOTE_PREFIX = /^(注|说明|备注|资料来源|数据来源|制表|填报|审核)/;
const HEADER_SCAN_ROWS = 30;

interface HeaderMap {
  rowIndex: number;
  columns: Partial<Record<Field, number>>;
  labels: Partial<Record<Field, string>>;
}

function normaliseHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/\([^)]*\)|\[[^\]]*\]|【[^】]*】/g, '')
    .replace(/[*:：]/g, '');
}

function findHeader(grid: string[][]): HeaderMap | null {
  for (let r = 0; r < Math.min(grid.length, HEADER_SCAN_ROWS); r++) {
    const cells = (grid[r] ?? []).map(normaliseHeader);
    const columns: Partial<Record<Field, number>> = {};
    const labels: Partial<Record<Field, string>> = {};
    for (const field of Object.keys(HEADER_NAMES) as Field[]) {
      for (const name of HEADER_NAMES[field]) {
        const c = cells.indexOf(name);
        if (c !== -1) {
          columns[field] = c;
          labels[field] = (grid[r]![c] ?? '').trim();
          break;
        }
      }
    }
    const hasUnit = columns.unitCode !== undefined || columns.unitName !== undefined;
    const hasIndicator = columns.indicatorCode !== undefined || columns.indicatorName !== undefined;
    if (hasUnit && hasIndicator && columns.value !== undefined) return { rowIndex: r, columns, labels };
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

function rowsFromGrid(grid: string[][], header: HeaderMap): { rows: OfficialRow[]; issues: ImportIssue[] } {
  const rows: OfficialRow[] = [];
  const issues: ImportIssue[] = [];
  const { columns, labels } = header;
  const at = (cells: string[], field: Field) => {
    const c = columns[field];
    return c === undefined ? '' : (cells[c] ?? '').trim();
  };
  const label = (field: Field, fallback: string) => labels[field] || fallback;

  for (let r = header.rowIndex + 1; r < grid.length; r++) {
    const cells = grid[r] ?? [];
    const filled = cells.map((c) => c.trim()).filter((c) => c !== '');
    if (filled.length === 0) continue;
    if (filled.length === 1 && NOTE_PREFIX.test(filled[0]!)) continue;
    // A header repeated on a new printed page.
    if (findHeader([cells])) continue;

    const rowNo = r + 1;
    const problems: string[] = [];
    const unit = cleanName(at(cells, 'unitCode') || at(cells, 'unitName'));
    const indicator = cleanName(at(cells, 'indicatorCode') || at(cells, 'indicatorName'));
    if (!unit) problems.push(`「${label('unitName', label('unitCode', '单位'))}」为空`);
    if (!indicator) problems.push(`「${label('indicatorName', label('indicatorCode', '指标'))}」为空`);

    const valueLabel = label('value', '本期值');
    const rawValue = at(cells, 'value');
    let value: string | null = null;
    if (rawValue === '' || NULL_MARKS.has(rawValue)) problems.push(`「${valueLabel}」为空`);
    else {
      value = canonicalDecimal(rawValue);
      if (value === null) problems.push(`「${valueLabel}」不是数字：“${rawValue}”`);
    }

    const rawGrowth = at(cells, 'growth');
    let growthPct: string | null = null;
    if (rawGrowth !== '' && !NULL_MARKS.has(rawGrowth)) {
      growthPct = canonicalDecimal(rawGrowth);
      if (growthPct === null) problems.push(`「${label('growth', '同比')}」不是数字：“${rawGrowth}”`);
    }

    if (problems.length > 0 || value === null) {
      for (const p of problems) issues.push({ rowNo, message: `第 ${rowNo} 行：${p}` });
      continue;
    }
    const period = at(cells, 'period');
    rows.push({ rowNo, unit, indicator, period: period ? cleanName(period) : null, value, growthPct });
  }
  return { rows, issues };
}

const NO_HEADER = '未找到表头：表格中需要有「单位」（或「单位名称」「单位代码」）、「指标」（或「指标名称」「指标代码」）和「本期值」（或「数值」「累计值」）列';

/** Reads official figures (统计局 正式数据) from an .xlsx or .csv the organiser uploads: finds the header row by names (单位/单位名称/单位代码, 指标/指标名称/指标代码, 期别/月份/报告期 (optional), 本期值/数值/累计值, 同比/同比增速/增速(%)), tolerates a title row above it, full-width digits, '1,234.5', '%', blank rows; returns rows and per-row issues; never throws on bad content (throws only on an unreadable file, with a Chinese message). CSV: UTF-8 with or without BOM, and GB18030 (use TextDecoder('gb18030') when the bytes are not valid UTF-8). */
export async function parseOfficialFile(bytes: Buffer, fileName: string): Promise<{ rows: OfficialRow[]; issues: ImportIssue[] }> {
  if (bytes.length === 0) throw new ImportFileError('上传的文件是空的');
  const kind = sniff(bytes, fileName);
  const sheets = kind === 'xlsx' ? await readXlsx(bytes) : [parseCsvText(decodeCsvBytes(bytes))];
  for (const grid of sheets) {
    const header = findHeader(grid);
    if (header) return rowsFromGrid(grid, header);
  }
  return { rows: [], issues: [{ rowNo: 0, message: NO_HEADER }] };
}
