// Card: the problem ledger (问题台账) after registration — the organisers' list of open problems, a
// problem's card with 交办 (to a unit) and 办结, and the assigned unit's card with its 答复 form.
import { z } from 'zod';
import { button, card, escapeMd, form, hr, input, markdown, note, selectStatic, type Card, type CardElement, type SelectOption } from './card.ts';
import { limitedText } from './text-limits.ts';

export const PROBLEM_VIEW = 'problem.view';
export const PROBLEM_ASSIGN = 'problem.assign';
export const PROBLEM_ANSWER = 'problem.answer';
export const PROBLEM_CLOSE = 'problem.close';

export const ProblemViewValue = z.object({ a: z.literal(PROBLEM_VIEW), v: z.literal(1), p: z.string() });
export const ProblemAssignValue = z.object({ a: z.literal(PROBLEM_ASSIGN), v: z.literal(1), p: z.string() });
export const ProblemAnswerValue = z.object({ a: z.literal(PROBLEM_ANSWER), v: z.literal(1), p: z.string() });
export const ProblemCloseValue = z.object({ a: z.literal(PROBLEM_CLOSE), v: z.literal(1), p: z.string() });

/** One limit per free-text field: the inputs' max_length and the server's check. */
export const PROBLEM_LEDGER_MAX_LENGTH = { note: 200, answer: 1000, resolution: 500 } as const;
export const PROBLEM_LEDGER_FIELDS = { unit: 'problem_unit', note: 'problem_note', answer: 'problem_answer', resolution: 'problem_resolution' } as const;

export const ProblemAssignFormValue = z.object({
  [PROBLEM_LEDGER_FIELDS.unit]: z.string({ error: '请选择承办单位' }).min(1, '请选择承办单位'),
  [PROBLEM_LEDGER_FIELDS.note]: limitedText('交办要求', PROBLEM_LEDGER_MAX_LENGTH.note),
});
export const ProblemAnswerFormValue = z.object({
  [PROBLEM_LEDGER_FIELDS.answer]: limitedText('办理情况', PROBLEM_LEDGER_MAX_LENGTH.answer, { required: true, missing: '请填写办理情况后再提交答复' }),
});
export const ProblemCloseFormValue = z.object({
  [PROBLEM_LEDGER_FIELDS.resolution]: limitedText('办结意见', PROBLEM_LEDGER_MAX_LENGTH.resolution),
});

export type ProblemStage = 'open' | 'assigned' | 'answered' | 'closed';
const STAGE_WORDS: Record<ProblemStage, { text: string; color: string }> = {
  open: { text: '待交办', color: 'orange' },
  assigned: { text: '办理中', color: 'blue' },
  answered: { text: '已答复待办结', color: 'violet' },
  closed: { text: '已办结', color: 'green' },
};

export interface ProblemFacts {
  id: string;
  number: string;
  title: string;
  enterprise: string | null;
  description: string | null;
  /** The unit that registered it, and who. */
  unitName: string;
  reporterName: string;
  reportedAt: string;
  stage: ProblemStage;
  assignedUnitName?: string;
  assignNote?: string;
  answer?: string;
  answeredBy?: string;
  answeredAt?: string;
  resolution?: string;
}

function factLines(p: ProblemFacts, full: boolean): string {
  return [
    `**问题**：${escapeMd(p.title)}`,
    p.enterprise ? `**企业或项目**：${escapeMd(p.enterprise)}` : null,
    full && p.description ? `**问题描述**：${escapeMd(p.description)}` : null,
    `**登记**：${escapeMd(p.unitName)} ${escapeMd(p.reporterName)}，${p.reportedAt}`,
    p.assignedUnitName ? `**承办单位**：${escapeMd(p.assignedUnitName)}${p.assignNote ? `（${escapeMd(p.assignNote)}）` : ''}` : null,
    p.answer ? `**办理情况**：${escapeMd(p.answer)}${p.answeredBy ? `（${escapeMd(p.answeredBy)}，${p.answeredAt ?? ''}）` : ''}` : null,
    p.resolution ? `**办结意见**：${escapeMd(p.resolution)}` : null,
  ]
    .filter(Boolean)
    .join('\n');
}

export interface ProblemLedgerView {
  items: ProblemFacts[];
  /** Open problems in all (the card shows the first ones). */
  total: number;
}

/** 问题台账: the open problems, the ones waiting for the organiser first. */
export function problemLedgerCard(view: ProblemLedgerView): Card {
  const elements: CardElement[] = [];
  if (!view.items.length) elements.push(markdown('目前没有待办的问题。各单位发送「登记问题」登记的困难问题会列在这里。'));
  view.items.forEach((p, i) => {
    if (i > 0) elements.push(hr());
    const stage = STAGE_WORDS[p.stage];
    elements.push(
      markdown(`**${escapeMd(p.number)}** <font color='${stage.color === 'orange' ? 'orange' : 'grey'}'>${stage.text}</font>\n${factLines(p, false)}`),
      button({ name: `problem_view_${i}`, label: p.stage === 'open' ? '交办' : p.stage === 'answered' ? '办结' : '查看', type: p.stage === 'assigned' ? 'default' : 'primary', value: { a: PROBLEM_VIEW, v: 1, p: p.id } }),
    );
  });
  if (view.total > view.items.length) elements.push(note(`共 ${view.total} 项待办，这里列出最早的 ${view.items.length} 项；办结后其余的会依次列出。`));
  const waiting = view.items.filter((p) => p.stage === 'open' || p.stage === 'answered').length;
  return card({
    title: '问题台账',
    subtitle: `待办 ${view.total} 项`,
    template: 'wathet',
    summary: `问题台账：待办 ${view.total} 项`,
    tags: waiting ? [{ text: `${waiting} 项待处理`, color: 'orange' }] : [],
    elements,
  });
}

export interface ProblemCardView extends ProblemFacts {
  /** The units an organiser may assign it to (the reporting unit first). */
  unitOptions: SelectOption[];
  /** A line at the top: what just happened (「已交办给 市商务局」). */
  done?: string;
}

/** An organiser's card of one problem: 交办 while not closed (again to change the unit), 办结 once answered. */
export function problemCard(view: ProblemCardView): Card {
  const p = view.id;
  const stage = STAGE_WORDS[view.stage];
  const elements: CardElement[] = [];
  if (view.done) elements.push(markdown(`<font color='green'>${escapeMd(view.done)}</font>`));
  elements.push(markdown(factLines(view, true)));
  if (view.stage !== 'closed') {
    elements.push(
      hr(),
      form('problem_assign_form', [
        markdown(view.stage === 'open' ? '**交办给承办单位**' : '**改派承办单位**'),
        selectStatic({ name: PROBLEM_LEDGER_FIELDS.unit, options: view.unitOptions, required: true, placeholder: '选择承办单位', width: 'fill' }),
        input({ name: PROBLEM_LEDGER_FIELDS.note, label: '交办要求（选填）', placeholder: '如：请于一周内协调解决并答复', maxLength: PROBLEM_LEDGER_MAX_LENGTH.note }),
        button({ name: 'problem_assign_submit', label: view.stage === 'open' ? '交办' : '改派', type: view.stage === 'open' ? 'primary_filled' : 'default', submit: true, value: { a: PROBLEM_ASSIGN, v: 1, p } }),
      ]),
    );
  }
  if (view.stage === 'answered') {
    elements.push(
      hr(),
      form('problem_close_form', [
        markdown('**办结**'),
        input({ name: PROBLEM_LEDGER_FIELDS.resolution, label: '办结意见（选填，将告知登记人）', multiline: true, maxLength: PROBLEM_LEDGER_MAX_LENGTH.resolution }),
        button({ name: 'problem_close_submit', label: '办结', type: 'primary_filled', submit: true, value: { a: PROBLEM_CLOSE, v: 1, p } }),
      ]),
    );
  }
  elements.push(note(view.stage === 'closed' ? '该问题已办结，登记人已收到结果。' : '交办后承办单位收到答复卡片；答复后在这里办结，登记人会收到办理结果。'));
  return card({ title: `问题：${view.title}`, subtitle: `台账编号 ${view.number}`, template: view.stage === 'closed' ? 'green' : 'wathet', summary: `问题台账：${view.title}`, tags: [stage], elements });
}

/** The assigned unit's card: the problem, the organiser's note, and the 答复 form (again until it is closed). */
export function problemAssignedCard(view: ProblemFacts & { done?: string }): Card {
  const elements: CardElement[] = [];
  if (view.done) elements.push(markdown(`<font color='green'>${escapeMd(view.done)}</font>`));
  elements.push(markdown(factLines(view, true)));
  if (view.stage !== 'closed') {
    elements.push(
      hr(),
      form('problem_answer_form', [
        input({
          name: PROBLEM_LEDGER_FIELDS.answer,
          label: view.answer ? '办理情况（可补充后再次答复）' : '办理情况',
          placeholder: '已采取的措施、解决结果或办理计划',
          required: true,
          multiline: true,
          maxLength: PROBLEM_LEDGER_MAX_LENGTH.answer,
          ...(view.answer ? { defaultValue: view.answer } : {}),
        }),
        button({ name: 'problem_answer_submit', label: '答复', type: 'primary_filled', submit: true, value: { a: PROBLEM_ANSWER, v: 1, p: view.id } }),
      ]),
    );
  }
  elements.push(note(view.stage === 'closed' ? '该问题已由例会办公室办结。' : '答复后由例会办公室审核办结，结果会告知登记人。'));
  return card({
    title: `问题交办：${view.title}`,
    subtitle: view.assignedUnitName ?? view.unitName,
    template: view.stage === 'closed' ? 'green' : 'orange',
    summary: `问题交办：${view.title}`,
    tags: [STAGE_WORDS[view.stage]],
    elements,
  });
}

/** To the person who registered it: what became of it. */
export function problemOutcomeCard(view: ProblemFacts): Card {
  const closed = view.stage === 'closed';
  return card({
    title: closed ? `问题已办结：${view.title}` : `问题已交办：${view.title}`,
    subtitle: `台账编号 ${view.number}`,
    template: closed ? 'green' : 'wathet',
    summary: closed ? `您登记的问题已办结：${view.title}` : `您登记的问题已交办：${view.title}`,
    tags: [STAGE_WORDS[view.stage]],
    elements: [
      markdown(closed ? '您登记的问题已办结，办理结果如下：' : `您登记的问题已交办给 **${escapeMd(view.assignedUnitName ?? '')}** 办理，办结后会告知您结果。`),
      markdown(factLines(view, false)),
    ],
  });
}
