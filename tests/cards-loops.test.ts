// Cards of the loops that close: the 批示 card a unit answers from (收到 / 反馈措施), the short card the leader
// gets for each answer, 批示落实 on the warning card, the warning card and digest without the leaders'
// buttons for those who may not use them, the task card without its form for the assigning leader, the
// assigner's notices; each valid for Feishu and within 25 KB at its longest.
import { describe, expect, it } from 'vitest';
import {
  INSTRUCTION_MEASURES, INSTRUCTION_RECEIVED, InstructionMeasuresFormValue, instructionCard, instructionReplyNoticeCard, warningCard, warningDigestCard,
  WARNING_OPEN, type InstructionReplyView, type InstructionView, type WarningCardView,
} from '../cards/warning.ts';
import {
  assignerNoticeCard, CLOSE_NEEDS_FULL_PROGRESS, TASK_OPEN, taskCard, TaskRequestCloseFormValue, type AssignerEvent, type TaskView,
} from '../cards/task.ts';
import { CARD_BUDGET_BYTES, cardRequestBytes } from '../cards/size.ts';
import { buttonByText, buttons, callback, expectValidForFeishu, fieldByName, json, labelOf } from './support/cards.ts';

const fill = (n: number) => '经'.repeat(n);
const labels = (c: unknown) => buttons(c).map((b) => labelOf(b));
const I = '0b7c2d4e-5f60-4a1b-9c3d-000000000001';
const U = '0b7c2d4e-5f60-4a1b-9c3d-000000000002';

const ins: InstructionView = {
  leaderName: '张三', indicatorName: '规上工业增加值', unitName: '鞍东区', periodLabel: '2026年11月',
  text: '请分析原因，一周内报送措施', at: '2026-11-20 09:30', reasons: '低于目标进度 4.8 个百分点', instructionId: I, unitId: U,
};
const received: InstructionReplyView = { unitName: '鞍东区', by: '李四', at: '2026-11-20 10:00', kind: 'RECEIVED' };
const measures: InstructionReplyView = { unitName: '鞍东区', by: '王五', at: '2026-11-21 16:00', kind: 'MEASURES', text: '已约见 3 家企业，协调订单' };

describe('批示 card: the unit answers', () => {
  it('offers 收到 and the 反馈措施 form before any answer', () => {
    const c = instructionCard(ins);
    expect(callback(buttonByText(c, '收到'))).toEqual({ a: INSTRUCTION_RECEIVED, v: 1, i: I, u: U });
    expect(callback(buttonByText(c, '反馈措施'))).toEqual({ a: INSTRUCTION_MEASURES, v: 1, i: I, u: U });
    expect(fieldByName(c, 'measures')).toMatchObject({ tag: 'input', required: true, max_length: 500 });
    expect(c.header?.text_tag_list?.[0]?.text.content).toBe('请落实');
    expectValidForFeishu(c);
  });

  it('after 收到 shows who received it and keeps only 反馈措施; after measures turns green', () => {
    const r = instructionCard({ ...ins, replies: [received] });
    expect(labels(r)).toEqual(['反馈措施']);
    expect(json(r.body)).toContain('鞍东区 · 李四');
    expect(json(r.body)).toContain('：已收到');
    expect(r.header?.text_tag_list?.[0]?.text.content).toBe('已收到');
    const m = instructionCard({ ...ins, replies: [received, measures] });
    expect(m.header?.template).toBe('green');
    expect(json(m.body)).toContain('反馈措施：已约见 3 家企业，协调订单');
    expect(json(m.body)).toContain('继续反馈落实措施');
    expectValidForFeishu(m);
  });

  it('shows no button to a viewer who may not answer, nor on an old card without ids', () => {
    expect(labels(instructionCard({ ...ins, mayReply: false }))).toEqual([]);
    const { instructionId: _i, unitId: _u, ...old } = ins;
    expect(labels(instructionCard(old))).toEqual([]);
  });

  it('refuses empty or long measures with the field and the limit', () => {
    expect(InstructionMeasuresFormValue.safeParse({ measures: ' ' }).error?.issues[0]?.message).toBe('请填写落实措施后再提交反馈');
    expect(InstructionMeasuresFormValue.safeParse({ measures: '措'.repeat(501) }).error?.issues[0]?.message).toBe('「落实措施」最多 500 字，当前 501 字，请精简后重新提交');
    expect(InstructionMeasuresFormValue.parse({ measures: ' 已落实 ' })).toEqual({ measures: '已落实' });
  });

  it('stays within 25 KB with many long answers', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ ...measures, by: fill(10), unitName: fill(20), text: i % 2 ? fill(500) : null, kind: (i % 2 ? 'MEASURES' : 'RECEIVED') as 'MEASURES' | 'RECEIVED' }));
    const c = instructionCard({ ...ins, text: fill(500), reasons: fill(1000), leaderName: fill(10), replies: many });
    expect(json(c.body)).toContain('另有 20 条较早的反馈');
    expectValidForFeishu(c);
    expect(cardRequestBytes(c)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
  });
});

describe('what the leader hears of an answer', () => {
  it('收到: a short blue card with a link to the warning', () => {
    const c = instructionReplyNoticeCard({ warningId: 'w_1', indicatorName: '规上工业增加值', subject: '鞍东区 · 2026年11月', instruction: '请分析原因', reply: received });
    expect(c.header?.title.content).toBe('批示已收到：规上工业增加值');
    expect(json(c.body)).toContain('李四 已收到您的批示');
    expect(callback(buttonByText(c, '查看预警'))).toEqual({ a: WARNING_OPEN, v: 1, w: 'w_1' });
    expectValidForFeishu(c);
  });

  it('反馈措施: the measures quoted', () => {
    const c = instructionReplyNoticeCard({ warningId: 'w_1', indicatorName: '规上工业增加值', subject: '鞍东区 · 2026年11月', instruction: fill(500), reply: { ...measures, text: `${fill(500)}\n第二行` } });
    expect(c.header?.title.content).toBe('批示落实反馈：规上工业增加值');
    expect(json(c.body)).toContain('> 第二行');
    expectValidForFeishu(c);
    expect(cardRequestBytes(c)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
  });
});

const wview: WarningCardView = {
  warningId: 'w_1', indicatorName: '规上工业增加值', unitName: '鞍东区', periodLabel: '2026年11月', level: 'RED', status: 'IN_PROGRESS',
  value: '123.4 亿元', growth: '+3.2%', targetPace: '目标进度 +8.0%', cityAverage: null, reasons: ['低于目标进度 4.8 个百分点'], vintageLabel: '快报',
  trend: [], units: [{ code: 'andong', name: '鞍东区' }],
  instructions: [{ by: '张三', at: '2026-11-20 09:30', text: '请分析原因', replies: [received, measures], pending: ['鞍西区'] }],
  tasks: [{ title: '复产计划', unitName: '鞍东区', due: '2026-12-18', state: '办理中 50%' }],
};

describe('warning card: 批示落实 and who may act', () => {
  it('lists each unit\'s answers under 批示落实 and the units still to answer', () => {
    const body = json(warningCard(wview).body);
    expect(body).toContain('**批示落实**');
    expect(body).toContain('鞍东区 · 李四');
    expect(body).toContain('：已收到');
    expect(body).toContain('反馈措施：已约见 3 家企业，协调订单');
    expect(body).toContain('待反馈：鞍西区');
    expect(body).toContain('办理中 50%');
  });

  it('shows the leaders\' actions to a leader, none to a unit\'s people', () => {
    expect(labels(warningCard(wview))).toEqual(expect.arrayContaining(['召集专题会', '约谈', '发送批示', '交办']));
    const unit = warningCard({ ...wview, status: 'OPEN', mayAct: false });
    expect(labels(unit)).toEqual([]);
    expect(json(unit.body)).toContain('领导批示请在「领导批示」卡片上反馈落实情况');
    expectValidForFeishu(unit);
  });

  it('stays within 25 KB with ten 批示 each with many long answers', () => {
    const many = Array.from({ length: 12 }, () => ({
      by: fill(10), at: '2026-12-01 09:00', text: fill(500),
      replies: Array.from({ length: 20 }, () => ({ ...measures, unitName: fill(20), by: fill(10), text: fill(500) })),
      pending: Array.from({ length: 30 }, () => fill(20)),
    }));
    const c = warningCard({
      ...wview, reasons: Array.from({ length: 10 }, () => fill(100)), instructions: many,
      tasks: Array.from({ length: 12 }, () => ({ title: fill(100), unitName: fill(20), due: '2026-12-31', state: '办理中 75%' })),
      units: Array.from({ length: 35 }, (_, i) => ({ code: `U_${i}`, name: fill(10) })),
    });
    expectValidForFeishu(c);
    expect(cardRequestBytes(c)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    // Fewer 批示 are followed so that it fits, but the section stays.
    expect(json(c.body)).toContain('**批示落实**');
  });
});

describe('digest: 已阅 only for those who may act', () => {
  it('a head\'s item has 查看 but not 已阅', () => {
    const item = { warningId: 'w_1', indicatorName: '规上工业增加值', unitName: '鞍东区', level: 'RED' as const, previousLevel: null, value: '1 亿元', growth: '+1.0%', reasons: '低于目标' };
    const leader = warningDigestCard({ leaderName: '赵', batchLabel: 'x', items: [item], resolved: [] });
    const head = warningDigestCard({ leaderName: '钱', batchLabel: 'x', items: [{ ...item, mayAct: false }], resolved: [] });
    expect(labels(leader)).toEqual(['查看', '已阅']);
    expect(labels(head)).toEqual(['查看']);
    expect(json(head.body)).not.toContain('可批示');
    expectValidForFeishu(head);
  });
});

const task: TaskView = {
  taskId: 't_1', title: '停产企业复产计划', description: null, source: '来自预警：规上工业增加值 · 鞍东区', unitName: '鞍东区', assignedBy: '赵明远',
  due: '12月18日', daysLeft: 16, state: 'IN_PROGRESS', progress: 50, updates: [],
};

describe('task cards: the unit\'s form, the leader\'s notices', () => {
  it('the unit sees the form and how to ask for close-out; the assigning leader the facts only', () => {
    const unit = taskCard(task);
    expect(labels(unit)).toEqual(['更新进度', '申请销号']);
    expect(json(unit.body)).toContain('申请销号：进度选「100%（已办结）」并填写办理情况');
    const leader = taskCard(task, { mayUpdate: false });
    expect(labels(leader)).toEqual([]);
    expect(json(leader.body)).toContain('**办理进度**：50%');
    expectValidForFeishu(leader);
  });

  it('申请销号 from the form needs 100 %', () => {
    expect(TaskRequestCloseFormValue.safeParse({ progress: '75', note: '基本完成' }).error?.issues[0]?.message).toBe(CLOSE_NEEDS_FULL_PROGRESS);
    expect(TaskRequestCloseFormValue.safeParse({ progress: '100', note: '完成' }).success).toBe(true);
  });

  it.each([
    ['progress', '交办事项进展：停产企业复产计划', '更新了办理进度', '50%'],
    ['request-close', '交办事项申请销号：停产企业复产计划', '已办结，申请销号', '待销号'],
    ['close', '交办事项已销号：停产企业复产计划', '已销号', '已销号'],
    ['return', '交办事项被退回：停产企业复产计划', '被例会办公室退回', '已退回'],
  ] as const)('assigner notice %s', (event, title, words, tag) => {
    const c = assignerNoticeCard({ taskId: 't_1', title: '停产企业复产计划', unitName: '鞍东区', event: event as AssignerEvent, by: '李四', at: '12月2日 10:00', progress: 50, note: fill(500), due: '12月18日', daysLeft: 16 });
    expect(c.header?.title.content).toBe(title);
    expect(json(c.body)).toContain(words);
    expect(c.header?.text_tag_list?.[0]?.text.content).toBe(tag);
    expect(callback(buttonByText(c, '查看事项'))).toEqual({ a: TASK_OPEN, v: 1, t: 't_1' });
    expectValidForFeishu(c);
    expect(cardRequestBytes(c)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
  });
});
