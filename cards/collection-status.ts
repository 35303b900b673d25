// Cards: what a liaison and a unit head see around a collection — receipt, reminders, escalations, status, leave, extensions.
import { button, card, column, columnSet, escapeMd, hr, markdown, note, type Card, type CardElement, type HeaderTemplate } from './card.ts';
import { REPORT_EDIT, REPORT_OPEN } from './collection-form.ts';

const grey = (s: string) => `<font color='grey'>${s}</font>`;
const orange = (s: string) => `<font color='orange'>${s}</font>`;
const green = (s: string) => `<font color='green'>${s}</font>`;

/** Names joined for a sentence, the tail summarised so a long list cannot blow the card up. */
function nameList(names: string[], max: number): string {
  const shown = names.slice(0, max).map(escapeMd).join('、');
  return names.length > max ? `${shown} 等 ${names.length} 项` : shown;
}

// ───────────── receipt ─────────────

export interface ReceiptFigure {
  name: string;
  /** Formatted with its unit: '1,234.5 亿元'. */
  value: string;
  growth: string | null;
  /** On an edit: '原 1,200.0 → 1,234.5'. */
  changed?: string;
}

export interface CollectionReceiptView {
  reportId: string;
  /** 1-based page that was submitted. */
  page: number; pageCount: number;
  cycleName: string; periodLabel: string; unitName: string;
  submittedBy: string; submittedAt: string; revisionNo: number;
  figures: ReceiptFigure[];
  /** Pages of this report still to fill. */
  pendingPages: number;
  /** The period is still open, so the liaison may edit without approval. */
  editable: boolean;
  lateEditNote?: string;
}

/** Figures listed one per line; beyond this the receipt summarises (a page holds only a few anyway). */
const MAX_RECEIPT_FIGURES = 40;

export function collectionReceiptCard(view: CollectionReceiptView): Card {
  const lines = view.figures.slice(0, MAX_RECEIPT_FIGURES).map((f) => {
    const growth = f.growth ? `，同比 ${escapeMd(f.growth)}` : '';
    const changed = f.changed ? `\u3000${grey(escapeMd(f.changed))}` : '';
    return `- **${escapeMd(f.name)}**：${escapeMd(f.value)}${growth}${changed}`;
  });
  if (view.figures.length > MAX_RECEIPT_FIGURES) lines.push(`- 另有 ${view.figures.length - MAX_RECEIPT_FIGURES} 项`);

  const pageText = view.pageCount > 1 ? `第 ${view.page}/${view.pageCount} 页` : '';
  const head = [
    `${escapeMd(view.unitName)} ${escapeMd(view.periodLabel)} ${pageText ? `${pageText}的` : ''}数据已提交，谢谢！`,
    `**提交人**：${escapeMd(view.submittedBy)}\u3000**时间**：${escapeMd(view.submittedAt)}`,
  ];

  const elements: CardElement[] = [markdown(head.join('\n'))];
  if (lines.length) elements.push(markdown(lines.join('\n')));
  if (view.lateEditNote) elements.push(markdown(orange(escapeMd(view.lateEditNote))));
  elements.push(hr());

  const buttons: CardElement[] = [];
  if (view.pendingPages > 0) {
    elements.push(markdown(orange(`还有 ${view.pendingPages} 页未填写，请继续填写后提交。`)));
    buttons.push(button({ name: 'receipt_continue', label: '继续填写', type: 'primary_filled', value: { a: REPORT_OPEN, v: 1, r: view.reportId } }));
  }
  elements.push(note(view.editable
    ? '截止前如需修改，请点击「修改」，并填写修改原因。'
    : '本期报送已截止。如需修改，须经例会办公室审批，批准后生效。'));
  buttons.push(button({
    name: 'receipt_edit',
    label: view.editable ? '修改' : '申请修改',
    value: { a: REPORT_EDIT, v: 1, r: view.reportId, p: view.page },
  }));
  elements.push(columnSet(buttons.map((b) => column([b], { width: 'auto' })), { flexMode: 'flow' }));

  const title = `${view.cycleName} · ${view.periodLabel}`;
  return card({
    title: '已提交',
    subtitle: `${view.unitName} · ${title}`,
    template: 'green',
    summary: `已提交：${title}${pageText ? ` ${pageText}` : ''}`,
    tags: view.revisionNo > 1 ? [{ text: `第 ${view.revisionNo} 版`, color: 'neutral' }] : [],
    elements,
  });
}

// ───────────── reminders ─────────────

export interface ReminderView {
  reportId: string;
  cycleName: string; periodLabel: string; unitName: string;
  dueText: string;
  /** Indicator names not yet submitted. */
  missing: string[];
  /** closed: the organiser closed the period with the unit not done; reopened: it is open again. */
  kind: 'open' | 'reminder' | 'due-today' | 'overdue' | 'closed' | 'reopened';
  recipientRole: 'liaison' | 'backup';
  /** closed: part of the figures are in. */
  partly?: boolean;
}

const REMINDER: Record<ReminderView['kind'], { title: string; template: HeaderTemplate; tag?: { text: string; color: string } }> = {
  open: { title: '请填报', template: 'blue' },
  reminder: { title: '报送提醒', template: 'wathet' },
  'due-today': { title: '今天截止', template: 'orange', tag: { text: '今天截止', color: 'orange' } },
  // Orange, not red: red is the colour of a warning light, and being late is not one.
  overdue: { title: '报送已逾期', template: 'orange', tag: { text: '已逾期', color: 'orange' } },
  closed: { title: '报送已关闭', template: 'grey', tag: { text: '未报送（已关闭）', color: 'neutral' } },
  reopened: { title: '报送已重新开放', template: 'blue', tag: { text: '重新开放', color: 'blue' } },
};

export function reminderCard(view: ReminderView): Card {
  const k = REMINDER[view.kind];
  const period = escapeMd(view.periodLabel);
  const due = escapeMd(view.dueText);
  const lines: string[] = [];
  if (view.recipientRole === 'backup') lines.push(`${escapeMd(view.unitName)} 联络员休假期间，由您作为备用联络员代为报送。`);
  switch (view.kind) {
    case 'open': lines.push(`本单位 ${period} 的报送已开始，请于 ${due}提交。`); break;
    case 'reminder': lines.push(`本单位 ${period} 的报送尚未完成，请于 ${due}提交。`); break;
    case 'due-today': lines.push(`本单位 ${period} 的报送今天截止（${due}），请尽快提交。`); break;
    case 'overdue': lines.push(`本单位 ${period} 的报送已过截止时间，请尽快提交。`); break;
    case 'closed': lines.push(`例会办公室已关闭 ${period} 的报送，本单位${view.partly ? '部分指标' : ''}未报送（已关闭）。如需补报，请点击「申请补报」填写并说明原因，经例会办公室审批后生效。`); break;
    case 'reopened': lines.push(`例会办公室已重新开放本单位 ${period} 的报送，请于 ${due}提交（已过截止时间的，请尽快提交）。`); break;
  }
  if (view.missing.length) {
    lines.push(`${view.kind === 'open' ? '需填报' : '尚未填报'} ${view.missing.length} 项：${nameList(view.missing, 10)}`);
  }
  return card({
    title: `${k.title}：${view.cycleName} · ${view.periodLabel}`,
    subtitle: view.unitName,
    template: k.template,
    summary: `${k.title}：${view.cycleName} · ${view.periodLabel}`,
    tags: [...(k.tag ? [k.tag] : []), ...(view.recipientRole === 'backup' ? [{ text: '代报', color: 'violet' }] : [])],
    elements: [
      markdown(lines.join('\n')),
      button({ name: 'reminder_open', label: view.kind === 'closed' ? '申请补报' : '立即填报', type: view.kind === 'closed' ? 'default' : 'primary_filled', value: { a: REPORT_OPEN, v: 1, r: view.reportId } }),
    ],
  });
}

// ───────────── escalation ─────────────

export interface EscalationUnit { unitName: string; liaisonName: string | null; missing: number; daysLate: number }

export interface EscalationView {
  cycleName: string; periodLabel: string; dueText: string;
  to: 'head' | 'leader' | 'organiser';
  units: EscalationUnit[];
}

/** Units listed by name; the rest are counted (a leader needs the worst ones, not all 2,000). */
const MAX_ESCALATION_UNITS = 40;

export function escalationCard(view: EscalationView): Card {
  const period = escapeMd(view.periodLabel);
  const title = `${view.cycleName} · ${view.periodLabel}`;
  if (view.to === 'head') {
    const u = view.units[0];
    const lines = [
      `本单位 ${period} 报送已逾期 ${u?.daysLate ?? 0} 个工作日，请督促联络员尽快提交。`,
      `**截止时间**：${escapeMd(view.dueText)}`,
    ];
    if (u && u.missing > 0) lines.push(`**尚未报送**：${u.missing} 项指标`);
    lines.push(u?.liaisonName ? `**联络员**：${escapeMd(u.liaisonName)}` : orange('本单位尚未指定联络员，请尽快指定并告知例会办公室。'));
    return card({
      title: `报送逾期：${title}`,
      subtitle: u?.unitName,
      template: 'orange',
      summary: `本单位 ${view.periodLabel} 报送已逾期`,
      tags: [{ text: '已逾期', color: 'orange' }],
      elements: [markdown(lines.join('\n'))],
    });
  }

  const units = [...view.units].sort((a, b) => b.daysLate - a.daysLate);
  const rows = units.slice(0, MAX_ESCALATION_UNITS).map((u) => {
    const who = u.liaisonName ? `联络员 ${escapeMd(u.liaisonName)}` : orange('未指定联络员');
    return `- **${escapeMd(u.unitName)}**：逾期 ${u.daysLate} 个工作日，${u.missing} 项未报送，${who}`;
  });
  if (units.length > MAX_ESCALATION_UNITS) rows.push(`- 另有 ${units.length - MAX_ESCALATION_UNITS} 个单位逾期未报送`);
  const elements: CardElement[] = [
    markdown(`以下 ${units.length} 个单位 ${period} 报送已逾期（截止时间 ${escapeMd(view.dueText)}）：`),
    markdown(rows.join('\n')),
  ];
  elements.push(note(view.to === 'organiser'
    ? '发送「报送情况」查看全部单位并逐个催报。'
    : '请督促相关单位尽快报送。例会办公室将继续跟进。'));
  return card({
    title: `逾期未报送单位：${title}`,
    subtitle: `共 ${units.length} 个单位`,
    template: 'orange',
    summary: `${units.length} 个单位 ${view.periodLabel} 报送逾期`,
    elements,
  });
}

// ───────────── unit status (command 状态) ─────────────

export interface UnitStatusPeriod {
  cycleName: string; periodLabel: string; dueText: string;
  /** closed-*: the organiser closed the period before the unit was done. */
  status: 'submitted' | 'partly' | 'not-reported' | 'late' | 'not-open' | 'closed-missing' | 'closed-partly';
  submitted: number; total: number;
  lastSubmittedAt?: string;
  reportId?: string;
}

export interface UnitStatusView { unitName: string; periods: UnitStatusPeriod[]; onLeave?: string }

const closedStatus = (s: UnitStatusPeriod['status']) => s === 'closed-missing' || s === 'closed-partly';

/** Status in words and colour. Not reported is grey or orange, never red: it is a status, not a warning light. */
function statusWords(p: UnitStatusPeriod): string {
  switch (p.status) {
    case 'submitted': return green(`已报送 ${p.submitted}/${p.total} 项`);
    case 'partly': return orange(`部分报送 ${p.submitted}/${p.total} 项`);
    case 'not-reported': return grey(`未报送 ${p.submitted}/${p.total} 项`);
    case 'late': return orange(`已逾期，已报送 ${p.submitted}/${p.total} 项`);
    case 'not-open': return grey('尚未开始');
    case 'closed-missing': return grey('未报送（已关闭）');
    case 'closed-partly': return orange(`部分报送 ${p.submitted}/${p.total} 项（已关闭）`);
  }
}

const MAX_STATUS_PERIODS = 20;

export function unitStatusCard(view: UnitStatusView): Card {
  const elements: CardElement[] = [];
  if (view.onLeave) elements.push(markdown(`**休假安排**：${escapeMd(view.onLeave)}`));
  if (!view.periods.length) elements.push(markdown('目前没有需要本单位报送的周期。'));
  view.periods.slice(0, MAX_STATUS_PERIODS).forEach((p, i) => {
    const lines = [
      `**${escapeMd(p.cycleName)} · ${escapeMd(p.periodLabel)}**`,
      `${statusWords(p)}\u3000${closedStatus(p.status) ? '' : '截止：'}${escapeMd(p.dueText)}`,
    ];
    if (p.lastSubmittedAt) lines.push(grey(`最近提交：${escapeMd(p.lastSubmittedAt)}`));
    const text = markdown(lines.join('\n'));
    if (p.reportId && p.status !== 'not-open') {
      const done = p.status === 'submitted';
      const label = done ? '查看' : closedStatus(p.status) ? '申请补报' : '去填报';
      const b = button({ name: `status_open_${i}`, label, type: done || closedStatus(p.status) ? 'default' : 'primary', value: { a: REPORT_OPEN, v: 1, r: p.reportId } });
      elements.push(columnSet([column([text], { weight: 4, verticalAlign: 'center' }), column([b], { width: 'auto', verticalAlign: 'center' })]));
    } else {
      elements.push(text);
    }
  });
  if (view.periods.length > MAX_STATUS_PERIODS) elements.push(note(`另有 ${view.periods.length - MAX_STATUS_PERIODS} 个周期未列出。`));
  const open = view.periods.filter((p) => p.status !== 'submitted' && p.status !== 'not-open' && !closedStatus(p.status)).length;
  const closed = view.periods.some((p) => closedStatus(p.status));
  const hints = [open ? '点击「去填报」继续填写；截止前提交的数据可以修改。' : closed ? '' : '本单位目前没有待填报的内容。'];
  if (closed) hints.push('已关闭的报送不能再直接提交；如需补报，请点击「申请补报」，经例会办公室审批后生效。');
  elements.push(note(hints.filter(Boolean).join('')));
  return card({
    title: '报送状态',
    subtitle: view.unitName,
    template: open ? 'wathet' : closed ? 'grey' : 'green',
    summary: `${view.unitName} 报送状态`,
    elements,
  });
}

// ───────────── confirmations ─────────────

export interface LeaveView { personName: string; from: string; to: string; backupName: string | null; unitName: string }

export function leaveCard(view: LeaveView): Card {
  const lines = [`已登记 ${escapeMd(view.personName)} 的休假：${escapeMd(view.from)} 至 ${escapeMd(view.to)}。`];
  if (view.backupName) {
    lines.push(`休假期间，${escapeMd(view.unitName)} 的报送提醒将发给备用联络员 **${escapeMd(view.backupName)}**，由其代为报送。`);
  } else {
    lines.push(orange(`${escapeMd(view.unitName)} 尚未指定备用联络员，休假期间无人代为报送。请联系例会办公室指定备用联络员，或在休假前完成报送。`));
  }
  return card({
    title: '休假已登记',
    subtitle: view.unitName,
    template: view.backupName ? 'green' : 'orange',
    summary: `休假已登记：${view.personName}`,
    tags: view.backupName ? [] : [{ text: '无备用联络员', color: 'orange' }],
    elements: [markdown(lines.join('\n'))],
  });
}

export interface CoverStartView { backupName: string; liaisonName: string; unitName: string; from: string; to: string }

/** To the backup liaison on the first day of a leave: from now on the unit's cards come to them. */
export function coverStartCard(view: CoverStartView): Card {
  return card({
    title: '开始代为报送',
    subtitle: view.unitName,
    template: 'wathet',
    summary: `${view.liaisonName} 休假，由您代为报送`,
    tags: [{ text: '备用联络员', color: 'blue' }],
    elements: [
      markdown(
        [
          `${escapeMd(view.backupName)}，您好！${escapeMd(view.unitName)} 联络员 **${escapeMd(view.liaisonName)}** 休假（${escapeMd(view.from)} 至 ${escapeMd(view.to)}）。`,
          `休假期间，本单位的填报卡片和报送提醒发给您，由您作为备用联络员代为报送。`,
          `发送「报送」可获取本单位当前的填报卡片，发送「状态」查看报送情况。`,
        ].join('\n'),
      ),
    ],
  });
}

export interface ExtensionView { unitName: string; periodLabel: string; oldDue: string; newDue: string; grantedBy: string }

export function extensionCard(view: ExtensionView): Card {
  return card({
    title: '报送已延期',
    subtitle: view.unitName,
    template: 'green',
    summary: `${view.unitName} ${view.periodLabel} 报送延期至 ${view.newDue}`,
    elements: [
      markdown([
        `${escapeMd(view.unitName)} ${escapeMd(view.periodLabel)} 的报送截止时间已延期。`,
        `**原截止**：${escapeMd(view.oldDue)}`,
        `**延期至**：${escapeMd(view.newDue)}`,
        `**批准人**：${escapeMd(view.grantedBy)}`,
      ].join('\n')),
      note('请在新的截止时间前完成报送。'),
    ],
  });
}
