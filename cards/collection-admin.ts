// Cards: what the meeting office (organiser) sees — collection progress, schedule preview, edit requests, confirmations.
import { button, card, column, columnSet, escapeMd, hr, markdown, note, type Card, type CardElement, type HeaderTemplate } from './card.ts';
import { EDIT_APPROVE, EDIT_REJECT, REPORT_NUDGE } from './collection-form.ts';

const grey = (s: string) => `<font color='grey'>${s}</font>`;
const orange = (s: string) => `<font color='orange'>${s}</font>`;

// ───────────── progress (command 报送情况) ─────────────

export type ProgressStatus = 'submitted' | 'partly' | 'missing' | 'late';

export interface ProgressUnit {
  reportId: string;
  unitName: string;
  status: ProgressStatus;
  submittedAt?: string;
  liaisonName: string | null;
  /** Set when this unit's due date was extended. */
  dueText?: string;
}

export interface ProgressView {
  cycleName: string; periodLabel: string; dueText: string;
  counts: { submitted: number; partly: number; missing: number; late: number; total: number };
  units: ProgressUnit[];
  exportHint: boolean;
  /** The period is closed ('12月16日 10:00'): units not done are 未报送（已关闭）, nobody is nudged. */
  closedText?: string;
}

/** Units named on the card; the rest are counted (a city may have 2,000 units, a card holds 200 elements). */
export const MAX_LISTED_UNITS = 40;
/** Rows with a 催报 button cost 6 elements each (row, 2 columns, text, button, label). */
export const MAX_NUDGE_ROWS = 25;

// Late first: they are the ones to chase.
const ORDER: Record<ProgressStatus, number> = { late: 0, missing: 1, partly: 2, submitted: 3 };
const STATUS_WORDS: Record<ProgressStatus, string> = {
  late: orange('已逾期'), missing: grey('未报送'), partly: orange('部分报送'), submitted: "<font color='green'>已报送</font>",
};

/** '2026年11月' → '2026-11', the period as the export command takes it; other labels are passed as they are. */
function exportPeriod(periodLabel: string): string {
  const m = /^(\d{4})年(\d{1,2})月$/.exec(periodLabel.trim());
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}` : periodLabel;
}

function stat(label: string, n: number): CardElement {
  return column([
    { ...markdown(`**${n}**`), text_align: 'center', text_size: 'heading' },
    { ...markdown(grey(label)), text_align: 'center', text_size: 'notation' },
  ], { background: 'grey-50', padding: '8px' });
}

function unitLine(u: ProgressUnit): string {
  const extra = [u.liaisonName ? `联络员 ${escapeMd(u.liaisonName)}` : '未指定联络员', u.dueText ? escapeMd(u.dueText) : null]
    .filter(Boolean)
    .join(' · ');
  return `**${escapeMd(u.unitName)}**\u3000${STATUS_WORDS[u.status]}\n${grey(extra)}`;
}

/** Compact name list: '安东区（已逾期）、铁西区（部分报送）'. */
function compact(units: ProgressUnit[], closed = false): string {
  return units
    .map((u) => {
      const open = u.status === 'late' ? '已逾期' : u.status === 'partly' ? '部分报送' : '未报送';
      const what = u.status === 'submitted' ? (u.submittedAt ? escapeMd(u.submittedAt) : '') : closed ? (u.status === 'partly' ? '部分报送，已关闭' : '未报送，已关闭') : open;
      return what ? `${escapeMd(u.unitName)}（${what}）` : escapeMd(u.unitName);
    })
    .join('、');
}

export function progressCard(view: ProgressView): Card {
  const { counts } = view;
  const units = [...view.units].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const pending = units.filter((u) => u.status !== 'submitted');
  const done = units.filter((u) => u.status === 'submitted');

  const elements: CardElement[] = [
    markdown(`**截止时间**：${escapeMd(view.dueText)}\u3000**应报单位**：${counts.total} 个`),
    columnSet(
      view.closedText === undefined
        ? [stat('已报送', counts.submitted), stat('部分报送', counts.partly), stat('未报送', counts.missing), stat('逾期', counts.late)]
        : [stat('已报送', counts.submitted), stat('部分报送', counts.partly), stat('未报送（已关闭）', counts.missing + counts.late)],
      { flexMode: 'bisect' },
    ),
  ];

  if (!units.length && counts.total === 0) elements.push(markdown('本期没有需要报送的单位。'));

  const closed = view.closedText !== undefined;
  if (closed) elements.splice(1, 0, markdown(grey(`本期报送已于 ${escapeMd(view.closedText!)} 关闭。`)));
  // A closed period nudges nobody: no 催报 buttons, the names only.
  const nudgeRows = closed ? 0 : MAX_NUDGE_ROWS;
  let listed = 0;
  if (pending.length) {
    elements.push(hr(), markdown(`**尚未完成（${pending.length} 个单位）**`));
    const withButton = pending.filter((u) => u.status === 'late' || u.status === 'missing').slice(0, nudgeRows);
    withButton.forEach((u, i) => {
      elements.push(columnSet([
        column([markdown(unitLine(u))], { weight: 4, verticalAlign: 'center' }),
        column([{ ...button({ name: `nudge_${i}`, label: '催报', value: { a: REPORT_NUDGE, v: 1, r: u.reportId } }), size: 'small' }], { width: 'auto', verticalAlign: 'center' }),
      ]));
    });
    listed = withButton.length;
    const room = () => Math.max(0, MAX_LISTED_UNITS - listed);
    // Beyond the button rows, names only, and said so, so the office does not look for a missing button.
    const overflow = pending.filter((u) => u.status === 'late' || u.status === 'missing').slice(nudgeRows);
    const overflowShown = overflow.slice(0, room());
    if (overflowShown.length && closed) elements.push(markdown(`**未报送（已关闭）**\n${compact(overflowShown, true)}`));
    else if (overflowShown.length) elements.push(markdown(`**其余逾期、未报送单位**${grey('（未列催报按钮）')}\n${compact(overflowShown)}`));
    listed += overflowShown.length;
    const partly = pending.filter((u) => u.status === 'partly');
    const partlyShown = partly.slice(0, room());
    if (partlyShown.length) elements.push(markdown(`**部分报送${closed ? '（已关闭）' : ''}**：${partlyShown.map((u) => escapeMd(u.unitName)).join('、')}`));
    listed += partlyShown.length;
    const notShown = pending.length - listed;
    if (notShown > 0) elements.push(note(`另有 ${notShown} 个单位尚未完成报送。`));
  } else if (units.length) {
    elements.push(markdown("<font color='green'>全部单位已报送。</font>"));
  }

  if (done.length) {
    const doneShown = done.slice(0, Math.max(0, MAX_LISTED_UNITS - listed));
    elements.push(hr(), markdown(`**已提交（${done.length} 个单位）**`));
    if (doneShown.length) elements.push(markdown(compact(doneShown)));
    if (done.length > doneShown.length) elements.push(note(`另有 ${done.length - doneShown.length} 个单位已提交。`));
  }

  const hints: string[] = [];
  if (closed && pending.length) hints.push('未完成的单位可提交补报申请，经您审批后生效；如需恢复报送，请发送「重新开放 周期 期别」。');
  else if (pending.some((u) => u.status === 'late' || u.status === 'missing')) hints.push('点击「催报」立即提醒该单位联络员。');
  if (view.exportHint) hints.push(`发送「导出 ${exportPeriod(view.periodLabel)}」获取 Excel 明细。`);
  if (hints.length) elements.push(note(hints.join('')));

  const title = `${view.cycleName} · ${view.periodLabel}`;
  const allDone = counts.total > 0 && counts.submitted >= counts.total;
  return card({
    title: `报送情况${closed ? '（已关闭）' : ''}：${title}`,
    subtitle: `已报送 ${counts.submitted}/${counts.total}`,
    template: allDone ? 'green' : 'blue',
    summary: `报送情况：已报送 ${counts.submitted}/${counts.total}`,
    tags: counts.late ? [{ text: `${counts.late} 个逾期`, color: 'orange' }] : [],
    elements,
  });
}

// ───────────── schedule preview (command 预览) ─────────────

const MAX_PREVIEW_LINES = 60;

export function schedulePreviewCard(view: { cycleName: string; periodLabel: string; lines: string[] }): Card {
  const lines = view.lines.slice(0, MAX_PREVIEW_LINES).map((l) => `- ${escapeMd(l)}`);
  if (view.lines.length > MAX_PREVIEW_LINES) lines.push(`- 另有 ${view.lines.length - MAX_PREVIEW_LINES} 条`);
  return card({
    title: `报送安排预览：${view.cycleName} · ${view.periodLabel}`,
    template: 'blue',
    summary: `报送安排预览：${view.periodLabel}`,
    elements: [
      markdown(lines.length ? lines.join('\n') : '本期没有安排。'),
      note('以上仅为预览，尚未发送任何消息。如需调整，请修改报送周期的配置后重新预览。'),
    ],
  });
}

// ───────────── late edit requests ─────────────

export interface EditRequestView {
  editRequestId: string;
  unitName: string; periodLabel: string;
  requestedBy: string; requestedAt: string;
  reason: string;
  changes: { name: string; from: string; to: string }[];
  status: 'pending' | 'approved' | 'rejected';
  decidedBy?: string;
  /** late-submit: figures never submitted before the close (补报申请), not a change of submitted ones. */
  kind?: 'edit' | 'late-submit';
}

const MAX_CHANGES = 30;
const EDIT_STATUS: Record<EditRequestView['status'], { template: HeaderTemplate; tag: { text: string; color: string } }> = {
  pending: { template: 'orange', tag: { text: '待审批', color: 'orange' } },
  approved: { template: 'green', tag: { text: '已批准', color: 'green' } },
  rejected: { template: 'grey', tag: { text: '已驳回', color: 'neutral' } },
};

export function editRequestCard(view: EditRequestView): Card {
  const s = EDIT_STATUS[view.status];
  const lateSubmit = view.kind === 'late-submit';
  const what = lateSubmit ? '补报申请' : '修改申请';
  const changes = view.changes.slice(0, MAX_CHANGES).map((c) => `- **${escapeMd(c.name)}**：${escapeMd(c.from)} → ${escapeMd(c.to)}`);
  if (view.changes.length > MAX_CHANGES) changes.push(`- 另有 ${view.changes.length - MAX_CHANGES} 项修改`);
  const elements: CardElement[] = [
    markdown([
      lateSubmit
        ? `${escapeMd(view.unitName)} 在 ${escapeMd(view.periodLabel)} 报送关闭后申请补报未报送的数据。`
        : `${escapeMd(view.unitName)} 申请修改 ${escapeMd(view.periodLabel)} 已截止的报送数据。`,
      `**申请人**：${escapeMd(view.requestedBy)}\u3000**时间**：${escapeMd(view.requestedAt)}`,
      `**${lateSubmit ? '补报说明' : '修改原因'}**：${escapeMd(view.reason)}`,
    ].join('\n')),
    markdown(changes.length ? changes.join('\n') : '（没有数值变化）'),
  ];
  const by = view.decidedBy ? `已由 ${escapeMd(view.decidedBy)} ` : '已';
  if (view.status === 'pending') {
    elements.push(hr(), note(lateSubmit ? '批准后补报的数据立即生效；驳回则该单位本期仍为未报送。' : '批准后修改立即生效；驳回则保留原数据。'));
    elements.push(columnSet([
      column([button({ name: 'edit_approve', label: '批准', type: 'primary_filled', value: { a: EDIT_APPROVE, v: 1, e: view.editRequestId } })], { width: 'auto' }),
      column([button({ name: 'edit_reject', label: '驳回', type: 'danger', value: { a: EDIT_REJECT, v: 1, e: view.editRequestId } })], { width: 'auto' }),
    ], { flexMode: 'flow' }));
  } else if (view.status === 'approved') {
    elements.push(hr(), markdown(`<font color='green'>${by}批准，${lateSubmit ? '补报的数据' : '修改'}已生效。</font>`));
  } else {
    elements.push(hr(), markdown(`${by}驳回，${lateSubmit ? '本期仍为未报送' : '原数据保持不变'}。`));
  }
  return card({
    title: `${what}：${view.unitName}`,
    subtitle: view.periodLabel,
    template: s.template,
    summary: `${what}：${view.unitName} ${view.periodLabel}（${s.tag.text}）`,
    tags: [s.tag],
    elements,
  });
}

// ───────────── small confirmations ─────────────

export interface NudgeSentView { unitName: string; recipientName: string; recipientRole: 'liaison' | 'backup' | 'head' }

const ROLE_WORDS: Record<NudgeSentView['recipientRole'], string> = { liaison: '联络员', backup: '备用联络员', head: '主要负责人' };

export function nudgeSentCard(view: NudgeSentView): Card {
  const text = `已向 ${escapeMd(view.unitName)} ${ROLE_WORDS[view.recipientRole]} ${escapeMd(view.recipientName)} 发送催报。`;
  return card({
    title: '催报已发送',
    template: 'green',
    summary: `已向 ${view.unitName} 发送催报`,
    elements: [markdown(text), note('可随时发送「报送情况」查看最新进度。')],
  });
}

/** A short confirmation or notice; every line is shown as plain words (escaped). */
export function noticeCard(title: string, lines: string[], template: HeaderTemplate = 'blue'): Card {
  return card({
    title,
    template,
    summary: title,
    elements: [markdown(lines.map(escapeMd).join('\n'))],
  });
}
