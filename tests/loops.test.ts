// Loops that close (推动, 问效) in the sandbox: a unit answers a 批示 from its card (收到, 反馈措施), the leader
// hears each answer and the warning card shows them under 批示落实; a stranger is refused; one click
// delivered twice is stored once. The leader who assigned a task hears its progress and its close-out,
// and the warning card it was assigned on leaves 「待办理」; 申请销号 below 100 % or without a note is
// refused. A unit head is shown no button they may not use.
import { describe, expect, it } from 'vitest';
import { startTestBot, settle } from './support/bot.ts';
import { buttons, callback, labelOf, type El } from './support/cards.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { collectionHandlers, runPlan } from '../jobs/collection.job.ts';
import { fieldNames } from '../cards/collection-form.ts';
import { assignedIndicators } from '../src/modules/collection/collection.repo.ts';
import type { StoredMessage } from '../src/sandbox/types.ts';

// Wednesday 2026-12-02, 10:00 Beijing: the November report is open.
const clock = fixedClock('2026-12-02T02:00:00Z');
const bot = await startTestBot({ clock });
const { prisma } = bot.ctx;
const deps = { prisma, clock, logger: bot.ctx.logger, queues: bot.ctx.queues };

const mark = () => new Set(bot.sandbox.messages.all().map((m) => m.messageId));
const cardsTo = (openId: string) => bot.sandbox.messages.toUser(openId).filter((m) => m.msgType === 'interactive');
const waitFor = (openId: string, contains: string, seen = new Set<string>()) =>
  bot.sandbox.messages.waitFor((m) => m.msgType === 'interactive' && !seen.has(m.messageId) && m.content.includes(contains) && cardsTo(openId).some((x) => x.messageId === m.messageId), 15_000);
/** The card as it now stands in the chat (updates included). */
const cardOf = (messageId: string): unknown => JSON.parse(bot.sandbox.messages.get(messageId)!.content);
const labels = (c: unknown) => buttons(c).map((b) => labelOf(b));
/** A button's callback value as rendered (with its render id): clicking it twice is one delivery twice. */
const valueOf = (m: StoredMessage, label: string) => callback(buttons(cardOf(m.messageId)).find((b: El) => labelOf(b) === label)) as Record<string, unknown>;
/** Waits until a message's card contains a text (an update is delivered by the worker). */
async function untilCardHas(messageId: string, text: string) {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if (bot.sandbox.messages.get(messageId)?.content.includes(text)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`card ${messageId} never showed 「${text}」: ${bot.sandbox.messages.get(messageId)?.content.slice(0, 400)}`);
}
async function personOf(where: { unit?: string; role?: 'LIAISON' | 'HEAD' | 'ORGANISER'; code?: string }) {
  if (where.code) {
    const p = await prisma.person.findUniqueOrThrow({ where: { code: where.code } });
    return { openId: p.openId!, name: p.name, id: p.id };
  }
  const r = await prisma.unitRole.findFirstOrThrow({ where: { role: where.role!, unit: { code: where.unit! } }, include: { person: true }, orderBy: { person: { code: 'asc' } } });
  return { openId: r.person.openId!, name: r.person.name, id: r.person.id };
}

const LEADER_ACTIONS = ['已阅', '召集专题会', '约谈', '发送批示', '交办'];

describe('loops that close', () => {
  let warningId: string;
  let detail: StoredMessage;
  let instructionId: string;
  let headCardId: string;

  it('a red light: the vice-mayor gets the digest with 已阅, the unit head only 查看', async () => {
    await runPlan(deps, 'monthly');
    const period = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2026-11', cycle: { code: 'monthly' } } });
    await collectionHandlers(deps)['collection.open.v1']({ periodId: period.id });
    const liaison = await personOf({ unit: 'andong-district', role: 'LIAISON' });
    const form = await waitFor(liaison.openId, '2026年11月');
    const report = await prisma.unitReport.findFirstOrThrow({ where: { periodId: period.id, unit: { code: 'andong-district' } } });
    const cycle = await prisma.reportingCycle.findUniqueOrThrow({ where: { code: 'monthly' } });
    const inds = await assignedIndicators(prisma, cycle.id, report.unitId, '2026-11');
    const names = fieldNames(inds.map((i) => i.code));
    const fv: Record<string, string> = {};
    for (const [i, ind] of inds.entries()) {
      const n = names[ind.code]!;
      fv[n.value] = `${1000 + i * 100}`;
      fv[n.growth] = ind.code === 'industrial-va' ? '1.0' : '9.5';
      fv[n.problems] = '重点企业订单下滑';
      fv[n.measures] = '逐企走访，协调订单';
    }
    const vice = await personOf({ code: 'zhao-mingyuan' });
    const head = await personOf({ unit: 'andong-district', role: 'HEAD' });
    const seen = mark();
    const res = await bot.sandbox.clickCard({ openId: liaison.openId, messageId: form.messageId, value: { a: 'report.submit', v: 1, r: report.id, p: 1 }, formValue: fv });
    expect(res.toast?.type).toBe('success');
    const viceDigest = await waitFor(vice.openId, '规模以上工业增加值', seen);
    const headDigest = await waitFor(head.openId, '规模以上工业增加值', seen);
    warningId = (await prisma.warning.findFirstOrThrow({ where: { periodId: period.id, unitId: report.unitId, indicator: { code: 'industrial-va' }, level: 'RED' } })).id;
    expect(labels(cardOf(viceDigest.messageId))).toEqual(expect.arrayContaining(['查看', '已阅']));
    expect(labels(cardOf(headDigest.messageId))).toContain('查看');
    expect(labels(cardOf(headDigest.messageId))).not.toContain('已阅');

    // The head's 查看 brings the warning without the leaders' actions.
    const before = mark();
    await bot.sandbox.clickCard({ openId: head.openId, messageId: headDigest.messageId, value: valueOf(headDigest, '查看') });
    const headDetail = await waitFor(head.openId, '预警原因', before);
    const shown = labels(cardOf(headDetail.messageId));
    for (const l of LEADER_ACTIONS) expect(shown).not.toContain(l);
    expect(headDetail.content).toContain('领导批示请在「领导批示」卡片上反馈落实情况');

    // The vice-mayor's has them all.
    const opened = mark();
    await bot.sandbox.clickCard({ openId: vice.openId, messageId: viceDigest.messageId, value: valueOf(viceDigest, '查看') });
    detail = await waitFor(vice.openId, '预警原因', opened);
    expect(labels(cardOf(detail.messageId))).toEqual(expect.arrayContaining(LEADER_ACTIONS));
  });

  it('a unit answers the 批示 with 收到 and 反馈措施; the leader hears each answer and the card shows them', async () => {
    const vice = await personOf({ code: 'zhao-mingyuan' });
    const liaison = await personOf({ unit: 'andong-district', role: 'LIAISON' });
    const head = await personOf({ unit: 'andong-district', role: 'HEAD' });
    let seen = mark();
    const ins = await bot.sandbox.clickCard({
      openId: vice.openId, messageId: detail.messageId, value: { a: 'warning.instruct', v: 1, w: warningId },
      formValue: { instruction: '请本周内摸清停产企业情况并报送复产计划', units: ['andong-district'] },
    });
    expect(ins.toast?.type).toBe('success');
    const liaisonCard = await waitFor(liaison.openId, '摸清停产企业情况', seen);
    const headCard = await waitFor(head.openId, '摸清停产企业情况', seen);
    headCardId = headCard.messageId;
    instructionId = (await prisma.instruction.findFirstOrThrow({ where: { warningId } })).id;
    expect(labels(cardOf(liaisonCard.messageId))).toEqual(expect.arrayContaining(['收到', '反馈措施']));
    await settle(bot.ctx);

    // A stranger (another district's liaison, with the callback of 鞍东区's card sent from a card of their own) may not answer.
    const stranger = await personOf({ unit: 'anxi-district', role: 'LIAISON' });
    const own = cardsTo(stranger.openId)[0]!;
    const refused = await bot.sandbox.clickCard({ openId: stranger.openId, messageId: own.messageId, value: valueOf(liaisonCard, '收到') });
    expect(refused.toast?.type).toBe('error');
    expect(refused.toast?.content).toContain('只有鞍江市鞍东区的联络员、备用联络员或主要负责人可以反馈这条批示');
    expect(await prisma.instructionReply.count()).toBe(0);

    // 收到, clicked twice on one rendering: one answer, the same toast.
    seen = mark();
    const received = valueOf(liaisonCard, '收到');
    const first = await bot.sandbox.clickCard({ openId: liaison.openId, messageId: liaisonCard.messageId, value: received });
    expect(first.toast).toMatchObject({ type: 'success', content: `已确认收到，已告知${vice.name}` });
    const twice = await bot.sandbox.clickCard({ openId: liaison.openId, messageId: liaisonCard.messageId, value: received });
    expect(twice.toast).toMatchObject(first.toast!);
    expect(await prisma.instructionReply.count({ where: { instructionId } })).toBe(1);
    expect(labels(first.card?.data)).not.toContain('收到');
    expect(JSON.stringify(first.card?.data)).toContain('已收到');
    // The leader hears it, and the warning card he wrote on shows it under 批示落实.
    const heard = await waitFor(vice.openId, '批示已收到', seen);
    expect(heard.content).toContain(liaison.name);
    await untilCardHas(detail.messageId, '：已收到');
    expect(bot.sandbox.messages.get(detail.messageId)!.content).toContain('批示落实');
    // The head's copy shows the unit's answer too, and 收到 again is not stored twice.
    await untilCardHas(headCard.messageId, '落实反馈');
    expect(labels(cardOf(headCard.messageId))).not.toContain('收到');
    const unitId = (await prisma.unit.findUniqueOrThrow({ where: { code: 'andong-district' } })).id;
    const again = await bot.sandbox.clickCard({ openId: head.openId, messageId: headCard.messageId, value: { a: 'instruction.received', v: 1, i: instructionId, u: unitId } });
    expect(again.toast).toMatchObject({ type: 'info', content: `本单位已确认收到（${liaison.name}）` });
    expect(await prisma.instructionReply.count({ where: { instructionId } })).toBe(1);

    // 反馈措施 needs the text, within 500 characters; nothing is stored otherwise.
    const measures = valueOf(headCard, '反馈措施');
    const empty = await bot.sandbox.clickCard({ openId: head.openId, messageId: headCard.messageId, value: measures, formValue: { measures: '  ' } });
    expect(empty.toast).toMatchObject({ type: 'warning', content: '请填写落实措施后再提交反馈' });
    const long = await bot.sandbox.clickCard({ openId: head.openId, messageId: headCard.messageId, value: measures, formValue: { measures: '措'.repeat(501) } });
    expect(long.toast?.content).toBe('「落实措施」最多 500 字，当前 501 字，请精简后重新提交');
    expect(await prisma.instructionReply.count({ where: { instructionId } })).toBe(1);

    seen = mark();
    const fed = await bot.sandbox.clickCard({ openId: head.openId, messageId: headCard.messageId, value: measures, formValue: { measures: '已约见 3 家停产企业，协调订单和流动资金，预计月底复产' } });
    expect(fed.toast).toMatchObject({ type: 'success', content: `落实措施已反馈给${vice.name}` });
    const rows = await prisma.instructionReply.findMany({ where: { instructionId }, orderBy: { at: 'asc' } });
    expect(rows.map((r) => [r.kind, r.authorId])).toEqual([['RECEIVED', liaison.id], ['MEASURES', head.id]]);
    const notice = await waitFor(vice.openId, '批示落实反馈', seen);
    expect(notice.content).toContain('协调订单和流动资金');
    await untilCardHas(detail.messageId, '协调订单和流动资金');
    // The vice-mayor opening the warning again sees both answers.
    const open = await bot.sandbox.clickCard({ openId: vice.openId, messageId: detail.messageId, value: { a: 'warning.open', v: 1, w: warningId } });
    const body = JSON.stringify(open.card?.data);
    expect(body).toContain('批示落实');
    expect(body).toContain(`${liaison.name}`);
    expect(body).toContain('反馈措施：已约见 3 家停产企业');
    expect(await prisma.auditLog.count({ where: { action: 'instruction.reply' } })).toBe(2);
  });

  it('the assigning leader hears progress and close-out; 申请销号 needs 100 % and a note', async () => {
    const vice = await personOf({ code: 'zhao-mingyuan' });
    const liaison = await personOf({ unit: 'andong-district', role: 'LIAISON' });
    let seen = mark();
    const assigned = await bot.sandbox.clickCard({
      openId: vice.openId, messageId: detail.messageId, value: { a: 'warning.assign', v: 1, w: warningId },
      formValue: { title: '停产企业复产计划', unit: 'andong-district', due: '2026-12-18 +0800' },
    });
    expect(assigned.toast?.type).toBe('success');
    expect(JSON.stringify(assigned.card?.data)).toContain('待办理');
    const taskCard = await waitFor(liaison.openId, '停产企业复产计划', seen);
    const task = await prisma.task.findFirstOrThrow({ where: { warningId } });

    seen = mark();
    const progress = await bot.sandbox.clickCard({ openId: liaison.openId, messageId: taskCard.messageId, value: { a: 'task.progress', v: 1, t: task.id }, formValue: { progress: '50', note: '两家企业已复产' } });
    expect(progress.toast?.type).toBe('success');
    const heard = await waitFor(vice.openId, '交办事项进展', seen);
    expect(heard.content).toContain('两家企业已复产');
    expect(heard.content).toContain('50%');
    // The warning card it was assigned on no longer says 待办理.
    await untilCardHas(detail.messageId, '办理中 50%');
    expect(bot.sandbox.messages.get(detail.messageId)!.content).not.toContain('待办理');

    // 申请销号 below 100 %, or without a note: refused, nothing stored.
    const updates = await prisma.taskUpdate.count({ where: { taskId: task.id } });
    const low = await bot.sandbox.clickCard({ openId: liaison.openId, messageId: taskCard.messageId, value: { a: 'task.request-close', v: 1, t: task.id }, formValue: { progress: '75', note: '基本完成' } });
    expect(low.toast).toMatchObject({ type: 'warning', content: '申请销号须将办理进度选为「100%（已办结）」，请修改后重新提交。' });
    const bare = await bot.sandbox.clickCard({ openId: liaison.openId, messageId: taskCard.messageId, value: { a: 'task.request-close', v: 1, t: task.id }, formValue: { progress: '100' } });
    expect(bare.toast).toMatchObject({ type: 'warning', content: '申请销号须填写办理情况（说明办结的成效和佐证），请填写后重新提交。' });
    const viaProgress = await bot.sandbox.clickCard({ openId: liaison.openId, messageId: taskCard.messageId, value: { a: 'task.progress', v: 1, t: task.id }, formValue: { progress: '100', note: ' ' } });
    expect(viaProgress.toast?.type).toBe('warning');
    expect(await prisma.taskUpdate.count({ where: { taskId: task.id } })).toBe(updates);
    expect(await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).toMatchObject({ status: 'IN_PROGRESS', progress: 50 });

    seen = mark();
    const request = await bot.sandbox.clickCard({ openId: liaison.openId, messageId: taskCard.messageId, value: { a: 'task.request-close', v: 1, t: task.id }, formValue: { progress: '100', note: '全部复产，附复产证明' } });
    expect(request.toast?.type).toBe('success');
    const asked = await waitFor(vice.openId, '交办事项申请销号', seen);
    expect(asked.content).toContain('全部复产，附复产证明');
    await untilCardHas(detail.messageId, '待销号');

    const organiser = await personOf({ unit: 'meeting-office', role: 'ORGANISER' });
    const review = await waitFor(organiser.openId, '销号审核：停产企业复产计划', seen);
    seen = mark();
    const closed = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: review.messageId, value: { a: 'task.close', v: 1, t: task.id } });
    expect(closed.toast?.type).toBe('success');
    await waitFor(vice.openId, '交办事项已销号', seen);
    await untilCardHas(detail.messageId, '已销号');

    // The leader's 查看事项 shows the task without the unit's form.
    const open = await bot.sandbox.clickCard({ openId: vice.openId, messageId: asked.messageId, value: valueOf(asked, '查看事项') });
    expect(JSON.stringify(open.card?.data)).toContain('停产企业复产计划');
    expect(labels(open.card?.data)).toEqual([]);
  });

  it('a unit head opening a task mid-way sees the unit\'s form, the assigning leader does not', async () => {
    const vice = await personOf({ code: 'zhao-mingyuan' });
    const head = await personOf({ unit: 'andong-district', role: 'HEAD' });
    const liaison = await personOf({ unit: 'andong-district', role: 'LIAISON' });
    const seen = mark();
    await bot.sandbox.clickCard({
      openId: vice.openId, messageId: detail.messageId, value: { a: 'warning.assign', v: 1, w: warningId },
      formValue: { title: '重点企业用工保障', unit: 'andong-district', due: '2026-12-25 +0800' },
    });
    await waitFor(liaison.openId, '重点企业用工保障', seen);
    const task = await prisma.task.findFirstOrThrow({ where: { title: '重点企业用工保障' } });
    const asHead = await bot.sandbox.clickCard({ openId: head.openId, messageId: headCardId, value: { a: 'task.open', v: 1, t: task.id } });
    expect(labels(asHead.card?.data)).toEqual(expect.arrayContaining(['更新进度', '申请销号']));
    const asLeader = await bot.sandbox.clickCard({ openId: vice.openId, messageId: detail.messageId, value: { a: 'task.open', v: 1, t: task.id } });
    expect(labels(asLeader.card?.data)).toEqual([]);
    expect(JSON.stringify(asLeader.card?.data)).toContain('进度更新和申请销号时，您会收到通知');
  });

  it('delivered every notice and card update: Feishu refused none', async () => {
    await settle(bot.ctx);
    expect(await prisma.outboundMessage.findMany({ where: { status: 'FAILED' }, select: { dedupeKey: true, lastError: true } })).toEqual([]);
    const updates = await prisma.outboundMessage.findMany({ where: { kind: 'UPDATE_CARD', dedupeKey: { contains: '-leader' } }, select: { dedupeKey: true, status: true } });
    // 收到 and 反馈措施; progress, 申请销号 and 销号: each updated the leader's warning card.
    expect(updates.map((u) => u.status)).toEqual(Array(5).fill('SENT'));
  });
});
