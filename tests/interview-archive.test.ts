// The 约谈 archive in the sandbox: when a 约谈 ends its organiser is asked, once, for the record; the
// record is filed (记入档案) and never changed; on its 跟踪日期 the organiser is asked for the outcome;
// the archive is listed (约谈记录) and exported to Excel. A 专题会 is confirmed 已召开.
// Chat commands this branch's parser does not know yet go through the dispatcher as typed commands,
// with the origin of a real chat message so replies and files travel through the outbox to the sandbox.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { startTestBot } from './support/bot.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { runPlan } from '../jobs/collection.job.ts';
import { dispatchCardAction, dispatchMessage, type DispatchDeps } from '../src/commands/dispatch.ts';
import type { CardCommand, MessageCommand } from '../src/commands/command.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import { enqueueFollowUps } from '../src/outbox/follow-ups.enqueue.ts';
import { requestMeetingRecord } from '../src/modules/meetings/after-meeting.ts';
import { MISSING_COMMITMENTS, MISSING_OUTCOME } from '../cards/meeting-record.ts';

// Thursday 2026-12-03, 10:00 Beijing.
const clock = fixedClock('2026-12-03T02:00:00Z');
const bot = await startTestBot({ clock });
const { prisma, queues } = bot.ctx;
const deps: DispatchDeps = {
  prisma,
  clock,
  logger: bot.ctx.logger,
  afterCommit: async (w) => {
    await enqueueOutbound(queues, w.outbound);
    await enqueueFollowUps(prisma, queues, w.followUps, clock.now());
  },
};

const mark = () => new Set(bot.sandbox.messages.all().map((m) => m.messageId));
const cardsTo = (openId: string) => bot.sandbox.messages.toUser(openId).filter((m) => m.msgType === 'interactive');
const waitFor = (openId: string, contains: string, seen: Set<string>) =>
  bot.sandbox.messages.waitFor((m) => m.msgType === 'interactive' && !seen.has(m.messageId) && m.content.includes(contains) && cardsTo(openId).some((x) => x.messageId === m.messageId), 15_000);
async function person(unit: string, role: 'LIAISON' | 'HEAD' | 'ORGANISER') {
  const r = await prisma.unitRole.findFirstOrThrow({ where: { role, unit: { code: unit } }, include: { person: true }, orderBy: { person: { code: 'asc' } } });
  return { openId: r.person.openId!, name: r.person.name, id: r.person.id, title: r.person.title };
}

let n = 0;
/** A chat command typed as `text`, run as the typed command `cmd` with that message's origin. */
async function say(openId: string, text: string, cmd: MessageCommand) {
  const said = await bot.sandbox.userSays(openId, text);
  const ran = await dispatchMessage(deps, { openId, messageId: said.messageId, chatId: said.chatId, key: `test-msg-${++n}` }, cmd);
  return { ...ran, chatId: said.chatId };
}
const act = (openId: string, cmd: CardCommand) => dispatchCardAction(deps, { openId, messageId: `om_test_${++n}`, key: `test-card-${n}` }, cmd);
const text = (x: unknown) => JSON.stringify(x);

/** Runs a delayed job now (its time has come on the injected clock). */
async function fire(jobId: string) {
  const job = await queues.domain.getJob(jobId);
  expect(job, `job ${jobId} is queued`).toBeDefined();
  await job!.promote();
}

/** Schedules a meeting the way an organiser does: the typed command, then 确认安排 on its card. */
async function schedule(organiser: { openId: string }, cmd: Extract<MessageCommand, { kind: 'meeting.new' }>, date: string, time: string) {
  const before = new Set((await prisma.meeting.findMany({ select: { id: true } })).map((m) => m.id));
  await say(organiser.openId, `${cmd.meeting === 'INTERVIEW' ? '约谈' : '专题会'} ${cmd.subject} ${cmd.whenText}`, cmd);
  const m = (await prisma.meeting.findMany({ orderBy: { createdAt: 'desc' } })).find((x) => !before.has(x.id))!;
  const ok = await act(organiser.openId, { kind: 'meeting.confirm', meetingId: m.id, form: { date, time, durationMin: 60 } });
  expect(ok.outcome.toast?.type).toBe('success');
  return prisma.meeting.findUniqueOrThrow({ where: { id: m.id } });
}

let meetingId = '';
let recordId = '';
let warningId = '';

describe('after a 约谈', () => {
  it('asks the organiser for the record once, when it ends; a stale or cancelled meeting asks nothing', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const head = await person('andong-district', 'HEAD');
    const m = await schedule(organiser, { kind: 'meeting.new', meeting: 'INTERVIEW', subject: '鞍东区', whenText: '12月8日15:00', units: [], reason: '规上工业增加值连续两月末位' }, '2026-12-08', '15:00');
    meetingId = m.id;
    // The 约谈 comes from a red warning of November, when 鞍东区 ranked last of two.
    await runPlan({ prisma, clock, logger: bot.ctx.logger, queues }, 'monthly');
    const period = await prisma.reportingPeriod.findFirstOrThrow({ where: { cycle: { code: 'monthly' } }, orderBy: { endDate: 'asc' } });
    const unit = await prisma.unit.findUniqueOrThrow({ where: { code: 'andong-district' } });
    const other = await prisma.unit.findUniqueOrThrow({ where: { code: 'anxi-district' } });
    const indicator = await prisma.indicator.findUniqueOrThrow({ where: { code: 'industrial-va' } });
    warningId = (await prisma.warning.create({ data: { periodId: period.id, unitId: unit.id, indicatorId: indicator.id, level: 'RED', computedLevel: 'RED', reasons: ['低于目标进度 6.0 个百分点'] } })).id;
    await prisma.ranking.create({ data: { periodId: period.id, scope: 'composite', computedAt: clock.now(), entries: { create: [{ unitId: other.id, rank: 1, score: '90' }, { unitId: unit.id, rank: 2, score: '60' }] } } });
    await prisma.meeting.update({ where: { id: m.id }, data: { warningId } });

    // Nothing before the end.
    expect(cardsTo(organiser.openId).some((c) => c.content.includes('约谈记录：鞍东区约谈'))).toBe(false);
    clock.set('2026-12-08T08:00:00Z');
    const seen = mark();
    await fire(`mafter-${m.id}-v1`);
    const form = await waitFor(organiser.openId, '约谈记录：鞍东区约谈', seen);
    expect(form.content).toContain(`${head.name}（${head.title}）`);
    expect(form.content).toContain('林振华');
    expect(form.content).toContain('综合排名第 2 位');
    expect(form.content).toContain('记入档案');
    expect((await prisma.meeting.findUniqueOrThrow({ where: { id: m.id } })).recordRequestedAt?.toISOString()).toBe('2026-12-08T08:00:00.000Z');

    // A retry of the job, or an older version's job, asks nothing more.
    expect(await prisma.$transaction((tx) => requestMeetingRecord(tx, m.id, 1, clock.now()))).toEqual({ sent: false, why: 'asked' });
    expect(await prisma.$transaction((tx) => requestMeetingRecord(tx, m.id, 0, clock.now()))).toEqual({ sent: false, why: 'stale' });
    expect(await prisma.outboundMessage.count({ where: { dedupeKey: { startsWith: `mrecord-${m.id}` } } })).toBe(1);
  });

  it('a cancelled 约谈 is not asked about', async () => {
    clock.set('2026-12-03T02:00:00Z');
    const organiser = await person('meeting-office', 'ORGANISER');
    const m = await schedule(organiser, { kind: 'meeting.new', meeting: 'INTERVIEW', subject: '鞍西区', whenText: '12月9日10:00', units: [] }, '2026-12-09', '10:00');
    await say(organiser.openId, `取消 ${m.no}`, { kind: 'meeting.cancel', no: m.no, reason: '改为书面说明' });
    const cancelled = await prisma.meeting.findUniqueOrThrow({ where: { id: m.id } });
    expect(cancelled.status).toBe('CANCELLED');
    clock.set('2026-12-09T03:00:00Z');
    expect(await prisma.$transaction((tx) => requestMeetingRecord(tx, m.id, 1, clock.now()))).toEqual({ sent: false, why: 'stale' });
    expect(await prisma.$transaction((tx) => requestMeetingRecord(tx, m.id, cancelled.version, clock.now()))).toEqual({ sent: false, why: 'not-scheduled' });
    expect(await prisma.outboundMessage.count({ where: { dedupeKey: `mrecord-${m.id}` } })).toBe(0);
    expect((await prisma.meeting.findUniqueOrThrow({ where: { id: m.id } })).recordRequestedAt).toBeNull();
  });
});

describe('记入档案', () => {
  it('refuses a record without commitments or with a follow-up date before the talk, and changes nothing', async () => {
    clock.set('2026-12-08T08:10:00Z');
    const organiser = await person('meeting-office', 'ORGANISER');
    const form = cardsTo(organiser.openId).findLast((c) => c.content.includes('约谈记录：鞍东区约谈'))!;
    const value = { a: 'interview.record', v: 1, m: meetingId };
    const none = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: form.messageId, value, formValue: { interviewee: '王建国', commitments: '  ' } });
    expect(none.toast?.content).toBe(MISSING_COMMITMENTS);
    const early = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: form.messageId, value, formValue: { commitments: '月底前整改', follow_up: '2026-12-05 +0800' } });
    expect(early.toast?.type).toBe('warning');
    expect(early.toast?.content).toContain('跟踪日期应晚于约谈日期');
    expect(await prisma.interviewRecord.count()).toBe(0);
    expect((await prisma.meeting.findUniqueOrThrow({ where: { id: meetingId } })).status).toBe('SCHEDULED');
  });

  it('files the record with the unit, person, interviewers, warning, ranking and commitments, and plans the follow-up', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const head = await person('andong-district', 'HEAD');
    const form = cardsTo(organiser.openId).findLast((c) => c.content.includes('约谈记录：鞍东区约谈'))!;
    const ok = await bot.sandbox.clickCard({
      openId: organiser.openId,
      messageId: form.messageId,
      value: { a: 'interview.record', v: 1, m: meetingId },
      formValue: { interviewee: `${head.name}（${head.title}）`, interviewers: '林振华（常务副市长）', commitments: '12月底前完成三家企业技改投产', follow_up: '2026-12-22 +0800', note: '区长当场表态' },
    });
    expect(ok.toast?.type).toBe('success');
    expect(ok.toast?.content).toContain('2026年12月22日');
    expect(text(ok.card)).toContain('已归档：鞍东区约谈');
    const r = await prisma.interviewRecord.findUniqueOrThrow({ where: { meetingId } });
    recordId = r.id;
    const unit = await prisma.unit.findUniqueOrThrow({ where: { code: 'andong-district' } });
    expect(r).toMatchObject({ unitId: unit.id, intervieweeId: head.id, interviewers: '林振华（常务副市长）', warningIds: [warningId], commitments: '12月底前完成三家企业技改投产', recordedById: organiser.id });
    expect(r.rankingNote).toMatch(/^2026年\d+月综合排名第 2 位（共 2 个）$/);
    expect(r.reason).toBe('规上工业增加值连续两月末位');
    expect(r.heldAt?.toISOString()).toBe('2026-12-08T07:00:00.000Z');
    expect(r.followUpDate?.toISOString().slice(0, 10)).toBe('2026-12-22');
    expect(r.archivedAt?.toISOString()).toBe('2026-12-08T08:10:00.000Z');
    expect((await prisma.meeting.findUniqueOrThrow({ where: { id: meetingId } })).status).toBe('HELD');
    const follow = await prisma.followUp.findUniqueOrThrow({ where: { jobId: `ifollow-${r.id}` } });
    expect(follow.runAt?.toISOString()).toBe('2026-12-22T01:00:00.000Z');
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { entity: 'InterviewRecord', entityId: r.id } });
    expect(audit.data).toMatchObject({ note: '区长当场表态' });
  });

  it('a second filing is told 已归档 and shown the record, which stays as it was', async () => {
    clock.set('2026-12-08T09:00:00Z');
    const organiser = await person('meeting-office', 'ORGANISER');
    const again = await act(organiser.openId, { kind: 'interview.record', meetingId, form: { commitments: '另一份承诺' } });
    expect(again.outcome.toast?.content).toContain('已归档');
    expect(text(again.outcome.card)).toContain('12月底前完成三家企业技改投产');
    expect(text(again.outcome.card)).toContain('该约谈记录已归档');
    expect(await prisma.interviewRecord.count({ where: { meetingId } })).toBe(1);
    expect((await prisma.interviewRecord.findUniqueOrThrow({ where: { meetingId } })).commitments).toBe('12月底前完成三家企业技改投产');
  });

  it('only organisers file a record', async () => {
    const head = await person('andong-district', 'HEAD');
    const no = await act(head.openId, { kind: 'interview.record', meetingId, form: { commitments: '自己写的' } });
    expect(no.outcome.toast?.content).toContain('仅经济运行例会办公室');
  });
});

describe('the follow-up', () => {
  it('asks the organiser on the follow-up date and stores the outcome', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    clock.set('2026-12-22T01:00:00Z');
    const seen = mark();
    await fire(`ifollow-${recordId}`);
    const card = await waitFor(organiser.openId, '约谈跟踪：鞍东区约谈', seen);
    expect(card.content).toContain('12月底前完成三家企业技改投产');
    const empty = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: card.messageId, value: { a: 'interview.followup', v: 1, r: recordId, o: 'partly' }, formValue: { outcome: '' } });
    expect(empty.toast?.content).toBe(MISSING_OUTCOME);
    expect(await prisma.interviewFollowUp.count()).toBe(0);
    const ok = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: card.messageId, value: { a: 'interview.followup', v: 1, r: recordId, o: 'partly' }, formValue: { outcome: '两家已投产，一家延至1月' } });
    expect(ok.toast?.content).toBe('已记录：部分落实');
    expect(text(ok.card)).toContain('两家已投产，一家延至1月');
    const rows = await prisma.interviewFollowUp.findMany({ where: { recordId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: '两家已投产，一家延至1月', met: null, recordedById: organiser.id });
    expect(rows[0]!.at.toISOString()).toBe('2026-12-22T01:00:00.000Z');
    // The job again (a retry) sends nothing more.
    expect(await prisma.outboundMessage.count({ where: { dedupeKey: `ifollow-${recordId}` } })).toBe(1);
  });
});

describe('约谈记录 and its export', () => {
  it('lists a unit\'s records for organisers and leaders; a unit head and an unknown unit are answered', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const head = await person('andong-district', 'HEAD');
    const list = await say(organiser.openId, '约谈记录 鞍东区', { kind: 'interview.records', unit: '鞍东区' });
    const c = text(list.outcome.replies);
    for (const s of ['约谈记录：鞍东区', head.name, '林振华', '规模以上工业增加值', '综合排名第 2 位', '12月底前完成三家企业技改投产', '2026年12月22日', '部分落实：两家已投产']) expect(c).toContain(s);
    const vice = await prisma.person.findUniqueOrThrow({ where: { code: 'zhao-mingyuan' } });
    expect(text((await say(vice.openId!, '约谈记录', { kind: 'interview.records' })).outcome.replies)).toContain('共 1 条');
    expect(text((await say(organiser.openId, '约谈记录 鞍西区', { kind: 'interview.records', unit: '鞍西区' })).outcome.replies)).toContain('鞍西区暂无约谈记录');
    expect(text((await say(organiser.openId, '约谈记录 火星区', { kind: 'interview.records', unit: '火星区' })).outcome.replies)).toContain('没有找到名为「火星区」的单位');
    expect(text((await say(head.openId, '约谈记录', { kind: 'interview.records' })).outcome.replies)).toContain('无权查看');
  });

  it('导出约谈记录 sends an Excel file with Chinese headers to the asker', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const seen = mark();
    const ran = await say(organiser.openId, '导出约谈记录 鞍东区', { kind: 'interview.export', unit: '鞍东区' });
    expect(text(ran.outcome.replies)).toContain('共 1 条约谈记录');
    const file = await bot.sandbox.messages.waitFor((m) => m.msgType === 'file' && !seen.has(m.messageId) && m.chatId === ran.chatId, 15_000);
    const stored = bot.sandbox.files.get((JSON.parse(file.content) as { file_key: string }).file_key);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(stored!.data! as never);
    const sheet = wb.worksheets[0]!;
    const header = (sheet.getRow(3).values as unknown[]).slice(1);
    expect(header).toEqual(['会议编号', '约谈单位', '被约谈人', '约谈人', '约谈时间', '约谈事由', '关联预警', '排名情况', '表态/承诺', '跟踪日期', '落实情况', '记录人', '归档时间']);
    const row = (sheet.getRow(4).values as unknown[]).map(String).join('|');
    expect(row).toContain('鞍东区');
    expect(row).toContain('12月底前完成三家企业技改投产');
    expect(row).toContain('部分落实：两家已投产，一家延至1月');
  });
});

describe('after a 专题会', () => {
  it('asks for 已召开 with a note; confirming it marks the meeting held, once', async () => {
    clock.set('2026-12-03T02:00:00Z');
    const organiser = await person('meeting-office', 'ORGANISER');
    const m = await schedule(organiser, { kind: 'meeting.new', meeting: 'SPECIAL', subject: '工业运行', whenText: '12月10日9:30', units: ['鞍西区'] }, '2026-12-10', '09:30');
    const early = await act(organiser.openId, { kind: 'meeting.held', meetingId: m.id });
    expect(early.outcome.toast?.content).toContain('会议尚未开始');
    clock.set('2026-12-10T02:30:00Z');
    const seen = mark();
    await fire(`mafter-${m.id}-v1`);
    const card = await waitFor(organiser.openId, '已结束：', seen);
    const held = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: card.messageId, value: { a: 'meeting.held', v: 1, m: m.id }, formValue: { note: '议定三项措施' } });
    expect(held.toast?.content).toBe('已确认召开');
    expect(text(held.card)).toContain('议定三项措施');
    expect((await prisma.meeting.findUniqueOrThrow({ where: { id: m.id } })).status).toBe('HELD');
    const again = await act(organiser.openId, { kind: 'meeting.held', meetingId: m.id, note: '另一条' });
    expect(again.outcome.toast?.content).toBe('该会议已确认召开。');
    expect(text(again.outcome.card)).toContain('议定三项措施');
    expect(await prisma.auditLog.count({ where: { entity: 'Meeting', entityId: m.id, action: 'meeting.held' } })).toBe(1);
  });
});
