// 交办事项 against a real database and an injected clock: a task for 鞍东区 with its card to the liaison,
// progress by the unit (an outsider refused), 申请销号 with the review cards to the organisers, 退回 with
// the reason told to the owner, 销号 — each click through the use-case contract (parsed at the edge, run
// in one transaction, a redelivery answered from its receipt); the limits on free text; reminder times
// by the work calendar (a Monday after a weekend, National Day 2026), reminders that stay silent for
// closed tasks, the plan in BullMQ, and the bulletin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from './support/db.ts';
import { useTestRedis } from './support/redis.ts';
import { cardClicks } from './support/card-clicks.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { createRedis } from '../src/platform/redis.ts';
import { createQueues, closeQueues, type Queues } from '../src/platform/queues.ts';
import { createLogger } from '../src/platform/logger.ts';
import type { PrismaClient } from '../src/platform/prisma.ts';
import { loadDemoCity } from '../src/modules/demo/demo-city.ts';
import { loadWorkCalendar } from '../src/modules/calendar/calendar.load.ts';
import { createTask, type CreateTaskInput } from '../src/modules/tasks/create-task.ts';
import { overdueTaskCount, overdueTaskCounts } from '../src/modules/tasks/tasks.repo.ts';
import { fireTaskReminder, planTaskReminders, taskReminderTimes } from '../src/modules/tasks/task-reminders.ts';
import { bulletinView, monthlyBulletin } from '../src/modules/tasks/bulletin.ts';
import { taskHandlers } from '../jobs/tasks.job.ts';
import { JOBS } from '../jobs/catalog.ts';

const clock = fixedClock('2026-11-23T02:00:00Z'); // Monday 10:00 in Beijing
let prisma: PrismaClient;
let deps: { prisma: PrismaClient; clock: typeof clock };
let clicks: ReturnType<typeof cardClicks>;

async function personOf(unitCode: string, role: 'LIAISON' | 'BACKUP_LIAISON' | 'HEAD' | 'ORGANISER') {
  const r = await prisma.unitRole.findFirstOrThrow({ where: { role, active: true, unit: { code: unitCode } }, include: { person: true }, orderBy: { person: { code: 'asc' } } });
  return r.person;
}
/** The open_id a click of this unit role comes from. */
async function openIdOf(unitCode: string, role: 'LIAISON' | 'BACKUP_LIAISON' | 'HEAD' | 'ORGANISER') {
  return (await personOf(unitCode, role)).openId!;
}
async function leader(code: string) {
  return prisma.person.findUniqueOrThrow({ where: { code } });
}
async function unitId(code: string) {
  return (await prisma.unit.findUniqueOrThrow({ where: { code } })).id;
}
/** Creates a task for a unit code, in a transaction of its own. */
async function create(unit: string, dueDate: string, extra: Partial<CreateTaskInput> = {}) {
  const assigner = await leader('zhao-mingyuan');
  const id = await unitId(unit);
  return prisma.$transaction((tx) =>
    createTask(tx, clock.now(), { title: '推进重点工业项目投产', unitId: id, dueDate, assignedById: assigner.id, requestKey: `req-${unit}-${dueDate}-${extra.title ?? ''}`, ...extra }),
  );
}
/** A task card's button or form, as Feishu sends it. */
const v = (a: string, taskId: string) => ({ a, v: 1, t: taskId });
const rows = (ids: string[]) => prisma.outboundMessage.findMany({ where: { id: { in: ids } }, orderBy: { dedupeKey: 'asc' } });
const text = (c: unknown) => JSON.stringify(c);
const beijing = (iso: string) => new Date(iso).toISOString();

beforeAll(async () => {
  ({ prisma } = await useTestDatabase());
  deps = { prisma, clock };
  clicks = cardClicks(prisma, clock);
  await loadDemoCity(prisma, clock, { history: false });
});

describe('a task from assignment to close-out', () => {
  let taskId: string;

  it('creates the task once, owned by the liaison, with its card to the liaison', async () => {
    const first = await create('andong-district', '2026-11-30', { title: '推进鞍东区重点工业项目投产', description: '12 月底前完成 3 个项目投产', requestKey: 'assign-1' });
    taskId = first.taskId;
    expect(first.created).toBe(true);
    const liaison = await personOf('andong-district', 'LIAISON');
    const sent = await prisma.outboundMessage.findMany({ where: { dedupeKey: { startsWith: `task-${taskId}-` } } });
    expect(sent).toHaveLength(1);
    const [row] = sent;
    expect(row).toMatchObject({ kind: 'SEND', receiveIdType: 'open_id', receiveId: liaison.openId, msgType: 'interactive', dedupeKey: `task-${taskId}-assigned` });
    expect(text(row!.content)).toContain('推进鞍东区重点工业项目投产');
    expect(text(row!.content)).toContain('待办理');
    expect(text(row!.content)).toContain('11月30日');

    const again = await create('andong-district', '2026-11-30', { title: '推进鞍东区重点工业项目投产', requestKey: 'assign-1' });
    expect(again).toEqual({ taskId, created: false });
    expect(await prisma.outboundMessage.count({ where: { dedupeKey: { startsWith: `task-${taskId}-` } } })).toBe(1);

    const task = await prisma.task.findUniqueOrThrow({ where: { id: taskId }, include: { updates: true } });
    expect(task).toMatchObject({ status: 'OPEN', progress: 0, ownerId: liaison.id, dueDate: new Date('2026-11-30') });
    expect(task.updates).toHaveLength(1);
    expect(await prisma.task.count({ where: { requestKey: 'assign-1' } })).toBe(1);
    expect(await prisma.auditLog.count({ where: { action: 'task.create', entityId: taskId } })).toBe(1);
  });

  it('records progress by the liaison once per click: a redelivery answers the same', async () => {
    const liaison = await openIdOf('andong-district', 'LIAISON');
    const progress = { formValue: { progress: '50', note: '已完成 2 个项目的设备安装' }, key: 'click-1' };
    const res = await clicks.click(liaison, v('task.progress', taskId), progress);
    expect(res.toast).toEqual({ type: 'success', content: '进度已更新：50%' });
    expect(text(res.card)).toContain('办理中');
    expect(text(res.card)).toContain('已完成 2 个项目的设备安装');
    const task = await prisma.task.findUniqueOrThrow({ where: { id: taskId }, include: { updates: { orderBy: { at: 'asc' } } } });
    expect(task).toMatchObject({ status: 'IN_PROGRESS', progress: 50 });
    expect(task.updates.map((u) => [u.status, u.progress, u.note])).toEqual([['OPEN', 0, null], ['IN_PROGRESS', 50, '已完成 2 个项目的设备安装']]);

    const twice = await clicks.click(liaison, v('task.progress', taskId), progress);
    expect(twice.replayed).toBe(true);
    expect(twice.toast).toEqual(res.toast);
    expect(twice.card).toEqual(res.card);
    expect(await prisma.taskUpdate.count({ where: { taskId } })).toBe(2);

    const bad = await clicks.click(liaison, v('task.progress', taskId), { formValue: { note: '没选进度' } });
    expect(bad.toast).toEqual({ type: 'warning', content: '请选择办理进度' });
    expect(await prisma.taskUpdate.count({ where: { taskId } })).toBe(2);
  });

  it('refuses progress from another unit and from an organiser, and shows the task only to those concerned', async () => {
    const outsider = await openIdOf('anxi-district', 'LIAISON');
    const res = await clicks.click(outsider, v('task.progress', taskId), { formValue: { progress: '75' } });
    expect(res.toast?.type).toBe('error');
    expect(res.toast?.content).toContain('您不是鞍江市鞍东区的联络员、备用联络员或主要负责人');
    expect(res.card).toBeUndefined();
    const organiser = await openIdOf('meeting-office', 'ORGANISER');
    expect((await clicks.click(organiser, v('task.request-close', taskId))).toast?.type).toBe('error');
    expect(await clicks.click(outsider, v('task.open', taskId))).toMatchObject({ toast: { type: 'error', content: '您无权查看该交办事项。' } });
    // A leader who did not assign it sees nothing either; the assigning leader and an organiser do.
    const otherLeader = (await leader('sun-yaqin')).openId!;
    expect((await clicks.click(otherLeader, v('task.open', taskId))).card).toBeUndefined();
    expect(text((await clicks.click((await leader('zhao-mingyuan')).openId!, v('task.open', taskId))).card)).toContain('推进鞍东区重点工业项目投产');
    expect(text((await clicks.click(organiser, v('task.open', taskId))).card)).toContain('推进鞍东区重点工业项目投产');
    expect(await prisma.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ status: 'IN_PROGRESS', progress: 50 });
    expect(await prisma.taskUpdate.count({ where: { taskId } })).toBe(2);
  });

  it('answers 「卡片已过期」 for a malformed task id, never 「系统繁忙」', async () => {
    const liaison = await openIdOf('andong-district', 'LIAISON');
    for (const t of ['not-a-uuid', '12345', `${taskId}x`]) {
      const res = await clicks.click(liaison, v('task.open', t));
      expect(res.toast?.content).toContain('卡片已过期');
    }
  });

  it('refuses texts over their limits, naming the field, and stores nothing', async () => {
    const liaison = await openIdOf('andong-district', 'LIAISON');
    const note = '进'.repeat(812);
    const long = await clicks.click(liaison, v('task.progress', taskId), { formValue: { progress: '75', note } });
    expect(long.toast).toEqual({ type: 'warning', content: '「办理情况」最多 500 字，当前 812 字，请精简后重新提交' });
    const closeLong = await clicks.click(liaison, v('task.request-close', taskId), { formValue: { progress: '100', note } });
    expect(closeLong.toast?.content).toBe('「办理情况」最多 500 字，当前 812 字，请精简后重新提交');
    const organiser = await openIdOf('meeting-office', 'ORGANISER');
    const reason = await clicks.click(organiser, v('task.return', taskId), { formValue: { reason: '因'.repeat(201) } });
    expect(reason.toast?.content).toBe('「退回原因」最多 200 字，当前 201 字，请精简后重新提交');
    expect(await prisma.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ status: 'IN_PROGRESS', progress: 50 });
    expect(await prisma.taskUpdate.count({ where: { taskId } })).toBe(2);
    // Exactly at the limit is fine (and counted in characters, not UTF-16 units).
    const atLimit = await clicks.click(liaison, v('task.progress', taskId), { formValue: { progress: '50', note: '😀'.repeat(500) } });
    expect(atLimit.toast?.type).toBe('success');
    expect(await prisma.taskUpdate.count({ where: { taskId } })).toBe(3);
  });

  it('sends the close-out request to every organiser', async () => {
    const backup = await personOf('andong-district', 'BACKUP_LIAISON');
    const res = await clicks.click(backup.openId!, v('task.request-close', taskId), { formValue: { progress: '100', note: '3 个项目均已投产' } });
    expect(res.toast).toEqual({ type: 'success', content: '已申请销号，等待例会办公室审核' });
    expect(text(res.card)).toContain('待销号');
    expect(await prisma.task.findUniqueOrThrow({ where: { id: taskId } })).toMatchObject({ status: 'AWAITING_CLOSE', progress: 100 });

    const organisers = await prisma.person.findMany({ where: { roles: { some: { role: 'ORGANISER', active: true } } } });
    expect(organisers.length).toBeGreaterThan(1);
    // Besides the review cards, the assigning leader is told (tests/loops.test.ts).
    const sent = (await rows(res.outbound)).filter((r) => !r.dedupeKey.includes('-assigner-'));
    expect(sent.map((r) => r.receiveId).sort()).toEqual(organisers.map((o) => o.openId).sort());
    for (const r of sent) {
      expect(r.dedupeKey.startsWith(`task-${taskId}-review-`)).toBe(true);
      expect(text(r.content)).toContain('销号审核：推进鞍东区重点工业项目投产');
      expect(text(r.content)).toContain(backup.name);
      expect(text(r.content)).toContain('3 个项目均已投产');
    }
    // No progress while it waits.
    const liaison = await openIdOf('andong-district', 'LIAISON');
    const late = await clicks.click(liaison, v('task.progress', taskId), { formValue: { progress: '75' } });
    expect(late.toast?.type).toBe('info');
    expect(await prisma.taskUpdate.count({ where: { taskId } })).toBe(4);
  });

  it('refuses 销号 by a liaison, wants a reason for 退回, and tells the owner the reason', async () => {
    const liaison = await openIdOf('andong-district', 'LIAISON');
    const refused = await clicks.click(liaison, v('task.close', taskId));
    expect(refused.toast).toEqual({ type: 'error', content: '只有经济运行例会办公室可以销号或退回交办事项。' });
    expect((await prisma.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe('AWAITING_CLOSE');

    const organiser = await openIdOf('meeting-office', 'ORGANISER');
    const noReason = await clicks.click(organiser, v('task.return', taskId), { formValue: { reason: '  ' } });
    expect(noReason.toast).toEqual({ type: 'warning', content: '请填写退回原因' });
    expect((await prisma.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe('AWAITING_CLOSE');

    const res = await clicks.click(organiser, v('task.return', taskId), { formValue: { reason: '请补充项目投产的验收材料' } });
    expect(res.toast).toEqual({ type: 'success', content: '已退回，已通知责任单位' });
    expect(text(res.card)).toContain('已退回');
    expect((await prisma.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe('IN_PROGRESS');
    const notice = (await rows(res.outbound)).find((r) => r.dedupeKey.startsWith(`task-${taskId}-returned-`));
    expect(notice).toMatchObject({ kind: 'SEND', receiveId: liaison });
    expect(text(notice!.content)).toContain('请补充项目投产的验收材料');
    expect(text(notice!.content)).toContain('已退回');
    expect(await prisma.auditLog.count({ where: { action: 'task.return', entityId: taskId } })).toBe(1);

    // The owner's card shows the reason, and the form again.
    const open = await clicks.click(liaison, v('task.open', taskId));
    expect(text(open.card)).toContain('退回原因');
    expect(text(open.card)).toContain('task_progress_form');
  });

  it('closes on the organiser\'s 销号 after a new request at 100 %, telling the owner and updating the review cards', async () => {
    const liaison = await openIdOf('andong-district', 'LIAISON');
    clock.set('2026-11-24T03:00:00Z');
    const again = await clicks.click(liaison, v('task.progress', taskId), { formValue: { progress: '100', note: '验收材料已补充' } });
    expect(again.toast?.content).toBe('已申请销号，等待例会办公室审核');
    expect((await prisma.task.findUniqueOrThrow({ where: { id: taskId } })).status).toBe('AWAITING_CLOSE');
    // One organiser's review card has been delivered: it is updated with the decision.
    const delivered = (await rows(again.outbound)).find((r) => r.dedupeKey.includes('-review-'))!;
    await prisma.outboundMessage.update({ where: { id: delivered.id }, data: { status: 'SENT', feishuMessageId: 'om_review_1' } });

    const organiser = await personOf('meeting-office', 'ORGANISER');
    const res = await clicks.click(organiser.openId!, v('task.close', taskId));
    expect(res.toast).toEqual({ type: 'success', content: '已销号，已通知责任单位' });
    expect(text(res.card)).toContain('已销号');
    const task = await prisma.task.findUniqueOrThrow({ where: { id: taskId } });
    expect(task).toMatchObject({ status: 'DONE', closedById: organiser.id, closedAt: new Date('2026-11-24T03:00:00Z') });
    const out = await rows(res.outbound);
    const told = out.find((r) => r.kind === 'SEND' && !r.dedupeKey.includes('-assigner-'))!;
    expect(told).toMatchObject({ dedupeKey: `task-${taskId}-closed`, receiveId: liaison });
    expect(text(told.content)).toContain('该事项已销号');
    expect(out.filter((r) => r.kind === 'UPDATE_CARD').map((r) => r.targetMessageId)).toEqual(['om_review_1']);

    // A second organiser on a stale card is told who decided; nothing changes.
    const other = (await prisma.person.findUniqueOrThrow({ where: { code: 'qian-fanfei' } })).openId!;
    const late = await clicks.click(other, v('task.return', taskId), { formValue: { reason: '再看看' } });
    expect(late.toast).toEqual({ type: 'info', content: `该事项已由${organiser.name}销号。` });
    expect(await prisma.taskUpdate.count({ where: { taskId } })).toBe(7);
  });

  it('sends no reminder for a closed task, nor for one awaiting close-out', async () => {
    expect(await fireTaskReminder(deps, { taskId, kind: 'overdue' })).toEqual([]);
    const waiting = await create('andong-district', '2026-12-04', { title: '梳理企业用工缺口', requestKey: 'assign-2' });
    const head = await openIdOf('andong-district', 'HEAD');
    // 申请销号 needs a note: an old reminder's button (no form) is refused; the form with 100 % and a note is not.
    expect((await clicks.click(head, v('task.request-close', waiting.taskId))).toast?.type).toBe('warning');
    expect((await clicks.click(head, v('task.request-close', waiting.taskId), { formValue: { progress: '100', note: '缺口已梳理' } })).toast?.type).toBe('success');
    expect(await fireTaskReminder(deps, { taskId: waiting.taskId, kind: 'due' })).toEqual([]);
  });
});

describe('reminders by the work calendar', () => {
  it('counts workdays around a weekend and around National Day 2026', async () => {
    const cal = await loadWorkCalendar(prisma);
    const times = (due: string) => Object.fromEntries(taskReminderTimes(cal, due).map((r) => [r.kind, r.at.toISOString()]));
    // Due Monday 11-30: two workdays before is Thursday 11-26 (not Saturday), overdue on Tuesday.
    expect(times('2026-11-30')).toEqual({ before: beijing('2026-11-26T01:00:00Z'), due: beijing('2026-11-30T01:00:00Z'), overdue: beijing('2026-12-01T01:00:00Z') });
    // Due Friday 10-09, right after the holiday (10-01…10-07): two workdays before are 10-08 and 09-30;
    // overdue on the make-up Saturday 10-10.
    expect(times('2026-10-09')).toEqual({ before: beijing('2026-09-30T01:00:00Z'), due: beijing('2026-10-09T01:00:00Z'), overdue: beijing('2026-10-10T01:00:00Z') });
    // Due on a holiday (10-05): the due reminder on the last workday before, overdue on the first workday after.
    expect(times('2026-10-05')).toEqual({ before: beijing('2026-09-29T01:00:00Z'), due: beijing('2026-09-30T01:00:00Z'), overdue: beijing('2026-10-08T01:00:00Z') });
  });

  it('plans the next week\'s reminders of open tasks, never far in the past, never before the task existed', async () => {
    clock.set('2026-11-23T02:00:00Z');
    const t = await create('anxi-district', '2026-11-30', { title: '走访重点商贸企业', requestKey: 'assign-3' });
    const mine = async () => (await planTaskReminders(deps)).jobs.filter((j) => j.payload.taskId === t.taskId).map((j) => [j.jobId, j.at.toISOString()]);
    expect(await mine()).toEqual([
      [`task-${t.taskId}-before`, beijing('2026-11-26T01:00:00Z')],
      [`task-${t.taskId}-due`, beijing('2026-11-30T01:00:00Z')],
    ]);
    clock.set('2026-11-27T02:00:00Z');
    expect(await mine()).toEqual([
      [`task-${t.taskId}-due`, beijing('2026-11-30T01:00:00Z')],
      [`task-${t.taskId}-overdue`, beijing('2026-12-01T01:00:00Z')],
    ]);
    // Just after a reminder's time (the worker was down for a while) it is still planned; 12 h later it is not.
    clock.set('2026-11-30T10:00:00Z');
    expect((await mine()).map(([id]) => id)).toEqual([`task-${t.taskId}-due`, `task-${t.taskId}-overdue`]);
    clock.set('2026-11-30T14:00:00Z');
    expect((await mine()).map(([id]) => id)).toEqual([`task-${t.taskId}-overdue`]);

    // Assigned in the National Day week for 10-09: the reminder on 09-30 is before the task existed.
    clock.set('2026-10-06T02:00:00Z');
    const nd = await create('linjiang-district', '2026-10-09', { title: '国庆后复工复产调度', requestKey: 'assign-4' });
    const plan = (await planTaskReminders(deps)).jobs.filter((j) => j.payload.taskId === nd.taskId);
    expect(plan.map((j) => [j.payload.kind, j.at.toISOString()])).toEqual([
      ['due', beijing('2026-10-09T01:00:00Z')],
      ['overdue', beijing('2026-10-10T01:00:00Z')],
    ]);
  });

  it('reminds the owner, and when overdue the unit head as well, each once', async () => {
    clock.set('2026-09-28T02:00:00Z');
    const t = await create('hewan-district', '2026-10-05', { title: '核实重点项目入库情况', requestKey: 'assign-5' });
    // The due reminder comes on 09-30, before the holiday the task is due in: worded as a reminder ahead.
    clock.set('2026-09-30T01:00:00Z');
    const due = await rows(await fireTaskReminder(deps, { taskId: t.taskId, kind: 'due' }));
    expect(due.map((r) => r.receiveId)).toEqual([(await personOf('hewan-district', 'LIAISON')).openId]);
    expect(text(due[0]!.content)).toContain('交办事项即将到期');
    expect(text(due[0]!.content)).toContain('还剩 5 天');

    clock.set('2026-10-08T01:00:00Z');
    const overdue = await rows(await fireTaskReminder(deps, { taskId: t.taskId, kind: 'overdue' }));
    expect(overdue.map((r) => r.receiveId).sort()).toEqual(
      [(await personOf('hewan-district', 'LIAISON')).openId, (await personOf('hewan-district', 'HEAD')).openId].sort(),
    );
    expect(text(overdue[0]!.content)).toContain('交办事项已逾期');
    expect(text(overdue[0]!.content)).toContain('已逾期 3 天');
    expect(await fireTaskReminder(deps, { taskId: t.taskId, kind: 'overdue' })).toEqual([]);
  });

  it('the plan job keeps the reminders in the domain queue, once', async () => {
    const redis = useTestRedis();
    const conn = createRedis(redis.url, 'client');
    const queues: Queues = createQueues(conn, redis.prefix);
    afterAll(async () => {
      await closeQueues(queues);
      conn.disconnect();
    });
    clock.set('2026-11-23T02:00:00Z');
    const handlers = taskHandlers({ prisma, clock, logger: createLogger({ level: 'silent' }), queues });
    const t = await prisma.task.findUniqueOrThrow({ where: { requestKey: 'assign-3' } });
    const first = await handlers['task.plan.v1']();
    expect(first.added).toBeGreaterThanOrEqual(2);
    const job = await queues.domain.getJob(`task-${t.id}-before`);
    expect(job?.name).toBe('task.remind.v1');
    expect(job?.data).toEqual({ taskId: t.id, kind: 'before' });
    expect(await job?.getState()).toBe('delayed');
    expect(await handlers['task.plan.v1']()).toMatchObject({ added: 0, moved: 0 });
    expect(() => JOBS['task.remind.v1'].schema.parse({ taskId: t.id, kind: 'later' })).toThrow();
  });
});

describe('the monthly 问效 bulletin', () => {
  let db: PrismaClient;
  const bclock = fixedClock('2026-10-01T01:00:00Z');
  let bdeps: { prisma: PrismaClient; clock: typeof bclock };

  beforeAll(async () => {
    ({ prisma: db } = await useTestDatabase());
    bdeps = { prisma: db, clock: bclock };
    await loadDemoCity(db, bclock, { history: false });
    const cycle = await db.reportingCycle.findUniqueOrThrow({ where: { code: 'monthly' } });
    const period = (key: string, end: string, due: string) =>
      db.reportingPeriod.create({ data: { cycleId: cycle.id, periodKey: key, startDate: new Date(`${key}-01`), endDate: new Date(end), dueDate: new Date(due), status: 'CLOSED' } });
    const sep = await period('2026-09', '2026-09-30', '2026-10-15');
    const oct = await period('2026-10', '2026-10-31', '2026-11-16');
    const ids = async (unit: string, indicator: string) => ({
      unitId: (await db.unit.findUniqueOrThrow({ where: { code: unit } })).id,
      indicatorId: (await db.indicator.findUniqueOrThrow({ where: { code: indicator } })).id,
    });
    const warn = async (p: { id: string }, unit: string, indicator: string, level: 'GREEN' | 'YELLOW' | 'RED', status: 'OPEN' | 'ACKNOWLEDGED' | 'RESOLVED') =>
      db.warning.create({ data: { periodId: p.id, ...(await ids(unit, indicator)), level, status, computedLevel: level, reasons: [] } });
    await warn(sep, 'andong-district', 'industrial-va', 'YELLOW', 'OPEN');
    await warn(oct, 'andong-district', 'industrial-va', 'RED', 'OPEN'); // red since September
    await warn(oct, 'anxi-district', 'retail-sales', 'YELLOW', 'ACKNOWLEDGED');
    await warn(sep, 'linjiang-district', 'industrial-va', 'RED', 'OPEN'); // superseded by October's green
    await warn(oct, 'linjiang-district', 'industrial-va', 'GREEN', 'RESOLVED');
    await warn(oct, 'hewan-district', 'fai', 'RED', 'RESOLVED');

    const assigner = await db.person.findUniqueOrThrow({ where: { code: 'zhao-mingyuan' } });
    const task = async (unit: string, createdAt: string, due: string, status: 'OPEN' | 'IN_PROGRESS' | 'AWAITING_CLOSE' | 'DONE', closedAt?: string) => {
      bclock.set(createdAt);
      const u = await db.unit.findUniqueOrThrow({ where: { code: unit } });
      const t = await db.$transaction((tx) => createTask(tx, bclock.now(), { title: `事项 ${unit} ${due}`, unitId: u.id, dueDate: due, assignedById: assigner.id, requestKey: `b-${unit}-${due}` }));
      await db.task.update({ where: { id: t.taskId }, data: { status, ...(closedAt ? { closedAt: new Date(closedAt) } : {}) } });
    };
    await task('andong-district', '2026-10-20T02:00:00Z', '2026-11-10', 'OPEN');
    await task('andong-district', '2026-11-02T02:00:00Z', '2026-11-20', 'IN_PROGRESS');
    await task('anxi-district', '2026-11-05T02:00:00Z', '2026-11-25', 'AWAITING_CLOSE');
    await task('anxi-district', '2026-11-05T02:00:00Z', '2026-12-15', 'OPEN');
    await task('linjiang-district', '2026-11-03T02:00:00Z', '2026-11-28', 'DONE', '2026-11-27T02:00:00Z');
    await task('linjiang-district', '2026-09-01T02:00:00Z', '2026-09-30', 'DONE', '2026-10-05T02:00:00Z'); // closed before November
    await task('hewan-district', '2026-12-01T00:00:00Z', '2026-12-20', 'OPEN'); // assigned after November (08:00 on 12-01)
    await task('qingshan-district', '2026-11-01T02:00:00Z', '2026-11-26', 'OPEN');
  });

  it('counts open warnings, tasks by state and overdue tasks by unit', async () => {
    bclock.set('2026-12-01T01:00:00Z'); // Tuesday 09:00, the first workday of December
    const view = await bulletinView(db, '2026-11', bclock.now());
    expect(view.monthLabel).toBe('2026年11月');
    expect(view.openWarnings).toEqual({
      red: 1,
      yellow: 1,
      items: [
        { indicatorName: expect.any(String), unitName: '鞍东区', level: 'RED', since: '2026年9月' },
        { indicatorName: expect.any(String), unitName: '鞍西区', level: 'YELLOW', since: '2026年10月' },
      ],
    });
    expect(view.tasksByState).toEqual({ open: 3, inProgress: 1, awaitingClose: 1, done: 1, overdue: 3 });
    expect(view.overdueByUnit).toEqual([
      { unitName: '鞍江市鞍东区', count: 2, oldestDue: '11月10日' },
      { unitName: expect.stringContaining('青山'), count: 1, oldestDue: '11月26日' },
    ]);

    const andong = (await db.unit.findUniqueOrThrow({ where: { code: 'andong-district' } })).id;
    expect(await overdueTaskCount(db, andong, '2026-12-01')).toBe(2);
    expect(await overdueTaskCount(db, andong, '2026-11-15')).toBe(1);
    const anxi = (await db.unit.findUniqueOrThrow({ where: { code: 'anxi-district' } })).id;
    expect(await overdueTaskCount(db, anxi, '2026-12-01')).toBe(0); // awaiting close-out is not overdue
    expect(await overdueTaskCounts(db, [andong, anxi], '2026-12-01')).toEqual(new Map([[andong, 2]]));
  });

  it('sends one card to each organiser and leader on the first workday, once', async () => {
    bclock.set('2026-12-01T01:00:00Z');
    const people = await db.person.findMany({ where: { active: true, OR: [{ roles: { some: { role: 'ORGANISER', active: true } } }, { leader: { active: true } }] } });
    const ids = await monthlyBulletin(bdeps);
    const sent = await db.outboundMessage.findMany({ where: { id: { in: ids } } });
    expect(sent.map((r) => r.dedupeKey).sort()).toEqual(people.map((p) => `bulletin-2026-11-${p.id}`).sort());
    expect(sent.map((r) => r.receiveId).sort()).toEqual(people.map((p) => p.openId).sort());
    expect(text(sent[0]!.content)).toContain('2026年11月 问效通报');
    expect(text(sent[0]!.content)).toContain('未解除预警 1 红 1 黄 · 逾期事项 3 项');
    expect(await monthlyBulletin(bdeps)).toEqual([]);
    expect(await monthlyBulletin(bdeps, { month: '2026-11' })).toEqual([]);
    // Not a bulletin day: nothing, unless a month is asked for.
    bclock.set('2026-12-10T01:00:00Z');
    expect(await monthlyBulletin(bdeps)).toEqual([]);
  });

  it('waits for the first workday after National Day', async () => {
    bclock.set('2026-10-01T01:00:00Z');
    expect(await monthlyBulletin(bdeps)).toEqual([]);
    bclock.set('2026-10-08T01:00:00Z');
    const ids = await monthlyBulletin(bdeps);
    expect(ids.length).toBeGreaterThan(0);
    const row = await db.outboundMessage.findFirstOrThrow({ where: { id: ids[0] } });
    expect(row.dedupeKey.startsWith('bulletin-2026-09-')).toBe(true);
  });
});
