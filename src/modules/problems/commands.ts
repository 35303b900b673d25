// Problems: the handlers behind 登记问题, the problem form and the ledger (问题台账: 交办, 答复, 办结).
import type { ProblemsCard, ProblemsMessage } from '../../commands/command.ts';
import { card, markdown } from '../../../cards/card.ts';
import { problemFormCard } from '../../../cards/problem-form.ts';
import type { HandlerTable } from '../shared/outcome.ts';
import { reply } from '../shared/results.ts';
import { NO_UNIT, registerProblem } from './problem-ledger.ts';
import { answerProblem, assignProblem, closeProblem, listProblems, viewProblem } from './problem-handling.ts';

export const problemsMessages: HandlerTable<ProblemsMessage> = {
  'problem.open': async (_cmd, { actor }) => {
    const unit = actor.roles[0];
    return reply(unit ? problemFormCard({ unitName: unit.unitName }) : card({ title: '无法登记问题', template: 'orange', elements: [markdown(NO_UNIT)] }));
  },
  'problem.list': listProblems,
};

export const problemsCards: HandlerTable<ProblemsCard> = {
  'problem.submit': registerProblem,
  'problem.view': viewProblem,
  'problem.assign': assignProblem,
  'problem.answer': answerProblem,
  'problem.close': closeProblem,
};
