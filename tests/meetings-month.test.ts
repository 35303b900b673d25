// The organiser's meetings month in the sandbox, with an injected clock, through chat and cards only:
// November is closed → the seats and the 约谈 list are proposed and confirmed → the monthly 例会 is
// scheduled by typing `例会 …`, a 约谈 by typing `约谈 …`, the listed 约谈 from its offer card and a 专题会
// from a vice-mayor's warning card → attendees get invitations, calendar events and reminders → the 例会
// is moved and the 专题会 cancelled (calendar and attendees follow) → after the 约谈 its record is filed,
// listed with 约谈记录, and followed up on the date set.
import { describe, expect, it } from 'vitest';
import { startTestBot, settle } from './support/bot.ts';
import { monthWithFigures } from './support/months.ts';
import { closePeriodAsOrganiser } from './support/close-period.ts';
import { fixedClock } from '../src/platform/clock.ts';
import type { Prisma } from '../src/generated/prisma/client.ts';
import { addOutbound } from '../src/outbox/outbox.service.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import { warningCardOf } from '../src/modules/lights/warning-view.ts';

// Wednesday 2026-12-16, 10:00 Beijing: November's report was due yesterday.
const clock = fixedClock('2026-12-16T02:00:00Z');
const bot = await startTestBot({ clock });
const { prisma, queues } = bot.ctx;

// Growth in % on every ranked monthly indicator: 高新区 and 鞍西区 lead, 鞍东区 is last.
const NOV: Record<string, number> = { 'andong-district': 2, 'anxi-district': 9, 'linjiang-district': 7, 'hewan-district': 6.5, 'qingshan-district': 6, 'songling-county': 5, 'baishi-county': 4, 'yuntai-county': 3, 'shiqiao-city': 8, 'high-tech-zone': 10 };

const mark = () => new Set(bot.sandbox.messages.all().map((m) => m.messageId));
const cardsTo = (openId: string) => bot.sandbox.messages.toUser(openId).filter((m) => m.msgType === 'interactive');
const waitFor = (openId: string, contains: string, seen: Set<string>) =>
  bot.sandbox.messages.waitFor((m) => m.msgType === 'interactive' && !seen.has(m.messageId) && m.content.includes(contains) && cardsTo(openId).some((x) => x.messageId === m.messageId), 20_000);
async function person(unit: string, role: 'HEAD' | 'ORGANISER', nth = 0) {
  const rs = await prisma.unitRole.findMany({ where: { role, unit: { code: unit } }, include: { person: true }, orderBy: { person: { code: 'asc' } } });
  const p = rs[nth]!.person;
  return { openId: p.openId!, name: p.name, id: p.id, title: p.title };
}
const form = (date: string, time: string, extra: Record<string, unknown> = {}) => ({ title: '', date: `${date} +0800`, time: `${time} +0800`, duration: '60', location: '市政府三楼第一会议室', ...extra });
const schedule = (openId: string, messageId: string, meetingId: string, f: Record<string, unknown>) =>
  bot.sandbox.clickCard({ openId, messageId, value: { a: 'meeting.schedule', v: 1, m: meetingId }, formValue: f });
/** Runs a delayed job now: its time has come on the injected clock. */
async function fire(jobId: string) {
  const job = await queues.domain.getJob(jobId);
  expect(job, `job ${jobId} is queued`).toBeDefined();
  await job!.promote();
}
/** The live events on the app's calendar whose title is `summary`. */
const eventsOf = (summary: string) => [...bot.sandbox.state.events.values()].filter((e) => !e.deleted && e.summary.includes(summary));
const attendeeIds = (e: { attendees: { type: string; openId?: string }[] }) => e.attendees.filter((a) => a.type === 'user').map((a) => a.openId);

const s = { monthly: '', interview: '', special: '', typed: '', novId: '', recordId: '' };

describe('the month closes and the seats are confirmed', () => {
  it('关闭报送 ranks the month; 确认 on the seats card turns the 约谈 list into 约谈 offered to the organisers', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    await monthWithFigures(prisma, clock, '2026-10', NOV, 'CLOSED');
    const nov = await monthWithFigures(prisma, clock, '2026-11', NOV);
    s.novId = nov.id;
    let seen = mark();
    // 关闭报送 answers with a confirmation card; 确认关闭 closes the month.
    const { click, confirmation } = await closePeriodAsOrganiser(bot, organiser.openId, '2026-11');
    expect(confirmation).toContain('确认关闭');
    expect(click.toast?.type).toBe('success');
    const seats = await waitFor(organiser.openId, '2026年11月例会席位和约谈名单', seen);
    expect(seats.content).toContain('综合排名第 10 位（末位）');
    // Nothing reaches a unit before the organiser confirms.
    const andongHead = await person('andong-district', 'HEAD');
    expect(bot.sandbox.messages.toUser(andongHead.openId).filter((m) => !seen.has(m.messageId) && /表态席|约谈/.test(m.content))).toHaveLength(0);

    seen = mark();
    const ok = await bot.sandbox.clickCard({
      openId: organiser.openId,
      messageId: seats.messageId,
      value: { a: 'seats.confirm', v: 1, p: nov.id },
      formValue: { exchange: ['high-tech-zone', 'anxi-district'], statement: ['andong-district', 'yuntai-county'], interview: ['andong-district'] },
    });
    expect(ok.toast?.type).toBe('success');
    const offer = await waitFor(organiser.openId, '安排约谈：鞍东区约谈', seen);
    expect(offer.content).toContain('2026年11月综合排名第 10 位（末位）');
    const m = await prisma.meeting.findFirstOrThrow({ where: { periodId: nov.id, kind: 'INTERVIEW' } });
    expect(m.status).toBe('PROPOSED');
    s.interview = m.id;
  });
});

describe('scheduling: the 例会 and a 约谈 typed, the listed 约谈 from its offer, a 专题会 from a warning', () => {
  it('例会 builds the agenda from the month; 确认安排 invites the units with their seats and puts it in the calendar', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    let seen = mark();
    await bot.sandbox.userSays(organiser.openId, '例会 12月22日上午9点');
    const card = await waitFor(organiser.openId, '2026年11月经济运行例会', seen);
    expect(card.content).toContain('2026年12月22日（周二）09:00');
    expect(card.content).toContain('表态席');
    const m = await prisma.meeting.findFirstOrThrow({ where: { kind: 'MONTHLY' } });
    s.monthly = m.id;
    seen = mark();
    const ok = await schedule(organiser.openId, card.messageId, m.id, form('2026-12-22', '09:00', { duration: '120' }));
    expect(ok.toast?.type).toBe('success');
    const statement = await person('andong-district', 'HEAD');
    const exchange = await person('high-tech-zone', 'HEAD');
    expect((await waitFor(statement.openId, '经济运行例会邀请', seen)).content).toContain('表态席（鞍东区）');
    expect((await waitFor(exchange.openId, '经济运行例会邀请', seen)).content).toContain('经验交流席（高新区）');
    await settle(bot.ctx);
    const [event, ...more] = eventsOf('2026年11月经济运行例会');
    expect(more).toHaveLength(0);
    expect(attendeeIds(event!)).toEqual(expect.arrayContaining([statement.openId, exchange.openId]));
    expect(event!.start.timestamp).toBe(String(Date.parse('2026-12-22T01:00:00Z') / 1000));
  });

  it('约谈 typed with the time as people say it: the card echoes the weekday; 确认安排 invites the district head', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const head = await person('qingshan-district', 'HEAD');
    let seen = mark();
    await bot.sandbox.userSays(organiser.openId, '约谈 青山区 下周一下午3点 重点项目开工逾期');
    const card = await waitFor(organiser.openId, '安排约谈：青山区约谈', seen);
    expect(card.content).toContain('2026年12月21日（周一）15:00');
    const m = await prisma.meeting.findFirstOrThrow({ where: { title: '青山区约谈', status: 'DRAFT' } });
    s.typed = m.id;
    seen = mark();
    expect((await schedule(organiser.openId, card.messageId, m.id, form('2026-12-21', '15:00'))).toast?.type).toBe('success');
    const notice = await waitFor(head.openId, '约谈通知：青山区约谈', seen);
    expect(notice.content).toContain('重点项目开工逾期');
    await settle(bot.ctx);
    expect(attendeeIds(eventsOf('青山区约谈')[0]!)).toContain(head.openId);
  });

  it('the 约谈 from the confirmed list is scheduled from its offer card', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const head = await person('andong-district', 'HEAD');
    const offer = cardsTo(organiser.openId).findLast((c) => c.content.includes('安排约谈：鞍东区约谈'))!;
    const seen = mark();
    expect((await schedule(organiser.openId, offer.messageId, s.interview, form('2026-12-18', '15:00'))).toast?.type).toBe('success');
    const notice = await waitFor(head.openId, '约谈通知：鞍东区约谈', seen);
    expect(notice.content).toContain('2026年12月18日');
    expect(notice.content).toContain('综合排名第 10 位');
    await settle(bot.ctx);
    expect(eventsOf('鞍东区约谈')).toHaveLength(1);
  });

  it('召集专题会 on a warning reaches the organisers; the one who schedules it invites the unit, and the vice-mayor hears it', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    // The red light the close lit on 鞍东区's industrial growth (2 %, last of ten), as its vice-mayor reads it.
    const w = await prisma.warning.findFirstOrThrow({ where: { periodId: s.novId, unit: { code: 'andong-district' }, indicator: { code: 'industrial-va' } } });
    expect(w.level).toBe('RED');
    const vice = (await prisma.leader.findFirstOrThrow({ where: { rank: 'DEPUTY', domains: { some: { indicators: { some: { indicator: { code: 'industrial-va' } } } } } }, include: { person: true } })).person;
    const content = (await warningCardOf(prisma, w.id))! as unknown as Prisma.InputJsonValue;
    const row = await addOutbound(prisma, { kind: 'SEND', dedupeKey: `test-warning-${w.id}`, receiveIdType: 'open_id', receiveId: vice.openId!, msgType: 'interactive', content });
    let seen = mark();
    await enqueueOutbound(queues, [row.id]);
    const warningCard = await waitFor(vice.openId!, '规模以上工业增加值', seen);

    seen = mark();
    const asked = await bot.sandbox.clickCard({ openId: vice.openId!, messageId: warningCard.messageId, value: { a: 'warning.meeting', v: 1, w: w.id } });
    expect(asked.toast?.content).toBe('已请例会办公室安排专题会议');
    const offer = await waitFor(organiser.openId, '专题会议', seen);
    expect(offer.content).toContain('鞍东区');
    const m = await prisma.meeting.findFirstOrThrow({ where: { warningId: w.id } });
    s.special = m.id;
    seen = mark();
    expect((await schedule(organiser.openId, offer.messageId, m.id, form('2026-12-18', '10:00'))).toast?.type).toBe('success');
    const head = await person('andong-district', 'HEAD');
    await waitFor(head.openId, m.title, seen);
    expect((await waitFor(vice.openId!, '已安排', seen)).content).toContain('2026年12月18日');
    await settle(bot.ctx);
    expect(attendeeIds(eventsOf(m.title)[0]!)).toEqual(expect.arrayContaining([head.openId, vice.openId]));
  });

  it('the day before at 16:00 and an hour before, the attendees are reminded', async () => {
    const head = await person('andong-district', 'HEAD');
    clock.set('2026-12-17T08:00:00Z');
    let seen = mark();
    await fire(`mrem-${s.interview}-day-v1`);
    expect((await waitFor(head.openId, '明天约谈：鞍东区约谈', seen)).content).toContain('约谈对象');
    clock.set('2026-12-18T06:00:00Z');
    seen = mark();
    await fire(`mrem-${s.interview}-hour-v1`);
    await waitFor(head.openId, '1 小时后约谈：鞍东区约谈', seen);
  });
});

describe('one moved, one cancelled', () => {
  it('改期 moves the 例会: the same calendar event moves and every unit is told the new time', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const statement = await person('andong-district', 'HEAD');
    const m = await prisma.meeting.findUniqueOrThrow({ where: { id: s.monthly } });
    const before = eventsOf(m.title)[0]!;
    const seen = mark();
    await bot.sandbox.userSays(organiser.openId, `改期 ${m.no} 12月23日上午9点`);
    await waitFor(organiser.openId, '已改期', seen);
    const notice = await waitFor(statement.openId, '改期通知', seen);
    expect(notice.content).toContain('2026年12月23日');
    await settle(bot.ctx);
    const after = eventsOf(m.title);
    expect(after.map((e) => e.eventId)).toEqual([before.eventId]);
    expect(after[0]!.start.timestamp).toBe(String(Date.parse('2026-12-23T01:00:00Z') / 1000));
    // The reminders of the old time are gone; those of the new one are planned.
    expect(await prisma.followUp.count({ where: { jobId: `mrem-${m.id}-day-v2` } })).toBe(1);
  });

  it('取消 cancels the 专题会: its event is deleted and the invited are told why', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const head = await person('andong-district', 'HEAD');
    const m = await prisma.meeting.findUniqueOrThrow({ where: { id: s.special } });
    const seen = mark();
    await bot.sandbox.userSays(organiser.openId, `取消 ${m.no} 市政府常务会议冲突`);
    await waitFor(organiser.openId, '已取消', seen);
    expect((await waitFor(head.openId, '取消通知', seen)).content).toContain('市政府常务会议冲突');
    await settle(bot.ctx);
    expect(eventsOf(m.title)).toHaveLength(0);
  });
});

describe('after the 约谈: the record, 约谈记录 and the follow-up', () => {
  it('asks the organiser for the record when it ends; the record is filed with the ranking that put the unit on the list', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const head = await person('andong-district', 'HEAD');
    clock.set('2026-12-18T08:10:00Z');
    const seen = mark();
    await fire(`mafter-${s.interview}-v1`);
    const ask = await waitFor(organiser.openId, '约谈记录：鞍东区约谈', seen);
    const ok = await bot.sandbox.clickCard({
      openId: organiser.openId,
      messageId: ask.messageId,
      value: { a: 'interview.record', v: 1, m: s.interview },
      formValue: { interviewee: `${head.name}（${head.title}）`, interviewers: '林振华（常务副市长）', commitments: '12月底前三个停工项目全部复工', follow_up: '2027-01-08 +0800' },
    });
    expect(ok.toast?.type).toBe('success');
    const r = await prisma.interviewRecord.findUniqueOrThrow({ where: { meetingId: s.interview } });
    expect(r.rankingNote).toBe('2026年11月综合排名第 10 位（共 10 个）');
    expect(r.commitments).toBe('12月底前三个停工项目全部复工');
    s.recordId = r.id;
  });

  it('约谈记录 鞍东区 lists it in chat', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const seen = mark();
    await bot.sandbox.userSays(organiser.openId, '约谈记录 鞍东区');
    const list = await waitFor(organiser.openId, '约谈记录：鞍东区', seen);
    for (const text of ['12月底前三个停工项目全部复工', '2027年1月8日', '综合排名第 10 位']) expect(list.content).toContain(text);
  });

  it('on the follow-up date the organiser is asked, and the outcome is stored', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    clock.set('2027-01-08T01:00:00Z');
    const seen = mark();
    await fire(`ifollow-${s.recordId}`);
    const card = await waitFor(organiser.openId, '约谈跟踪：鞍东区约谈', seen);
    const ok = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: card.messageId, value: { a: 'interview.followup', v: 1, r: s.recordId, o: 'partly' }, formValue: { outcome: '两个项目已复工，一个延至1月底' } });
    expect(ok.toast?.content).toBe('已记录：部分落实');
    expect(await prisma.interviewFollowUp.findMany({ where: { recordId: s.recordId } })).toEqual([expect.objectContaining({ outcome: '两个项目已复工，一个延至1月底' })]);
  });
});
