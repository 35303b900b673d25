// Card routes of the problem ledger (问题台账): action name → typed command (see ../card-route.ts). Texts
// are checked against their limits here; a longer one is refused with its field and nothing changes.
import { badForm, byId, type CardRoute } from '../card-route.ts';
import {
  PROBLEM_ANSWER, PROBLEM_ASSIGN, PROBLEM_CLOSE, PROBLEM_LEDGER_FIELDS as F, PROBLEM_VIEW,
  ProblemAnswerFormValue, ProblemAnswerValue, ProblemAssignFormValue, ProblemAssignValue, ProblemCloseFormValue, ProblemCloseValue, ProblemViewValue,
} from '../../../cards/problem-ledger.ts';

export const problemRoutes: Record<string, CardRoute> = {
  [PROBLEM_VIEW]: byId(ProblemViewValue, 'p', (problemId) => ({ kind: 'problem.view', problemId })),
  [PROBLEM_ASSIGN]: byId(ProblemAssignValue, 'p', (problemId, a) => {
    const f = ProblemAssignFormValue.safeParse(a.formValue ?? {});
    return f.success ? { kind: 'problem.assign', problemId, unitCode: f.data[F.unit], note: f.data[F.note] } : badForm(f.error, '请选择承办单位');
  }),
  [PROBLEM_ANSWER]: byId(ProblemAnswerValue, 'p', (problemId, a) => {
    const f = ProblemAnswerFormValue.safeParse(a.formValue ?? {});
    return f.success ? { kind: 'problem.answer', problemId, answer: f.data[F.answer] } : badForm(f.error, '请填写办理情况后再提交答复');
  }),
  [PROBLEM_CLOSE]: byId(ProblemCloseValue, 'p', (problemId, a) => {
    const f = ProblemCloseFormValue.safeParse(a.formValue ?? {});
    return f.success ? { kind: 'problem.close', problemId, resolution: f.data[F.resolution] } : badForm(f.error, '办结意见有误，请检查后重新提交');
  }),
};
