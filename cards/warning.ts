// Cards: what a leader in charge sees when lights turn yellow or red (预警 → 应策), what a unit receives as an
// instruction, the meeting proposal for the organiser, and the answer to 「为什么 <指标> <单位>」.
// Every callback value is routed by `a`; times and figures arrive pre-formatted.
import { z } from 'zod';
import {
  button, card, chart, collapsiblePanel, column, columnSet, datePicker, escapeMd, form, hr, input, markdown, multiSelectStatic, note,
  selectStatic, type Card, type CardElement, type HeaderTemplate, type SelectOption,
} from './card.ts';
import { limitedText } from './text-limits.ts';
import { CARD_BUDGET_BYTES, cardRequestBytes } from './size.ts';
import { TASK_FIELD_MAX_LENGTH } from './task.ts';

// ───────────── callback values ─────────────

export const WARNING_ACK = 'warning.ack';
export const WARNING_INSTRUCT = 'warning.instruct';
export const WARNING_MEETING = 'warning.meeting';
export const WARNING_INTERVIEW = 'warning.interview';
export const WARNING_ASSIGN = 'warning.assign';
export const WARNING_OPEN = 'warning.open';
/** The proposal card sent before the scheduling card existed: its buttons still answer (meeting.decide). */
export const MEETING_CONFIRM = 'meeting.confirm';
export const MEETING_DECLINE = 'meeting.decline';
/** A unit's 收到 on a 批示 card. */
export const INSTRUCTION_RECEIVED = 'instruction.received';
/** A unit's 反馈措施 (the text in form_value, InstructionMeasuresFormValue). */
export const INSTRUCTION_MEASURES = 'instruction.measures';

const id = z.string().min(1);

/** 已阅. */
/** `s: 'digest'` when clicked on a digest: the digest stays as it is (the detail comes as a new message). */
export const WarningAckValue = z.object({ a: z.literal(WARNING_ACK), v: z.literal(1), w: id, s: z.literal('digest').optional() });
/** The 批示 form's submit; the fields arrive in form_value (WarningInstructFormValue). */
export const WarningInstructValue = z.object({ a: z.literal(WARNING_INSTRUCT), v: z.literal(1), w: id });
/** 召集专题会: every organiser gets the scheduling card (cards/meeting.ts), prefilled from the warning. */
export const WarningMeetingValue = z.object({ a: z.literal(WARNING_MEETING), v: z.literal(1), w: id });
/** 约谈: as 召集专题会, for a 约谈 of the warning's unit. */
export const WarningInterviewValue = z.object({ a: z.literal(WARNING_INTERVIEW), v: z.literal(1), w: id });
/** The 交办 form's submit; the fields arrive in form_value (WarningAssignFormValue). */
export const WarningAssignValue = z.object({ a: z.literal(WARNING_ASSIGN), v: z.literal(1), w: id });
/** Show the warning's detail card (from the digest, the why card, the meeting proposal). */
export const WarningOpenValue = z.object({ a: z.literal(WARNING_OPEN), v: z.literal(1), w: id, s: z.literal('digest').optional() });
/** Organiser: go ahead with the proposed meeting (scheduling is a later step). */
export const MeetingConfirmValue = z.object({ a: z.literal(MEETING_CONFIRM), v: z.literal(1), m: id });
export const MeetingDeclineValue = z.object({ a: z.literal(MEETING_DECLINE), v: z.literal(1), m: id });

/** 收到: the instruction `i` for the unit `u`. */
export const InstructionReceivedValue = z.object({ a: z.literal(INSTRUCTION_RECEIVED), v: z.literal(1), i: id, u: id });
/** 反馈措施: the form's submit; the text arrives in form_value. */
export const InstructionMeasuresValue = z.object({ a: z.literal(INSTRUCTION_MEASURES), v: z.literal(1), i: id, u: id });

/** Any warning callback value, for the router. */
export const WarningActionValue = z.discriminatedUnion('a', [
  WarningAckValue, WarningInstructValue, WarningMeetingValue, WarningInterviewValue, WarningAssignValue, WarningOpenValue,
]);
export type WarningAction = z.infer<typeof WarningActionValue>;

/** Any meeting-proposal callback value, for the router. */
export const MeetingActionValue = z.discriminatedUnion('a', [MeetingConfirmValue, MeetingDeclineValue]);
export type MeetingAction = z.infer<typeof MeetingActionValue>;

// ───────────── form fields ─────────────

/** Form field names on the warning card (card-wide unique: both forms sit on the same card). */
export const WARNING_FIELDS = { instruction: 'instruction', units: 'units', title: 'title', unit: 'unit', due: 'due' } as const;
/** Units offered in each select: every option is a text element, and two selects share the 200. */
export const MAX_UNIT_OPTIONS = 30;
/** One limit per free-text field: the inputs' max_length and the server's check (text-limits.ts). */
export const WARNING_FIELD_MAX_LENGTH = { instruction: 500, measures: 500 } as const;
/** The 反馈措施 form's field on the 批示 card. */
export const INSTRUCTION_FIELDS = { measures: 'measures' } as const;

/** What the 反馈措施 form sends: the measures taken, required, within the limit. */
export const InstructionMeasuresFormValue = z.object({
  [INSTRUCTION_FIELDS.measures]: limitedText('落实措施', WARNING_FIELD_MAX_LENGTH.measures, { required: true, missing: '请填写落实措施后再提交反馈' }),
});
/** A meeting's agenda (议题 / 约谈事由), written from the warning's reasons: kept within this. */
export const MEETING_AGENDA_MAX_LENGTH = 500;

/** What the 批示 form sends: the text and the unit codes it goes to (none offered = the warning's own unit). */
export const WarningInstructFormValue = z.object({
  [WARNING_FIELDS.instruction]: limitedText('批示内容', WARNING_FIELD_MAX_LENGTH.instruction, { required: true }),
  [WARNING_FIELDS.units]: z.array(z.string().min(1)).max(MAX_UNIT_OPTIONS, '送达单位过多，请重新选择').optional().default([]),
});
export type WarningInstructForm = z.infer<typeof WarningInstructFormValue>;

/** A real calendar date 'yyyy-MM-dd' (rejects 2026-02-30); plain arithmetic, no clock. */
const isCalendarDate = (s: string) => {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return days !== undefined && d >= 1 && d <= days;
};

/** A date_picker value: Feishu sends 'yyyy-MM-dd +0800' (the chooser's offset); kept as the calendar date 'yyyy-MM-dd'. */
export const PickedDate = z
  .string({ error: '请选择日期' })
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}(\s*[+-]\d{2}:?\d{2})?$/, '日期格式有误')
  .transform((s) => s.slice(0, 10))
  .refine(isCalendarDate, '日期无效');

/** What the 交办 form sends: the task title, the owner unit's code and the due date. */
export const WarningAssignFormValue = z.object({
  [WARNING_FIELDS.title]: limitedText('事项名称', TASK_FIELD_MAX_LENGTH.title, { required: true }),
  [WARNING_FIELDS.unit]: z.string({ error: '请选择责任单位' }).min(1, '请选择责任单位'),
  [WARNING_FIELDS.due]: PickedDate,
});
export type WarningAssignForm = z.infer<typeof WarningAssignFormValue>;

// ───────────── shared words and colours ─────────────

export type LightLevel = 'GREEN' | 'YELLOW' | 'RED';

const font = (color: string, s: string) => `<font color='${color}'>${s}</font>`;
const grey = (s: string) => font('grey', s);

/**
 * Yellow is drawn in orange everywhere (header, tags, words): Feishu's yellow header and yellow text are hard
 * to read on white, and orange still reads as "the middle light".
 */
const LEVEL: Record<LightLevel, { template: HeaderTemplate; color: string; short: string; light: string; warning: string }> = {
  RED: { template: 'red', color: 'red', short: '红', light: '红灯', warning: '红色预警' },
  YELLOW: { template: 'orange', color: 'orange', short: '黄', light: '黄灯', warning: '黄色预警' },
  GREEN: { template: 'green', color: 'green', short: '绿', light: '绿灯', warning: '绿灯' },
};
const SEVERITY: Record<LightLevel, number> = { RED: 2, YELLOW: 1, GREEN: 0 };

/** What changed since the last period: '由黄转红', '新亮红灯', '持续红灯'. */
export function changeWords(previous: LightLevel | null, level: LightLevel): string {
  if (previous === null) return `新亮${LEVEL[level].light}`;
  if (previous === level) return `持续${LEVEL[level].light}`;
  return `由${LEVEL[previous].short}转${LEVEL[level].short}`;
}

/** Names joined for a sentence, the tail counted so a long list cannot blow the card up. */
function nameList(names: string[], max: number, unit = '项'): string {
  const shown = names.slice(0, max).map(escapeMd).join('、');
  return names.length > max ? `${shown} 等 ${names.length} ${unit}` : shown;
}

/** Escaped and cut to `max` characters, so one long configured text cannot crowd out the rest. */
function clip(s: string, max: number): string {
  const chars = [...s];
  return escapeMd(chars.length > max ? `${chars.slice(0, max).join('')}…` : s);
}

/** One line for markdown: user text with its line breaks folded (a list item must stay one item). */
const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

const smallButton = (el: CardElement): CardElement => ({ ...el, size: 'small' });

// ───────────── digest (one card per leader per batch) ─────────────

export interface DigestItem {
  warningId: string;
  indicatorName: string;
  unitName: string;
  level: 'YELLOW' | 'RED';
  previousLevel: LightLevel | null;
  /** '1,234.5 亿元'. */
  value: string;
  /** '+3.2%'. */
  growth: string;
  /** The reasons in words, joined: '低于目标进度 4.8 个百分点；低于全市平均 2.1 个百分点'. */
  reasons: string;
  /** An unacknowledged red sent again. */
  repeat?: boolean;
  /** false: the recipient may not act on it (a unit or department head): no 已阅 button. Default true. */
  mayAct?: boolean;
}

export interface WarningDigestView {
  leaderName: string;
  /** '2026年11月 · 第 2 批'. */
  batchLabel: string;
  items: DigestItem[];
  /** Lights of this leader's domain that turned green again: their warnings are closed. */
  resolved: { indicatorName: string; unitName: string }[];
  /** A caveat on the whole batch (figures imported incompletely), shown first. */
  notice?: string;
}

/** Items with their own row and buttons (8 elements each: 20 rows stay well under Feishu's 200). */
export const MAX_DIGEST_ITEMS = 20;
/** Names in the summary of the rest and in the resolved list. */
const MAX_DIGEST_NAMES = 20;
/** A reason text longer than this is cut on the digest (the detail card has them all). */
const MAX_DIGEST_REASON = 60;

const place = (x: { indicatorName: string; unitName: string }) => `${x.indicatorName} · ${x.unitName}`;

function digestRow(item: DigestItem, i: number): CardElement {
  const lv = LEVEL[item.level];
  const repeat = item.repeat ? "\u3000<text_tag color='red'>未阅 · 再次提醒</text_tag>" : '';
  const head = `**${escapeMd(item.indicatorName)} · ${escapeMd(item.unitName)}**\u3000${font(lv.color, changeWords(item.previousLevel, item.level))}${repeat}`;
  const figures = `同比 ${escapeMd(item.growth)}（${escapeMd(item.value)}）`;
  const reasons = item.reasons.trim() ? `；${clip(oneLine(item.reasons), MAX_DIGEST_REASON)}` : '';
  const open = smallButton(button({ name: `digest_open_${i}`, label: '查看', type: 'primary', value: { a: WARNING_OPEN, v: 1, w: item.warningId, s: 'digest' } }));
  const ack = smallButton(button({ name: `digest_ack_${i}`, label: '已阅', value: { a: WARNING_ACK, v: 1, w: item.warningId, s: 'digest' } }));
  return columnSet([
    column([markdown(`${head}\n${figures}${reasons}`)], { weight: 4, verticalAlign: 'center' }),
    column(item.mayAct === false ? [open] : [open, ack], { width: 'auto', verticalAlign: 'center' }),
  ]);
}

function countTitle(red: number, yellow: number): string {
  return [red ? `${red} 红` : '', yellow ? `${yellow} 黄` : ''].filter(Boolean).join(' ');
}

export function warningDigestCard(view: WarningDigestView): Card {
  // Reds first; within a colour the caller's order (its ranking) is kept.
  const items = [...view.items].sort((a, b) => SEVERITY[b.level] - SEVERITY[a.level]);
  const red = items.filter((x) => x.level === 'RED').length;
  const yellow = items.length - red;
  const worse = items.filter((x) => x.previousLevel !== null && SEVERITY[x.level] > SEVERITY[x.previousLevel]).length;
  const repeats = items.filter((x) => x.repeat).length;

  const intro: string[] = [];
  if (items.length) {
    const counts = [red ? `红色 ${red} 项` : '', yellow ? `黄色 ${yellow} 项` : ''].filter(Boolean).join('、');
    intro.push(`${escapeMd(view.leaderName)}，您分管领域本批预警 ${items.length} 项：${counts}。`);
    const notes = [worse ? `${worse} 项较上期升级` : '', repeats ? `${repeats} 项红色预警仍未阅，再次提醒` : ''].filter(Boolean);
    if (notes.length) intro.push(`其中 ${notes.join('；')}。`);
  } else {
    intro.push(`${escapeMd(view.leaderName)}，您分管领域本批没有新的黄色、红色预警。`);
  }
  const elements: CardElement[] = [markdown(intro.join('\n'))];
  if (view.notice) elements.unshift(markdown(font('orange', `**${escapeMd(view.notice)}**`)));

  const listed = items.slice(0, MAX_DIGEST_ITEMS);
  (['RED', 'YELLOW'] as const).forEach((level) => {
    const rows = listed.map((x, i) => ({ x, i })).filter(({ x }) => x.level === level);
    if (!rows.length) return;
    const total = level === 'RED' ? red : yellow;
    elements.push(hr(), markdown(font(LEVEL[level].color, `**${LEVEL[level].warning} ${total} 项**`)));
    for (const { x, i } of rows) elements.push(digestRow(x, i));
  });

  const rest = items.slice(MAX_DIGEST_ITEMS);
  if (rest.length) {
    const restRed = rest.filter((x) => x.level === 'RED').length;
    const split = [restRed ? `红 ${restRed} 项` : '', rest.length > restRed ? `黄 ${rest.length - restRed} 项` : ''].filter(Boolean).join('、');
    elements.push(markdown(`另有 ${rest.length} 项未逐项列出（${split}）：${nameList(rest.map(place), MAX_DIGEST_NAMES)}`));
  }

  if (view.resolved.length) {
    elements.push(hr(), markdown(`${font('green', `**已恢复正常 ${view.resolved.length} 项**`)}：${nameList(view.resolved.map(place), MAX_DIGEST_NAMES)}`));
  }
  if (items.length) {
    elements.push(note(items.some((x) => x.mayAct !== false) ? '点击「查看」看趋势和原因，可批示、召集专题会、约谈或交办。' : '点击「查看」看趋势和原因；预警由分管领导批示、交办，请关注并抓好落实。'));
  }

  const title = items.length ? `经济运行预警：${countTitle(red, yellow)}` : view.resolved.length ? `经济运行预警：${view.resolved.length} 项恢复正常` : '经济运行预警：本批无新增';
  return card({
    title,
    subtitle: view.batchLabel,
    template: red ? 'red' : yellow ? 'orange' : 'green',
    summary: `${title}（${view.batchLabel}）`,
    tags: repeats ? [{ text: '再次提醒', color: 'red' }] : [],
    elements,
  });
}

// ───────────── the warning in detail ─────────────

export type WarningStatus = 'OPEN' | 'ACKNOWLEDGED' | 'IN_PROGRESS' | 'RESOLVED';

export interface WarningCardView {
  warningId: string;
  indicatorName: string;
  unitName: string;
  periodLabel: string;
  level: LightLevel;
  status: WarningStatus;
  value: string;
  growth: string;
  /** '目标进度 +8.0%'; null when the indicator has no target. */
  targetPace: string | null;
  /** What the unit is compared with: '全市增速 +4.4%', '各区县平均 +5.1%'. */
  cityAverage: string | null;
  reasons: string[];
  vintageLabel: '快报' | '正式数据';
  /** The last 12 periods, oldest first; a period without a figure has growth null. */
  trend: { period: string; growth: number | null }[];
  /** The units concerned: the choices for the 批示 and 交办 selects (the warning's own unit is preselected). */
  units: { code: string; name: string }[];
  acknowledgedBy?: string;
  instructions: InstructionHistory[];
  tasks: { title: string; unitName: string; due: string; state: string }[];
  /**
   * What the viewer may do: false hides the leaders' actions (已阅, 专题会, 约谈, 批示, 交办) from those who
   * may not use them (a unit's liaison or head). Absent: everything is shown (the card of a leader in charge).
   */
  mayAct?: boolean;
}

/** One unit's answer to a 批示: 收到, or 反馈措施 with the measures. */
export interface InstructionReplyView {
  unitName: string;
  by: string;
  at: string;
  kind: 'RECEIVED' | 'MEASURES';
  text?: string | null;
}

export interface InstructionHistory {
  by: string;
  at: string;
  text: string;
  /** The units' answers, oldest first (absent: none yet). */
  replies?: InstructionReplyView[];
  /** Units that have not answered yet. */
  pending?: string[];
}

const STATUS_TAG: Record<WarningStatus, { text: string; color: string }> = {
  OPEN: { text: '待阅', color: 'neutral' },
  ACKNOWLEDGED: { text: '已阅', color: 'neutral' },
  IN_PROGRESS: { text: '处理中', color: 'blue' },
  RESOLVED: { text: '已恢复正常', color: 'green' },
};

const MAX_REASONS = 10;
const MAX_HISTORY = 10;
const MAX_HISTORY_TEXT = 120;
/**
 * 批示落实 lists the latest 批示 with answers or units still to answer, each with its latest answers cut
 * short (older ones counted): at their longest they stay within the card's 25 KB next to the rest.
 */
const MAX_FOLLOWED = 5;
const MAX_REPLIES_SHOWN = 3;
const MAX_REPLY_TEXT = 60;
const MAX_PENDING_NAMES = 5;
export const TREND_PERIODS = 12;

/** '目标进度 +8.0%' → label '目标进度', figure '+8.0%'; a bare figure gets the fallback label. */
function splitLabel(s: string, fallback: string): { label: string; figure: string } {
  const m = /^(\S.*?)\s+([+\-−]?\d.*)$/.exec(s.trim());
  return m ? { label: m[1]!, figure: m[2]! } : { label: fallback, figure: s.trim() };
}

function stat(figure: string, label: string, color?: string): CardElement {
  const big = `**${escapeMd(figure)}**`;
  return column([
    { ...markdown(color ? font(color, big) : big), text_align: 'center', text_size: 'heading' },
    { ...markdown(grey(escapeMd(label))), text_align: 'center', text_size: 'notation' },
  ], { background: 'grey-50', padding: '8px' });
}

/** The growth of the last periods as a VChart line; null when fewer than two periods have a figure. */
function trendChart(trend: WarningCardView['trend']): CardElement | null {
  const points = trend.slice(-TREND_PERIODS);
  if (points.filter((p) => p.growth !== null && Number.isFinite(p.growth)).length < 2) return null;
  return chart({
    aspectRatio: '2:1',
    spec: {
      type: 'line',
      title: { visible: true, text: `近 ${points.length} 期同比增速（%）` },
      data: { values: points.map((p) => ({ period: p.period, growth: p.growth !== null && Number.isFinite(p.growth) ? p.growth : null })) },
      xField: 'period',
      yField: 'growth',
      // A period without a figure is a gap in the line, not a fall to zero.
      invalidType: 'break',
      point: { visible: true },
    },
  });
}

/** `followed`: how many of the latest 批示 list their answers under 批示落实 (fewer when the card would be too big). */
function historyBlock(view: WarningCardView, followed = MAX_FOLLOWED): CardElement[] {
  const out: CardElement[] = [];
  if (view.instructions.length) {
    const shown = view.instructions.slice(-MAX_HISTORY);
    // Cut: the full text went to the units; here it is a reminder of what was said (and 10 × 500 characters would not fit).
    const lines = shown.map((x) => `- **${escapeMd(x.by)}**（${escapeMd(x.at)}）：${clip(oneLine(x.text), MAX_HISTORY_TEXT)}`);
    const older = view.instructions.length - shown.length;
    out.push(markdown([`**批示记录**${older ? grey(`（另有 ${older} 条较早的批示）`) : ''}`, ...lines].join('\n')));
    const all = view.instructions.filter((x) => x.replies?.length || x.pending?.length);
    const listed = followed > 0 ? all.slice(-followed) : [];
    const earlier = all.length - listed.length;
    if (all.length) {
      const answers = all.reduce((n, x) => n + (x.replies?.length ?? 0), 0);
      const summary = listed.length ? (earlier ? grey(`（另有 ${earlier} 条较早的批示）`) : '') : `：各单位反馈 ${answers} 条，详情见各单位的「领导批示」卡片`;
      out.push(markdown([`**批示落实**${summary}`, ...listed.flatMap((x) => replyLines(x))].join('\n')));
    }
  }
  if (view.tasks.length) {
    const shown = view.tasks.slice(-MAX_HISTORY);
    const lines = shown.map((t) => `- ${clip(oneLine(t.title), MAX_HISTORY_TEXT)} · ${escapeMd(t.unitName)} · 时限 ${escapeMd(t.due)} · ${escapeMd(t.state)}`);
    const older = view.tasks.length - shown.length;
    out.push(markdown([`**已交办事项**${older ? grey(`（另有 ${older} 项）`) : ''}`, ...lines].join('\n')));
  }
  return out;
}

/** One answer in words: '鞍东区 · 张三（12月2日 10:00）：已收到' or '…：反馈措施：…'. */
export function replyWords(r: InstructionReplyView, max = MAX_HISTORY_TEXT): string {
  const what = r.kind === 'RECEIVED' ? '已收到' : `反馈措施：${clip(oneLine(r.text ?? ''), max)}`;
  return `${escapeMd(r.unitName)} · ${escapeMd(r.by)}${grey(`（${escapeMd(r.at)}）`)}：${what}`;
}

function replyLines(x: InstructionHistory): string[] {
  const replies = x.replies ?? [];
  const shown = replies.slice(-MAX_REPLIES_SHOWN);
  const older = replies.length - shown.length;
  const lines = [`- ${escapeMd(x.by)}（${escapeMd(x.at)}）：${clip(oneLine(x.text), 30)}`];
  if (older) lines.push(`  - ${grey(`另有 ${older} 条较早的反馈`)}`);
  lines.push(...shown.map((r) => `  - ${replyWords(r, MAX_REPLY_TEXT)}`));
  if (x.pending?.length) lines.push(`  - ${font('orange', `待反馈：${nameList(x.pending, MAX_PENDING_NAMES, '个单位')}`)}`);
  return lines;
}

function actionBlock(view: WarningCardView): CardElement[] {
  const w = view.warningId;
  const acknowledged = view.status !== 'OPEN' || !!view.acknowledgedBy;
  const first = acknowledged
    ? markdown(grey(view.acknowledgedBy ? `已阅 · ${escapeMd(view.acknowledgedBy)}` : '已阅'))
    : button({ name: 'warning_ack', label: '已阅', type: 'primary_filled', value: { a: WARNING_ACK, v: 1, w } });
  const row = columnSet([
    column([first], { width: 'auto', verticalAlign: 'center' }),
    column([button({ name: 'warning_meeting', label: '召集专题会', value: { a: WARNING_MEETING, v: 1, w } })], { width: 'auto', verticalAlign: 'center' }),
    column([button({ name: 'warning_interview', label: '约谈', value: { a: WARNING_INTERVIEW, v: 1, w } })], { width: 'auto', verticalAlign: 'center' }),
  ], { flexMode: 'flow' });

  const offered = view.units.slice(0, MAX_UNIT_OPTIONS);
  const options: SelectOption[] = offered.map((u) => ({ label: u.name, value: u.code }));
  const own = offered.find((u) => u.name === view.unitName)?.code;

  // A form may only sit in body.elements, so each form holds its folding panel (a panel may not hold a form).
  const instruct = form('warning_instruct_form', [collapsiblePanel({
    title: '批示（送达相关单位）',
    elements: [
      input({
        name: WARNING_FIELDS.instruction, label: '批示内容', placeholder: '如：请相关单位分析原因，一周内报送措施',
        required: true, multiline: true, maxLength: WARNING_FIELD_MAX_LENGTH.instruction,
      }),
      ...(options.length
        ? [markdown('**送达单位**'), multiSelectStatic({ name: WARNING_FIELDS.units, options, required: true, selectedValues: own ? [own] : [], placeholder: '选择接收批示的单位', width: 'fill' })]
        : []),
      button({ name: 'warning_instruct_submit', label: '发送批示', type: 'primary_filled', submit: true, value: { a: WARNING_INSTRUCT, v: 1, w } }),
    ],
  })]);

  const out: CardElement[] = [row, instruct];
  if (options.length) {
    out.push(form('warning_assign_form', [collapsiblePanel({
      title: '交办（指定责任单位和时限）',
      elements: [
        input({ name: WARNING_FIELDS.title, label: '事项名称', placeholder: '如：推动 3 个在建项目月底前入库', required: true, maxLength: TASK_FIELD_MAX_LENGTH.title }),
        markdown('**责任单位**'),
        selectStatic({ name: WARNING_FIELDS.unit, options, required: true, initialOption: own, placeholder: '选择责任单位', width: 'fill' }),
        markdown('**完成时限**'),
        datePicker({ name: WARNING_FIELDS.due, required: true, placeholder: '选择完成日期', width: 'fill' }),
        button({ name: 'warning_assign_submit', label: '交办', type: 'primary_filled', submit: true, value: { a: WARNING_ASSIGN, v: 1, w } }),
      ],
    })]));
  } else {
    out.push(note('未配置相关单位，暂不能交办。'));
  }
  return out;
}

export function warningCard(view: WarningCardView): Card {
  // Answers to 批示 are the one part without a fixed bound next to the rest: fewer are listed until the card fits.
  let c = warningCardWith(view, MAX_FOLLOWED);
  for (let followed = MAX_FOLLOWED - 1; followed >= 0 && cardRequestBytes(c) > CARD_BUDGET_BYTES; followed--) c = warningCardWith(view, followed);
  return c;
}

function warningCardWith(view: WarningCardView, followed: number): Card {
  const lv = LEVEL[view.level];
  const resolved = view.status === 'RESOLVED';
  const stats = [stat(view.growth, `同比 · ${view.value}`, lv.color)];
  if (view.targetPace) { const s = splitLabel(view.targetPace, '目标进度'); stats.push(stat(s.figure, s.label)); }
  if (view.cityAverage) { const s = splitLabel(view.cityAverage, '比较基准'); stats.push(stat(s.figure, s.label)); }

  const elements: CardElement[] = [columnSet(stats, { spacing: '8px' })];
  const reasons = view.reasons.slice(0, MAX_REASONS).map((r) => `- ${escapeMd(oneLine(r))}`);
  if (view.reasons.length > MAX_REASONS) reasons.push(`- 另有 ${view.reasons.length - MAX_REASONS} 条`);
  if (reasons.length) elements.push(markdown([`**${view.level === 'GREEN' ? '研判' : '预警原因'}**`, ...reasons].join('\n')));

  const trend = trendChart(view.trend);
  elements.push(trend ?? note('历史数据不足，暂无趋势图。'));
  if (view.vintageLabel === '快报') elements.push(note('本期为快报数据，正式数据发布后将重新研判。'));

  const history = historyBlock(view, followed);
  if (history.length) elements.push(hr(), ...history);
  elements.push(hr());
  if (resolved) elements.push(markdown(font('green', '该指标已恢复正常，预警已关闭。')));
  else if (view.mayAct === false) elements.push(note('预警由分管领导、主要领导和经济运行例会办公室处理；领导批示请在「领导批示」卡片上反馈落实情况。'));
  else elements.push(...actionBlock(view));

  const title = `${view.indicatorName} · ${view.unitName}`;
  return card({
    title,
    subtitle: `${view.periodLabel} · ${view.vintageLabel}`,
    template: resolved ? 'green' : lv.template,
    summary: `${resolved ? '已恢复正常' : lv.warning}：${title}（${view.periodLabel}）`,
    tags: [
      ...(resolved || view.level === 'GREEN' ? [] : [{ text: lv.warning, color: lv.color }]),
      STATUS_TAG[view.status],
    ],
    elements,
  });
}

// ───────────── instruction (what a unit receives) ─────────────

export interface InstructionView {
  leaderName: string;
  indicatorName: string;
  /** The unit that receives it. */
  unitName: string;
  periodLabel: string;
  text: string;
  at: string;
  /** Why the warning was raised, in words. */
  reasons: string;
  /** The ids the unit answers with (收到 / 反馈措施); absent: no answer buttons. */
  instructionId?: string;
  unitId?: string;
  /** This unit's answers so far, oldest first. */
  replies?: InstructionReplyView[];
  /** false: the viewer may not answer for the unit (no buttons). Default true. */
  mayReply?: boolean;
}

/** Answers listed on the 批示 card (the latest; the leader's warning card has them too). */
const MAX_CARD_REPLIES = 10;

export function instructionCard(view: InstructionView): Card {
  const quote = view.text.trim().split(/\r?\n/).map((l) => `> ${escapeMd(l)}`).join('\n');
  const lines = [
    `**事由**：${escapeMd(view.indicatorName)} ${escapeMd(view.periodLabel)} 预警${view.reasons.trim() ? `（${escapeMd(oneLine(view.reasons))}）` : ''}`,
    `**时间**：${escapeMd(view.at)}`,
  ];
  const replies = view.replies ?? [];
  const received = replies.length > 0;
  const measured = replies.some((r) => r.kind === 'MEASURES');
  const elements: CardElement[] = [
    markdown(`**分管领导 ${escapeMd(view.leaderName)} 批示：**\n${quote}`),
    markdown(lines.join('\n')),
  ];
  if (replies.length) {
    const shown = replies.slice(-MAX_CARD_REPLIES);
    const older = replies.length - shown.length;
    elements.push(hr(), markdown([`**落实反馈**${older ? grey(`（另有 ${older} 条较早的反馈）`) : ''}`, ...shown.map((r) => `- ${replyWords(r, WARNING_FIELD_MAX_LENGTH.measures)}`)].join('\n')));
  }
  const canAnswer = view.instructionId !== undefined && view.unitId !== undefined && view.mayReply !== false;
  if (canAnswer) {
    const value = { i: view.instructionId!, u: view.unitId! };
    elements.push(hr());
    if (!received) {
      elements.push(button({ name: 'instruction_received', label: '收到', type: 'primary_filled', value: { a: INSTRUCTION_RECEIVED, v: 1, ...value } }));
    }
    // A form may only sit in body.elements, so the form holds its folding panel.
    elements.push(form('instruction_measures_form', [collapsiblePanel({
      title: measured ? '继续反馈落实措施' : '反馈落实措施',
      expanded: received && !measured,
      elements: [
        input({
          name: INSTRUCTION_FIELDS.measures, label: '落实措施', placeholder: '如：已约见 3 家停产企业，协调订单和资金，预计月底复产',
          required: true, multiline: true, maxLength: WARNING_FIELD_MAX_LENGTH.measures,
        }),
        button({ name: 'instruction_measures_submit', label: '反馈措施', type: received ? 'primary_filled' : 'default', submit: true, value: { a: INSTRUCTION_MEASURES, v: 1, ...value } }),
      ],
    })]));
    elements.push(note('点击「收到」确认已收到批示；落实后请「反馈措施」，分管领导会收到您的反馈。'));
  } else {
    elements.push(note('请按批示要求抓好落实；如有交办事项，将另行发送。'));
  }
  return card({
    title: `领导批示：${view.indicatorName}`,
    subtitle: `${view.unitName} · ${view.periodLabel}`,
    // Orange, not red: an instruction calls for action, but it is not itself a warning light.
    template: measured ? 'green' : 'orange',
    summary: `分管领导 ${view.leaderName} 批示：${view.indicatorName}`,
    tags: [measured ? { text: '已反馈措施', color: 'green' } : received ? { text: '已收到', color: 'blue' } : { text: '请落实', color: 'orange' }],
    elements,
  });
}

// ───────────── a unit's answer (what the leader hears) ─────────────

export interface InstructionReplyNoticeView {
  warningId: string;
  indicatorName: string;
  /** The warning's unit and period: '鞍东区 · 2026年11月'. */
  subject: string;
  /** The 批示 as written (cut on the card). */
  instruction: string;
  reply: InstructionReplyView;
}

export function instructionReplyNoticeCard(view: InstructionReplyNoticeView): Card {
  const r = view.reply;
  const measures = r.kind === 'MEASURES';
  const head = `**${escapeMd(r.unitName)}** ${escapeMd(r.by)} ${measures ? '反馈了落实措施' : '已收到您的批示'}${grey(`（${escapeMd(r.at)}）`)}`;
  const elements: CardElement[] = [markdown(head)];
  if (measures && r.text?.trim()) elements.push(markdown(r.text.trim().split(/\r?\n/).map((l) => `> ${escapeMd(l)}`).join('\n')));
  elements.push(
    markdown(grey(`您的批示：${clip(oneLine(view.instruction), MAX_HISTORY_TEXT)}`)),
    button({ name: 'reply_warning_open', label: '查看预警', type: 'default', value: { a: WARNING_OPEN, v: 1, w: view.warningId } }),
  );
  const title = `${measures ? '批示落实反馈' : '批示已收到'}：${view.indicatorName}`;
  return card({
    title,
    subtitle: `${r.unitName} · ${view.subject}`,
    template: measures ? 'green' : 'blue',
    summary: `${title}（${r.unitName}）`,
    elements,
  });
}

// ───────────── 「为什么 <指标> <单位>」 ─────────────

export interface WhyView {
  indicatorName: string;
  unitName: string;
  periodLabel: string;
  /**
   * NOT_REPORTED: the unit's figure is missing, so no light (never shown as one); NO_LIGHT: no light for
   * another reason (a parent's members not all in, a period not open yet), said in `reasons`.
   */
  status: 'LIT' | 'NOT_REPORTED' | 'NO_LIGHT';
  level?: LightLevel;
  /** The figures the light judged, as printed: '累计 14,095,656 万元，同比 +4.1%'. */
  figures?: string;
  reasons: string[];
  vintageLabel?: string;
  /** Oldest first: 'GREEN' | 'YELLOW' | 'RED' | 'NOT_REPORTED' (anything else is shown as it is). */
  history: { period: string; level: string }[];
}

const HISTORY_PERIODS = 12;

function historyWord(level: string): string {
  if (level === 'RED' || level === 'YELLOW' || level === 'GREEN') return font(LEVEL[level].color, LEVEL[level].short);
  if (level === 'NOT_REPORTED') return grey('未报送');
  return escapeMd(level);
}

export function whyCard(view: WhyView): Card {
  const lv = view.status === 'LIT' && view.level ? LEVEL[view.level] : null;
  const where = `${escapeMd(view.unitName)} ${escapeMd(view.periodLabel)} ${escapeMd(view.indicatorName)}`;
  const head = lv
    ? `${where}：${font(lv.color, `**${lv.light}**`)}${view.vintageLabel ? grey(`（${escapeMd(view.vintageLabel)}）`) : ''}`
    : view.status === 'NOT_REPORTED' ? `${where}：尚未报送，暂无灯色。` : `${where}：暂无灯色。`;
  const elements: CardElement[] = [markdown(head)];
  if (lv && view.figures) elements.push(markdown(`**数据**：${escapeMd(view.figures)}`));

  const reasons = view.reasons.slice(0, MAX_REASONS).map((r) => `- ${escapeMd(oneLine(r))}`);
  if (reasons.length) elements.push(markdown([`**${lv ? '依据' : '说明'}**`, ...reasons].join('\n')));
  else if (lv && view.level === 'GREEN') elements.push(markdown('各项预警规则均未触发，运行平稳。'));

  const history = view.history.slice(-HISTORY_PERIODS);
  if (history.length) {
    elements.push(markdown(`**近期灯色**\n${history.map((h) => `${escapeMd(h.period)} ${historyWord(h.level)}`).join('\u3000')}`));
  }
  elements.push(note(lv ? '灯色随报送数据更新；规则和阈值由例会办公室配置。' : view.status === 'NOT_REPORTED' ? '报送后将自动研判灯色。' : '数据齐全后将自动研判灯色。'));

  return card({
    title: `${view.indicatorName} · ${view.unitName}`,
    subtitle: lv ? `${view.periodLabel} · ${lv.light}` : `${view.periodLabel} · ${view.status === 'NOT_REPORTED' ? '未报送' : '暂无灯色'}`,
    // Not reported is grey: it is a status, not a light.
    template: lv ? lv.template : 'grey',
    summary: `为什么：${view.indicatorName} · ${view.unitName}`,
    elements,
  });
}
