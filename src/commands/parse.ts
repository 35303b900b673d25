// Commands: text and card actions → typed commands. Card actions are routed by the action name
// carried in the button's value (`a`), never by button text.
import type { z } from 'zod';
import { PROBLEM_SUBMIT, ProblemFormValue, ProblemSubmitValue } from '../../cards/problem-form.ts';
import type { CardCommand, MessageCommand } from './command.ts';

const TEXT_COMMANDS: [RegExp, MessageCommand][] = [
  [/^(帮助|help|\/help|\?|？|菜单|指令)$/i, { kind: 'help' }],
  [/^(我是谁|whoami|\/whoami|我的角色|我的信息)$/i, { kind: 'whoami' }],
  [/^(登记问题|问题登记|反映问题|\/problem)$/i, { kind: 'problem.open' }],
  [/^(发送失败|送达失败|失败消息)$/, { kind: 'outbound.failed' }],
];

/** Strips @mentions (`@_user_1`), full-width spaces and surrounding punctuation. */
export function normaliseText(text: string): string {
  return text
    .replace(/@_user_\d+/g, ' ')
    .replace(/\u3000/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[。！!.？?]+$/, '');
}

export function parseTextCommand(text: string): MessageCommand {
  const t = normaliseText(text);
  for (const [re, cmd] of TEXT_COMMANDS) if (re.test(t)) return cmd;
  return t ? { kind: 'help', unknownText: t } : { kind: 'help' };
}

export interface RawCardAction {
  value: Record<string, unknown>;
  formValue?: Record<string, unknown>;
}

type CardRoute = { value: z.ZodType; toCommand: (a: RawCardAction) => CardCommand };

const CARD_ROUTES: Record<string, CardRoute> = {
  [PROBLEM_SUBMIT]: {
    value: ProblemSubmitValue,
    toCommand: (a) => {
      const form = ProblemFormValue.safeParse(a.formValue ?? {});
      if (!form.success) return { kind: 'invalid', message: form.error.issues[0]?.message ?? '填写的内容有误，请检查后重新提交' };
      return { kind: 'problem.submit', form: form.data };
    },
  },
};

/** null when the action is not ours (an unknown or outdated card). */
export function parseCardAction(a: RawCardAction): CardCommand | null {
  const name = typeof a.value.a === 'string' ? a.value.a : undefined;
  const route = name ? CARD_ROUTES[name] : undefined;
  if (!route || !route.value.safeParse(a.value).success) return null;
  return route.toCommand(a);
}
