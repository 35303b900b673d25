// Issue 12, the rough edges officials hit, each as they meet it in the sandbox: the organisers' first
// message about a missing holiday calendar in plain Chinese, 帮助 by role, leave as people say it (下周一,
// rest days questioned, 取消请假, the backup told on the first day), and the problem ledger from 登记问题 to
// 办结 with the person who registered it hearing the outcome.
import { describe, expect, it } from 'vitest';
import { startTestBot, type TestBot } from './support/bot.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { collectionHandlers } from '../jobs/collection.job.ts';

// Monday 2026-12-28, 10:00 in Beijing: December's figures are due in January 2027, a year no holiday
// package knows yet and the demo city does not declare.
const clock = fixedClock('2026-12-28T02:00:00Z');
const bot: TestBot = await startTestBot({ clock });
const { prisma } = bot.ctx;
const deps = { prisma, clock, logger: bot.ctx.logger, queues: bot.ctx.queues };
const jobs = collectionHandlers(deps);

async function person(unitCode: string, role: 'LIAISON' | 'BACKUP_LIAISON' | 'HEAD' | 'ORGANISER') {
  const r = await prisma.unitRole.findFirstOrThrow({ where: { role, unit: { code: unitCode } }, include: { person: true }, orderBy: { person: { code: 'asc' } } });
  return { id: r.person.id, openId: r.person.openId!, name: r.person.name };
}
const mark = () => new Set(bot.sandbox.messages.all().map((m) => m.messageId));
const cardsTo = (openId: string, seen: Set<string> = new Set()) =>
  bot.sandbox.messages.toUser(openId).filter((m) => m.msgType === 'interactive' && !seen.has(m.messageId));
async function waitForCard(openId: string, contains: string, seen: Set<string> = new Set()) {
  return bot.sandbox.messages.waitFor(
    (m) => m.msgType === 'interactive' && !seen.has(m.messageId) && m.content.includes(contains) && bot.sandbox.messages.toUser(openId).some((x) => x.messageId === m.messageId),
    10_000,
  );
}
/** The words of a card as a person reads them: its title and its markdown. */
function words(content: string): string {
  const out: string[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if ((o.tag === 'markdown' || o.tag === 'plain_text') && typeof o.content === 'string') out.push(o.content);
      Object.values(o).forEach(walk);
    }
  };
  walk(JSON.parse(content));
  return out.join('\n');
}
/** What a person reads on the card answering their message. */
async function ask(openId: string, text: string) {
  const said = await bot.sandbox.userSays(openId, text);
  return (await bot.sandbox.messages.waitFor((m) => m.parentId === said.messageId, 10_000)).content;
}

describe('the missing calendar year, as the organisers read it', () => {
  it('says in Chinese which deadline cannot be set and what to add, without config keys or English', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const notice = await waitForCard(organiser.openId, '报送日程无法安排');
    expect(notice.content).toContain('2027 年法定节假日安排尚未录入');
    expect(notice.content).toContain('暂无法排定');
    expect(notice.content).toContain('请在城市配置中补充 2027 年的放假和调休日期');
    // Nothing in English or config-speak: no Latin words at all (markup aside).
    expect(words(notice.content).replace(/<\/?font[^>]*>/g, '')).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('answers 预览 the same way', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const text = await ask(organiser.openId, '预览 monthly 2026-12');
    expect(text).toContain('2027 年法定节假日安排尚未录入');
    expect(text).not.toContain('calendar.years');
  });
});

describe('帮助 by role', () => {
  it('shows a liaison leave and no organiser commands; an organiser the ledger; a leader the ranking', async () => {
    const liaison = await person('anxi-district', 'LIAISON');
    const organiser = await person('meeting-office', 'ORGANISER');
    const leader = await prisma.leader.findFirstOrThrow({ where: { rank: 'DEPUTY' }, include: { person: true } });
    const forLiaison = await ask(liaison.openId, '帮助');
    expect(forLiaison).toContain('**取消请假**');
    for (const c of ['关闭报送', '催报', '**问题台账**', '约谈 鞍东区']) expect(forLiaison).not.toContain(c);
    expect(await ask(organiser.openId, '帮助')).toContain('**问题台账**');
    const forLeader = await ask(leader.person.openId!, '帮助');
    expect(forLeader).toContain('**排名 [2026-11]**');
    expect(forLeader).not.toContain('请假');
  });
});

describe('leave as people say it', () => {
  it('reads 下周一到下周三 and names the days with their weekdays', async () => {
    clock.set('2026-12-02T02:00:00Z'); // Wednesday
    const liaison = await person('anxi-district', 'LIAISON');
    const backup = await person('anxi-district', 'BACKUP_LIAISON');
    const text = await ask(liaison.openId, '请假 下周一到下周三');
    expect(text).toContain('12月7日（周一） 至 12月9日（周三）');
    expect(text).toContain(`备用联络员 **${backup.name}**`);
    const leave = await prisma.leave.findFirstOrThrow({ where: { personId: liaison.id, cancelledAt: null } });
    expect([leave.startDate.toISOString().slice(0, 10), leave.endDate.toISOString().slice(0, 10)]).toEqual(['2026-12-07', '2026-12-09']);
    // The notice to the backup waits for the first day, 09:00.
    const job = await prisma.followUp.findUniqueOrThrow({ where: { jobId: `leave-start-${leave.id}` } });
    expect(job.runAt?.toISOString()).toBe('2026-12-07T01:00:00.000Z');
    // 状态 shows it the same way, with how to undo it.
    expect(await ask(liaison.openId, '状态')).toContain('12月7日（周一） 至 12月9日（周三）（发送「取消请假」可撤销）');
  });

  it('questions a leave on rest days only, registers it when confirmed, and refuses an unreadable day', async () => {
    const liaison = await person('anxi-district', 'LIAISON');
    const before = await prisma.leave.count({ where: { personId: liaison.id } });
    const asked = await ask(liaison.openId, '请假 周六 至 周日');
    expect(asked).toContain('请确认请假日期');
    expect(asked).toContain('12月5日（周六） 至 12月6日（周日） 都是休息日');
    expect(asked).toContain('请假 周六 至 周日 确认');
    expect(await prisma.leave.count({ where: { personId: liaison.id } })).toBe(before);
    expect(await ask(liaison.openId, '请假 周六 至 周日 确认')).toContain('休假已登记');
    expect(await prisma.leave.count({ where: { personId: liaison.id } })).toBe(before + 1);
    // A workday in the range is no question.
    expect(await ask(liaison.openId, '请假 12月4日至12月6日')).toContain('休假已登记');
    expect(await ask(liaison.openId, '请假 下周')).toContain('请假格式有误');
    expect(await prisma.leave.count({ where: { personId: liaison.id } })).toBe(before + 2);
  });

  it('tells the backup on the first day that they cover the unit, once', async () => {
    const liaison = await person('anxi-district', 'LIAISON');
    const backup = await person('anxi-district', 'BACKUP_LIAISON');
    const leave = await prisma.leave.findFirstOrThrow({ where: { personId: liaison.id, startDate: new Date('2026-12-07T00:00:00Z') } });
    clock.set('2026-12-07T01:00:00Z');
    const seen = mark();
    await jobs['collection.leave-start.v1']({ leaveId: leave.id });
    const card = await waitForCard(backup.openId, '开始代为报送', seen);
    expect(card.content).toContain(`联络员 **${liaison.name}** 休假（12月7日（周一） 至 12月9日（周三））`);
    expect(card.content).toContain('由您作为备用联络员代为报送');
    // A retried job sends nothing more.
    await jobs['collection.leave-start.v1']({ leaveId: leave.id });
    await new Promise((r) => setTimeout(r, 300));
    expect(cardsTo(backup.openId, seen).filter((m) => m.content.includes('开始代为报送'))).toHaveLength(1);
  });

  it('取消请假 ends the leave; the backup hears it is over; a cancelled leave tells nobody on its first day', async () => {
    const liaison = await person('anxi-district', 'LIAISON');
    const backup = await person('anxi-district', 'BACKUP_LIAISON');
    clock.set('2026-12-08T02:00:00Z');
    expect(await ask(liaison.openId, '请假 12月14日')).toContain('休假已登记');
    const later = await prisma.leave.findFirstOrThrow({ where: { personId: liaison.id, startDate: new Date('2026-12-14T00:00:00Z') } });
    const seen = mark();
    const text = await ask(liaison.openId, '取消请假');
    expect(text).toContain('请假已取消');
    expect(text).toContain('已取消 12月7日（周一） 至 12月9日（周三） 的请假');
    expect(text).toContain('已取消 12月14日（周一） 至 12月14日（周一） 的请假');
    expect(await prisma.leave.count({ where: { personId: liaison.id, cancelledAt: null, endDate: { gte: new Date('2026-12-08T00:00:00Z') } } })).toBe(0);
    expect((await waitForCard(backup.openId, '代为报送结束', seen)).content).toContain(`${liaison.name} 已销假`);
    clock.set('2026-12-14T01:00:00Z');
    await jobs['collection.leave-start.v1']({ leaveId: later.id });
    await new Promise((r) => setTimeout(r, 300));
    expect(cardsTo(backup.openId, seen).filter((m) => m.content.includes('开始代为报送'))).toHaveLength(0);
    expect(await ask(liaison.openId, '取消请假')).toContain('没有可取消的请假');
  });
});

describe('问题台账: registered, assigned, answered, closed', () => {
  it('runs the loop, each step by the one allowed to take it, and the reporter hears the outcome', async () => {
    clock.set('2026-12-09T02:00:00Z');
    const reporter = await person('songling-county', 'LIAISON');
    const organiser = await person('meeting-office', 'ORGANISER');
    const commerce = await person('commerce', 'LIAISON');
    const said = await bot.sandbox.userSays(reporter.openId, '登记问题');
    const form = await bot.sandbox.messages.waitFor((m) => m.parentId === said.messageId, 10_000);
    const registered = await bot.sandbox.clickCard({
      openId: reporter.openId, messageId: form.messageId, value: { a: 'problem.submit', v: 1 }, tag: 'button', name: 'submit',
      formValue: { title: '出口订单结汇慢', enterprise: '松岭纺织', description: '外贸订单回款结汇周期约 40 天，流动资金紧张' },
    });
    expect(registered.toast?.type).toBe('success');
    const problem = await prisma.problem.findFirstOrThrow({ where: { title: '出口订单结汇慢' } });

    // Only the office sees the ledger.
    expect(await ask(reporter.openId, '问题台账')).toContain('仅供经济运行例会办公室使用');
    const said2 = await bot.sandbox.userSays(organiser.openId, '问题台账');
    const ledger = await bot.sandbox.messages.waitFor((m) => m.parentId === said2.messageId, 10_000);
    expect(ledger.content).toContain('出口订单结汇慢');
    expect(ledger.content).toContain('待交办');

    const opened = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: ledger.messageId, value: { a: 'problem.view', v: 1, p: problem.id } });
    expect(JSON.stringify(opened.card)).toContain('交办给承办单位');

    let seen = mark();
    const assigned = await bot.sandbox.clickCard({
      openId: organiser.openId, messageId: ledger.messageId, value: { a: 'problem.assign', v: 1, p: problem.id },
      formValue: { problem_unit: 'commerce', problem_note: '请一周内协调外汇管理部门并答复' },
    });
    expect(assigned.toast).toEqual({ type: 'success', content: '已交办给 市商务局' });
    const toUnit = await waitForCard(commerce.openId, '问题交办：出口订单结汇慢', seen);
    expect(toUnit.content).toContain('请一周内协调外汇管理部门并答复');
    const told = await waitForCard(reporter.openId, '问题已交办', seen);
    expect(told.content).toContain('市商务局');

    // Another unit cannot answer (a forged click on a card the reporter has); an empty answer is refused; nothing changes.
    const wrong = await bot.sandbox.clickCard({ openId: reporter.openId, messageId: told.messageId, value: { a: 'problem.answer', v: 1, p: problem.id }, formValue: { problem_answer: '已处理' } });
    expect(wrong.toast?.content).toContain('只有承办单位（市商务局）');
    const empty = await bot.sandbox.clickCard({ openId: commerce.openId, messageId: toUnit.messageId, value: { a: 'problem.answer', v: 1, p: problem.id }, formValue: { problem_answer: '  ' } });
    expect(empty.toast?.content).toBe('请填写办理情况后再提交答复');
    // Closing before the answer is refused.
    const early = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: ledger.messageId, value: { a: 'problem.close', v: 1, p: problem.id }, formValue: {} });
    expect(early.toast?.content).toBe('承办单位尚未答复，答复后才能办结。');
    expect((await prisma.problem.findUniqueOrThrow({ where: { id: problem.id } })).answer).toBeNull();

    seen = mark();
    const answered = await bot.sandbox.clickCard({ openId: commerce.openId, messageId: toUnit.messageId, value: { a: 'problem.answer', v: 1, p: problem.id }, formValue: { problem_answer: '已协调开通结汇绿色通道，周期缩短至 7 天' } });
    expect(answered.toast).toEqual({ type: 'success', content: '已答复' });
    const toOffice = await waitForCard(organiser.openId, '已答复，请审核办结', seen);

    seen = mark();
    const closed = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: toOffice.messageId, value: { a: 'problem.close', v: 1, p: problem.id }, formValue: { problem_resolution: '企业确认问题已解决' } });
    expect(closed.toast?.content).toBe('已办结，登记人已收到结果');
    const outcome = await waitForCard(reporter.openId, '问题已办结', seen);
    expect(outcome.content).toContain('已协调开通结汇绿色通道，周期缩短至 7 天');
    expect(outcome.content).toContain('企业确认问题已解决');
    expect((await prisma.problem.findUniqueOrThrow({ where: { id: problem.id } })).status).toBe('CLOSED');
    expect(await prisma.auditLog.count({ where: { entityId: problem.id, action: { in: ['problem.assign', 'problem.answer', 'problem.close'] } } })).toBe(3);
    expect(await ask(organiser.openId, '问题台账')).not.toContain('出口订单结汇慢');
  });
});
