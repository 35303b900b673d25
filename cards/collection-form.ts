// Card: the collection form a liaison fills in (one card per page of indicators), and every collection callback value.
import { z } from 'zod';
import {
  button, card, collapsiblePanel, column, columnSet, escapeMd, form, hr, input, markdown, note,
  type ActionValue, type Card, type CardElement, type HeaderTemplate,
} from './card.ts';

// ───────────── callback values (routed by `a`, never by button text) ─────────────

export const REPORT_SUBMIT = 'report.submit';
export const REPORT_EDIT = 'report.edit';
export const REPORT_OPEN = 'report.open';
export const REPORT_NUDGE = 'report.nudge';
export const EDIT_APPROVE = 'edit.approve';
export const EDIT_REJECT = 'edit.reject';

const id = z.string().min(1);
const page = z.number().int().min(1);

/**
 * The form's submit button; `c: '1'` when this submit confirms the outliers shown; `i`: the page's
 * indicator codes in field order (cards sent before it existed carry none: their fields go by position).
 */
export const ReportSubmitValue = z.object({ a: z.literal(REPORT_SUBMIT), v: z.literal(1), r: id, p: page, c: z.literal('1').optional(), i: z.string().min(1).max(2000).optional() });
/** Open the form again to edit a page already submitted (a late edit once the period is closed). */
export const ReportEditValue = z.object({ a: z.literal(REPORT_EDIT), v: z.literal(1), r: id, p: page });
/** Show the unit's collection card again (the next page still to fill). */
export const ReportOpenValue = z.object({ a: z.literal(REPORT_OPEN), v: z.literal(1), r: id });
/** Organiser: remind this unit now. */
export const ReportNudgeValue = z.object({ a: z.literal(REPORT_NUDGE), v: z.literal(1), r: id });
export const EditApproveValue = z.object({ a: z.literal(EDIT_APPROVE), v: z.literal(1), e: id });
export const EditRejectValue = z.object({ a: z.literal(EDIT_REJECT), v: z.literal(1), e: id });

/** Any collection callback value, for the router. */
export const CollectionActionValue = z.discriminatedUnion('a', [
  ReportSubmitValue, ReportEditValue, ReportOpenValue, ReportNudgeValue, EditApproveValue, EditRejectValue,
]);
export type CollectionAction = z.infer<typeof CollectionActionValue>;

// ───────────── form fields ─────────────

/** What a collection card answers for an id that is malformed or no longer exists. */
export const CARD_EXPIRED = '这张卡片已过期，请发送「报送」获取最新卡片。';

/** Longest text each input accepts, in characters: the card's max_length and the server's refusal use the same numbers. */
export const FIELD_MAX_LENGTH = {
  value: 30, growth: 20, narrative: 500, unitSection: 1000, reason: 200, confirmReason: 200,
} as const;

/** A text cut to a limit, for a default value (a refused over-long text must not make the card too big). */
const upTo = (text: string | undefined, max: number) => (text === undefined || text.length <= max ? text : [...text].slice(0, max).join(''));

export interface IndicatorFieldNames { value: string; growth: string; problems: string; forecast: string; measures: string }

const namesAt = (i: number): IndicatorFieldNames => ({ value: `v_${i}`, growth: `g_${i}`, problems: `p_${i}`, forecast: `f_${i}`, measures: `m_${i}` });

/** Form field names for a page's indicators, by position on the page so they stay short and card-wide unique. */
export function fieldNames(indicatorCodes: string[]): Record<string, IndicatorFieldNames> {
  return Object.fromEntries(indicatorCodes.map((code, i) => [code, namesAt(i)]));
}

export const UNIT_FIELDS = { enterpriseCoverage: 'u_enterprise', keyWork: 'u_keywork', reason: 'edit_reason', confirmReason: 'confirm_reason' } as const;

const FORM_NAME = 'report_form';
const SUBMIT_NAME = 'report_submit';

/** The submit's form_value: every field an optional string (Feishu may omit empty inputs). */
export const ReportFormValue: z.ZodType<Record<string, string | undefined>> = z.record(z.string(), z.string().optional());

/** What one indicator's fields say, as typed. */
export interface ReportEntry { value?: string; growth?: string; problems?: string; outlook?: string; measures?: string }

/** A submitted page, decoded from the form's field names. */
export interface ReportForm {
  /** By indicator code; from a card without codes, by position (`positionKey`). */
  entries: Record<string, ReportEntry>;
  reason?: string;
  confirmReason?: string;
  sections?: { enterpriseCoverage?: string; keyWork?: string };
}

/** The entry key of the i-th indicator of a page, for cards sent before the submit carried the codes. */
export const positionKey = (i: number) => `#${i}`;

const ENTRY_FIELDS = [['value', 'value'], ['growth', 'growth'], ['problems', 'problems'], ['forecast', 'outlook'], ['measures', 'measures']] as const;

/** The one place the form's field names are read: entries by indicator code (`codes` from the submit value). */
export function readReportForm(fv: Record<string, string | undefined>, codes: string[] | undefined): ReportForm {
  // Without codes, as many positions as the highest field index typed (three digits at most: no huge arrays).
  const last = Math.max(-1, ...Object.keys(fv).map((k) => Number(/^[vgpfm]_(\d{1,3})$/.exec(k)?.[1] ?? -1)));
  const positions = codes ?? Array.from({ length: last + 1 }, (_, i) => positionKey(i));
  const entries: Record<string, ReportEntry> = {};
  positions.forEach((key, i) => {
    const n = namesAt(i);
    const e: ReportEntry = {};
    for (const [field, as] of ENTRY_FIELDS) if (fv[n[field]] !== undefined) e[as] = fv[n[field]];
    if (Object.keys(e).length) entries[key] = e;
  });
  const enterpriseCoverage = fv[UNIT_FIELDS.enterpriseCoverage];
  const keyWork = fv[UNIT_FIELDS.keyWork];
  const reason = fv[UNIT_FIELDS.reason];
  const confirmReason = fv[UNIT_FIELDS.confirmReason];
  return {
    entries,
    ...(reason !== undefined ? { reason } : {}),
    ...(confirmReason !== undefined ? { confirmReason } : {}),
    ...(enterpriseCoverage !== undefined || keyWork !== undefined
      ? { sections: { ...(enterpriseCoverage !== undefined ? { enterpriseCoverage } : {}), ...(keyWork !== undefined ? { keyWork } : {}) } }
      : {}),
  };
}

// ───────────── pagination ─────────────

/** At most this many indicators on a page: a district's five main indicators fit one page. */
export const MAX_INDICATORS_PER_PAGE = 5;

/**
 * What a page may spend on its indicator blocks, in bytes: 25 KB less the worst case of the rest (unit sections,
 * reason and confirmation at their limits, header and messages). An indicator's block costs about
 * INDICATOR_BLOCK_BYTES (two errors included) plus its texts, 3 bytes a character; so long narratives page further.
 */
export const PAGE_INDICATOR_BUDGET = 14_000;
export const INDICATOR_BLOCK_BYTES = 2_600;
export const indicatorBytes = (textChars: number) => INDICATOR_BLOCK_BYTES + 3 * textChars;

/**
 * Splits rows into as few pages as the limits allow, balanced so the last page is not a lone straggler.
 * With `bytes`, a page also stays within PAGE_INDICATOR_BUDGET (filled in order when the balanced split would not).
 */
export function paginate<T>(rows: T[], perPage: number = MAX_INDICATORS_PER_PAGE, bytes?: (row: T) => number): T[][] {
  const size = Math.max(1, Math.floor(perPage));
  if (rows.length === 0) return [[]];
  const count = Math.ceil(rows.length / size);
  const base = Math.floor(rows.length / count);
  const extra = rows.length % count;
  const pages: T[][] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const n = base + (i < extra ? 1 : 0);
    pages.push(rows.slice(start, start + n));
    start += n;
  }
  const fits = (page: T[]) => !bytes || page.reduce((sum, r) => sum + bytes(r), 0) <= PAGE_INDICATOR_BUDGET;
  if (pages.every(fits)) return pages;
  const greedy: T[][] = [[]];
  for (const r of rows) {
    const page = greedy[greedy.length - 1]!;
    if (page.length && (page.length >= size || !fits([...page, r]))) greedy.push([r]);
    else page.push(r);
  }
  return greedy;
}

// ───────────── the card ─────────────

export interface FormIndicatorRow {
  code: string; name: string; measureUnit: string; valueKind: 'CUMULATIVE' | 'CURRENT'; growthBasis: 'YOY' | 'COMPARABLE' | 'NONE';
  /** Only 增速 is asked (no value input): the bureau publishes this indicator as a growth rate. */
  growthOnly?: boolean;
  /** Pre-formatted beside the inputs: '上期 1,234.5 亿元 · 同比 +6.2%' (growth-only: '上期同比 +6.2%'), '目标 +8.0%', '全市平均 +5.1%'; null when unknown. */
  last: string | null; target: string | null; cityAverage: string | null;
  /** Values to show in the inputs (what was typed, after a rejection; or the figures in force, for an edit). */
  entered: { value?: string; growth?: string; problems?: string; forecast?: string; measures?: string };
  /** Messages under this indicator (Chinese, from validation). */
  errors: string[];
  /** Set when this figure is far from its history and must be confirmed. */
  outlier?: string;
}

export interface CollectionFormView {
  reportId: string;
  /** 1-based. */
  page: number; pageCount: number;
  cycleName: string; periodLabel: string; unitName: string;
  /** '12月15日（周二）18:00 前' or, after an extension, '已延期至 12月18日（周五）18:00 前'. */
  dueText: string;
  /**
   * late-edit: the period is closed, the edit goes to the organiser for approval; late-submit: closed with
   * these figures never submitted, the submission is a request (补报申请) to the organiser.
   */
  mode: 'new' | 'edit' | 'late-edit' | 'late-submit';
  indicators: FormIndicatorRow[];
  /** The unit-level sections (企业包保, 重点工作) go on the last page only. */
  unitSections: { enterpriseCoverage?: string; keyWork?: string } | null;
  /** Top-of-card messages, e.g. '有 2 处需要修改，请查看标红的说明。' */
  messages: string[];
  /** What is to fix, counted as the toast counts it (messages under indicators and on the card); default: those under indicators. */
  errorCount?: number;
  /** Filled on the edit forms and the confirmation round. */
  reason?: string; confirmReason?: string; needsConfirmation: boolean;
  /** The officer submits on behalf of someone (organiser) — show it. */
  onBehalfOf?: string;
}

const TEMPLATES: Record<CollectionFormView['mode'], HeaderTemplate> = { new: 'blue', edit: 'wathet', 'late-edit': 'orange', 'late-submit': 'orange' };
const late = (view: CollectionFormView) => view.mode === 'late-edit' || view.mode === 'late-submit';

function submitLabel(view: CollectionFormView): string {
  if (view.needsConfirmation) return '确认并提交';
  return { new: '提交', edit: '提交修改', 'late-edit': '提交修改申请', 'late-submit': '提交补报申请' }[view.mode];
}

function intro(view: CollectionFormView): string {
  const period = escapeMd(view.periodLabel);
  const due = escapeMd(view.dueText);
  switch (view.mode) {
    case 'new': return `请填写本单位 ${period} 的指标数据，${due}提交。`;
    case 'edit': return `您正在修改本单位 ${period} 已报送的数据。请改好后填写修改原因，${due}提交。`;
    case 'late-edit': return `${period} 的报送已截止。修改将提交例会办公室审批，批准后生效；请填写修改原因。`;
    case 'late-submit': return `${period} 的报送已关闭，本单位以下指标未报送（已关闭）。现在提交将作为补报申请，经例会办公室审批后生效；请填写补报说明。`;
  }
}

function closing(view: CollectionFormView): string {
  if (late(view)) return '提交后，审批结果会在本对话中通知您。';
  if (view.pageCount > 1) return '每页分别提交；提交后会收到回执，截止前可以修改。';
  return '提交后会收到回执，截止前可以修改。';
}

const red = (s: string) => `<font color='red'>${s}</font>`;
const orange = (s: string) => `<font color='orange'>${s}</font>`;
const grey = (s: string) => `<font color='grey'>${s}</font>`;

/** Inputs fill their column, so the two numbers line up. */
const filled = (el: CardElement): CardElement => ({ ...el, width: 'fill' });

/** How the heading describes what is asked: '亿元，累计值', or '只报增速，可比价' for a growth-only indicator. */
function kindText(row: FormIndicatorRow): string {
  const comparable = row.growthBasis === 'COMPARABLE' ? '，可比价' : '';
  if (row.growthOnly) return `只报增速${comparable}${row.valueKind === 'CUMULATIVE' ? '，累计' : ''}`;
  return `${escapeMd(row.measureUnit)}，${row.valueKind === 'CUMULATIVE' ? '累计值' : '当期值'}${comparable}`;
}

function indicatorBlock(row: FormIndicatorRow, index: number): CardElement[] {
  const names = namesAt(index);
  const context = [row.last, row.target, row.cityAverage].filter((s): s is string => !!s).map(escapeMd).join('\u3000');
  const heading = `**${index + 1}. ${escapeMd(row.name)}**（${kindText(row)}）`;
  const out: CardElement[] = [markdown(context ? `${heading}\n${grey(context)}` : heading)];

  const growth = filled(input({
    name: names.growth,
    label: row.growthBasis === 'COMPARABLE' ? '同比增速（%，按可比价计算）' : '同比增速（%）',
    placeholder: '如 6.2，下降填 -3.1',
    maxLength: FIELD_MAX_LENGTH.growth,
    defaultValue: upTo(row.entered.growth, FIELD_MAX_LENGTH.growth),
  }));
  const value = filled(input({
    name: names.value,
    label: `本期值（${row.measureUnit}）`,
    placeholder: row.valueKind === 'CUMULATIVE' ? '1月至本月累计，如 1234.5' : '本月数值，如 1234.5',
    maxLength: FIELD_MAX_LENGTH.value,
    defaultValue: upTo(row.entered.value, FIELD_MAX_LENGTH.value),
  }));
  if (row.growthOnly) out.push(growth);
  else if (row.growthBasis !== 'NONE') out.push(columnSet([column([value]), column([growth])]));
  else out.push(value);

  if (row.errors.length) out.push(markdown(row.errors.map((e) => red(escapeMd(e))).join('\n')));
  if (row.outlier) out.push(markdown(orange(`请核实：${escapeMd(row.outlier)}`)));

  const narrative = (name: string, label: string, defaultValue: string | undefined) =>
    input({ name, label, multiline: true, maxLength: FIELD_MAX_LENGTH.narrative, defaultValue: upTo(defaultValue, FIELD_MAX_LENGTH.narrative) });
  const { problems, forecast, measures } = row.entered;
  out.push(collapsiblePanel({
    title: '困难问题 · 本月预判 · 措施建议',
    // Open when there is something to read or fix, so nothing typed or asked for is hidden.
    expanded: !!(problems || forecast || measures) || row.errors.length > 0,
    elements: [
      narrative(names.problems, '困难问题', problems),
      narrative(names.forecast, '本月预判', forecast),
      narrative(names.measures, '措施建议', measures),
    ],
  }));
  return out;
}

export function collectionFormCard(view: CollectionFormView): Card {
  const errorCount = view.errorCount ?? view.indicators.reduce((n, r) => n + r.errors.length, 0);
  const tags: { text: string; color: string }[] = [];
  if (errorCount) tags.push({ text: `${errorCount} 处需修改`, color: 'red' });
  if (view.needsConfirmation) tags.push({ text: '待确认', color: 'orange' });
  if (view.mode === 'edit') tags.push({ text: '修改', color: 'wathet' });
  if (view.mode === 'late-edit') tags.push({ text: '需审批', color: 'orange' });
  if (view.mode === 'late-submit') tags.push({ text: '补报申请', color: 'orange' });
  if (view.onBehalfOf) tags.push({ text: '代填报', color: 'violet' });

  const head = [intro(view)];
  if (view.onBehalfOf) head.push(`您正在代 ${escapeMd(view.onBehalfOf)} 填报。`);

  const top: CardElement[] = [markdown(head.join('\n'))];
  if (view.messages.length) {
    const color = errorCount ? red : view.needsConfirmation ? orange : (s: string) => s;
    top.push(markdown(view.messages.map((m) => color(escapeMd(m))).join('\n')));
  }
  top.push(note('本期值、同比增速只填数字。增速低于目标或同比下降时，请在“困难问题”“措施建议”中说明原因和措施。'));

  const fields: CardElement[] = [];
  view.indicators.forEach((row, i) => {
    if (i > 0) fields.push(hr());
    fields.push(...indicatorBlock(row, i));
  });

  if (view.unitSections) {
    fields.push(hr(), markdown('**本单位工作情况**'));
    fields.push(input({
      name: UNIT_FIELDS.enterpriseCoverage, label: '企业包保', placeholder: '包保企业的走访、诉求和解决情况',
      multiline: true, maxLength: FIELD_MAX_LENGTH.unitSection, defaultValue: upTo(view.unitSections.enterpriseCoverage, FIELD_MAX_LENGTH.unitSection),
    }));
    fields.push(input({
      name: UNIT_FIELDS.keyWork, label: '重点工作', placeholder: '本月重点工作和项目的进展',
      multiline: true, maxLength: FIELD_MAX_LENGTH.unitSection, defaultValue: upTo(view.unitSections.keyWork, FIELD_MAX_LENGTH.unitSection),
    }));
  }

  if (view.mode !== 'new' || view.needsConfirmation) fields.push(hr());
  if (view.mode === 'late-submit') {
    fields.push(input({
      name: UNIT_FIELDS.reason, label: '补报说明（必填）', placeholder: '如：统计数据未能按期取得',
      required: true, multiline: true, maxLength: FIELD_MAX_LENGTH.reason, defaultValue: upTo(view.reason, FIELD_MAX_LENGTH.reason),
    }));
  } else if (view.mode !== 'new') {
    fields.push(input({
      name: UNIT_FIELDS.reason, label: '修改原因（必填）', placeholder: '如：统计部门反馈数据有更正',
      required: true, multiline: true, maxLength: FIELD_MAX_LENGTH.reason, defaultValue: upTo(view.reason, FIELD_MAX_LENGTH.reason),
    }));
  }
  if (view.needsConfirmation) {
    fields.push(input({
      // Not required by the client: a figure corrected back into line needs no reason; the bot asks when one still does.
      name: UNIT_FIELDS.confirmReason, label: '确认说明：数据偏离历史水平的原因（改正数据后无需填写）', placeholder: '如：重大项目集中入库', multiline: true, maxLength: FIELD_MAX_LENGTH.confirmReason, defaultValue: upTo(view.confirmReason, FIELD_MAX_LENGTH.confirmReason),
    }));
  }

  const codes = view.indicators.map((r) => r.code).join(',');
  const value: ActionValue = { a: REPORT_SUBMIT, v: 1, r: view.reportId, p: view.page, ...(view.needsConfirmation ? { c: '1' } : {}), ...(codes ? { i: codes } : {}) };
  fields.push(button({ name: SUBMIT_NAME, label: submitLabel(view), type: 'primary_filled', submit: true, value }));

  const title = `${view.cycleName} · ${view.periodLabel}`;
  return card({
    title,
    subtitle: view.pageCount > 1 ? `${view.unitName} · 第 ${view.page}/${view.pageCount} 页` : view.unitName,
    template: TEMPLATES[view.mode],
    summary: errorCount ? `${title}：有 ${errorCount} 处需要修改` : view.mode === 'late-submit' ? `${title}：补报申请` : `${title}：请填报`,
    tags: tags.slice(0, 3),
    elements: [...top, form(FORM_NAME, fields), note(closing(view))],
  });
}
