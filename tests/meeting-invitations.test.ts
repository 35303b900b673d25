// What attendees hear, in the sandbox: an organiser schedules a 约谈 by chat; the unit head and the host get
// their invitations; 参加 and 请假并委派 are stored once (the delegate and the organiser hear of the leave);
// a 改期 resets the answers and renotifies, an old card's answer changes nothing; the reminders fire once
// at their injected-clock time, and a cancellation reaches everyone and stops them.
import { describe, expect, it } from 'vitest';
import { settle, startTestBot } from './support/bot.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { fireMeetingReminder } from '../jobs/meeting-remind.job.ts';
import { runPlan } from '../jobs/collection.job.ts';
import type { Prisma } from '../src/generated/prisma/client.ts';
import { addOutbound } from '../src/outbox/outbox.service.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import { enqueueFollowUps } from '../src/outbox/follow-ups.enqueue.ts';
import { warningCardOf } from '../src/modules/lights/warning-view.ts';
import { dispatchMessage } from '../src/commands/dispatch.ts';
import type { MessageCommand } from '../src/commands/command.ts';
import { announceMeeting } from '../src/modules/meetings/invitations.ts';
import { collectWritten } from '../src/outbox/written.ts';

// Thursday 2026-12-03, 10:00 Beijing.
const clock = fixedClock('2026-12-03T02:00:00Z');
const bot = await startTestBot({ clock });
const { prisma, queues } = bot.ctx;

const mark = () => new Set(bot.sandbox.messages.all().map((m) => m.messageId));
const cardsTo = (openId: string) => bot.sandbox.messages.toUser(openId).filter((m) => m.msgType === 'interactive');
const newCards = (openId: string, seen: Set<string>) => cardsTo(openId).filter((m) => !seen.has(m.messageId));
const waitFor = (openId: string, contains: string, seen: Set<string>) =>
  bot.sandbox.messages.waitFor((m) => m.msgType === 'interactive' && !seen.has(m.messageId) && m.content.includes(contains) && cardsTo(openId).some((x) => x.messageId === m.messageId), 15_000);
async function person(unit: string, role: 'HEAD' | 'ORGANISER') {
  const r = await prisma.unitRole.findFirstOrThrow({ where: { role, unit: { code: unit } }, include: { person: true }, orderBy: { person: { code: 'asc' } } });
  return { openId: r.person.openId!, name: r.person.name, id: r.person.id };
}
const byCode = async (code: string) => {
  const p = await prisma.person.findUniqueOrThrow({ where: { code } });
  return { openId: p.openId!, name: p.name, id: p.id };
};
const form = (date: string, time: string) => ({ title: '', date: `${date} +0800`, time: `${time} +0800`, duration: '60', location: '市政府三楼第一会议室' });
const rsvp = (m: { id: string }, n: number, r: 0 | 1) => ({ a: 'meeting.rsvp', v: 1, m: m.id, n, r });
const attendee = (meetingId: string, personId: string) => prisma.meetingAttendee.findUniqueOrThrow({ where: { meetingId_personId: { meetingId, personId } } });
const remindersTo = (openId: string) => cardsTo(openId).filter((c) => c.content.includes('会议提醒'));

/**
 * 改期 / 取消 as parse.ts reads them (the chat parser of these commands lands with the time parser, branch
 * i10-when): the typed command runs through the real runner, in the chat of a message the organiser sent.
 */
let typed = 0;
async function organiserTypes(openId: string, cmd: MessageCommand) {
  const said = await bot.sandbox.userSays(openId, '帮助');
  const deps = {
    prisma,
    clock,
    logger: bot.ctx.logger,
    afterCommit: async (w: { outbound: string[]; followUps: string[] }) => {
      await enqueueOutbound(queues, w.outbound);
      await enqueueFollowUps(prisma, queues, w.followUps, clock.now());
    },
  };
  return dispatchMessage(deps, { openId, messageId: said.messageId, chatId: said.chatId, key: `test-typed-${typed++}` }, cmd);
}

/** A leader's 约谈 on a red warning: the organisers get the scheduling card (real cards all the way). */
async function proposedInterview(unitCode: string, leaderCode: string) {
  const period = await prisma.reportingPeriod.findFirstOrThrow({ where: { cycle: { code: 'monthly' } }, orderBy: { endDate: 'asc' } });
  const vice = await byCode(leaderCode);
  const leader = await prisma.leader.findUniqueOrThrow({ where: { personId: vice.id } });
  const unit = await prisma.unit.findUniqueOrThrow({ where: { code: unitCode } });
  const indicator = await prisma.indicator.findUniqueOrThrow({ where: { code: 'industrial-va' } });
  const w = await prisma.warning.create({ data: { periodId: period.id, unitId: unit.id, indicatorId: indicator.id, leaderId: leader.id, level: 'RED', computedLevel: 'RED', reasons: ['低于目标进度 6.0 个百分点'], vintage: 'FLASH' } });
  const content = (await warningCardOf(prisma, w.id))! as unknown as Prisma.InputJsonValue;
  const row = await addOutbound(prisma, { kind: 'SEND', dedupeKey: `test-warning-${w.id}`, receiveIdType: 'open_id', receiveId: vice.openId, msgType: 'interactive', content });
  let seen = mark();
  await enqueueOutbound(queues, [row.id]);
  const warningCard = await waitFor(vice.openId, '规模以上工业增加值', seen);
  const organiser = await person('meeting-office', 'ORGANISER');
  seen = mark();
  await bot.sandbox.clickCard({ openId: vice.openId, messageId: warningCard.messageId, value: { a: 'warning.interview', v: 1, w: w.id } });
  const offer = await waitFor(organiser.openId, '安排约谈', seen);
  await settle(bot.ctx);
  return { offer, m: await prisma.meeting.findFirstOrThrow({ where: { warningId: w.id } }), organiser };
}

const state: { meetingId: string; no: number; headCard: string; hostCard: string; headNotice: string } = { meetingId: '', no: 0, headCard: '', hostCard: '', headNotice: '' };

describe('invitations', () => {
  it('reach each attendee on 确认安排 — the unit head as 约谈对象, the host as 主持 — with reminders planned', async () => {
    await runPlan({ prisma, clock, logger: bot.ctx.logger, queues }, 'monthly');
    const head = await person('andong-district', 'HEAD');
    const host = await byCode('zhao-mingyuan');
    const { offer, m, organiser } = await proposedInterview('andong-district', 'zhao-mingyuan');
    expect(cardsTo(head.openId).filter((c) => c.content.includes('约谈'))).toHaveLength(0);
    const seen = mark();
    const ok = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: offer.messageId, value: { a: 'meeting.schedule', v: 1, m: m.id }, formValue: form('2026-12-08', '15:00') });
    expect(ok.toast?.type).toBe('success');

    const toHead = await waitFor(head.openId, '约谈通知：鞍东区约谈', seen);
    expect(toHead.content).toContain('2026年12月8日');
    expect(toHead.content).toContain('周二');
    expect(toHead.content).toContain('市政府三楼第一会议室');
    expect(toHead.content).toContain('约谈对象（鞍东区）');
    expect(toHead.content).toContain('低于目标进度 6.0 个百分点');
    expect(toHead.content).toContain('请假并委派');
    const toHost = await waitFor(host.openId, '约谈邀请：鞍东区约谈', seen);
    expect(toHost.content).toContain('您的角色**：主持');
    await settle(bot.ctx);
    expect(newCards(head.openId, seen)).toHaveLength(1);

    // 16:00 Beijing the day before, and an hour before: delayed in the queue by the injected clock.
    const day = await prisma.followUp.findUniqueOrThrow({ where: { jobId: `mrem-${m.id}-day-v1` } });
    expect(day.runAt?.toISOString()).toBe('2026-12-07T08:00:00.000Z');
    const hour = await prisma.followUp.findUniqueOrThrow({ where: { jobId: `mrem-${m.id}-hour-v1` } });
    expect(hour.runAt?.toISOString()).toBe('2026-12-08T06:00:00.000Z');
    const job = await queues.domain.getJob(`mrem-${m.id}-day-v1`);
    expect(await job?.getState()).toBe('delayed');
    expect(job?.opts.delay).toBe(Date.parse('2026-12-07T08:00:00Z') - Date.parse('2026-12-03T02:00:00Z'));
    Object.assign(state, { meetingId: m.id, no: m.no, headCard: toHead.messageId, hostCard: toHost.messageId });
  });

  it('参加 is stored once, the card says 「已确认参加」, and the organiser is not bothered', async () => {
    const head = await person('andong-district', 'HEAD');
    const organiser = await person('meeting-office', 'ORGANISER');
    const seen = mark();
    const first = await bot.sandbox.clickCard({ openId: head.openId, messageId: state.headCard, value: rsvp({ id: state.meetingId }, 1, 1) });
    expect(first.toast).toMatchObject({ type: 'success', content: '已确认参加' });
    expect(JSON.stringify(first.card)).toContain('已确认参加');
    const a = await attendee(state.meetingId, head.id);
    expect(a.rsvp).toBe('ACCEPTED');
    expect(a.respondedAt?.toISOString()).toBe('2026-12-03T02:00:00.000Z');

    clock.advance(60_000);
    const again = await bot.sandbox.clickCard({ openId: head.openId, messageId: state.headCard, value: rsvp({ id: state.meetingId }, 1, 1) });
    expect(again.toast?.content).toContain('已确认参加');
    expect((await attendee(state.meetingId, head.id)).respondedAt?.toISOString()).toBe('2026-12-03T02:00:00.000Z');
    expect(await prisma.auditLog.count({ where: { action: 'meeting.rsvp', entityId: state.meetingId } })).toBe(1);
    await settle(bot.ctx);
    expect(newCards(organiser.openId, seen)).toHaveLength(0);
  });

  it('请假并委派 needs a delegate; with one, the delegate and the organiser hear it; nobody else may answer', async () => {
    const host = await byCode('zhao-mingyuan');
    const delegate = await byCode('lin-zhenhua');
    const organiser = await person('meeting-office', 'ORGANISER');

    const none = await bot.sandbox.clickCard({ openId: host.openId, messageId: state.hostCard, value: rsvp({ id: state.meetingId }, 1, 0), formValue: { delegate: '', reason: '赴省开会' } });
    expect(none.toast?.type).toBe('warning');
    expect(none.toast?.content).toContain('请填写委派人姓名');
    const long = await bot.sandbox.clickCard({ openId: host.openId, messageId: state.hostCard, value: rsvp({ id: state.meetingId }, 1, 0), formValue: { delegate: delegate.name, reason: '因'.repeat(201) } });
    expect(long.toast?.content).toBe('「请假原因」最多 200 字，当前 201 字，请精简后重新提交');
    expect((await attendee(state.meetingId, host.id)).rsvp).toBe('PENDING');

    // A forwarded or forged answer: the organiser is not invited.
    const own = cardsTo(organiser.openId).at(-1)!;
    const stranger = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: own.messageId, value: rsvp({ id: state.meetingId }, 1, 1) });
    expect(stranger.toast?.content).toContain('只有受邀本人可以回复');

    const seen = mark();
    const ok = await bot.sandbox.clickCard({ openId: host.openId, messageId: state.hostCard, value: rsvp({ id: state.meetingId }, 1, 0), formValue: { delegate: delegate.name, reason: '赴省开会' } });
    expect(ok.toast?.type).toBe('success');
    expect(ok.toast?.content).toContain(`委派 ${delegate.name} 参加（已通知本人）`);
    expect(JSON.stringify(ok.card)).toContain(`已请假，委派 ${delegate.name} 参加`);
    const a = await attendee(state.meetingId, host.id);
    expect(a).toMatchObject({ rsvp: 'DELEGATED', delegateName: delegate.name, delegateId: delegate.id, leaveReason: '赴省开会' });
    const toDelegate = await waitFor(delegate.openId, '委派参会：鞍东区约谈', seen);
    expect(toDelegate.content).toContain(host.name);
    const notice = await waitFor(organiser.openId, '请假委派：鞍东区约谈', seen);
    expect(notice.content).toContain(delegate.name);
    expect(notice.content).toContain('赴省开会');
  });

  it('改期 resets the answers, renotifies everyone (the delegate too); an answer on the old card changes nothing', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const head = await person('andong-district', 'HEAD');
    const delegate = await byCode('lin-zhenhua');
    const seen = mark();
    const r = await organiserTypes(organiser.openId, { kind: 'meeting.reschedule', no: state.no, whenText: '12月9日10:00' });
    expect(JSON.stringify(r.outcome)).toContain('已改期');
    const notice = await waitFor(head.openId, '约谈改期通知', seen);
    expect(notice.content).toContain('2026年12月9日');
    expect(notice.content).toContain('~~2026年12月8日');
    expect(notice.content).toContain('参加');
    expect((await waitFor(delegate.openId, '改期通知（委派参会）', seen)).content).toContain('以其重新回复为准');
    const rows = await prisma.meetingAttendee.findMany({ where: { meetingId: state.meetingId } });
    expect(rows.every((r) => r.rsvp === 'PENDING' && r.delegateName === null && r.respondedAt === null)).toBe(true);
    // The old invitation turns into 「会议时间已变更」.
    await bot.sandbox.messages.waitFor(() => bot.sandbox.messages.get(state.headCard)?.content.includes('会议时间已变更') ?? false, 15_000);

    const old = await bot.sandbox.clickCard({ openId: head.openId, messageId: state.headCard, value: rsvp({ id: state.meetingId }, 1, 1) });
    expect(old.toast?.content).toBe('会议时间已变更，请以最新通知为准');
    expect((await attendee(state.meetingId, head.id)).rsvp).toBe('PENDING');
    state.headNotice = notice.messageId;
    const fresh = await bot.sandbox.clickCard({ openId: head.openId, messageId: notice.messageId, value: rsvp({ id: state.meetingId }, 2, 1) });
    expect(fresh.toast?.content).toBe('已确认参加');
    expect((await prisma.followUp.findUniqueOrThrow({ where: { jobId: `mrem-${state.meetingId}-hour-v2` } })).runAt?.toISOString()).toBe('2026-12-09T01:00:00.000Z');
  });

  it('the reminders fire once, at their time, for the current version only', async () => {
    const head = await person('andong-district', 'HEAD');
    const host = await byCode('zhao-mingyuan');
    // The first version's day reminder comes due: the meeting has moved on, nothing is sent.
    clock.set('2026-12-07T08:00:00Z');
    await (await queues.domain.getJob(`mrem-${state.meetingId}-day-v1`))!.promote();
    await settle(bot.ctx);
    expect(remindersTo(head.openId)).toHaveLength(0);

    const seen = mark();
    clock.set('2026-12-08T08:00:00Z');
    await (await queues.domain.getJob(`mrem-${state.meetingId}-day-v2`))!.promote();
    const r = await waitFor(head.openId, '明天约谈：鞍东区约谈', seen);
    expect(r.content).toContain('2026年12月9日');
    expect(r.content).toContain('整改措施');
    // The host has not answered the new time: reminded, and asked to answer.
    expect((await waitFor(host.openId, '明天约谈', seen)).content).toContain('尚未回复');
    // A retry of the job sends nothing more.
    expect(await fireMeetingReminder({ prisma, clock }, { meetingId: state.meetingId, version: 2, kind: 'day' })).toEqual([]);
    await settle(bot.ctx);
    expect(remindersTo(head.openId)).toHaveLength(1);
  });

  it('a delegate is reminded in place of the person who took leave', async () => {
    const host = await byCode('zhao-mingyuan');
    const delegate = await byCode('lin-zhenhua');
    clock.set('2026-12-08T09:00:00Z');
    const hostCard = cardsTo(host.openId).findLast((c) => c.content.includes('约谈改期通知'))!;
    const ok = await bot.sandbox.clickCard({ openId: host.openId, messageId: hostCard.messageId, value: rsvp({ id: state.meetingId }, 2, 0), formValue: { delegate: delegate.name } });
    expect(ok.toast?.type).toBe('success');
    const seen = mark();
    clock.set('2026-12-09T01:00:00Z');
    await (await queues.domain.getJob(`mrem-${state.meetingId}-hour-v2`))!.promote();
    const r = await waitFor(delegate.openId, '1 小时后约谈', seen);
    expect(r.content).toContain(`代 **${host.name}（副市长）** 参加`);
    await settle(bot.ctx);
    expect(newCards(host.openId, seen)).toHaveLength(0);
  });
});

describe('cancelling', () => {
  it('tells every attendee and the delegate the reason, and stops the reminders', async () => {
    clock.set('2026-12-08T02:00:00Z');
    const organiser = await person('meeting-office', 'ORGANISER');
    const head = await person('andong-district', 'HEAD');
    const delegate = await byCode('lin-zhenhua');
    // A second 约谈, to cancel while its reminders are still ahead.
    const other = await person('anxi-district', 'HEAD');
    const { offer, m } = await proposedInterview('anxi-district', 'zhao-mingyuan');
    let seen = mark();
    await bot.sandbox.clickCard({ openId: organiser.openId, messageId: offer.messageId, value: { a: 'meeting.schedule', v: 1, m: m.id }, formValue: form('2026-12-10', '15:00') });
    const invite = await waitFor(other.openId, '约谈通知', seen);
    expect(await prisma.followUp.count({ where: { jobId: { startsWith: `mrem-${m.id}-` } } })).toBe(2);

    seen = mark();
    await organiserTypes(organiser.openId, { kind: 'meeting.cancel', no: state.no, reason: '区长赴省参加会议' });
    const cancelled = await waitFor(head.openId, '约谈取消通知', seen);
    expect(cancelled.content).toContain('区长赴省参加会议');
    expect(cancelled.content).not.toContain('meeting.rsvp');
    expect((await waitFor(delegate.openId, '约谈取消通知', seen)).content).toContain('区长赴省参加会议');
    // The notice's buttons are gone: it now says the meeting was cancelled; a click already on its way changes nothing.
    await bot.sandbox.messages.waitFor(() => bot.sandbox.messages.get(state.headNotice)?.content.includes('会议已取消') ?? false, 15_000);
    const late = await bot.sandbox.clickCard({ openId: head.openId, messageId: state.headNotice, value: rsvp({ id: state.meetingId }, 2, 0), formValue: { delegate: '张三' } });
    expect(late.toast?.content).toContain('会议已取消');
    expect((await attendee(state.meetingId, head.id)).rsvp).toBe('ACCEPTED');

    await organiserTypes(organiser.openId, { kind: 'meeting.cancel', no: m.no });
    await waitFor(other.openId, '约谈取消通知：鞍西区约谈', seen);
    seen = mark();
    clock.set('2026-12-09T08:00:00Z');
    await (await queues.domain.getJob(`mrem-${m.id}-day-v1`))!.promote();
    await settle(bot.ctx);
    expect(newCards(other.openId, seen).filter((c) => c.content.includes('会议提醒'))).toHaveLength(0);
    expect(await fireMeetingReminder({ prisma, clock }, { meetingId: m.id, version: 1, kind: 'day' })).toEqual([]);
    const onCancelled = await bot.sandbox.clickCard({ openId: other.openId, messageId: invite.messageId, value: rsvp(m, 1, 1) });
    expect(onCancelled.toast?.content).toContain('会议已取消');
  });
});

describe('the monthly 例会', () => {
  it('gives the seats their notice — 表态发言 3 分钟, 经验交流 — and the other units a plain invitation', async () => {
    clock.set('2026-12-10T02:00:00Z');
    const organiser = await person('meeting-office', 'ORGANISER');
    const statement = await person('andong-district', 'HEAD');
    const exchange = await person('anxi-district', 'HEAD');
    const plain = await person('qingshan-district', 'HEAD');
    const units = await prisma.unit.findMany({ where: { code: { in: ['andong-district', 'anxi-district', 'qingshan-district'] } } });
    const unitOf = (code: string) => units.find((u) => u.code === code)!.id;
    // As the scheduling writes it on 确认安排 (the seats come from the confirmed seat proposals).
    const m = await prisma.meeting.create({
      data: {
        kind: 'MONTHLY',
        title: '2026年11月经济运行例会',
        status: 'SCHEDULED',
        version: 1,
        startsAt: new Date('2026-12-15T01:00:00Z'),
        endsAt: new Date('2026-12-15T03:00:00Z'),
        location: '市政府三楼第一会议室',
        organiserId: organiser.id,
        attendees: {
          create: [
            { personId: statement.id, unitId: unitOf('andong-district'), role: 'STATEMENT_SEAT' },
            { personId: exchange.id, unitId: unitOf('anxi-district'), role: 'EXCHANGE_SEAT' },
            { personId: plain.id, unitId: unitOf('qingshan-district'), role: 'ATTENDEE' },
          ],
        },
      },
    });
    const seen = mark();
    const { written } = await collectWritten(() => prisma.$transaction((tx) => announceMeeting(tx, m.id, 'scheduled', { now: clock.now(), by: organiser.name })));
    await enqueueOutbound(queues, written.outbound);
    const s = await waitFor(statement.openId, '经济运行例会邀请', seen);
    expect(s.content).toContain('表态席（鞍东区）');
    expect(s.content).toContain('表态发言 3 分钟');
    expect(s.content).toContain('2026年12月15日');
    const e = await waitFor(exchange.openId, '经济运行例会邀请', seen);
    expect(e.content).toContain('经验交流席（鞍西区）');
    expect(e.content).toContain('经验交流发言');
    const p = await waitFor(plain.openId, '经济运行例会邀请', seen);
    expect(p.content).not.toContain('席位通知');
    // Written twice (a retried transaction), still one card each.
    await prisma.$transaction((tx) => announceMeeting(tx, m.id, 'scheduled', { now: clock.now(), by: organiser.name }));
    expect(await prisma.outboundMessage.count({ where: { dedupeKey: { startsWith: `minv-${m.id}-` } } })).toBe(3);
    expect(await prisma.followUp.count({ where: { jobId: { startsWith: `mrem-${m.id}-` } } })).toBe(2);
    await settle(bot.ctx);
    expect(newCards(statement.openId, seen)).toHaveLength(1);
  });
});
