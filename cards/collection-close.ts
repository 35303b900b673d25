// Cards: closing and reopening a reporting period — which period (when several could be meant), the
// confirmation with the counts that matter (units outstanding, extensions still running, the deadline not
// yet reached), and the same card once acted on.
import { z } from 'zod';
import { button, card, column, columnSet, escapeMd, hr, markdown, note, type Card, type CardElement } from './card.ts';

export const PERIOD_PICK = 'period.pick';
export const PERIOD_CONFIRM = 'period.confirm';
export const PERIOD_CANCEL = 'period.cancel';

const id = z.string().min(1).max(64);
const what = z.enum(['close', 'reopen']);
export type PeriodAction = z.infer<typeof what>;
export const PeriodPickValue = z.object({ a: z.literal(PERIOD_PICK), v: z.literal(1), p: id, w: what });
/** `n`: the round the card was made for (how many times the period was reopened, or closed, before). */
export const PeriodConfirmValue = z.object({ a: z.literal(PERIOD_CONFIRM), v: z.literal(1), p: id, w: what, n: z.int().min(0) });
export const PeriodCancelValue = z.object({ a: z.literal(PERIOD_CANCEL), v: z.literal(1), p: id, w: what });

const grey = (s: string) => `<font color='grey'>${s}</font>`;
const orange = (s: string) => `<font color='orange'>${s}</font>`;
const green = (s: string) => `<font color='green'>${s}</font>`;

/** Names listed in a sentence; the tail counted so a long list cannot blow the card up. */
function names(list: string[], max = 10): string {
  const shown = list.slice(0, max).map(escapeMd).join('、');
  return list.length > max ? `${shown} 等 ${list.length} 个单位` : shown;
}

const VERB: Record<PeriodAction, string> = { close: '关闭', reopen: '重新开放' };

// ───────────── which period ─────────────

export interface PeriodChoice {
  periodId: string;
  cycleName: string;
  periodLabel: string;
  /** Close: '截止 12月15日（周二）18:00 前'; reopen: '12月16日 10:00 关闭'. */
  when: string;
  /** Units not done. */
  outstanding: number;
  total: number;
}

export const MAX_CHOICES = 12;

/** 关闭报送 / 重新开放 without a period that says which: one button per period. */
export function periodChoiceCard(view: { action: PeriodAction; periods: PeriodChoice[] }): Card {
  const verb = VERB[view.action];
  const elements: CardElement[] = [markdown(`请选择要${verb}的报送：`)];
  view.periods.slice(0, MAX_CHOICES).forEach((p, i) => {
    const line = `**${escapeMd(p.cycleName)} · ${escapeMd(p.periodLabel)}**\n${grey(`${escapeMd(p.when)}\u3000未完成 ${p.outstanding}/${p.total} 个单位`)}`;
    elements.push(
      columnSet([
        column([markdown(line)], { weight: 4, verticalAlign: 'center' }),
        column([{ ...button({ name: `period_pick_${i}`, label: verb, value: { a: PERIOD_PICK, v: 1, p: p.periodId, w: view.action } }), size: 'small' }], { width: 'auto', verticalAlign: 'center' }),
      ]),
    );
  });
  if (view.periods.length > MAX_CHOICES) elements.push(note(`另有 ${view.periods.length - MAX_CHOICES} 期未列出，请写明周期和期别，例如「${verb} 月度经济运行报送 2026-11」。`));
  elements.push(note(`点击后会先显示确认卡片，确认后才${verb}。也可以直接发送「${view.action === 'close' ? '关闭报送' : '重新开放'} 周期 期别」。`));
  return card({ title: `${verb}哪一期报送？`, template: 'blue', summary: `请选择要${verb}的报送`, elements });
}

// ───────────── confirmation ─────────────

export type ConfirmState = 'ask' | 'done' | 'cancelled' | 'stale';

export interface PeriodConfirmView {
  action: PeriodAction;
  periodId: string;
  round: number;
  cycleName: string;
  periodLabel: string;
  /** '12月15日（周二）18:00 前'. */
  dueText: string;
  total: number;
  submitted: number;
  /** Units not done, and of them those with part of the figures in. */
  outstanding: number;
  partly: number;
  outstandingNames: string[];
  /** Units whose own (extended) deadline has not passed: '鞍西区（至 12月18日）'. */
  extended: string[];
  /** Close before the period's deadline: how many days are left. */
  daysBeforeDeadline: number | null;
  /** Reopen: when it was closed. */
  closedText?: string;
  /** Monthly regions' cycle: the ranking and the seats are made at close. */
  ranks: boolean;
  state: ConfirmState;
  /** done: who and when. */
  doneBy?: string;
  doneAt?: string;
}

function closeLines(v: PeriodConfirmView): { lines: string[]; warnings: string[]; after: string } {
  const lines = [
    `**截止时间**：${escapeMd(v.dueText)}`,
    `**应报单位**：${v.total} 个，已完成 ${v.submitted} 个，**未完成 ${v.outstanding} 个**${v.partly ? `（其中部分报送 ${v.partly} 个）` : ''}`,
  ];
  if (v.outstandingNames.length) lines.push(grey(`未完成：${names(v.outstandingNames)}`));
  const warnings: string[] = [];
  if (v.daysBeforeDeadline !== null) warnings.push(`尚未到截止时间，距截止还有 ${v.daysBeforeDeadline} 天。提前关闭后，未完成的单位不能再直接提交。`);
  if (v.extended.length) warnings.push(`已获延期、延期尚未到期的单位 ${v.extended.length} 个：${names(v.extended)}。关闭后延期一并结束。`);
  const after = [
    `关闭后：未完成单位的联络员会收到「报送已关闭」通知，催报和提醒停止；此后的补报和修改须经例会办公室审批。`,
    `各项指标的预警灯按本期数据全面评定${v.ranks ? '，并生成综合排名和例会席位建议' : ''}。`,
    '如关闭有误，可发送「重新开放 周期 期别」恢复。',
  ].join('');
  return { lines, warnings, after };
}

function reopenLines(v: PeriodConfirmView): { lines: string[]; warnings: string[]; after: string } {
  const lines = [
    ...(v.closedText ? [`**关闭时间**：${escapeMd(v.closedText)}`] : []),
    `**截止时间**：${escapeMd(v.dueText)}`,
    `**应报单位**：${v.total} 个，已完成 ${v.submitted} 个，**未完成 ${v.outstanding} 个**`,
  ];
  if (v.outstandingNames.length) lines.push(grey(`未完成：${names(v.outstandingNames)}`));
  const warnings = v.daysBeforeDeadline === null ? ['截止时间已过，重新开放后未完成的单位仍按逾期显示。'] : [];
  const after = '重新开放后：未完成单位的联络员会收到「报送已重新开放」通知，可以直接提交，截止前的提醒恢复；已报送的数据截止前可直接修改。再次关闭时排名会按新数据重新计算。';
  return { lines, warnings, after };
}

export function periodConfirmCard(v: PeriodConfirmView): Card {
  const verb = VERB[v.action];
  const { lines, warnings, after } = v.action === 'close' ? closeLines(v) : reopenLines(v);
  const elements: CardElement[] = [markdown(lines.join('\n'))];
  if (v.state === 'ask') {
    if (warnings.length) elements.push(markdown(warnings.map((w) => orange(`⚠ ${escapeMd(w)}`)).join('\n')));
    elements.push(note(after));
    elements.push(
      columnSet(
        [
          column([button({ name: 'period_confirm', label: `确认${verb}`, type: v.action === 'close' ? 'danger_filled' : 'primary_filled', value: { a: PERIOD_CONFIRM, v: 1, p: v.periodId, w: v.action, n: v.round } })], { width: 'auto' }),
          column([button({ name: 'period_cancel', label: '取消', value: { a: PERIOD_CANCEL, v: 1, p: v.periodId, w: v.action } })], { width: 'auto' }),
        ],
        { flexMode: 'flow' },
      ),
    );
  } else {
    elements.push(hr());
    if (v.state === 'done') elements.push(markdown(green(`已由 ${escapeMd(v.doneBy ?? '例会办公室')} 于 ${escapeMd(v.doneAt ?? '')} ${verb}。`)));
    if (v.state === 'cancelled') elements.push(markdown(`已取消，本期报送未${verb}。`));
    if (v.state === 'stale') elements.push(markdown(orange(`这张确认卡片已失效：本期报送在此之后已${v.action === 'close' ? '重新开放' : '再次关闭'}过。如仍需${verb}，请重新发送指令。`)));
  }
  const title = `${v.cycleName} · ${v.periodLabel}`;
  const tags = v.state === 'ask' ? (warnings.length && v.action === 'close' ? [{ text: '请核对', color: 'orange' }] : []) : [{ text: v.state === 'done' ? `已${verb}` : v.state === 'cancelled' ? '已取消' : '已失效', color: v.state === 'done' ? 'green' : 'neutral' }];
  return card({
    title: v.state === 'ask' ? `确认${verb}报送：${title}` : `${verb}报送：${title}`,
    template: v.state === 'done' ? 'green' : v.state === 'ask' ? (v.action === 'close' && warnings.length ? 'orange' : 'blue') : 'grey',
    summary: `${v.state === 'ask' ? '请确认' : ''}${verb}报送：${title}`,
    tags,
    elements,
  });
}
