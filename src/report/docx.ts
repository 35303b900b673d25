// Report rendering: the 经济运行专报 as a .docx (the `docx` package) — title, the paragraphs as the organiser
// left them, the indicator table with its lights, the charts, the ranking table. The facts give the table;
// the text is the revision in force, so what leaders read is what the organiser sent.
import {
  AlignmentType,
  Document,
  HeadingLevel,
  ImageRun,
  Packer,
  Paragraph as DocParagraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { formatValue } from '../modules/collection/collection.repo.ts';
import { spanLabel, type IndicatorFacts, type Light, type MonthFacts } from '../modules/report/facts.ts';
import type { Paragraph } from '../modules/report/narrative.ts';
import { reportCharts } from './charts.ts';

const FONT = '仿宋';
const LIGHT_TEXT: Record<Light, string> = { RED: '红灯', YELLOW: '黄灯', GREEN: '绿灯' };
const LIGHT_FILL: Record<Light, string> = { RED: 'F8CBCB', YELLOW: 'FFF2C2', GREEN: 'D5EFD5' };
/** Page width for images, in pixels at 96 dpi (A4 less margins). */
const IMAGE_WIDTH = 600;

const run = (text: string, opts: { bold?: boolean; size?: number } = {}) => new TextRun({ text, font: FONT, size: opts.size ?? 28, ...(opts.bold ? { bold: true } : {}) });
const body = (text: string) => new DocParagraph({ children: [run(text)], indent: { firstLine: 560 }, spacing: { line: 480 } });
const heading = (text: string) => new DocParagraph({ children: [run(text, { bold: true, size: 30 })], heading: HeadingLevel.HEADING_2, spacing: { before: 240, after: 120 } });

function cell(text: string, opts: { bold?: boolean; fill?: string } = {}) {
  return new TableCell({
    children: [new DocParagraph({ alignment: AlignmentType.CENTER, children: [run(text, { bold: opts.bold ?? false, size: 21 })] })],
    ...(opts.fill ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: opts.fill } } : {}),
  });
}

const growthText = (g: number | null) => (g === null ? '—' : `${g.toFixed(1)}%`);

function gapText(ind: IndicatorFacts): string {
  if (!ind.yoy || ind.city.growthPct === null || ind.targetPct === null) return '—';
  const gap = Math.round((Math.round(ind.city.growthPct * 10) / 10 - Math.round(ind.targetPct * 10) / 10) * 10) / 10;
  return `${gap > 0 ? '+' : ''}${gap.toFixed(1)}`;
}

/** 主要指标: one row per indicator, the city's figure with its light and the units' lights. */
export function indicatorTable(f: MonthFacts): Table {
  const header = ['指标', '计量单位', '期间', '全市完成', '同比增长', '目标进度', '与目标差（百分点）', '全市预警', '单位亮灯（红/黄/绿）'];
  const rows = [
    new TableRow({ tableHeader: true, children: header.map((h) => cell(h, { bold: true, fill: 'DDE6F7' })) }),
    ...f.indicators.map(
      (ind) =>
        new TableRow({
          children: [
            cell(ind.name),
            cell(ind.measureUnit),
            cell(spanLabel(f.periodKey, ind.cumulative)),
            cell(ind.city.value === null ? '—' : formatValue(String(ind.city.value), ind.decimals)),
            cell(ind.yoy ? growthText(ind.city.growthPct) : '—'),
            cell(ind.targetPct === null ? '—' : `${ind.targetPct.toFixed(1)}%`),
            cell(gapText(ind)),
            ind.light ? cell(LIGHT_TEXT[ind.light], { fill: LIGHT_FILL[ind.light] }) : cell('—'),
            cell(`${ind.lights.red} / ${ind.lights.yellow} / ${ind.lights.green}`),
          ],
        }),
    ),
  ];
  return new Table({ rows, width: { size: 100, type: WidthType.PERCENTAGE } });
}

function rankingTable(f: MonthFacts): Table | null {
  const r = f.ranking;
  if (!r || !r.entries.length) return null;
  const change = (e: (typeof r.entries)[number]) => (e.previousRank === null ? '—' : e.previousRank === e.rank ? '持平' : e.previousRank > e.rank ? `上升 ${e.previousRank - e.rank} 位` : `下降 ${e.rank - e.previousRank} 位`);
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: ['位次', '单位', r.method === 'target_pace' ? '目标进度得分' : '综合得分', '较上月'].map((h) => cell(h, { bold: true, fill: 'DDE6F7' })) }),
      ...r.entries.map((e) => new TableRow({ children: [cell(`${e.rank}${e.tied ? '（并列）' : ''}`), cell(e.unit), cell(e.score.toFixed(1)), cell(change(e))] })),
    ],
  });
}

/** The .docx bytes of a report: the facts at close and the paragraphs in force. */
export async function buildReportDocx(f: MonthFacts, paragraphs: Paragraph[], opts: { generatedAt: string }): Promise<Buffer> {
  const charts = new Map((await reportCharts(f.indicators, f.ranking, f.periodLabel)).map((c) => [c.key, c]));
  const text = new Map(paragraphs.map((p) => [p.key, p]));
  const image = (key: string) => {
    const c = charts.get(key);
    if (!c) return [];
    return [
      new DocParagraph({
        alignment: AlignmentType.CENTER,
        children: [new ImageRun({ type: 'png', data: c.png, transformation: { width: IMAGE_WIDTH, height: Math.round((IMAGE_WIDTH * c.height) / c.width) }, altText: { name: c.title, description: c.title, title: c.title } })],
      }),
    ];
  };
  const para = (key: string) => {
    const p = text.get(key);
    return p ? [body(p.text)] : [];
  };

  const children: (DocParagraph | Table)[] = [
    new DocParagraph({ alignment: AlignmentType.CENTER, children: [run(`${f.cityName}经济运行专报`, { bold: true, size: 44 })], spacing: { after: 120 } }),
    new DocParagraph({ alignment: AlignmentType.CENTER, children: [run(`（${f.periodLabel}）`, { size: 30 })], spacing: { after: 120 } }),
    new DocParagraph({ alignment: AlignmentType.CENTER, children: [run(`经济运行例会办公室\u3000${opts.generatedAt}`, { size: 24 })], spacing: { after: 240 } }),
    heading('一、总体情况'),
    ...para('summary'),
    heading('二、主要指标完成情况'),
    indicatorTable(f),
  ];
  for (const ind of f.indicators) children.push(...para(`ind-${ind.code}`), ...image(`ind-${ind.code}`));
  const ranking = rankingTable(f);
  if (text.has('ranking') || ranking) {
    children.push(heading('三、综合排名和例会席位'), ...para('ranking'), ...image('ranking'));
    if (ranking) children.push(ranking);
  }
  children.push(heading(ranking || text.has('ranking') ? '四、主要困难问题和措施建议' : '三、主要困难问题和措施建议'), ...para('problems'), ...para('measures'));
  if (!text.has('problems') && !text.has('measures')) children.push(body('本月各单位未填报困难问题和措施建议。'));
  children.push(heading(ranking || text.has('ranking') ? '五、预警和交办事项' : '四、预警和交办事项'), ...para('warnings'));
  // Paragraphs the organiser's revision holds beyond the drafted keys are kept, at the end.
  const known = new Set(['summary', 'ranking', 'problems', 'measures', 'warnings', ...f.indicators.map((i) => `ind-${i.code}`)]);
  for (const p of paragraphs) if (!known.has(p.key)) children.push(heading(p.title), body(p.text));

  const doc = new Document({
    creator: '经济运行调度助手',
    title: `${f.cityName}经济运行专报（${f.periodLabel}）`,
    styles: { default: { document: { run: { font: FONT } } } },
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}
