// The 研判 → 预警 → 应策 → 推动 → 问效 loop in the sandbox: a submission turns a light red, the vice-mayor's
// digest arrives (once: an unchanged light is not pushed again), 为什么 explains it, 已阅, 批示 reaches the
// unit, 交办 creates a task, the unit reports progress and asks for close-out, the organiser closes it.
import { describe, expect, it } from 'vitest';
import { startTestBot } from './support/bot.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { collectionHandlers, runPlan } from '../jobs/collection.job.ts';
import { fieldNames } from '../cards/collection-form.ts';
import { assignedIndicators } from '../src/modules/collection/collection.repo.ts';

// Wednesday 2026-12-02, 10:00 Beijing: the November report is open.
const clock = fixedClock('2026-12-02T02:00:00Z');
const bot = await startTestBot({ clock });
const { prisma } = bot.ctx;
const deps = { prisma, clock, logger: bot.ctx.logger, queues: bot.ctx.queues };

const mark = () => new Set(bot.sandbox.messages.all().map((m) => m.messageId));
const cardsTo = (openId: string) => bot.sandbox.messages.toUser(openId).filter((m) => m.msgType === 'interactive');
const waitFor = (openId: string, contains: string, seen = new Set<string>()) =>
  bot.sandbox.messages.waitFor((m) => m.msgType === 'interactive' && !seen.has(m.messageId) && m.content.includes(contains) && cardsTo(openId).some((x) => x.messageId === m.messageId), 15_000);
async function personOf(where: { unit?: string; role?: 'LIAISON' | 'HEAD' | 'ORGANISER'; code?: string }) {
  if (where.code) {
    const p = await prisma.person.findUniqueOrThrow({ where: { code: where.code } });
    return { openId: p.openId!, name: p.name, id: p.id };
  }
  const r = await prisma.unitRole.findFirstOrThrow({ where: { role: where.role!, unit: { code: where.unit! } }, include: { person: true }, orderBy: { person: { code: 'asc' } } });
  return { openId: r.person.openId!, name: r.person.name, id: r.person.id };
}

describe('the warning loop', () => {
  it('a red light reaches the vice-mayor in charge as one digest, and 为什么 explains it', async () => {
    await runPlan(deps, 'monthly');
    const period = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2026-11', cycle: { code: 'monthly' } } });
    await collectionHandlers(deps)['collection.open.v1']({ periodId: period.id });
    const liaison = await personOf({ unit: 'andong-district', role: 'LIAISON' });
    const card = await waitFor(liaison.openId, '2026年11月');
    const report = await prisma.unitReport.findFirstOrThrow({ where: { periodId: period.id, unit: { code: 'andong-district' } } });
    const cycle = await prisma.reportingCycle.findUniqueOrThrow({ where: { code: 'monthly' } });
    const inds = await assignedIndicators(prisma, cycle.id, report.unitId, '2026-11');
    const names = fieldNames(inds.map((i) => i.code));
    const fv: Record<string, string> = {};
    for (const [i, ind] of inds.entries()) {
      const n = names[ind.code]!;
      fv[n.value] = `${1000 + i * 100}`;
      // 规上工业增加值 far below its 7.0 % target: red (gap 6 points > 5).
      fv[n.growth] = ind.code === 'industrial-va' ? '1.0' : '9.5';
      fv[n.problems] = '重点企业订单下滑，两家企业停产检修';
      fv[n.measures] = '逐企走访，协调订单和要素保障';
    }
    const vice = await personOf({ code: 'zhao-mingyuan' });
    const seen = mark();
    const res = await bot.sandbox.clickCard({ openId: liaison.openId, messageId: card.messageId, value: { a: 'report.submit', v: 1, r: report.id, p: 1 }, formValue: fv });
    expect(res.toast?.type).toBe('success');

    const digest = await waitFor(vice.openId, '规模以上工业增加值', seen);
    expect(digest.content).toContain('鞍东区');
    expect(digest.content).toContain('低于目标进度');
    const warning = await prisma.warning.findFirstOrThrow({ where: { periodId: period.id, unitId: report.unitId, indicator: { code: 'industrial-va' } }, include: { changes: true } });
    expect(warning.level).toBe('RED');
    expect(warning.changes.map((c) => [c.fromLevel, c.toLevel])).toEqual([[null, 'RED']]);
    // The lead department's head and the unit head are told too; the other vice-mayors are not.
    const head = await personOf({ unit: 'andong-district', role: 'HEAD' });
    await waitFor(head.openId, '规模以上工业增加值', seen);
    const otherVice = await personOf({ code: 'sun-yaqin' });
    expect(cardsTo(otherVice.openId).filter((m) => m.content.includes('规模以上工业增加值'))).toHaveLength(0);

    // An unchanged light is not pushed again when the unit edits another figure.
    const digests = () => cardsTo(vice.openId).filter((m) => m.content.includes('规模以上工业增加值')).length;
    const before = digests();
    const retail = inds.find((i) => i.code === 'retail-sales')!;
    const edit = { ...fv, [names[retail.code]!.value]: '1350', edit_reason: '补录' };
    const again = await bot.sandbox.clickCard({ openId: liaison.openId, messageId: card.messageId, value: { a: 'report.submit', v: 1, r: report.id, p: 1 }, formValue: edit });
    expect(again.toast).toMatchObject({ type: 'success', content: '修改已保存' });
    await new Promise((r) => setTimeout(r, 2000));
    expect(digests()).toBe(before);

    const asked = mark();
    await bot.sandbox.userSays(vice.openId, '为什么 规上工业增加值 鞍东区');
    const why = await waitFor(vice.openId, '低于目标进度', asked);
    expect(why.content).toContain('红');
  });

  it('已阅, then 批示 reaches the unit, 交办 creates a task, progress and close-out', async () => {
    const vice = await personOf({ code: 'zhao-mingyuan' });
    const warning = await prisma.warning.findFirstOrThrow({ where: { indicator: { code: 'industrial-va' }, unit: { code: 'andong-district' } } });
    const list = cardsTo(vice.openId).find((m) => m.content.includes(warning.id))!;
    // 查看 on the digest keeps the digest and brings the detail card as a message of its own.
    const before = mark();
    const opened = await bot.sandbox.clickCard({ openId: vice.openId, messageId: list.messageId, value: { a: 'warning.open', v: 1, w: warning.id, s: 'digest' } });
    expect(opened.card).toBeUndefined();
    const digest = await waitFor(vice.openId, '批示', before);
    expect(digest.content).toContain('预警原因');
    expect(bot.sandbox.messages.get(list.messageId)?.content).toContain(warning.id);

    const ack = await bot.sandbox.clickCard({ openId: vice.openId, messageId: digest.messageId, value: { a: 'warning.ack', v: 1, w: warning.id } });
    expect(ack.toast?.type).toBe('success');
    expect((await prisma.warning.findUniqueOrThrow({ where: { id: warning.id } })).acknowledgedById).toBe(vice.id);

    const liaison = await personOf({ unit: 'andong-district', role: 'LIAISON' });
    let seen = mark();
    const ins = await bot.sandbox.clickCard({
      openId: vice.openId,
      messageId: digest.messageId,
      value: { a: 'warning.instruct', v: 1, w: warning.id },
      formValue: { instruction: '请经信局牵头，本周内摸清停产企业情况并报送复产计划', units: ['andong-district'] },
    });
    expect(ins.toast?.type).toBe('success');
    const instruction = await waitFor(liaison.openId, '摸清停产企业情况', seen);
    expect(instruction.content).toContain(vice.name);

    seen = mark();
    const assigned = await bot.sandbox.clickCard({
      openId: vice.openId,
      messageId: digest.messageId,
      value: { a: 'warning.assign', v: 1, w: warning.id },
      formValue: { title: '停产企业复产计划', unit: 'andong-district', due: '2026-12-18 +0800' },
    });
    expect(assigned.toast?.type).toBe('success');
    const taskCard = await waitFor(liaison.openId, '停产企业复产计划', seen);
    const task = await prisma.task.findFirstOrThrow({ where: { warningId: warning.id } });
    expect(task.dueDate.toISOString().slice(0, 10)).toBe('2026-12-18');

    const progress = await bot.sandbox.clickCard({ openId: liaison.openId, messageId: taskCard.messageId, value: { a: 'task.progress', v: 1, t: task.id }, formValue: { progress: '75', note: '两家企业已复产' } });
    expect(progress.toast?.type).toBe('success');
    expect(await prisma.taskUpdate.count({ where: { taskId: task.id, progress: 75 } })).toBe(1);

    const organiser = await personOf({ unit: 'meeting-office', role: 'ORGANISER' });
    seen = mark();
    const request = await bot.sandbox.clickCard({ openId: liaison.openId, messageId: taskCard.messageId, value: { a: 'task.request-close', v: 1, t: task.id }, formValue: { progress: '100', note: '全部复产' } });
    expect(request.toast?.type).toBe('success');
    const review = await waitFor(organiser.openId, '停产企业复产计划', seen);
    const closed = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: review.messageId, value: { a: 'task.close', v: 1, t: task.id } });
    expect(closed.toast?.type).toBe('success');
    expect((await prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe('DONE');
    const audit = await prisma.auditLog.findMany({ where: { action: { in: ['warning.ack', 'warning.instruct', 'warning.assign', 'warning.push'] } } });
    expect(new Set(audit.map((a) => a.action))).toEqual(new Set(['warning.ack', 'warning.instruct', 'warning.assign', 'warning.push']));
  });
});
