// Closing a period safely, in the sandbox with an injected clock (Friday 2026-12-04, 11 days before the
// November report is due): a bare 关闭报送 asks which period; the confirmation card counts the units
// outstanding and extended and warns before the deadline; only 确认关闭 closes, once; the outstanding units
// are told and their blank cards turn; 状态, 催报 and 报送情况 agree that a unit is 未报送（已关闭）, and its
// late submission is a 补报申请. 重新开放 (confirmed) brings the reminders back, an old 确认关闭 is stale, and
// a re-close re-ranks without proposing the seats again. The cards of this flow are checked as Feishu would.
import { describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from './support/bot.ts';
import { closePeriodAsOrganiser } from './support/close-period.ts';
import { cardClicks } from './support/card-clicks.ts';
import { buttonByText, callback, expectValidForFeishu } from './support/cards.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { collectionHandlers } from '../jobs/collection.job.ts';
import { fieldNames, UNIT_FIELDS, collectionFormCard } from '../cards/collection-form.ts';
import { assignedIndicators } from '../src/modules/collection/collection.repo.ts';
import { periodChoiceCard, periodConfirmCard, type PeriodConfirmView } from '../cards/collection-close.ts';
import { reminderCard, unitStatusCard } from '../cards/collection-status.ts';
import { editRequestCard, progressCard } from '../cards/collection-admin.ts';
import type { Card } from '../cards/card.ts';

const clock = fixedClock('2026-12-04T02:00:00Z');
const bot: TestBot = await startTestBot({ clock });
const { prisma } = bot.ctx;
const handlers = collectionHandlers({ prisma, clock, logger: bot.ctx.logger, queues: bot.ctx.queues });
const clicks = cardClicks(prisma, clock);

async function person(unitCode: string, role: 'LIAISON' | 'ORGANISER') {
  const r = await prisma.unitRole.findFirstOrThrow({ where: { role, unit: { code: unitCode } }, include: { person: true }, orderBy: { person: { code: 'asc' } } });
  return { openId: r.person.openId!, name: r.person.name };
}
const cardsTo = (openId: string) => bot.sandbox.messages.toUser(openId).filter((m) => m.msgType === 'interactive');
const mark = () => new Set(bot.sandbox.messages.all().map((m) => m.messageId));
const newCards = (openId: string, seen: Set<string>) => cardsTo(openId).filter((m) => !seen.has(m.messageId));
async function waitForCard(openId: string, contains: string, seen: Set<string> = new Set()) {
  return bot.sandbox.messages.waitFor((m) => m.msgType === 'interactive' && !seen.has(m.messageId) && m.content.includes(contains) && cardsTo(openId).some((x) => x.messageId === m.messageId), 15_000);
}
async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const period = () => prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2026-11', cycle: { code: 'monthly' } } });
const reportOf = async (unitCode: string) => prisma.unitReport.findFirstOrThrow({ where: { periodId: (await period()).id, unit: { code: unitCode } } });
const audits = async (action: string) => prisma.auditLog.count({ where: { action, entityId: (await period()).id } });
async function formFor(unitCode: string) {
  const cycle = await prisma.reportingCycle.findUniqueOrThrow({ where: { code: 'monthly' } });
  const unit = await prisma.unit.findUniqueOrThrow({ where: { code: unitCode } });
  const inds = await assignedIndicators(prisma, cycle.id, unit.id, '2026-11');
  const names = fieldNames(inds.map((i) => i.code));
  const fv: Record<string, string> = {};
  inds.forEach((ind, i) => {
    fv[names[ind.code]!.value] = `${1000 + i * 100}.5`;
    fv[names[ind.code]!.growth] = '9.5';
  });
  return { fv, value: (reportId: string) => ({ a: 'report.submit', v: 1, r: reportId, p: 1, i: inds.map((i) => i.code).join(',') }) };
}
const parse = (content: string) => JSON.parse(content) as Card;

describe('closing a period safely', () => {
  let organiser: { openId: string; name: string };
  let closeCard: { messageId: string; value: Record<string, unknown> };

  it('a bare 关闭报送 lists the open periods and closes nothing; an outsider may not close', async () => {
    organiser = await person('meeting-office', 'ORGANISER');
    // 鞍西区 submits everything; 青山区 gets an extension to 12-18 (still running).
    const anxi = await person('anxi-district', 'LIAISON');
    const report = await reportOf('anxi-district');
    const form = await formFor('anxi-district');
    const card = cardsTo(anxi.openId).find((m) => m.content.includes(report.id))!;
    const sent = await bot.sandbox.clickCard({ openId: anxi.openId, messageId: card.messageId, value: form.value(report.id), formValue: form.fv });
    expect(sent.toast).toMatchObject({ type: 'success', content: '已提交' });
    let seen = mark();
    await bot.sandbox.userSays(organiser.openId, '延期 青山区 12月18日');
    await waitForCard(organiser.openId, '报送已延期', seen);

    seen = mark();
    await bot.sandbox.userSays(organiser.openId, '关闭报送');
    const list = await waitForCard(organiser.openId, '关闭哪一期报送', seen);
    expect(list.content).toContain('月度经济运行报送');
    expect(list.content).toContain('高新区工作组月度台账');
    expect(await prisma.reportingPeriod.count({ where: { status: 'CLOSED' } })).toBe(0);
    // The old form names a month both monthly cycles have: it asks which, too.
    seen = mark();
    await bot.sandbox.userSays(organiser.openId, '关闭报送 2026-11');
    const both = await waitForCard(organiser.openId, '关闭哪一期报送', seen);
    expect(both.content).toContain('高新区工作组月度台账');
    expect(both.content).not.toContain('周报');
    expect(await prisma.reportingPeriod.count({ where: { status: 'CLOSED' } })).toBe(0);

    const qingshan = await person('qingshan-district', 'LIAISON');
    seen = mark();
    await bot.sandbox.userSays(qingshan.openId, '关闭报送 月度经济运行报送 2026-11');
    expect((await waitForCard(qingshan.openId, '无权操作', seen)).content).toContain('仅供经济运行例会办公室使用');

    // Picking the monthly report on the list: its confirmation card in place of the list.
    const row = parse(list.content).body.elements.find((e) => JSON.stringify(e).includes('月度经济运行报送'))!;
    const value = callback(buttonByText(row, '关闭')) as Record<string, unknown>;
    const picked = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: list.messageId, value });
    const confirm = JSON.stringify(picked.card?.data);
    expect(confirm).toContain('确认关闭报送：月度经济运行报送 · 2026年11月');
    expect((await period()).status).toBe('OPEN');
  });

  it('the confirmation counts the units outstanding and extended and warns 11 days before the deadline; 取消 changes nothing', async () => {
    const seen = mark();
    await bot.sandbox.userSays(organiser.openId, '关闭报送 月度经济运行报送 2026-11');
    const card = await waitForCard(organiser.openId, '确认关闭', seen);
    const total = await prisma.unitReport.count({ where: { periodId: (await period()).id } });
    expect(card.content).toContain(`应报单位**：${total} 个，已完成 1 个，**未完成 ${total - 1} 个`);
    expect(card.content).toContain('距截止还有 11 天');
    expect(card.content).toContain('已获延期、延期尚未到期的单位 1 个：鞍江市青山区（至 12月18日');
    expect(card.content).toContain('关闭后延期一并结束');
    closeCard = { messageId: card.messageId, value: callback(buttonByText(parse(card.content), '确认关闭')) as Record<string, unknown> };

    const cancel = callback(buttonByText(parse(card.content), '取消')) as Record<string, unknown>;
    const cancelled = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: card.messageId, value: cancel });
    expect(cancelled.toast?.content).toContain('已取消');
    expect(JSON.stringify(cancelled.card?.data)).toContain('本期报送未关闭');
    expect((await period()).status).toBe('OPEN');
    expect(await audits('period.close')).toBe(0);
  });

  it('确认关闭 closes once, audited; the same button again is answered and changes nothing', async () => {
    const qingshan = await person('qingshan-district', 'LIAISON');
    // The confirmation's value sent from a card in the liaison's own chat.
    const outsider = await bot.sandbox.clickCard({ openId: qingshan.openId, messageId: cardsTo(qingshan.openId)[0]!.messageId, value: closeCard.value });
    expect(outsider.toast?.type).toBe('error');
    expect((await period()).status).toBe('OPEN');

    const first = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: closeCard.messageId, value: closeCard.value });
    expect(first.toast?.type).toBe('success');
    expect(first.toast?.content).toContain('个未完成单位的联络员将收到通知');
    expect(JSON.stringify(first.card?.data)).toContain(`已由 ${organiser.name} 于`);
    const p = await period();
    expect(p.status).toBe('CLOSED');
    // Only the monthly report: the working group's ledger of the same month stays open.
    expect((await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2026-11', cycle: { code: 'wg-monthly' } } })).status).toBe('OPEN');
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'period.close', entityId: p.id } });
    expect(audit.data).toMatchObject({ outstanding: expect.any(Number), extended: 1, daysBeforeDeadline: 11 });

    // The same button again (the sandbox's second delivery of it), and the same value from another rendering.
    const again = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: closeCard.messageId, value: closeCard.value });
    expect(again.toast?.content).toBeTruthy();
    const other = await clicks.click(organiser.openId, closeCard.value);
    expect(other.toast).toMatchObject({ type: 'info' });
    expect(other.toast?.content).toContain(`已由 ${organiser.name} 于`);
    expect(other.outbound).toHaveLength(0);
    expect(await audits('period.close')).toBe(1);
    expect(await prisma.followUp.count({ where: { name: 'collection.period-state.v1' } })).toBe(1);
    const seen = mark();
    await bot.sandbox.userSays(organiser.openId, '关闭报送 月度经济运行报送 2026-11');
    expect((await waitForCard(organiser.openId, '报送已关闭', seen)).content).toContain('重新开放 月度经济运行报送 2026-11');
  });

  it('tells the liaisons of the units still outstanding, not those done; their blank cards turn into 补报', async () => {
    const qingshan = await person('qingshan-district', 'LIAISON');
    const anxi = await person('anxi-district', 'LIAISON');
    const told = await waitForCard(qingshan.openId, '报送已关闭');
    expect(told.content).toContain('本单位未报送（已关闭）');
    expect(told.content).toContain('申请补报');
    expect(cardsTo(anxi.openId).filter((m) => m.content.includes('报送已关闭'))).toHaveLength(0);
    const report = await reportOf('qingshan-district');
    const form = cardsTo(qingshan.openId).find((m) => m.content.includes(report.id) && m.content.includes('report.submit'))!;
    await until(() => cardsTo(qingshan.openId).find((m) => m.messageId === form.messageId)!.content.includes('提交补报申请'), 'the form card to turn');
    const turned = cardsTo(qingshan.openId).find((m) => m.messageId === form.messageId)!.content;
    expect(turned).toContain('未报送（已关闭）');
    expect(turned).not.toContain('12月15日');
  });

  it('状态, 催报 and 报送情况 agree: 未报送（已关闭）, nobody is nudged', async () => {
    const qingshan = await person('qingshan-district', 'LIAISON');
    let seen = mark();
    await bot.sandbox.userSays(qingshan.openId, '状态');
    const status = (await waitForCard(qingshan.openId, '报送状态', seen)).content;
    const monthly = status.slice(status.indexOf('月度经济运行报送'), status.indexOf('月度经济运行报送') + 400);
    expect(monthly).toContain('未报送（已关闭）');
    expect(status).toContain('申请补报');
    expect(monthly).not.toContain('去填报');

    seen = mark();
    await bot.sandbox.userSays(organiser.openId, '催报 青山区');
    const nudge = (await waitForCard(organiser.openId, '无法催报', seen)).content;
    expect(nudge).toContain('青山区 2026年11月：未报送（已关闭）');
    expect(nudge).not.toContain('无需催报');
    expect(newCards(qingshan.openId, seen)).toHaveLength(0);

    seen = mark();
    await bot.sandbox.userSays(organiser.openId, '报送情况 2026-11');
    const progress = await waitForCard(organiser.openId, '报送情况（已关闭）：月度经济运行报送', seen);
    expect(progress.content).toContain('未报送，已关闭');
    expect(progress.content).not.toContain('report.nudge');
    expect(progress.content).not.toContain('逾期');
  });

  it('a late submission is a 补报申请 worded as such; the organiser approves it', async () => {
    const qingshan = await person('qingshan-district', 'LIAISON');
    const report = await reportOf('qingshan-district');
    const card = cardsTo(qingshan.openId).find((m) => m.content.includes(report.id) && m.content.includes('report.submit'))!;
    const form = await formFor('qingshan-district');
    const noReason = await bot.sandbox.clickCard({ openId: qingshan.openId, messageId: card.messageId, value: form.value(report.id), formValue: form.fv });
    expect(noReason.toast?.type).toBe('warning');
    const refusedCard = JSON.stringify(noReason.card?.data);
    expect(refusedCard).toContain('补报说明：未填写');
    expect(refusedCard).not.toContain('修改已报送的数据须说明原因');
    expect(await prisma.editRequest.count({ where: { reportId: report.id } })).toBe(0);

    const seen = mark();
    const res = await bot.sandbox.clickCard({ openId: qingshan.openId, messageId: card.messageId, value: form.value(report.id), formValue: { ...form.fv, [UNIT_FIELDS.reason]: '统计数据未能按期取得' } });
    expect(res.toast?.content).toBe('补报申请已提交，待例会办公室审批');
    expect(JSON.stringify(res.card?.data)).toContain('本次提交作为补报申请');
    expect(await prisma.submission.count({ where: { periodId: report.periodId, unitId: report.unitId } })).toBe(0);
    const request = await waitForCard(organiser.openId, '补报申请：鞍江市青山区', seen);
    expect(request.content).toContain('补报说明');
    const editRequest = await prisma.editRequest.findFirstOrThrow({ where: { reportId: report.id } });
    const approved = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: request.messageId, value: { a: 'edit.approve', v: 1, e: editRequest.id } });
    expect(approved.toast?.content).toBe('已批准，补报的数据已生效');
    expect(await prisma.submission.count({ where: { periodId: report.periodId, unitId: report.unitId } })).toBeGreaterThan(0);
    expect((await waitForCard(qingshan.openId, '补报申请已批准', seen)).content).toContain('数据已计入本期');
  });

  it('重新开放 (confirmed) reopens: the outstanding units are told and their reminders come back; an old 确认关闭 is stale', async () => {
    const andong = await person('andong-district', 'LIAISON');
    const p = await period();
    // Closed: a reminder step sends nothing.
    expect(await handlers['collection.remind.v1']({ periodId: p.id, step: 1 })).toEqual({ sent: 0 });

    const reopened = await closePeriodAsOrganiser(bot, organiser.openId, '2026-11', { action: 'reopen' });
    expect(reopened.confirmation).toContain('确认重新开放报送：月度经济运行报送 · 2026年11月');
    expect(reopened.click.toast?.type).toBe('success');
    expect((await period()).status).toBe('OPEN');
    expect(await audits('period.reopen')).toBe(1);
    const told = await waitForCard(andong.openId, '报送已重新开放');
    expect(told.content).toContain('立即填报');

    const stale = await clicks.click(organiser.openId, closeCard.value);
    expect(stale.toast?.type).toBe('warning');
    expect(stale.toast?.content).toContain('已失效');
    expect((await period()).status).toBe('OPEN');

    const seen = mark();
    const sent = await handlers['collection.remind.v1']({ periodId: p.id, step: 1 });
    expect(sent.sent).toBeGreaterThan(0);
    await waitForCard(andong.openId, '报送提醒', seen);

    // 状态 is open again.
    const seen2 = mark();
    await bot.sandbox.userSays(andong.openId, '状态');
    const status = (await waitForCard(andong.openId, '报送状态', seen2)).content;
    expect(status).toContain('去填报');
    expect(status).not.toContain('已关闭');
  });

  it('a re-close re-ranks without proposing the seats a second time', async () => {
    const p = await period();
    const batches = async () => {
      const ranks = await prisma.followUp.findMany({ where: { name: 'ranking.compute.v1' } });
      const kinds = ranks.map((r) => r.payload as { periodId: string; batch: string }).filter((x) => x.periodId === p.id).map((x) => x.batch.slice(0, x.batch.indexOf('-')));
      return { close: kinds.filter((k) => k === 'close').length, rev: kinds.filter((k) => k === 'rev').length };
    };
    const before = await batches();
    expect(before.close).toBe(1);
    const closed = await closePeriodAsOrganiser(bot, organiser.openId, '2026-11');
    expect(closed.click.toast?.type).toBe('success');
    expect((await period()).status).toBe('CLOSED');
    expect(await batches()).toEqual({ close: 1, rev: before.rev + 1 });
    expect(await audits('period.close')).toBe(2);
  });
});

describe('the cards of closing and reopening', () => {
  const base: PeriodConfirmView = {
    action: 'close', periodId: '3f1c1d2e-0000-4000-8000-000000000001', round: 0, cycleName: '月度经济运行报送', periodLabel: '2026年11月',
    dueText: '12月15日（周二）18:00 前', total: 27, submitted: 2, outstanding: 25, partly: 3,
    outstandingNames: Array.from({ length: 25 }, (_, i) => `单位${i + 1}`), extended: ['鞍西区（至 12月18日（周五）18:00 前）'],
    daysBeforeDeadline: 11, ranks: true, state: 'ask',
  };

  it('the confirmation asks with the counts and the warnings, and after the click says who did it', () => {
    const ask = periodConfirmCard(base);
    expectValidForFeishu(ask);
    const text = JSON.stringify(ask);
    expect(text).toContain('未完成 25 个');
    expect(text).toContain('单位10 等 25 个单位');
    expect(text).toContain('距截止还有 11 天');
    expect(callback(buttonByText(ask, '确认关闭'))).toEqual({ a: 'period.confirm', v: 1, p: base.periodId, w: 'close', n: 0 });
    const done = periodConfirmCard({ ...base, state: 'done', doneBy: '周敏', doneAt: '2026-12-04 10:00' });
    expectValidForFeishu(done);
    expect(JSON.stringify(done)).toContain('已由 周敏 于 2026-12-04 10:00 关闭');
    expect(buttonByText(done, '确认关闭')).toBeUndefined();
    const stale = periodConfirmCard({ ...base, state: 'stale' });
    expect(JSON.stringify(stale)).toContain('已失效');
    const reopen = periodConfirmCard({ ...base, action: 'reopen', daysBeforeDeadline: null, closedText: '2026-12-04 10:00' });
    expectValidForFeishu(reopen);
    expect(JSON.stringify(reopen)).toContain('截止时间已过');
    expect(buttonByText(reopen, '确认重新开放')).toBeDefined();
  });

  it('the list of periods: one button each, a long list summarised', () => {
    const periods = Array.from({ length: 15 }, (_, i) => ({ periodId: `3f1c1d2e-0000-4000-8000-0000000000${10 + i}`, cycleName: '高新区工作组周报', periodLabel: `2026年第${30 + i}周`, when: '截止 12月4日（周五）17:00 前', outstanding: 3, total: 8 }));
    const c = periodChoiceCard({ action: 'close', periods });
    expectValidForFeishu(c);
    expect(JSON.stringify(c)).toContain('另有 3 期未列出');
  });

  it('the unit hears 报送已关闭 with 申请补报; its status, form and the organiser\'s cards say 未报送（已关闭）', () => {
    const closed = reminderCard({ reportId: base.periodId, cycleName: '月度经济运行报送', periodLabel: '2026年11月', unitName: '青山区', dueText: '12月15日（周二）18:00 前', missing: ['规上工业增加值'], kind: 'closed', recipientRole: 'liaison' });
    expectValidForFeishu(closed);
    expect(JSON.stringify(closed)).toContain('本单位未报送（已关闭）');
    expect(buttonByText(closed, '申请补报')).toBeDefined();
    const status = unitStatusCard({ unitName: '青山区', periods: [{ cycleName: '月度经济运行报送', periodLabel: '2026年11月', dueText: '已于 2026-12-04 10:00 关闭', status: 'closed-missing', submitted: 0, total: 6, reportId: base.periodId }] });
    expectValidForFeishu(status);
    expect(JSON.stringify(status)).toContain('未报送（已关闭）');
    expect(buttonByText(status, '去填报')).toBeUndefined();
    const form = collectionFormCard({ reportId: base.periodId, page: 1, pageCount: 1, cycleName: '月度经济运行报送', periodLabel: '2026年11月', unitName: '青山区', dueText: '12月15日（周二）18:00 前', mode: 'late-submit', indicators: [], unitSections: null, messages: [], needsConfirmation: false });
    expectValidForFeishu(form);
    expect(JSON.stringify(form)).toContain('补报说明（必填）');
    expect(buttonByText(form, '提交补报申请')).toBeDefined();
    const progress = progressCard({ cycleName: '月度经济运行报送', periodLabel: '2026年11月', dueText: '12月15日（周二）18:00 前', counts: { submitted: 1, partly: 0, missing: 1, late: 0, total: 2 }, units: [{ reportId: base.periodId, unitName: '青山区', status: 'missing', liaisonName: '王磊' }, { reportId: base.periodId, unitName: '鞍西区', status: 'submitted', liaisonName: null }], exportHint: false, closedText: '2026-12-04 10:00' });
    expectValidForFeishu(progress);
    expect(JSON.stringify(progress)).toContain('青山区（未报送，已关闭）');
    expect(buttonByText(progress, '催报')).toBeUndefined();
    const request = editRequestCard({ editRequestId: base.periodId, unitName: '青山区', periodLabel: '2026年11月', requestedBy: '王磊', requestedAt: '2026-12-05 09:00', reason: '统计数据未能按期取得', changes: [], status: 'pending', kind: 'late-submit' });
    expectValidForFeishu(request);
    expect(JSON.stringify(request)).toContain('补报申请：青山区');
    expect(JSON.stringify(request)).not.toContain('修改原因');
  });
});
