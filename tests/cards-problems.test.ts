// Cards of the problem ledger (问题台账): what the office, the assigned unit and the person who registered a
// problem read, the actions each may take, and the values the bot gets back.
import { describe, expect, it } from 'vitest';
import {
  PROBLEM_ANSWER, PROBLEM_ASSIGN, PROBLEM_CLOSE, PROBLEM_LEDGER_FIELDS, PROBLEM_VIEW, ProblemAnswerFormValue, ProblemAssignFormValue,
  problemAssignedCard, problemCard, problemLedgerCard, problemOutcomeCard, type ProblemFacts,
} from '../cards/problem-ledger.ts';
import { buttonByText, callback, expectValidForFeishu, fieldByName, json, markdownTexts } from './support/cards.ts';

const base: ProblemFacts = {
  id: '0c1e6a3e-5b1f-4a4e-9c55-3f5c1b8e2a10',
  number: '问题-20261209-0C1E6A',
  title: '出口订单结汇慢',
  enterprise: '松岭纺织',
  description: '外贸订单回款结汇周期约 40 天',
  unitName: '松岭县',
  reporterName: '苏磊',
  reportedAt: '2026-12-09 10:00',
  stage: 'open',
};
const units = [{ label: '市商务局', value: 'commerce' }, { label: '松岭县', value: 'songling-county' }];

describe('问题台账 list', () => {
  it('lists each open problem with its state and the action waiting for the office', () => {
    const c = problemLedgerCard({ items: [base, { ...base, id: '1c1e6a3e-5b1f-4a4e-9c55-3f5c1b8e2a10', stage: 'answered', assignedUnitName: '市商务局', answer: '已开通绿色通道' }], total: 12 });
    const text = markdownTexts(c).join('\n');
    expect(text).toContain('出口订单结汇慢');
    expect(text).toContain('待交办');
    expect(text).toContain('已答复待办结');
    expect(json(c)).toContain('共 12 项待办，这里列出最早的 2 项');
    expect(callback(buttonByText(c, '交办'))).toEqual({ a: PROBLEM_VIEW, v: 1, p: base.id });
    expect(buttonByText(c, '办结')).toBeDefined();
    expectValidForFeishu(c);
  });

  it('says so when nothing is open', () => {
    expect(json(problemLedgerCard({ items: [], total: 0 }))).toContain('目前没有待办的问题');
  });
});

describe("the office's problem card", () => {
  it('assigns an open problem to a unit chosen from a list', () => {
    const c = problemCard({ ...base, unitOptions: units });
    expect(fieldByName(c, PROBLEM_LEDGER_FIELDS.unit)?.tag).toBe('select_static');
    expect(callback(buttonByText(c, '交办'))).toEqual({ a: PROBLEM_ASSIGN, v: 1, p: base.id });
    expect(buttonByText(c, '办结')).toBeUndefined();
    expectValidForFeishu(c);
  });

  it('closes an answered one, showing the answer', () => {
    const c = problemCard({ ...base, stage: 'answered', assignedUnitName: '市商务局', answer: '已开通绿色通道', answeredBy: '史杰宏', answeredAt: '2026-12-10 09:00', unitOptions: units });
    expect(markdownTexts(c).join('\n')).toContain('**办理情况**：已开通绿色通道（史杰宏，2026-12-10 09:00）');
    expect(callback(buttonByText(c, '办结'))).toEqual({ a: PROBLEM_CLOSE, v: 1, p: base.id });
    expect(buttonByText(c, '改派')).toBeDefined();
    expectValidForFeishu(c);
  });

  it('has no actions once closed', () => {
    const c = problemCard({ ...base, stage: 'closed', assignedUnitName: '市商务局', answer: '已开通', resolution: '企业确认已解决', unitOptions: units });
    expect(buttonByText(c, '交办')).toBeUndefined();
    expect(buttonByText(c, '办结')).toBeUndefined();
    expect(c.header?.template).toBe('green');
    expectValidForFeishu(c);
  });
});

describe("the assigned unit's card and the reporter's notice", () => {
  it('asks the unit for its answer, with the office note', () => {
    const c = problemAssignedCard({ ...base, stage: 'assigned', assignedUnitName: '市商务局', assignNote: '请一周内答复' });
    expect(markdownTexts(c).join('\n')).toContain('**承办单位**：市商务局（请一周内答复）');
    expect(callback(buttonByText(c, '答复'))).toEqual({ a: PROBLEM_ANSWER, v: 1, p: base.id });
    expectValidForFeishu(c);
  });

  it('tells the reporter where it went, then how it ended', () => {
    const sent = problemOutcomeCard({ ...base, stage: 'assigned', assignedUnitName: '市商务局' });
    expect(markdownTexts(sent).join('\n')).toContain('已交办给 **市商务局** 办理');
    const ended = problemOutcomeCard({ ...base, stage: 'closed', assignedUnitName: '市商务局', answer: '已开通绿色通道', resolution: '企业确认已解决' });
    expect(ended.header?.title.content).toBe('问题已办结：出口订单结汇慢');
    expect(markdownTexts(ended).join('\n')).toContain('**办结意见**：企业确认已解决');
    expectValidForFeishu(sent);
    expectValidForFeishu(ended);
  });

  it('refuses an empty answer and a note over its limit at the edge', () => {
    expect(ProblemAnswerFormValue.safeParse({ [PROBLEM_LEDGER_FIELDS.answer]: '   ' }).error?.issues[0]?.message).toBe('请填写办理情况后再提交答复');
    expect(ProblemAssignFormValue.safeParse({ [PROBLEM_LEDGER_FIELDS.unit]: 'commerce', [PROBLEM_LEDGER_FIELDS.note]: '字'.repeat(201) }).error?.issues[0]?.message).toBe('「交办要求」最多 200 字，当前 201 字，请精简后重新提交');
  });
});
