// Cards: the monthly 经济运行专报 — the organiser's review card (the month at a glance, each drafted paragraph
// in an input to edit, 保存修改 and 发送给领导), what it becomes once sent, and the summary card leaders get
// with the .docx.
import { z } from 'zod';
import { button, card, escapeMd, form, hr, input, markdown, note, type Card, type CardElement } from './card.ts';

export const MREPORT_SAVE = 'mreport.save';
export const MREPORT_SEND = 'mreport.send';
/** r: the report; n: the revision the card shows (an edit on an older one is refused, not merged). */
export const MReportValue = z.object({ a: z.enum([MREPORT_SAVE, MREPORT_SEND]), v: z.literal(1), r: z.string().min(1), n: z.coerce.number().int().min(1) });
/** Inputs are named p0, p1, … in the order of the revision shown. */
export const paragraphField = (i: number) => `p${i}`;
export const MReportFormValue = z.record(z.string(), z.unknown());
/** The paragraph inputs of a submitted form, by position (other fields are ignored). */
export function readParagraphs(form: Record<string, unknown>): Record<number, string> {
  const texts: Record<number, string> = {};
  for (const [name, text] of Object.entries(form)) if (/^p\d{1,2}$/.test(name) && typeof text === 'string') texts[Number(name.slice(1))] = text;
  return texts;
}
/** Feishu's input max_length. */
export const PARAGRAPH_INPUT_MAX = 1000;

export type Light = 'GREEN' | 'YELLOW' | 'RED';
const LIGHT: Record<Light, string> = { RED: '🔴 红灯', YELLOW: '🟡 黄灯', GREEN: '🟢 绿灯' };

export interface ReportIndicatorLine {
  name: string;
  /** 「1-11月 5,234.56 亿元，同比增长 5.2%」 */
  figure: string;
  /** 「目标 8.0%，低 2.8 个百分点」 */
  target?: string;
  light?: Light | null;
}

export interface ReportView {
  reportId: string;
  /** 2026年11月 */
  periodLabel: string;
  cityName: string;
  revisionNo: number;
  /** Who edited last (the draft: none). */
  editedBy?: { name: string; at: string };
  indicators: ReportIndicatorLine[];
  /** 「27 个单位，已报送 25 个」「红灯 3 个、黄灯 5 个」 */
  facts: string[];
  paragraphs: { title: string; text: string }[];
  /** Set once sent: by whom, when, to how many leaders. */
  sent?: { by: string; at: string; leaders: number };
}

function indicatorLines(v: Pick<ReportView, 'indicators'>): CardElement {
  const rows = v.indicators.map((i) => `- **${escapeMd(i.name)}**：${escapeMd(i.figure)}${i.target ? `，${escapeMd(i.target)}` : ''}${i.light ? `\u3000${LIGHT[i.light]}` : ''}`);
  return markdown(rows.length ? rows.join('\n') : '本月没有主要指标数据。');
}

/** The organiser's card: review and edit the draft, then send it (or, once sent, what was sent). */
export function reportReviewCard(v: ReportView): Card {
  const title = `${v.periodLabel}经济运行专报`;
  const head: CardElement[] = [markdown(`**本月概况**\n${v.facts.map((f) => `- ${escapeMd(f)}`).join('\n')}`), indicatorLines(v), hr()];
  if (v.sent) {
    return card({
      title,
      subtitle: '已发送给领导',
      template: 'green',
      summary: `${title}已发送`,
      elements: [
        ...head,
        markdown(`已由 **${escapeMd(v.sent.by)}** 于 ${escapeMd(v.sent.at)} 发送给 ${v.sent.leaders} 位领导（第 ${v.revisionNo} 稿，Word 文件和摘要卡片）。`),
        ...v.paragraphs.map((p) => markdown(`**${escapeMd(p.title)}**\n${escapeMd(p.text)}`)),
      ],
    });
  }
  const value = (a: string) => ({ a, v: 1, r: v.reportId, n: v.revisionNo });
  return card({
    title,
    subtitle: '待审核：修改文字后发送给领导',
    template: 'blue',
    summary: `${title}待审核`,
    elements: [
      ...head,
      note(
        v.editedBy
          ? `第 ${v.revisionNo} 稿，${v.editedBy.name} 于 ${v.editedBy.at} 修改。数字取自关闭报送时的数据；修改文字后按「保存修改」，确认无误后按「发送给领导」（Word 文件含指标表和图表）。`
          : '以下段落由报送数据自动生成，数字取自关闭报送时的数据。修改文字后按「保存修改」，确认无误后按「发送给领导」（Word 文件含指标表和图表）。',
      ),
      form('mreport', [
        ...v.paragraphs.map((p, i) => input({ name: paragraphField(i), label: p.title, multiline: true, maxLength: PARAGRAPH_INPUT_MAX, defaultValue: p.text, required: true })),
        button({ name: 'mreport_save', label: '保存修改', value: value(MREPORT_SAVE), submit: true }),
        button({ name: 'mreport_send', label: '发送给领导', value: value(MREPORT_SEND), type: 'primary_filled', submit: true }),
      ]),
    ],
  });
}

/** What each leader gets with the .docx: the summary and the indicators with their lights. */
export function reportSummaryCard(v: Pick<ReportView, 'periodLabel' | 'cityName' | 'indicators' | 'facts'> & { summary: string; fileName: string }): Card {
  const title = `${v.periodLabel}经济运行专报`;
  return card({
    title,
    subtitle: v.cityName ? `${v.cityName} · 经济运行例会办公室` : '经济运行例会办公室',
    template: 'blue',
    summary: title,
    elements: [
      markdown(escapeMd(v.summary)),
      hr(),
      markdown('**主要指标**'),
      indicatorLines(v),
      note(`全文（含指标表、走势图和排名图）见随后发送的 Word 文件「${v.fileName}」。`),
    ],
  });
}
