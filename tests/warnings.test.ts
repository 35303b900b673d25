// Lights on real data: evaluation from the figures in force (the demo city's history), sticky red across
// periods, routing from the responsibility matrix, one digest per recipient and no repeat for an
// unchanged light, escalation of an unacknowledged red, and working-hours arithmetic.
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from './support/db.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { loadDemoCity } from '../src/modules/demo/demo-city.ts';
import { evaluatePeriod, pushDigests, recipientsOf } from '../src/modules/lights/lights.service.ts';
import { escalateWarning } from '../src/modules/lights/escalations.ts';
import { pendingEscalations } from '../src/modules/lights/lights.service.ts';
import { cardClicks } from './support/card-clicks.ts';
import { storeFigures } from '../src/modules/collection/revisions.ts';
import { figureKey, figuresInForce, loadReport } from '../src/modules/collection/collection.repo.ts';
import { addWorkingHours } from '../src/modules/calendar/working-hours.ts';
import { createWorkCalendar } from '../src/modules/calendar/work-calendar.ts';

const clock = fixedClock('2026-11-20T02:00:00Z');
const { prisma } = await useTestDatabase();
await loadDemoCity(prisma, clock);
const deps = { prisma, clock };
const clicks = cardClicks(prisma, clock);
const openIdOf = async (code: string) => (await prisma.person.findUniqueOrThrow({ where: { code } })).openId!;

const ids = async () => {
  const unit = await prisma.unit.findUniqueOrThrow({ where: { code: 'andong-district' } });
  const ind = await prisma.indicator.findUniqueOrThrow({ where: { code: 'industrial-va' } });
  const period = (key: string) => prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: key, cycle: { code: 'monthly' } } });
  return { unit, ind, p09: await period('2026-09'), p10: await period('2026-10') };
};

/** A value that agrees with the growth: last year's level in force × (1 + growth), as a bureau's row does. */
async function valueFor(unitId: string, indicatorId: string, periodKey: string, growth: string): Promise<string> {
  const ly = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: `${Number(periodKey.slice(0, 4)) - 1}${periodKey.slice(4)}`, cycle: { code: 'monthly' } } });
  const base = (await figuresInForce(prisma, [ly.id], [unitId])).get(figureKey(ly.id, unitId, indicatorId))!;
  return (Number(base.value) * (1 + Number(growth) / 100)).toFixed(2);
}

/** An official figure for 鞍东区 规上工业增加值 in a period (a new revision, as the import writes it). */
async function official(periodId: string, growth: string, key: string) {
  const { unit, ind } = await ids();
  const report = await prisma.unitReport.upsert({ where: { periodId_unitId: { periodId, unitId: unit.id } }, create: { periodId, unitId: unit.id }, update: {} });
  const bundle = (await loadReport(prisma, report.id))!;
  const value = await valueFor(unit.id, ind.id, bundle.period.periodKey, growth);
  await prisma.$transaction((tx) =>
    storeFigures(tx, {
      bundle,
      figures: [{ indicatorId: ind.id, code: ind.code, value, growthPct: growth, problems: null, forecast: null, measures: null }],
      page: 0,
      actorId: null,
      onBehalf: true,
      reason: 'test',
      requestKey: key,
      vintage: 'OFFICIAL',
      now: clock.now(),
      action: 'report.official.import',
    }),
  );
}

describe('lights on the demo history', () => {
  it('lights every reported unit of a period, and "not reported" is never a light', async () => {
    const { p10 } = await ids();
    const changes = await evaluatePeriod(deps, { periodId: p10.id });
    expect(changes.length).toBeGreaterThan(50);
    const levels = new Set((await prisma.warning.findMany({ where: { periodId: p10.id } })).map((w) => w.level));
    expect([...levels].every((l) => ['GREEN', 'YELLOW', 'RED'].includes(l))).toBe(true);
    // Evaluating again with the same inputs changes nothing.
    expect(await evaluatePeriod(deps, { periodId: p10.id })).toEqual([]);
    // November has no figures yet: no warning rows at all.
    const p11 = await prisma.reportingPeriod.findFirst({ where: { periodKey: '2026-11' } });
    expect(p11).toBeNull();
  });

  it('keeps a red for the configured periods of recovery, and says why', async () => {
    const { unit, ind, p09, p10 } = await ids();
    await official(p09.id, '-8.0', 'sticky-09');
    await evaluatePeriod(deps, { periodId: p09.id, indicatorIds: [ind.id], unitIds: [unit.id] });
    const red = await prisma.warning.findFirstOrThrow({ where: { periodId: p09.id, unitId: unit.id, indicatorId: ind.id } });
    expect(red.level).toBe('RED');
    expect((red.reasons as string[]).join('；')).toContain('同比负增长');

    await official(p10.id, '9.0', 'sticky-10');
    await evaluatePeriod(deps, { periodId: p10.id, indicatorIds: [ind.id], unitIds: [unit.id] });
    const held = await prisma.warning.findFirstOrThrow({ where: { periodId: p10.id, unitId: unit.id, indicatorId: ind.id }, include: { changes: true } });
    expect(held.level).toBe('RED');
    expect(held.computedLevel).not.toBe('RED');
    expect((held.reasons as string[]).join('；')).toContain('红灯需连续 2 期好转才降级');
    expect(held.vintage).toBe('OFFICIAL');
  });

  it('routes to the vice-mayor in charge, the lead department head and the unit head — one digest each, never twice', async () => {
    const { unit, ind, p10 } = await ids();
    const people = await recipientsOf(prisma, ind.id, unit.id);
    const codes = (await prisma.person.findMany({ where: { id: { in: people.map((p) => p.id) } } })).map((p) => p.code).sort();
    expect(codes).toContain('zhao-mingyuan');
    expect(codes).not.toContain('sun-yaqin');

    const w = await prisma.warning.findFirstOrThrow({ where: { periodId: p10.id, unitId: unit.id, indicatorId: ind.id } });
    const change = { warningId: w.id, indicatorId: ind.id, unitId: unit.id, from: null, to: 'RED' as const };
    const first = await pushDigests(deps, [change], 'batch-1');
    expect(first.outbound).toHaveLength(people.length);
    // Friday 10:00 Beijing: the buzz at 14:00, the principal and organiser on Monday 10:00, the repeat on Tuesday 10:00.
    expect(first.escalations.map((e) => [e.step, e.at.toISOString()])).toEqual([
      [1, '2026-11-20T06:00:00.000Z'],
      [2, '2026-11-23T02:00:00.000Z'],
      [3, '2026-11-24T02:00:00.000Z'],
    ]);
    // The same light pushed in a later batch: nothing, the leaders already know.
    expect((await pushDigests(deps, [change], 'batch-2')).outbound).toEqual([]);
  });

  it('escalates an unacknowledged red to the principal and the organiser, and stops once it is read', async () => {
    const { unit, ind, p10 } = await ids();
    const w = await prisma.warning.findFirstOrThrow({ where: { periodId: p10.id, unitId: unit.id, indicatorId: ind.id } });
    // What a worker re-plans from the database after a Redis loss: the steps this push still owes.
    expect(w.lastPushedAt).not.toBeNull();
    const owed = (await pendingEscalations(prisma)).filter((e) => e.warningId === w.id);
    expect(owed.map((e) => e.step)).toEqual([1, 2, 3].filter((n) => n > w.escalationStep));
    expect(owed.every((e) => e.pushedAt.getTime() === w.lastPushedAt!.getTime() && e.at > w.lastPushedAt!)).toBe(true);
    const step2 = await escalateWarning(deps, { warningId: w.id, step: 2 });
    const rows = await prisma.outboundMessage.findMany({ where: { id: { in: step2.outbound } } });
    const to = await prisma.person.findMany({ where: { openId: { in: rows.map((r) => r.receiveId!) } }, include: { leader: true, roles: true } });
    expect(to.some((p) => p.leader?.rank === 'PRINCIPAL')).toBe(true);
    expect(to.some((p) => p.roles.some((r) => r.role === 'ORGANISER'))).toBe(true);
    // Retried: nothing twice.
    expect((await escalateWarning(deps, { warningId: w.id, step: 2 })).outbound).toEqual([]);

    const refused = await clicks.click(await openIdOf('sun-yaqin'), { a: 'warning.ack', v: 1, w: w.id });
    expect(refused.toast?.type).toBe('error');
    expect((await prisma.warning.findUniqueOrThrow({ where: { id: w.id } })).acknowledgedAt).toBeNull();

    expect((await clicks.click(await openIdOf('zhao-mingyuan'), { a: 'warning.ack', v: 1, w: w.id })).toast?.type).toBe('success');
    expect(await escalateWarning(deps, { warningId: w.id, step: 3 })).toEqual({ outbound: [], repeat: false });
    // Read: nothing left to re-plan.
    expect((await pendingEscalations(prisma)).filter((e) => e.warningId === w.id)).toEqual([]);
  });
});

describe('who may see a warning, and the limits on what leaders write', () => {
  const warning = async () => {
    const { unit, ind, p10 } = await ids();
    return prisma.warning.findFirstOrThrow({ where: { periodId: p10.id, unitId: unit.id, indicatorId: ind.id }, include: { indicator: true } });
  };
  const headOf = async (unitId: string) => (await prisma.unitRole.findFirstOrThrow({ where: { unitId, role: 'HEAD', active: true }, include: { person: true } })).person.openId!;
  const roleOf = async (unitCode: string, role: 'LIAISON' | 'BACKUP_LIAISON' | 'HEAD' | 'ORGANISER') =>
    (await prisma.unitRole.findFirstOrThrow({ where: { role, active: true, unit: { code: unitCode } }, include: { person: true }, orderBy: { person: { code: 'asc' } } })).person.openId!;

  it('opens the warning for the people it concerns, and for no one else', async () => {
    const w = await warning();
    const principal = (await prisma.person.findFirstOrThrow({ where: { leader: { rank: 'PRINCIPAL', active: true }, openId: { not: null } } })).openId!;
    const allowed = [
      await openIdOf('zhao-mingyuan'), // the vice-mayor whose domain lists the indicator
      principal,
      await roleOf('meeting-office', 'ORGANISER'),
      await headOf(w.indicator.leadUnitId!), // the lead department's head
      await roleOf('andong-district', 'LIAISON'),
      await roleOf('andong-district', 'BACKUP_LIAISON'),
      await roleOf('andong-district', 'HEAD'),
    ];
    for (const openId of allowed) {
      const res = await clicks.click(openId, { a: 'warning.open', v: 1, w: w.id });
      expect(res.toast?.type, openId).toBe('info');
      expect(JSON.stringify(res.card)).toContain('预警原因');
    }
    for (const openId of [await openIdOf('sun-yaqin'), await roleOf('anxi-district', 'LIAISON'), await roleOf('anxi-district', 'HEAD')]) {
      const res = await clicks.click(openId, { a: 'warning.open', v: 1, w: w.id });
      expect(res).toMatchObject({ toast: { type: 'error', content: '您无权查看该预警' }, outbound: [] });
      expect(res.card).toBeUndefined();
      // From a digest: no detail message either.
      const digest = await clicks.click(openId, { a: 'warning.open', v: 1, w: w.id, s: 'digest' });
      expect(digest).toMatchObject({ toast: { content: '您无权查看该预警' }, outbound: [] });
    }
  });

  it('answers 「卡片已过期」 for a malformed warning or meeting id, never 「系统繁忙」', async () => {
    const vice = await openIdOf('zhao-mingyuan');
    for (const value of [{ a: 'warning.open', v: 1, w: 'abc' }, { a: 'warning.ack', v: 1, w: '1; DROP' }, { a: 'meeting.confirm', v: 1, m: 'm-1' }]) {
      expect((await clicks.click(vice, value)).toast?.content).toContain('卡片已过期');
    }
  });

  it('refuses a 批示 over 500 characters and a 交办 title over 100, storing nothing; a 批示 within the limit reaches the unit once', async () => {
    const w = await warning();
    const vice = await openIdOf('zhao-mingyuan');
    const long = await clicks.click(vice, { a: 'warning.instruct', v: 1, w: w.id }, { formValue: { instruction: '请'.repeat(812), units: ['andong-district'] } });
    expect(long).toMatchObject({ toast: { type: 'warning', content: '「批示内容」最多 500 字，当前 812 字，请精简后重新提交' }, outbound: [] });
    const title = await clicks.click(vice, { a: 'warning.assign', v: 1, w: w.id }, { formValue: { title: '推'.repeat(101), unit: 'andong-district', due: '2026-12-18 +0800' } });
    expect(title.toast?.content).toBe('「事项名称」最多 100 字，当前 101 字，请精简后重新提交');
    expect(await prisma.instruction.count({ where: { warningId: w.id } })).toBe(0);
    expect(await prisma.task.count({ where: { warningId: w.id } })).toBe(0);

    const form = { formValue: { instruction: '请'.repeat(500), units: ['andong-district'] }, key: 'instruct-1' };
    const ok = await clicks.click(vice, { a: 'warning.instruct', v: 1, w: w.id }, form);
    expect(ok.toast?.type).toBe('success');
    expect(ok.outbound.length).toBeGreaterThan(0);
    const again = await clicks.click(vice, { a: 'warning.instruct', v: 1, w: w.id }, form);
    expect(again).toMatchObject({ replayed: true, toast: ok.toast, outbound: [] });
    expect(await prisma.instruction.count({ where: { warningId: w.id } })).toBe(1);
  });

  it('proposes a meeting to the organisers: an old proposal card’s 确认安排 opens the scheduling card, 暂不安排 declines once', async () => {
    const w = await warning();
    const res = await clicks.click(await openIdOf('zhao-mingyuan'), { a: 'warning.meeting', v: 1, w: w.id });
    expect(res.toast).toEqual({ type: 'success', content: '已请例会办公室安排专题会议' });
    const meeting = await prisma.meeting.findFirstOrThrow({ where: { warningId: w.id } });
    expect(meeting).toMatchObject({ kind: 'SPECIAL', status: 'PROPOSED' });
    const proposals = await prisma.outboundMessage.findMany({ where: { id: { in: res.outbound } } });
    expect(proposals.every((r) => r.dedupeKey.startsWith(`moffer-${meeting.id}-`))).toBe(true);
    expect(proposals.length).toBeGreaterThan(0);

    expect((await clicks.click(await openIdOf('zhao-mingyuan'), { a: 'meeting.confirm', v: 1, m: meeting.id })).toast?.type).toBe('error');
    const organiser = await roleOf('meeting-office', 'ORGANISER');
    const opened = await clicks.click(organiser, { a: 'meeting.confirm', v: 1, m: meeting.id });
    expect(opened.toast).toEqual({ type: 'info', content: '请选择时间、地点和参会人员后确认' });
    expect(JSON.stringify(opened.card)).toContain('确认安排');
    expect((await clicks.click(organiser, { a: 'meeting.decline', v: 1, m: meeting.id })).toast).toEqual({ type: 'success', content: '已暂不安排' });
    expect((await clicks.click(organiser, { a: 'meeting.decline', v: 1, m: meeting.id })).toast?.content).toContain('该安排已取消');
    expect((await prisma.meeting.findUniqueOrThrow({ where: { id: meeting.id } })).status).toBe('CANCELLED');
  });

  it('refuses a problem with a title, enterprise or description over its limit, storing nothing', async () => {
    const liaison = await roleOf('andong-district', 'LIAISON');
    const submit = (formValue: Record<string, string>) => clicks.click(liaison, { a: 'problem.submit', v: 1 }, { formValue });
    expect((await submit({ title: '用'.repeat(101), description: '缺工' })).toast?.content).toBe('「问题标题」最多 100 字，当前 101 字，请精简后重新提交');
    expect((await submit({ title: '用工', enterprise: '企'.repeat(120), description: '缺工' })).toast?.content).toBe('「企业或项目」最多 100 字，当前 120 字，请精简后重新提交');
    expect((await submit({ title: '用工', description: '缺'.repeat(1001) })).toast?.content).toBe('「问题描述」最多 1000 字，当前 1001 字，请精简后重新提交');
    expect(await prisma.problem.count()).toBe(0);
    expect((await submit({ title: '用工', enterprise: '企'.repeat(100), description: '缺'.repeat(1000) })).toast?.type).toBe('success');
    expect(await prisma.problem.count()).toBe(1);
  });
});

describe('working hours', () => {
  const cal = createWorkCalendar();
  it.each([
    ['Friday 17:00 + 4 h → Monday 12:00', '2026-12-04T09:00:00Z', 4, '2026-12-07T04:00:00Z'],
    ['before the day starts counts from 09:00', '2026-12-02T00:00:00Z', 2, '2026-12-02T03:00:00Z'],
    ['across the National Day holiday', '2026-09-30T09:00:00Z', 2, '2026-10-08T02:00:00Z'],
    ['a whole working day', '2026-12-02T01:00:00Z', 9, '2026-12-02T10:00:00Z'],
  ])('%s', (_name, from, hours, to) => {
    expect(addWorkingHours(cal, new Date(from), hours).toISOString()).toBe(new Date(to).toISOString());
  });
});

describe('aggregate lights', () => {
  it('lights the city from the districts’ total, and says it is a total', async () => {
    const p08 = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2026-08', cycle: { code: 'monthly' } } });
    await evaluatePeriod(deps, { periodId: p08.id });
    const city = await prisma.unit.findUniqueOrThrow({ where: { code: 'anjiang' } });
    const retail = await prisma.indicator.findUniqueOrThrow({ where: { code: 'retail-sales' } });
    const w = await prisma.warning.findFirstOrThrow({ where: { periodId: p08.id, unitId: city.id, indicatorId: retail.id } });
    const reasons = (w.reasons as string[]).join('；');
    expect(reasons).toMatch(/^\d+ 个单位汇总：本期 [\d,.]+ 亿元，同比 [+-]?\d+\.\d%/);
    expect(['GREEN', 'YELLOW', 'RED']).toContain(w.level);
    // A rate (失业率) is not added up.
    const rate = await prisma.indicator.findUniqueOrThrow({ where: { code: 'unemployment-rate' } });
    expect(await prisma.warning.count({ where: { periodId: p08.id, unitId: city.id, indicatorId: rate.id } })).toBe(0);
  });
});
