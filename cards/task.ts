// Cards: assigned follow-up tasks (交办事项, 推动) from the owner unit's liaison to the organiser's close-out (销号),
// their reminders, and the monthly 问效 bulletin. Every callback value is routed by `a`; dates arrive pre-formatted.
import { z } from 'zod';
import {
  button, card, collapsiblePanel, column, columnSet, escapeMd, form, hr, input, markdown, note, selectStatic,
  type Card, type CardElement, type HeaderTemplate,
} from './card.ts';
import { limitedText } from './text-limits.ts';

// ───────────── callback values ─────────────

export const TASK_PROGRESS = 'task.progress';
export const TASK_REQUEST_CLOSE = 'task.request-close';
export const TASK_CLOSE = 'task.close';
export const TASK_RETURN = 'task.return';
/** Show the task card again (from a reminder). */
export const TASK_OPEN = 'task.open';

const id = z.string().min(1);

/** The progress form's submit; the fields arrive in form_value (TaskProgressFormValue). */
export const TaskProgressValue = z.object({ a: z.literal(TASK_PROGRESS), v: z.literal(1), t: id });
/** 申请销号: from the task card's form (form_value carries the note) or a reminder's button (no form_value). */
export const TaskRequestCloseValue = z.object({ a: z.literal(TASK_REQUEST_CLOSE), v: z.literal(1), t: id });
/** Organiser: 销号. */
export const TaskCloseValue = z.object({ a: z.literal(TASK_CLOSE), v: z.literal(1), t: id });
/** Organiser: 退回, the reason in form_value (TaskReturnFormValue). */
export const TaskReturnValue = z.object({ a: z.literal(TASK_RETURN), v: z.literal(1), t: id });
export const TaskOpenValue = z.object({ a: z.literal(TASK_OPEN), v: z.literal(1), t: id });

/** Any task callback value, for the router. */
export const TaskActionValue = z.discriminatedUnion('a', [TaskProgressValue, TaskRequestCloseValue, TaskCloseValue, TaskReturnValue, TaskOpenValue]);
export type TaskAction = z.infer<typeof TaskActionValue>;

// ───────────── form fields ─────────────

export const TASK_FIELDS = { progress: 'progress', note: 'note', reason: 'reason' } as const;
/** One limit per free-text field: the inputs' max_length and the server's check (text-limits.ts). */
export const TASK_FIELD_MAX_LENGTH = { title: 100, note: 500, reason: 200 } as const;
export const PROGRESS_STEPS = [0, 25, 50, 75, 100] as const;

/** What the progress form sends (also with 申请销号): a step of PROGRESS_STEPS as a number, and an optional note. */
export const TaskProgressFormValue = z.object({
  [TASK_FIELDS.progress]: z.enum(['0', '25', '50', '75', '100'], { error: '请选择办理进度' }).transform(Number),
  [TASK_FIELDS.note]: limitedText('办理情况', TASK_FIELD_MAX_LENGTH.note),
});
export type TaskProgressForm = z.infer<typeof TaskProgressFormValue>;

export const CLOSE_NEEDS_FULL_PROGRESS = '申请销号须将办理进度选为「100%（已办结）」，请修改后重新提交。';
export const CLOSE_NEEDS_NOTE = '申请销号须填写办理情况（说明办结的成效和佐证），请填写后重新提交。';

/**
 * What 申请销号 sends: the progress chosen on the form (it must be 100) and the note. The note is
 * required by the domain (an old reminder's button sends no form at all and is answered with the card).
 */
export const TaskRequestCloseFormValue = z
  .object({
    [TASK_FIELDS.progress]: z.string().optional(),
    [TASK_FIELDS.note]: limitedText('办理情况', TASK_FIELD_MAX_LENGTH.note),
  })
  .superRefine((f, ctx) => {
    if (f[TASK_FIELDS.progress] !== undefined && f[TASK_FIELDS.progress] !== '100') ctx.addIssue({ code: 'custom', message: CLOSE_NEEDS_FULL_PROGRESS });
  });

/** What the 退回 form sends. */
export const TaskReturnFormValue = z.object({
  [TASK_FIELDS.reason]: limitedText('退回原因', TASK_FIELD_MAX_LENGTH.reason, { required: true }),
});
export type TaskReturnForm = z.infer<typeof TaskReturnFormValue>;

// ───────────── shared words ─────────────

const font = (color: string, s: string) => `<font color='${color}'>${s}</font>`;
const grey = (s: string) => font('grey', s);
const orange = (s: string) => font('orange', s);
const green = (s: string) => font('green', s);

const oneLine = (s: string) => s.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/** Days to the due date in words; today and overdue in orange (late is not a warning light, so never red). */
export function dueWords(daysLeft: number): string {
  if (daysLeft < 0) return orange(`已逾期 ${-daysLeft} 天`);
  if (daysLeft === 0) return orange('今天到期');
  if (daysLeft === 1) return '明天到期';
  return `还剩 ${daysLeft} 天`;
}

export type TaskState = 'OPEN' | 'IN_PROGRESS' | 'AWAITING_CLOSE' | 'DONE' | 'RETURNED';

const STATE_WORDS: Record<TaskState, string> = {
  OPEN: '待办理', IN_PROGRESS: '办理中', AWAITING_CLOSE: '待销号', DONE: '已销号', RETURNED: '已退回',
};

/** The owner can still work on it (and update progress). */
const isActive = (s: TaskState) => s === 'OPEN' || s === 'IN_PROGRESS' || s === 'RETURNED';

const clampProgress = (p: number) => Math.min(100, Math.max(0, Math.round(Number.isFinite(p) ? p : 0)));

// ───────────── the task (owner unit's liaison) ─────────────

export interface TaskUpdate {
  at: string;
  by: string;
  progress: number;
  note: string | null;
}

export interface TaskView {
  taskId: string;
  title: string;
  description: string | null;
  /** '来自预警：规上工业增加值 · 鞍东区'. */
  source: string;
  unitName: string;
  assignedBy: string;
  /** '12月31日'. */
  due: string;
  /** Negative = overdue. */
  daysLeft: number;
  state: TaskState;
  /** 0–100. */
  progress: number;
  /** Oldest first. */
  updates: TaskUpdate[];
  /** Why the organiser returned it (shown while RETURNED). */
  returnReason?: string;
}

const MAX_UPDATES = 5;

function facts(view: TaskView): string {
  const active = isActive(view.state);
  return [
    grey(escapeMd(view.source)),
    `**交办人**：${escapeMd(view.assignedBy)}`,
    `**完成时限**：${escapeMd(view.due)}${active ? `（${dueWords(view.daysLeft)}）` : ''}`,
    `**办理进度**：${clampProgress(view.progress)}%`,
  ].join('\n');
}

function detailBlocks(view: TaskView): CardElement[] {
  const out: CardElement[] = [markdown(facts(view))];
  if (view.description?.trim()) out.push(markdown(`**事项要求**：${escapeMd(view.description.trim())}`));
  if (view.state === 'RETURNED' && view.returnReason?.trim()) out.push(markdown(orange(`**退回原因**：${escapeMd(oneLine(view.returnReason))}`)));
  if (view.updates.length) {
    const shown = view.updates.slice(-MAX_UPDATES);
    const lines = shown.map((u) => `- ${escapeMd(u.at)} ${escapeMd(u.by)}：${clampProgress(u.progress)}%${u.note?.trim() ? ` · ${escapeMd(oneLine(u.note))}` : ''}`);
    const older = view.updates.length - shown.length;
    out.push(markdown([`**办理记录**${older ? grey(`（另有 ${older} 条较早的记录）`) : ''}`, ...lines].join('\n')));
  }
  return out;
}

function ownerTemplate(view: TaskView): HeaderTemplate {
  if (view.state === 'DONE') return 'green';
  if (view.state === 'AWAITING_CLOSE') return 'wathet';
  if (view.state === 'RETURNED' || view.daysLeft < 0) return 'orange';
  return 'blue';
}

/**
 * The task as the owner unit sees it, with the progress form; `mayUpdate: false` for a viewer who may
 * not report on it (the leader who assigned it, an organiser): the same facts, no form.
 */
export function taskCard(view: TaskView, opts: { mayUpdate?: boolean } = {}): Card {
  const t = view.taskId;
  const elements = detailBlocks(view);
  const active = isActive(view.state);
  if (active && opts.mayUpdate === false) {
    elements.push(hr(), note(`由${view.unitName}办理；进度更新和申请销号时，您会收到通知。`));
  } else if (active) {
    const step = PROGRESS_STEPS.filter((s) => s <= clampProgress(view.progress)).pop() ?? 0;
    const requestClose: CardElement = {
      ...button({ name: 'task_request_close', label: '申请销号', submit: true, value: { a: TASK_REQUEST_CLOSE, v: 1, t } }),
      confirm: { title: { tag: 'plain_text', content: '申请销号' }, text: { tag: 'plain_text', content: '确认该事项已办结，提交例会办公室审核销号？' } },
    };
    elements.push(hr(), form('task_progress_form', [
      markdown('**更新办理进度**'),
      selectStatic({
        name: TASK_FIELDS.progress, required: true, width: 'fill', placeholder: '选择办理进度', initialOption: String(step),
        options: PROGRESS_STEPS.map((s) => ({ label: s === 0 ? '0%（未开始）' : s === 100 ? '100%（已办结）' : `${s}%`, value: String(s) })),
      }),
      input({ name: TASK_FIELDS.note, label: '办理情况', placeholder: '简要说明进展、困难和下一步安排', multiline: true, maxLength: TASK_FIELD_MAX_LENGTH.note }),
      note('申请销号：进度选「100%（已办结）」并填写办理情况。'),
      // Both submits send the note; 申请销号 marks the task done on the unit's side and goes to the organiser.
      columnSet([
        column([button({ name: 'task_progress_submit', label: '更新进度', type: 'primary_filled', submit: true, value: { a: TASK_PROGRESS, v: 1, t } })], { width: 'auto' }),
        column([requestClose], { width: 'auto' }),
      ], { flexMode: 'flow' }),
    ]));
  } else if (view.state === 'AWAITING_CLOSE') {
    elements.push(hr(), note('已申请销号，等待例会办公室审核。'));
  } else {
    elements.push(hr(), markdown(green('该事项已销号。')));
  }

  const overdue = active && view.daysLeft < 0;
  return card({
    title: `交办事项：${view.title}`,
    subtitle: view.unitName,
    template: ownerTemplate(view),
    summary: `交办事项：${view.title}${overdue ? '（已逾期）' : ''}`,
    tags: [
      ...(overdue ? [{ text: '已逾期', color: 'orange' }] : []),
      { text: STATE_WORDS[view.state], color: view.state === 'DONE' ? 'green' : view.state === 'RETURNED' ? 'orange' : 'neutral' },
    ],
    elements,
  });
}

// ───────────── close-out review (organiser) ─────────────

export interface TaskReviewView extends TaskView {
  requestedBy: string;
}

const REVIEW: Partial<Record<TaskState, { template: HeaderTemplate; tag: { text: string; color: string } }>> = {
  AWAITING_CLOSE: { template: 'orange', tag: { text: '待审核', color: 'orange' } },
  DONE: { template: 'green', tag: { text: '已销号', color: 'green' } },
  RETURNED: { template: 'grey', tag: { text: '已退回', color: 'neutral' } },
};

export function taskReviewCard(view: TaskReviewView): Card {
  const t = view.taskId;
  const lateNote = view.daysLeft < 0 ? `，${orange(`逾期 ${-view.daysLeft} 天`)}` : '';
  const elements: CardElement[] = [
    markdown(`${escapeMd(view.unitName)} 申请销号${lateNote}。**申请人**：${escapeMd(view.requestedBy)}`),
    ...detailBlocks(view),
  ];
  if (view.state === 'AWAITING_CLOSE') {
    elements.push(hr(), note('核实办结情况后销号；需补充或整改的，填写原因后退回。'));
    elements.push({
      ...button({ name: 'task_close', label: '销号', type: 'primary_filled', value: { a: TASK_CLOSE, v: 1, t } }),
      confirm: { title: { tag: 'plain_text', content: '销号' }, text: { tag: 'plain_text', content: `确认「${view.title}」已办结并销号？` } },
    });
    // A form may only sit in body.elements, so the form holds the folding panel.
    elements.push(form('task_return_form', [collapsiblePanel({
      title: '退回（须填写原因）',
      elements: [
        input({ name: TASK_FIELDS.reason, label: '退回原因', placeholder: '说明需补充的材料或整改要求', required: true, multiline: true, maxLength: TASK_FIELD_MAX_LENGTH.reason }),
        button({ name: 'task_return_submit', label: '退回', type: 'danger', submit: true, value: { a: TASK_RETURN, v: 1, t } }),
      ],
    })]));
  } else if (view.state === 'DONE') {
    elements.push(hr(), markdown(green('已销号。')));
  } else if (view.state === 'RETURNED') {
    elements.push(hr(), markdown('已退回，待责任单位补充后重新申请。'));
  } else {
    elements.push(hr(), note(`该事项当前为「${STATE_WORDS[view.state]}」，暂无需审核。`));
  }
  const s = REVIEW[view.state] ?? { template: 'blue' as const, tag: { text: STATE_WORDS[view.state], color: 'neutral' } };
  return card({
    title: `销号审核：${view.title}`,
    subtitle: view.unitName,
    template: s.template,
    summary: `销号审核：${view.unitName} ${view.title}（${s.tag.text}）`,
    tags: [s.tag],
    elements,
  });
}

// ───────────── reminders ─────────────

export interface TaskReminderView {
  taskId: string;
  title: string;
  unitName: string;
  due: string;
  daysLeft: number;
  kind: 'before' | 'due' | 'overdue';
}

const REMINDER: Record<TaskReminderView['kind'], { title: string; template: HeaderTemplate; tag?: { text: string; color: string } }> = {
  before: { title: '交办事项即将到期', template: 'wathet' },
  due: { title: '交办事项今天到期', template: 'orange', tag: { text: '今天到期', color: 'orange' } },
  // Orange, not red: red is the colour of a warning light, and being late is not one.
  overdue: { title: '交办事项已逾期', template: 'orange', tag: { text: '已逾期', color: 'orange' } },
};

export function taskReminderCard(view: TaskReminderView): Card {
  const k = REMINDER[view.kind];
  const title = escapeMd(view.title);
  const due = escapeMd(view.due);
  const line =
    view.kind === 'before' ? `「${title}」将于 ${due} 到期（${dueWords(view.daysLeft)}），请抓紧办理。`
      : view.kind === 'due' ? `「${title}」今天到期（${due}），请尽快办结。`
        : `「${title}」已过完成时限 ${due}，${dueWords(Math.min(-1, view.daysLeft))}，请尽快办结并更新进度。`;
  const t = view.taskId;
  return card({
    title: k.title,
    subtitle: view.unitName,
    template: k.template,
    summary: `${k.title}：${view.title}`,
    tags: k.tag ? [k.tag] : [],
    elements: [
      markdown(line),
      // 申请销号 needs 100 % and a note: both are on the task card, which this button brings.
      note('已办结的，请点击「更新进度」，选择 100% 并填写办理情况后申请销号。'),
      button({ name: 'reminder_task_open', label: '更新进度', type: 'primary_filled', value: { a: TASK_OPEN, v: 1, t } }),
    ],
  });
}

// ───────────── the leader who assigned it (progress and close-out) ─────────────

export type AssignerEvent = 'progress' | 'request-close' | 'close' | 'return';

export interface AssignerNoticeView {
  taskId: string;
  title: string;
  unitName: string;
  event: AssignerEvent;
  /** Who did it: the unit's officer, or the organiser who closed or returned it. */
  by: string;
  /** '12月2日 10:00'. */
  at: string;
  progress: number;
  /** The progress note, the close-out note or the return reason. */
  note: string | null;
  due: string;
  daysLeft: number;
}

const ASSIGNER: Record<AssignerEvent, { title: string; template: HeaderTemplate; words: string }> = {
  progress: { title: '交办事项进展', template: 'blue', words: '更新了办理进度' },
  'request-close': { title: '交办事项申请销号', template: 'wathet', words: '已办结，申请销号' },
  close: { title: '交办事项已销号', template: 'green', words: '经例会办公室审核，已销号' },
  return: { title: '交办事项被退回', template: 'orange', words: '销号申请被例会办公室退回' },
};

/** A short card to the leader who assigned a task: what happened, the progress, the note; 查看 for the whole task. */
export function assignerNoticeCard(view: AssignerNoticeView): Card {
  const k = ASSIGNER[view.event];
  const p = clampProgress(view.progress);
  const late = view.event === 'progress' || view.event === 'return' ? `，${dueWords(view.daysLeft)}` : '';
  const lines = [
    `**${escapeMd(view.unitName)}**「${escapeMd(view.title)}」${k.words}。`,
    `**办理进度**：${p}%\u3000**完成时限**：${escapeMd(view.due)}${late}`,
  ];
  const noteLabel = view.event === 'return' ? '退回原因' : '办理情况';
  if (view.note?.trim()) lines.push(`**${noteLabel}**：${escapeMd(oneLine(view.note))}`);
  lines.push(grey(`${escapeMd(view.by)} · ${escapeMd(view.at)}`));
  return card({
    title: `${k.title}：${view.title}`,
    subtitle: view.unitName,
    template: k.template,
    summary: `${k.title}：${view.unitName} ${view.title}（${p}%）`,
    tags: [{ text: view.event === 'close' ? '已销号' : view.event === 'request-close' ? '待销号' : view.event === 'return' ? '已退回' : `${p}%`, color: view.event === 'close' ? 'green' : view.event === 'return' ? 'orange' : 'blue' }],
    elements: [
      markdown(lines.join('\n')),
      button({ name: 'assigner_task_open', label: '查看事项', value: { a: TASK_OPEN, v: 1, t: view.taskId } }),
    ],
  });
}

// ───────────── monthly 问效 bulletin ─────────────

export interface BulletinView {
  /** '2026年11月'. */
  monthLabel: string;
  openWarnings: {
    red: number;
    yellow: number;
    items: { indicatorName: string; unitName: string; level: 'YELLOW' | 'RED'; since: string }[];
  };
  tasksByState: { open: number; inProgress: number; awaitingClose: number; done: number; overdue: number };
  overdueByUnit: { unitName: string; count: number; oldestDue: string }[];
}

const MAX_BULLETIN_REDS = 30;
const MAX_BULLETIN_YELLOW_NAMES = 20;
export const MAX_BULLETIN_UNITS = 30;

function stat(label: string, n: number, color?: string): CardElement {
  const big = `**${n}**`;
  return column([
    { ...markdown(color && n > 0 ? font(color, big) : big), text_align: 'center', text_size: 'heading' },
    { ...markdown(grey(label)), text_align: 'center', text_size: 'notation' },
  ], { background: 'grey-50', padding: '8px' });
}

export function bulletinCard(view: BulletinView): Card {
  const w = view.openWarnings;
  const s = view.tasksByState;
  const total = s.open + s.inProgress + s.awaitingClose + s.done;
  const elements: CardElement[] = [
    columnSet([
      stat('红色预警', w.red, 'red'),
      // Yellow in orange: Feishu's yellow is hard to read on white.
      stat('黄色预警', w.yellow, 'orange'),
      stat('逾期事项', s.overdue, 'orange'),
      stat('已销号', s.done),
    ], { spacing: '8px' }),
  ];
  if (total) {
    const rate = Math.round((s.done / total) * 100);
    elements.push(markdown(`交办事项 ${total} 项：待办理 ${s.open}、办理中 ${s.inProgress}、待销号 ${s.awaitingClose}、已销号 ${s.done}（销号率 ${rate}%）${s.overdue ? `；其中${orange(`逾期 ${s.overdue} 项`)}` : ''}。`));
  } else {
    elements.push(markdown('本月没有交办事项。'));
  }

  elements.push(hr());
  const reds = w.items.filter((x) => x.level === 'RED');
  const yellows = w.items.filter((x) => x.level === 'YELLOW');
  if (!w.red && !w.yellow) {
    elements.push(markdown(green('目前没有未解除的黄色、红色预警。')));
  } else {
    if (w.red) {
      const lines = reds.slice(0, MAX_BULLETIN_REDS).map((x) => `- ${escapeMd(x.indicatorName)} · ${escapeMd(x.unitName)}${grey(`（自 ${escapeMd(x.since)}）`)}`);
      const unlisted = w.red - lines.length;
      if (lines.length && unlisted > 0) lines.push(`- 另有 ${unlisted} 项`);
      elements.push(markdown([font('red', `**未解除的红色预警 ${w.red} 项**`), ...lines].join('\n')));
    }
    if (w.yellow) {
      const shown = yellows.slice(0, MAX_BULLETIN_YELLOW_NAMES);
      const names = shown.map((x) => `${escapeMd(x.indicatorName)} · ${escapeMd(x.unitName)}`).join('、');
      const tail = names ? `：${names}${w.yellow > shown.length ? ` 等 ${w.yellow} 项` : ''}` : '';
      elements.push(markdown(`${font('orange', `**黄色预警 ${w.yellow} 项**`)}${tail}`));
    }
  }

  elements.push(hr());
  if (view.overdueByUnit.length) {
    // Most overdue first; ties keep the caller's order (it knows the real dates).
    const units = [...view.overdueByUnit].sort((a, b) => b.count - a.count);
    const lines = units.slice(0, MAX_BULLETIN_UNITS).map((u) => `- **${escapeMd(u.unitName)}**：${u.count} 项，最早 ${escapeMd(u.oldestDue)} 到期`);
    const rest = units.slice(MAX_BULLETIN_UNITS);
    if (rest.length) lines.push(`- 另有 ${rest.length} 个单位共 ${rest.reduce((n, u) => n + u.count, 0)} 项逾期`);
    elements.push(markdown([orange(`**逾期事项（按单位，${units.length} 个单位）**`), ...lines].join('\n')));
  } else {
    elements.push(markdown(green('本月没有逾期事项。')));
  }

  const title = `${view.monthLabel} 问效通报`;
  const subtitle = `未解除预警 ${w.red} 红 ${w.yellow} 黄 · 逾期事项 ${s.overdue} 项`;
  return card({
    title,
    subtitle,
    template: 'blue',
    summary: `${title}：${subtitle}`,
    elements,
  });
}
