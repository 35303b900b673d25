// Scheduling meetings in the sandbox: an organiser types 约谈 and gets the scheduling card (nobody else
// hears anything), confirms it (or is told what is wrong), is warned of a leader's clash, moves and
// cancels by number; a leader's 约谈 on a warning reaches every organiser, the first to schedule it wins
// and the other organisers' copies and the leader follow.
import { describe, expect, it } from 'vitest';
import { startTestBot } from './support/bot.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { runPlan } from '../jobs/collection.job.ts';
import type { Prisma } from '../src/generated/prisma/client.ts';
import { addOutbound } from '../src/outbox/outbox.service.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import { warningCardOf } from '../src/modules/lights/warning-view.ts';

// Thursday 2026-12-03, 10:00 Beijing.
const clock = fixedClock('2026-12-03T02:00:00Z');
const bot = await startTestBot({ clock });
const { prisma } = bot.ctx;

const mark = () => new Set(bot.sandbox.messages.all().map((m) => m.messageId));
const cardsTo = (openId: string) => bot.sandbox.messages.toUser(openId).filter((m) => m.msgType === 'interactive');
const waitFor = (openId: string, contains: string, seen: Set<string>) =>
  bot.sandbox.messages.waitFor((m) => m.msgType === 'interactive' && !seen.has(m.messageId) && m.content.includes(contains) && cardsTo(openId).some((x) => x.messageId === m.messageId), 15_000);
async function person(unit: string, role: 'LIAISON' | 'HEAD' | 'ORGANISER', nth = 0) {
  const rs = await prisma.unitRole.findMany({ where: { role, unit: { code: unit } }, include: { person: true }, orderBy: { person: { code: 'asc' } } });
  const p = rs[nth]!.person;
  return { openId: p.openId!, name: p.name, id: p.id };
}
const byCode = async (code: string) => {
  const p = await prisma.person.findUniqueOrThrow({ where: { code } });
  return { openId: p.openId!, name: p.name, id: p.id };
};
const form = (date: string, time: string, extra: Record<string, unknown> = {}) => ({ title: '', date: `${date} +0800`, time: `${time} +0800`, duration: '60', location: '市政府三楼第一会议室', ...extra });

describe('scheduling by chat command', () => {
  it('约谈 gives the organiser a card that echoes the time with its weekday; nobody else hears anything yet', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const head = await person('andong-district', 'HEAD');
    const seen = mark();
    await bot.sandbox.userSays(organiser.openId, '约谈 鞍东区 12月8日15:00 规上工业增加值连续两月末位');
    const card = await waitFor(organiser.openId, '安排约谈', seen);
    expect(card.content).toContain('2026年12月8日');
    expect(card.content).toContain('周二');
    expect(card.content).toContain('15:00');
    expect(card.content).toContain(`约谈对象：鞍东区 ${head.name}`);
    expect(card.content).toContain('规上工业增加值连续两月末位');
    const m = await prisma.meeting.findFirstOrThrow({ where: { kind: 'INTERVIEW' }, include: { attendees: true } });
    expect(m.status).toBe('DRAFT');
    expect(m.attendees.some((a) => a.personId === head.id && a.role === 'INTERVIEWEE')).toBe(true);
    expect(cardsTo(head.openId).filter((c) => !seen.has(c.messageId))).toHaveLength(0);
  });

  it('refuses a past time on the card and keeps the draft; then 确认安排 schedules it with its jobs', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const m = await prisma.meeting.findFirstOrThrow({ where: { kind: 'INTERVIEW', status: 'DRAFT' } });
    const card = cardsTo(organiser.openId).findLast((c) => c.content.includes('安排约谈'))!;
    const bad = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: card.messageId, value: { a: 'meeting.schedule', v: 1, m: m.id }, formValue: form('2026-12-01', '15:00') });
    expect(bad.toast?.type).toBe('warning');
    expect(bad.toast?.content).toContain('已经过去');
    expect((await prisma.meeting.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('DRAFT');

    const ok = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: card.messageId, value: { a: 'meeting.schedule', v: 1, m: m.id }, formValue: form('2026-12-08', '15:00') });
    expect(ok.toast?.type).toBe('success');
    expect(ok.toast?.content).toContain(`编号 ${m.no}`);
    const done = await prisma.meeting.findUniqueOrThrow({ where: { id: m.id } });
    expect(done.status).toBe('SCHEDULED');
    expect(done.version).toBe(1);
    expect(done.startsAt.toISOString()).toBe('2026-12-08T07:00:00.000Z');
    expect(done.endsAt.toISOString()).toBe('2026-12-08T08:00:00.000Z');
    const jobs = (await prisma.followUp.findMany({ where: { jobId: { contains: m.id } } })).map((f) => f.jobId).sort();
    expect(jobs).toEqual([`mafter-${m.id}-v1`, `mrem-${m.id}-day-v1`, `mrem-${m.id}-hour-v1`, `msync-${m.id}-v1`].sort());
    // Confirming again (another organiser's stale copy, a double click) changes nothing.
    const again = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: card.messageId, value: { a: 'meeting.schedule', v: 1, m: m.id }, formValue: form('2026-12-09', '10:00') });
    expect(again.toast?.content).toContain('已由');
    expect((await prisma.meeting.findUniqueOrThrow({ where: { id: m.id } })).startsAt.toISOString()).toBe('2026-12-08T07:00:00.000Z');
  });

  it('flags a clash of the host before confirming, and schedules it when told 仍然安排', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const seen = mark();
    await bot.sandbox.userSays(organiser.openId, '约谈 鞍西区 12月8日15:30');
    const card = await waitFor(organiser.openId, '安排约谈', seen);
    const m = await prisma.meeting.findFirstOrThrow({ where: { kind: 'INTERVIEW', status: 'DRAFT' } });
    const clash = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: card.messageId, value: { a: 'meeting.schedule', v: 1, m: m.id }, formValue: form('2026-12-08', '15:30') });
    expect(clash.toast?.content).toContain('时间冲突');
    expect(JSON.stringify(clash.card)).toContain('鞍东区约谈');
    expect(JSON.stringify(clash.card)).toContain('仍然安排');
    expect((await prisma.meeting.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('DRAFT');
    const forced = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: card.messageId, value: { a: 'meeting.schedule', v: 1, m: m.id, f: 1 }, formValue: form('2026-12-08', '15:30') });
    expect(forced.toast?.type).toBe('success');
  });

  it('改期 moves a meeting by its number and 取消 cancels it; odd inputs are answered, not guessed', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const m = await prisma.meeting.findFirstOrThrow({ where: { title: '鞍东区约谈' } });
    let seen = mark();
    await bot.sandbox.userSays(organiser.openId, `改期 ${m.no} 12月9日10:00`);
    const moved = await waitFor(organiser.openId, '已改期', seen);
    expect(moved.content).toContain('2026年12月9日');
    const after = await prisma.meeting.findUniqueOrThrow({ where: { id: m.id } });
    expect(after.startsAt.toISOString()).toBe('2026-12-09T02:00:00.000Z');
    expect(after.endsAt.getTime() - after.startsAt.getTime()).toBe(60 * 60_000);
    expect(after.version).toBe(2);
    expect(await prisma.followUp.count({ where: { jobId: `msync-${m.id}-v2` } })).toBe(1);

    seen = mark();
    await bot.sandbox.userSays(organiser.openId, '改期 999 12月9日10:00');
    expect((await waitFor(organiser.openId, '没有这个编号', seen)).content).toContain('999');

    seen = mark();
    await bot.sandbox.userSays(organiser.openId, `取消 ${m.no} 区长赴省参加会议`);
    const cancelled = await waitFor(organiser.openId, '已取消', seen);
    expect(cancelled.content).toContain('区长赴省参加会议');
    const gone = await prisma.meeting.findUniqueOrThrow({ where: { id: m.id } });
    expect(gone.status).toBe('CANCELLED');
    expect(gone.version).toBe(3);

    seen = mark();
    await bot.sandbox.userSays(organiser.openId, `改期 ${m.no} 12月10日10:00`);
    expect((await waitFor(organiser.openId, '会议已取消', seen)).content).toContain('不能改期');
  });

  it('only organisers schedule; a unit head lists the meetings they are invited to', async () => {
    const head = await person('anxi-district', 'HEAD');
    let seen = mark();
    await bot.sandbox.userSays(head.openId, '约谈 鞍东区 12月8日15:00');
    expect((await waitFor(head.openId, '无权操作', seen)).content).toContain('例会办公室');
    seen = mark();
    await bot.sandbox.userSays(head.openId, '会议');
    const list = await waitFor(head.openId, '近期会议', seen);
    expect(list.content).toContain('鞍西区约谈');
    expect(list.content).toContain('约谈对象');
    expect(list.content).not.toContain('鞍东区约谈');
  });
});

describe('a 约谈 asked for on a warning', () => {
  it('reaches every organiser; the first to schedule it wins, the others and the leader are told', async () => {
    await runPlan({ prisma, clock, logger: bot.ctx.logger, queues: bot.ctx.queues }, 'monthly');
    const period = await prisma.reportingPeriod.findFirstOrThrow({ where: { cycle: { code: 'monthly' } }, orderBy: { endDate: 'asc' } });
    const vice = await byCode('zhao-mingyuan');
    const leader = await prisma.leader.findUniqueOrThrow({ where: { personId: vice.id } });
    const unit = await prisma.unit.findUniqueOrThrow({ where: { code: 'qingshan-district' } });
    const indicator = await prisma.indicator.findUniqueOrThrow({ where: { code: 'industrial-va' } });
    const w = await prisma.warning.create({ data: { periodId: period.id, unitId: unit.id, indicatorId: indicator.id, leaderId: leader.id, level: 'RED', computedLevel: 'RED', reasons: ['低于目标进度 6.0 个百分点'], vintage: 'FLASH' } });
    // The vice-mayor's warning card, sent the way the bot sends it.
    const content = (await warningCardOf(prisma, w.id))! as unknown as Prisma.InputJsonValue;
    const row = await addOutbound(prisma, { kind: 'SEND', dedupeKey: `test-warning-${w.id}`, receiveIdType: 'open_id', receiveId: vice.openId, msgType: 'interactive', content });
    let seen = mark();
    await enqueueOutbound(bot.ctx.queues, [row.id]);
    const warningCard = await waitFor(vice.openId, '规模以上工业增加值', seen);

    const organisers = await prisma.person.findMany({ where: { roles: { some: { role: 'ORGANISER', active: true } }, openId: { not: null }, active: true }, orderBy: { code: 'asc' } });
    expect(organisers.length).toBeGreaterThan(1);
    seen = mark();
    const asked = await bot.sandbox.clickCard({ openId: vice.openId, messageId: warningCard.messageId, value: { a: 'warning.interview', v: 1, w: w.id } });
    expect(asked.toast?.content).toBe('已请例会办公室安排约谈');
    const offers = await Promise.all(organisers.map((o) => waitFor(o.openId!, '安排约谈：青山区约谈', seen)));
    expect(offers[0]!.content).toContain('低于目标进度 6.0 个百分点');
    expect(offers[0]!.content).toContain('提议人');
    const m = await prisma.meeting.findFirstOrThrow({ where: { warningId: w.id }, include: { attendees: true } });
    expect(m.status).toBe('PROPOSED');
    expect(m.attendees.some((a) => a.personId === vice.id && a.role === 'HOST')).toBe(true);

    seen = mark();
    const first = organisers[0]!;
    const ok = await bot.sandbox.clickCard({ openId: first.openId!, messageId: offers[0]!.messageId, value: { a: 'meeting.schedule', v: 1, m: m.id }, formValue: form('2026-12-10', '09:30') });
    expect(ok.toast?.type).toBe('success');
    // The leader who asked hears it; the other organisers' copies say who scheduled it.
    expect((await waitFor(vice.openId, '约谈已安排', seen)).content).toContain('2026年12月10日');
    await bot.sandbox.messages.waitFor(() => bot.sandbox.messages.get(offers[1]!.messageId)?.content.includes('已由上述同志安排') ?? false, 15_000);
    const late = await bot.sandbox.clickCard({ openId: organisers[1]!.openId!, messageId: offers[1]!.messageId, value: { a: 'meeting.schedule', v: 1, m: m.id }, formValue: form('2026-12-11', '09:30') });
    expect(late.toast?.content).toContain(`已由 ${first.name} 安排`);
    expect((await prisma.meeting.findUniqueOrThrow({ where: { id: m.id } })).startsAt.toISOString()).toBe('2026-12-10T01:30:00.000Z');
  });
});
