// The month's ranking at close, in the sandbox with an injected clock: the organiser closes October, then
// November; the worker ranks the regions (composite and per indicator, ties explicit, change since last
// month), proposes the seats and a draft 约谈 list with reasons, and sends the organisers the seats card —
// and nobody in the units hears of it. 确认 (once: a second organiser is told it is done) drafts each 约谈
// as a meeting waiting for a time, offered to the organisers. A revised figure re-ranks and marks it;
// 排名 shows it. The pure ranking: competition ranks, rank points and target pace.
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestBot, settle } from './support/bot.ts';
import { closePeriodAsOrganiser } from './support/close-period.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { monthWithFigures as monthFigures } from './support/months.ts';
import { rankingHandlers } from '../jobs/ranking.job.ts';
import { findActor } from '../src/modules/people/people.service.ts';
import { seatMessages } from '../src/modules/meetings/seats.commands.ts';
import { competitionRank, compositeScores, COMPOSITE, indicatorScope, type IndicatorInput } from '../src/modules/meetings/ranking.ts';
import { loadMeetingSettings } from '../src/modules/meetings/settings.ts';

// Wednesday 2026-12-16, 10:00 Beijing: November's report was due yesterday.
const clock = fixedClock('2026-12-16T02:00:00Z');
const bot = await startTestBot({ clock });
const { prisma } = bot.ctx;
const deps = { prisma, clock, logger: bot.ctx.logger, queues: bot.ctx.queues, feishu: undefined as never };

// Growth in %, the same on every weighted monthly indicator: 临江区 and 河湾区 tie; 鞍东区 is last.
const NOV: Record<string, number> = { 'andong-district': 2, 'anxi-district': 9, 'linjiang-district': 7, 'hewan-district': 7, 'qingshan-district': 6, 'songling-county': 5, 'baishi-county': 4, 'yuntai-county': 3, 'shiqiao-city': 8, 'high-tech-zone': 10 };
// October: 鞍西区 first, 高新区 second.
const OCT: Record<string, number> = { ...NOV, 'anxi-district': 11, 'high-tech-zone': 10.5 };
const MONTHLY = ['industrial-va', 'fai', 'retail-sales', 'budget-revenue'];

const mark = () => new Set(bot.sandbox.messages.all().map((m) => m.messageId));
const cardsTo = (openId: string) => bot.sandbox.messages.toUser(openId).filter((m) => m.msgType === 'interactive');
const waitFor = (openId: string, contains: string, seen: Set<string>) =>
  bot.sandbox.messages.waitFor((m) => m.msgType === 'interactive' && !seen.has(m.messageId) && m.content.includes(contains) && cardsTo(openId).some((x) => x.messageId === m.messageId), 20_000);
const unit = (code: string) => prisma.unit.findUniqueOrThrow({ where: { code } });
async function organisersOf() {
  const rs = await prisma.unitRole.findMany({ where: { role: 'ORGANISER' }, include: { person: true }, orderBy: { person: { code: 'asc' } } });
  return rs.map((r) => ({ id: r.person.id, openId: r.person.openId!, name: r.person.name }));
}
async function unitPeople(codes: string[]) {
  const rs = await prisma.unitRole.findMany({ where: { unit: { code: { in: codes } }, role: { in: ['HEAD', 'LIAISON', 'BACKUP_LIAISON'] } }, include: { person: true } });
  return rs.map((r) => r.person.openId!).filter(Boolean);
}

const monthWithFigures = (key: string, growth: Record<string, number>, status: 'OPEN' | 'CLOSED' = 'OPEN') => monthFigures(prisma, clock, key, growth, status, MONTHLY);
const entriesOf = async (periodId: string, scope: string) =>
  (await prisma.ranking.findUniqueOrThrow({ where: { periodId_scope: { periodId, scope } }, include: { entries: { include: { unit: true } } } })).entries;
const byUnit = <T extends { unit: { code: string } }>(es: T[]) => new Map(es.map((e) => [e.unit.code, e]));

describe('ranking and seats at period close', () => {
  let nov: { id: string };

  it('closing a month ranks the regions: ties explicit (并列), change since last month', async () => {
    const [organiser] = await organisersOf();
    await monthWithFigures('2026-09', {}, 'CLOSED');
    const oct = await monthWithFigures('2026-10', OCT);
    nov = await monthWithFigures('2026-11', NOV);
    // A red on the same indicator for three months (a pair the lights do not re-evaluate, so the close's own
    // evaluation cannot race with it), and an overdue task.
    const commerce = await unit('commerce');
    const gdp = await prisma.indicator.findUniqueOrThrow({ where: { code: 'gdp' } });
    for (const key of ['2026-09', '2026-10', '2026-11']) {
      const p = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: key, cycle: { code: 'monthly' } } });
      await prisma.warning.create({ data: { periodId: p.id, unitId: commerce.id, indicatorId: gdp.id, level: 'RED', computedLevel: 'RED', reasons: ['低于目标进度 6.0 个百分点'] } });
    }
    const qingshan = await unit('qingshan-district');
    await prisma.task.create({ data: { title: '重点项目开工', unitId: qingshan.id, dueDate: new Date('2026-12-01T00:00:00Z'), status: 'OPEN' } });

    let seen = mark();
    await closePeriodAsOrganiser(bot, organiser!.openId, '2026-10');
    await waitFor(organiser!.openId, '2026年10月例会席位和约谈名单', seen);
    seen = mark();
    await closePeriodAsOrganiser(bot, organiser!.openId, '2026-11');
    await waitFor(organiser!.openId, '2026年11月例会席位和约谈名单', seen);

    const composite = byUnit(await entriesOf(nov.id, COMPOSITE));
    expect(composite.size).toBe(10);
    expect(composite.get('high-tech-zone')).toMatchObject({ rank: 1, tied: false, previousRank: 2 });
    expect(composite.get('anxi-district')).toMatchObject({ rank: 2, previousRank: 1 });
    expect(composite.get('linjiang-district')).toMatchObject({ rank: 4, tied: true });
    expect(composite.get('hewan-district')).toMatchObject({ rank: 4, tied: true });
    expect(composite.get('qingshan-district')).toMatchObject({ rank: 6, tied: false });
    expect(composite.get('andong-district')).toMatchObject({ rank: 10, previousRank: 10 });
    // The single-indicator ranking reads the growth the units reported, as printed.
    const iva = byUnit(await entriesOf(nov.id, indicatorScope('industrial-va')));
    expect(iva.get('high-tech-zone')).toMatchObject({ rank: 1 });
    expect(Number(iva.get('high-tech-zone')!.score)).toBe(10);
    expect(iva.get('hewan-district')).toMatchObject({ rank: 4, tied: true });
    expect((await entriesOf(oct.id, COMPOSITE)).find((e) => e.unit.code === 'anxi-district')?.rank).toBe(1);
  });

  it('proposes the seats and a draft 约谈 list with reasons; nothing reaches a unit before 确认', async () => {
    const seats = await prisma.seatProposal.findMany({ where: { periodId: nov.id }, include: { unit: true } });
    const of = (kind: string) => seats.filter((s) => s.kind === kind).map((s) => s.unit.code).sort();
    expect(of('EXCHANGE')).toEqual(['anxi-district', 'high-tech-zone']);
    expect(of('STATEMENT')).toEqual(['andong-district', 'yuntai-county']);
    expect(of('INTERVIEW')).toEqual(['andong-district', 'commerce', 'qingshan-district']);
    expect(seats.every((s) => s.status === 'PROPOSED')).toBe(true);
    const [organiser] = await organisersOf();
    const card = cardsTo(organiser!.openId).findLast((c) => c.content.includes('2026年11月例会席位'))!;
    expect(card.content).toContain('综合排名第 10 位（末位）');
    expect(card.content).toContain('地区生产总值连续 3 个月红灯');
    expect(card.content).toContain('1 项交办事项逾期未完成');
    expect(card.content).toContain('综合排名第 1 位');
    // The units concerned hear nothing of seats or 约谈 (their lights may reach them; this may not).
    const people = await unitPeople(['andong-district', 'yuntai-county', 'commerce', 'qingshan-district', 'anxi-district', 'high-tech-zone']);
    const told = people.flatMap((p) => bot.sandbox.messages.toUser(p)).filter((m) => /例会席位|约谈名单|表态席|经验交流席|安排约谈/.test(m.content));
    expect(told).toHaveLength(0);
    expect(await prisma.meeting.count({ where: { periodId: nov.id } })).toBe(0);
  });

  it('refuses a unit on both the 经验交流席 and the 表态席, and changes nothing', async () => {
    const [organiser] = await organisersOf();
    const card = cardsTo(organiser!.openId).findLast((c) => c.content.includes('2026年11月例会席位'))!;
    const res = await bot.sandbox.clickCard({
      openId: organiser!.openId,
      messageId: card.messageId,
      value: { a: 'seats.confirm', v: 1, p: nov.id },
      formValue: { exchange: ['high-tech-zone', 'andong-district'], statement: ['andong-district'], interview: [] },
    });
    expect(res.toast?.type).toBe('error');
    expect(res.toast?.content).toContain('不能同时列入经验交流席和表态席');
    expect(await prisma.seatProposal.count({ where: { periodId: nov.id, status: { not: 'PROPOSED' } } })).toBe(0);
  });

  it('确认 keeps, removes and adds; each 约谈 becomes a meeting waiting for a time, offered to the organisers', async () => {
    const [organiser, other] = await organisersOf();
    const card = cardsTo(organiser!.openId).findLast((c) => c.content.includes('2026年11月例会席位'))!;
    const seen = mark();
    const res = await bot.sandbox.clickCard({
      openId: organiser!.openId,
      messageId: card.messageId,
      value: { a: 'seats.confirm', v: 1, p: nov.id },
      formValue: { exchange: ['high-tech-zone', 'anxi-district'], statement: ['andong-district', 'baishi-county'], interview: ['andong-district', 'qingshan-district', 'yuntai-county'] },
    });
    expect(res.toast?.type).toBe('success');
    const seats = await prisma.seatProposal.findMany({ where: { periodId: nov.id }, include: { unit: true } });
    const st = (kind: string, code: string) => seats.find((s) => s.kind === kind && s.unit.code === code);
    expect(st('STATEMENT', 'yuntai-county')?.status).toBe('REMOVED');
    expect(st('STATEMENT', 'baishi-county')).toMatchObject({ status: 'CONFIRMED', manual: true });
    expect(st('INTERVIEW', 'commerce')?.status).toBe('REMOVED');
    expect(st('INTERVIEW', 'yuntai-county')).toMatchObject({ status: 'CONFIRMED', manual: true });
    const meetings = await prisma.meeting.findMany({ where: { periodId: nov.id }, include: { attendees: true, unit: true } });
    expect(meetings.map((m) => m.title).sort()).toEqual(['云台县约谈', '青山区约谈', '鞍东区约谈'].sort());
    expect(meetings.every((m) => m.kind === 'INTERVIEW' && m.status === 'PROPOSED' && m.proposedById === organiser!.id)).toBe(true);
    const andong = meetings.find((m) => m.unit?.code === 'andong-district')!;
    expect(andong.reasons).toContain('2026年11月综合排名第 10 位（末位）');
    const head = await prisma.unitRole.findFirstOrThrow({ where: { unit: { code: 'andong-district' }, role: 'HEAD' } });
    expect(andong.attendees.some((a) => a.personId === head.personId && a.role === 'INTERVIEWEE')).toBe(true);
    expect(st('INTERVIEW', 'andong-district')?.meetingId).toBe(andong.id);
    // Every organiser is offered each 约谈 to set its time; the other organisers' seats cards follow.
    await waitFor(other!.openId, '安排约谈：鞍东区约谈', seen);
    await waitFor(organiser!.openId, '安排约谈：青山区约谈', seen);
    await settle(bot.ctx);
    const otherCard = cardsTo(other!.openId).findLast((c) => c.content.includes('2026年11月例会席位'))!;
    expect(otherCard.content).toContain(`已由 ${organiser!.name}`);
    // Still nothing to the units: the 约谈 waits for a time.
    const people = await unitPeople(['andong-district', 'qingshan-district', 'yuntai-county']);
    expect(people.flatMap((p) => bot.sandbox.messages.toUser(p)).filter((m) => !seen.has(m.messageId) && /约谈名单|安排约谈|约谈编号/.test(m.content))).toHaveLength(0);
  });

  it('a second 确认 (another copy) changes nothing and says who confirmed', async () => {
    const [first, other] = await organisersOf();
    const card = cardsTo(other!.openId).findLast((c) => c.content.includes('2026年11月例会席位'))!;
    const before = await prisma.meeting.count();
    const res = await bot.sandbox.clickCard({ openId: other!.openId, messageId: card.messageId, value: { a: 'seats.confirm', v: 1, p: nov.id }, formValue: { exchange: [], statement: [], interview: ['commerce'] } });
    expect(res.toast?.type).toBe('info');
    expect(res.toast?.content).toContain(first!.name);
    expect(await prisma.meeting.count()).toBe(before);
    expect((await prisma.seatProposal.findFirstOrThrow({ where: { periodId: nov.id, kind: 'INTERVIEW', unit: { code: 'commerce' } } })).status).toBe('REMOVED');
  });

  it('a revised figure after close re-ranks and marks it; a re-run of the job writes nothing more', async () => {
    const andong = await unit('andong-district');
    const subs = await prisma.submission.findMany({ where: { periodId: nov.id, unitId: andong.id } });
    for (const s of subs) {
      await prisma.submissionRevision.create({ data: { submissionId: s.id, revisionNo: 2, value: '120', growthPct: '9.5', vintage: 'OFFICIAL', submittedAt: clock.now() } });
      await prisma.submission.update({ where: { id: s.id }, data: { currentRevisionNo: 2 } });
    }
    const run = rankingHandlers(deps)['ranking.compute.v1']!;
    await run({ periodId: nov.id, batch: 'rev-test' }, undefined as never);
    const ranking = await prisma.ranking.findUniqueOrThrow({ where: { periodId_scope: { periodId: nov.id, scope: COMPOSITE } } });
    expect(ranking.revisedAt).not.toBeNull();
    const e = byUnit(await entriesOf(nov.id, COMPOSITE));
    expect(e.get('andong-district')).toMatchObject({ rank: 2, rankBeforeRevision: 10 });
    expect(e.get('anxi-district')).toMatchObject({ rank: 3, rankBeforeRevision: 2 });
    expect(e.get('high-tech-zone')).toMatchObject({ rank: 1, rankBeforeRevision: null });
    const ids = (await entriesOf(nov.id, COMPOSITE)).map((x) => x.id).sort();
    clock.set('2026-12-16T03:00:00Z');
    await run({ periodId: nov.id, batch: 'rev-test' }, undefined as never);
    const again = await prisma.ranking.findUniqueOrThrow({ where: { periodId_scope: { periodId: nov.id, scope: COMPOSITE } } });
    expect(again.computedAt).toEqual(ranking.computedAt);
    expect((await entriesOf(nov.id, COMPOSITE)).map((x) => x.id).sort()).toEqual(ids);
    // The confirmed seats stay as the organiser left them.
    expect(await prisma.seatProposal.count({ where: { periodId: nov.id, status: 'CONFIRMED' } })).toBe(7);
  });

  it('排名 shows the month with ties, the change since last month and the revised places', async () => {
    const [organiser] = await organisersOf();
    const actor = (await findActor(prisma, organiser!.openId))!;
    const show = (period?: string) =>
      prisma.$transaction((tx) =>
        seatMessages['ranking.show']({ kind: 'ranking.show', ...(period ? { period } : {}) }, { tx, clock, now: clock.now(), actor, origin: { openId: organiser!.openId, messageId: 'om_x', key: `k-${randomUUID()}` } }),
      );
    const text = JSON.stringify((await show())?.replies?.[0]);
    expect(text).toContain('2026年11月综合排名');
    expect(text).toContain('并列第 5'); // 临江区 and 河湾区, one place down after the revision
    expect(text).toContain('修订前第 10 位');
    expect(text).toContain('↑1'); // 高新区, second in October
    expect(text).toContain('规模以上工业增加值：第一 高新区 +10.0%');
    expect(JSON.stringify((await show('10月'))?.replies?.[0])).toContain('2026年10月综合排名');
    expect(JSON.stringify((await show('2026-13'))?.replies?.[0])).toContain('期别无法识别');
    const liaison = await prisma.unitRole.findFirstOrThrow({ where: { role: 'LIAISON', unit: { code: 'andong-district' } }, include: { person: true } });
    const outsider = (await findActor(prisma, liaison.person.openId!))!;
    const refused = await prisma.$transaction((tx) => seatMessages['ranking.show']({ kind: 'ranking.show' }, { tx, clock, now: clock.now(), actor: outsider, origin: { openId: 'x', messageId: 'om_y', key: 'k-y' } }));
    expect(JSON.stringify(refused.replies?.[0])).toContain('无权查看');
  });

  it('reads the meetings section of the demo city (and its defaults)', async () => {
    const s = await loadMeetingSettings(prisma);
    expect(s.schedule).toEqual({ location: '市政府三楼第一会议室', durations: { interview: 60, special: 90, monthly: 120 }, monthly_hosts: ['lin-zhenhua'] });
    expect(s.ranking).toMatchObject({ method: 'rank_points', exchange_seats: 2, statement_seats: 2, interview: { bottom: 1, red_months: 3, overdue_tasks: true } });
    expect(s.ranking.weights['industrial-va']).toBe(25);
  });
});

describe('the ranking itself', () => {
  it('competition ranking: equal figures as printed share a place, the next place skips', () => {
    const r = competitionRank([{ unitId: 'a', score: 5.04 }, { unitId: 'b', score: 7 }, { unitId: 'c', score: 4.96 }, { unitId: 'd', score: 1 }], true, 1);
    expect(r.map((x) => [x.unitId, x.rank, x.tied])).toEqual([['b', 1, false], ['a', 2, true], ['c', 2, true], ['d', 4, false]]);
    // Lower is better (e.g. 城镇调查失业率).
    expect(competitionRank([{ unitId: 'a', score: 5.2 }, { unitId: 'b', score: 4.8 }], false, 1).map((x) => x.unitId)).toEqual(['b', 'a']);
  });

  const ind = (code: string, weight: number, metrics: [string, number][], targets: [string, number][] = []): IndicatorInput => ({ id: code, code, higherIsBetter: true, places: 1, weight, metrics: new Map(metrics), targets: new Map(targets) });

  it('rank points: 100 for the first place, 0 for the last and for no figure, weighted', () => {
    const i1 = ind('x', 3, [['a', 9], ['b', 5], ['c', 1]]);
    const i2 = ind('y', 1, [['a', 1], ['b', 5]]);
    const singles = new Map([i1, i2].map((i) => [i.id, competitionRank([...i.metrics].map(([unitId, score]) => ({ unitId, score })), true, 1)]));
    const s = new Map(compositeScores('rank_points', ['a', 'b', 'c'], [i1, i2], singles).map((x) => [x.unitId, x.score]));
    expect(s.get('a')).toBe(75); // (3×100 + 1×0) / 4
    expect(s.get('b')).toBe(62.5); // (3×50 + 1×100) / 4
    expect(s.get('c')).toBe(0);
  });

  it('target pace: points above the target, a missing figure scores as the worst, weights per unit', () => {
    const i1 = ind('x', 1, [['a', 9], ['b', 5]], [['a', 7], ['b', 6], ['c', 6]]);
    const i2 = ind('y', 1, [['a', 3]], [['a', 5]]);
    const s = new Map(compositeScores('target_pace', ['a', 'b', 'c'], [i1, i2], new Map()).map((x) => [x.unitId, x.score]));
    expect(s.get('a')).toBe(0); // (+2 − 2) / 2
    expect(s.get('b')).toBe(-1);
    expect(s.get('c')).toBe(-1); // no figure: the worst gap on x
    const ranked = competitionRank([...s].map(([unitId, score]) => ({ unitId, score })), true, 2);
    expect(ranked.map((r) => [r.unitId, r.rank, r.tied])).toEqual([['a', 1, false], ['b', 2, true], ['c', 2, true]]);
  });
});
