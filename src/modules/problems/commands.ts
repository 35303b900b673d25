// Problems: the use cases behind 登记问题 and the problem form.
import type { ProblemsCard, ProblemsMessage } from '../../commands/command.ts';
import { beijingDateTime } from '../../platform/business-time.ts';
import { card, markdown } from '../../../cards/card.ts';
import { problemFormCard, problemReceiptCard } from '../../../cards/problem-form.ts';
import type { HandlerTable } from '../shared/outcome.ts';
import { reply } from '../shared/results.ts';
import { NoUnitError, registerProblem } from './problems.service.ts';

const NO_UNIT = '您尚未归属任何责任单位，请联系经济运行例会办公室。';

export const problemsMessages: HandlerTable<ProblemsMessage> = {
  'problem.open': async (_cmd, { actor }) => {
    const unit = actor.roles[0];
    return reply(unit ? problemFormCard({ unitName: unit.unitName }) : card({ title: '无法登记问题', template: 'orange', elements: [markdown(NO_UNIT)] }));
  },
};

export const problemsCards: HandlerTable<ProblemsCard> = {
  'problem.submit': async (cmd, ctx) => {
    try {
      // The request key makes a double click register the problem once.
      const p = await registerProblem(ctx.tx, ctx.clock, ctx.actor, cmd.form, `card-${ctx.origin.key}`);
      return {
        toast: { type: 'success', content: p.created ? `已登记，台账编号 ${p.number}` : `该问题已登记，台账编号 ${p.number}` },
        card: problemReceiptCard({ number: p.number, title: p.title, enterprise: p.enterprise, unitName: p.unitName, reporterName: ctx.actor.name, reportedAt: beijingDateTime(p.reportedAt) }),
      };
    } catch (err) {
      if (err instanceof NoUnitError) return { toast: { type: 'warning', content: NO_UNIT } };
      throw err;
    }
  },
};
