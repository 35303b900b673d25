// Card: the form for registering a problem in the problem ledger (问题台账), and its receipt.
import { z } from 'zod';
import { button, card, escapeMd, form, input, markdown, type Card } from './card.ts';
import { limitedText } from './text-limits.ts';

export const PROBLEM_SUBMIT = 'problem.submit';

/** The button's callback value. */
export const ProblemSubmitValue = z.object({ a: z.literal(PROBLEM_SUBMIT), v: z.literal(1) });

/** One limit per free-text field: the inputs' max_length and the server's check (text-limits.ts). */
export const PROBLEM_FIELD_MAX_LENGTH = { title: 100, enterprise: 100, description: 1000 } as const;

/** What the form sends back in `form_value`. */
export const ProblemFormValue = z.object({
  title: limitedText('问题标题', PROBLEM_FIELD_MAX_LENGTH.title, { required: true }),
  enterprise: limitedText('企业或项目', PROBLEM_FIELD_MAX_LENGTH.enterprise),
  description: limitedText('问题描述', PROBLEM_FIELD_MAX_LENGTH.description, { required: true }),
});
export type ProblemForm = z.infer<typeof ProblemFormValue>;

export interface ProblemFormView {
  unitName: string;
  /** Values to keep in the form when it is shown again after a rejected submission. */
  previous?: Partial<ProblemForm>;
}

export function problemFormCard(view: ProblemFormView): Card {
  return card({
    title: '登记困难问题',
    subtitle: view.unitName,
    template: 'wathet',
    summary: '登记困难问题',
    elements: [
      markdown('请填写企业或项目反映的困难问题，提交后进入问题台账，跟踪到销号。'),
      form('problem_form', [
        input({ name: 'title', label: '问题标题', placeholder: '例如：用工缺口较大', required: true, maxLength: PROBLEM_FIELD_MAX_LENGTH.title, defaultValue: view.previous?.title }),
        input({ name: 'enterprise', label: '企业或项目（选填）', placeholder: '例如：某某科技有限公司', maxLength: PROBLEM_FIELD_MAX_LENGTH.enterprise, defaultValue: view.previous?.enterprise }),
        input({ name: 'description', label: '问题描述', placeholder: '问题的具体情况、影响和诉求', required: true, multiline: true, maxLength: PROBLEM_FIELD_MAX_LENGTH.description, defaultValue: view.previous?.description }),
        button({ name: 'submit', label: '提交', type: 'primary_filled', submit: true, value: { a: PROBLEM_SUBMIT, v: 1 } }),
      ]),
    ],
  });
}

export interface ProblemReceiptView {
  number: string;
  title: string;
  enterprise: string;
  unitName: string;
  reporterName: string;
  reportedAt: string;
}

export function problemReceiptCard(view: ProblemReceiptView): Card {
  return card({
    title: '问题已登记',
    subtitle: `台账编号 ${view.number}`,
    template: 'green',
    summary: `问题已登记：${view.title}`,
    tags: [{ text: '待办理', color: 'orange' }],
    elements: [
      markdown(
        [
          `**问题**：${escapeMd(view.title)}`,
          view.enterprise ? `**企业或项目**：${escapeMd(view.enterprise)}` : null,
          `**登记单位**：${escapeMd(view.unitName)}`,
          `**登记人**：${escapeMd(view.reporterName)}\u3000**时间**：${view.reportedAt}`,
        ]
          .filter(Boolean)
          .join('\n'),
      ),
      markdown("<font color='grey'>办理进展会在本对话中通知您。</font>"),
    ],
  });
}
