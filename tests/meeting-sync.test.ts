// Meetings reach the Feishu calendar and their group chat, in the sandbox: 确认安排 puts one event on the
// app's calendar with the attendees and opens the group with its welcome; 改期 moves the same event and
// posts 【会议更新】; a delegation swaps the person for the delegate on the event (and adds them to the
// group); 取消 deletes the event and posts 【会议取消】 with the reason. Every sync run twice duplicates
// nothing, and failures injected mid-sync are retried to the end without a second event, chat or message.
import { describe, expect, it } from 'vitest';
import { settle, startTestBot } from './support/bot.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { createFeishuClient } from '../src/feishu/client.ts';
import { feishuMeetingPort } from '../src/feishu/calendar.ts';
import { eventKeyOf, syncMeeting } from '../src/modules/meetings/meeting-sync.ts';
import type { StoredEvent } from '../src/sandbox/sandbox.ts';

// Thursday 2026-12-03, 10:00 Beijing.
const clock = fixedClock('2026-12-03T02:00:00Z');
const bot = await startTestBot({ clock });
const { prisma, queues } = bot.ctx;
// The same port the worker uses, for running a sync again by hand.
const port = feishuMeetingPort(createFeishuClient({ ...bot.api.feishu, logger: bot.ctx.logger }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mark = () => new Set(bot.sandbox.messages.all().map((m) => m.messageId));
const cardsTo = (openId: string) => bot.sandbox.messages.toUser(openId).filter((m) => m.msgType === 'interactive');
const waitFor = (openId: string, contains: string, seen: Set<string>) =>
  bot.sandbox.messages.waitFor((m) => m.msgType === 'interactive' && !seen.has(m.messageId) && m.content.includes(contains) && cardsTo(openId).some((x) => x.messageId === m.messageId), 15_000);
async function person(unit: string, role: 'LIAISON' | 'HEAD' | 'ORGANISER') {
  const r = await prisma.unitRole.findFirstOrThrow({ where: { role, unit: { code: unit } }, include: { person: true }, orderBy: { person: { code: 'asc' } } });
  return { openId: r.person.openId!, name: r.person.name, id: r.person.id };
}
const byCode = async (code: string) => {
  const p = await prisma.person.findUniqueOrThrow({ where: { code } });
  return { openId: p.openId!, name: p.name, id: p.id };
};
const form = (date: string, time: string) => ({ title: '', date: `${date} +0800`, time: `${time} +0800`, duration: '60', location: '市政府三楼第一会议室', chat: 'yes' });
const seconds = (iso: string) => String(new Date(iso).getTime() / 1000);

const eventsTitled = (title: string): StoredEvent[] => bot.sandbox.calendar.events().filter((e) => e.summary === title);
const liveEvent = (title: string) => {
  const live = eventsTitled(title).filter((e) => !e.deleted);
  expect(live).toHaveLength(1);
  return live[0]!;
};
const attendeesOf = (ev: StoredEvent) => ev.attendees.map((a) => a.openId).sort();
const chatsNamed = (prefix: string) => bot.sandbox.chats.all().filter((c) => c.type === 'group' && c.name.startsWith(prefix));
const textsIn = (chatId: string) => bot.sandbox.messages.inChat(chatId).filter((m) => m.msgType === 'text').map((m) => (JSON.parse(m.content) as { text: string }).text);

/** Schedules a 约谈 of a unit by chat and 确认安排 with a group chat; waits for its jobs. */
async function scheduleInterview(unitName: string, said: string, date: string, time: string) {
  const organiser = await person('meeting-office', 'ORGANISER');
  const seen = mark();
  await bot.sandbox.userSays(organiser.openId, `约谈 ${unitName} ${said} 规上工业增加值连续两月末位`);
  const card = await waitFor(organiser.openId, '安排约谈', seen);
  const m = await prisma.meeting.findFirstOrThrow({ where: { title: `${unitName}约谈`, status: 'DRAFT' } });
  const ok = await bot.sandbox.clickCard({ openId: organiser.openId, messageId: card.messageId, value: { a: 'meeting.schedule', v: 1, m: m.id, f: 1 }, formValue: form(date, time) });
  expect(ok.toast?.type).toBe('success');
  return { m, organiser };
}

/** Runs a job to its end, promoting its retries instead of waiting for the backoff. */
async function runToCompletion(jobId: string) {
  const until = Date.now() + 30_000;
  for (;;) {
    const job = await queues.domain.getJob(jobId);
    const state = job ? await job.getState() : 'missing';
    if (state === 'completed') return job!;
    if (state === 'failed') throw new Error(`job ${jobId} failed: ${job!.failedReason}`);
    if (state === 'delayed') await job!.promote().catch(() => undefined);
    if (Date.now() > until) throw new Error(`job ${jobId} still ${state}`);
    await sleep(100);
  }
}

/** Runs every step of the sync again, as a retry after a crash before it was marked done would. */
async function runAgainFromScratch(meetingId: string) {
  const m = await prisma.meeting.findUniqueOrThrow({ where: { id: meetingId } });
  expect(await syncMeeting({ prisma }, port, { meetingId, version: m.version })).toEqual({ done: 'synced-already' });
  await prisma.meeting.update({ where: { id: meetingId }, data: { syncedVersion: -1 } });
  return syncMeeting({ prisma }, port, { meetingId, version: m.version });
}

const state = { meetingId: '', no: 0, eventId: '', chatId: '' };

describe('the calendar event and the group', () => {
  it('确认安排 puts one event with the attendees on the calendar, and opens the group with 「本群为…会议群」', async () => {
    const head = await person('andong-district', 'HEAD');
    const host = await byCode('lin-zhenhua');
    const { m } = await scheduleInterview('鞍东区', '12月8日15:00', '2026-12-08', '15:00');
    await settle(bot.ctx);
    await runToCompletion(`msync-${m.id}-v1`);

    const ev = liveEvent('鞍东区约谈');
    expect(ev.start.timestamp).toBe(seconds('2026-12-08T07:00:00Z'));
    expect(ev.end.timestamp).toBe(seconds('2026-12-08T08:00:00Z'));
    expect(ev.raw.location).toEqual({ name: '市政府三楼第一会议室' });
    expect(ev.description).toContain('规上工业增加值连续两月末位');
    expect(ev.idempotencyKey).toBe(eventKeyOf(m.id));
    expect(attendeesOf(ev)).toEqual([head.openId, host.openId].sort());
    expect(bot.sandbox.calendar.eventsOf(head.openId).map((e) => e.eventId)).toEqual([ev.eventId]);

    const [chat, ...more] = chatsNamed('鞍东区约谈');
    expect(more).toHaveLength(0);
    expect(chat!.name).toBe('鞍东区约谈（12月8日）');
    expect([...chat!.members].sort()).toEqual([head.openId, host.openId].sort());
    await settle(bot.ctx);
    const texts = textsIn(chat!.chatId);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toContain('本群为「鞍东区约谈」会议群');
    expect(texts[0]).toContain('2026年12月8日');
    expect(texts[0]).toContain('市政府三楼第一会议室');

    const row = await prisma.meeting.findUniqueOrThrow({ where: { id: m.id } });
    expect(row).toMatchObject({ calendarEventId: ev.eventId, chatId: chat!.chatId, syncedVersion: 1 });
    Object.assign(state, { meetingId: m.id, no: row.no, eventId: ev.eventId, chatId: chat!.chatId });
  });

  it('run twice — the job again, or every step again — adds no event, chat, attendee or message', async () => {
    const again = await runAgainFromScratch(state.meetingId);
    expect(again).toMatchObject({ done: 'synced', added: 0, removed: 0, outbound: [] });
    await settle(bot.ctx);
    expect(eventsTitled('鞍东区约谈')).toHaveLength(1);
    expect(liveEvent('鞍东区约谈').attendees).toHaveLength(2);
    expect(chatsNamed('鞍东区约谈')).toHaveLength(1);
    expect(textsIn(state.chatId)).toHaveLength(1);
    expect((await prisma.meeting.findUniqueOrThrow({ where: { id: state.meetingId } })).syncedVersion).toBe(1);
  });

  it('改期 moves the same event and posts 【会议更新】 in the group, once', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const seen = mark();
    await bot.sandbox.userSays(organiser.openId, `改期 ${state.no} 12月9日10:00`);
    await waitFor(organiser.openId, '已改期', seen);
    await settle(bot.ctx);
    await runToCompletion(`msync-${state.meetingId}-v2`);
    await settle(bot.ctx);

    const ev = liveEvent('鞍东区约谈');
    expect(ev.eventId).toBe(state.eventId);
    expect(ev.start.timestamp).toBe(seconds('2026-12-09T02:00:00Z'));
    expect(ev.end.timestamp).toBe(seconds('2026-12-09T03:00:00Z'));
    expect(eventsTitled('鞍东区约谈')).toHaveLength(1);
    const texts = textsIn(state.chatId);
    expect(texts).toHaveLength(2);
    expect(texts[1]).toContain('【会议更新】');
    expect(texts[1]).toContain('2026年12月9日');

    expect(await runAgainFromScratch(state.meetingId)).toMatchObject({ done: 'synced', added: 0, removed: 0, outbound: [] });
    await settle(bot.ctx);
    expect(textsIn(state.chatId)).toHaveLength(2);
    expect(eventsTitled('鞍东区约谈')).toHaveLength(1);
  });

  it('改期 back to the first time tells the group again: it was last told the other time', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const seen = mark();
    await bot.sandbox.userSays(organiser.openId, `改期 ${state.no} 12月8日15:00`);
    await waitFor(organiser.openId, '已改期', seen);
    await settle(bot.ctx);
    await runToCompletion(`msync-${state.meetingId}-v3`);
    await settle(bot.ctx);
    expect(liveEvent('鞍东区约谈').start.timestamp).toBe(seconds('2026-12-08T07:00:00Z'));
    const texts = textsIn(state.chatId);
    expect(texts).toHaveLength(3);
    expect(texts[2]).toContain('【会议更新】');
    expect(texts[2]).toContain('2026年12月8日');
  });

  it('a 请假并委派 puts the delegate on the event in the person’s place (and in the group); 参加 puts the person back', async () => {
    const head = await person('andong-district', 'HEAD');
    const host = await byCode('lin-zhenhua');
    const delegate = await person('andong-district', 'LIAISON');
    const card = cardsTo(head.openId).findLast((c) => c.content.includes('约谈改期通知'))!;
    const leave = await bot.sandbox.clickCard({ openId: head.openId, messageId: card.messageId, value: { a: 'meeting.rsvp', v: 1, m: state.meetingId, n: 3, r: 0 }, formValue: { delegate: delegate.name, reason: '赴省开会' } });
    expect(leave.toast?.type).toBe('success');
    await settle(bot.ctx);
    const job = (await prisma.followUp.findFirstOrThrow({ where: { jobId: { startsWith: `msync-${state.meetingId}-v3-r` } } })).jobId;
    await runToCompletion(job);
    expect(attendeesOf(liveEvent('鞍东区约谈'))).toEqual([delegate.openId, host.openId].sort());
    expect([...bot.sandbox.chats.get(state.chatId)!.members].sort()).toEqual([delegate.openId, head.openId, host.openId].sort());

    const back = await bot.sandbox.clickCard({ openId: head.openId, messageId: card.messageId, value: { a: 'meeting.rsvp', v: 1, m: state.meetingId, n: 3, r: 1 } });
    expect(back.toast?.content).toBe('已确认参加');
    await settle(bot.ctx);
    const jobs = await prisma.followUp.findMany({ where: { jobId: { startsWith: `msync-${state.meetingId}-v3-r` } }, orderBy: { createdAt: 'asc' } });
    expect(jobs).toHaveLength(2);
    await runToCompletion(jobs[1]!.jobId);
    expect(attendeesOf(liveEvent('鞍东区约谈'))).toEqual([head.openId, host.openId].sort());
    // The group keeps the delegate (README: people who drop out stay in the group).
    expect(bot.sandbox.chats.get(state.chatId)!.members.has(delegate.openId)).toBe(true);
    expect(eventsTitled('鞍东区约谈')).toHaveLength(1);
  });

  it('取消 deletes the event and posts 【会议取消】 with the reason; running it again changes nothing', async () => {
    const organiser = await person('meeting-office', 'ORGANISER');
    const head = await person('andong-district', 'HEAD');
    const seen = mark();
    await bot.sandbox.userSays(organiser.openId, `取消 ${state.no} 区长赴省开会`);
    await waitFor(organiser.openId, '已取消', seen);
    await settle(bot.ctx);
    await runToCompletion(`msync-${state.meetingId}-v4`);
    await settle(bot.ctx);

    expect(eventsTitled('鞍东区约谈').map((e) => e.deleted)).toEqual([true]);
    expect(bot.sandbox.calendar.eventsOf(head.openId)).toHaveLength(0);
    const texts = textsIn(state.chatId);
    expect(texts).toHaveLength(4);
    expect(texts[3]).toContain('【会议取消】');
    expect(texts[3]).toContain('区长赴省开会');

    // The event is gone on Feishu's side already (193003): the repeated delete counts as done.
    expect(await runAgainFromScratch(state.meetingId)).toMatchObject({ done: 'synced', outbound: [] });
    await settle(bot.ctx);
    expect(textsIn(state.chatId)).toHaveLength(4);
    // An older version's job that comes late does nothing.
    expect(await syncMeeting({ prisma }, port, { meetingId: state.meetingId, version: 1 })).toEqual({ done: 'stale' });
  });
});

describe('failures mid-sync', () => {
  it('are retried to the end: the answers lost after creating give back the same event and chat, nothing doubles', async () => {
    const head = await person('anxi-district', 'HEAD');
    const host = await byCode('lin-zhenhua');
    // The event is created but its answer lost; then adding the attendees fails; then the chat's answer is lost.
    bot.sandbox.failNext('calendar.event.create', { afterCommit: true });
    bot.sandbox.failNext('calendar.event.attendee.create');
    bot.sandbox.failNext('im.chat.create', { afterCommit: true });
    const { m } = await scheduleInterview('鞍西区', '12月10日10:00', '2026-12-10', '10:00');
    await settle(bot.ctx);
    const job = await runToCompletion(`msync-${m.id}-v1`);
    expect(job.attemptsMade).toBe(4);
    await settle(bot.ctx);

    const ev = liveEvent('鞍西区约谈');
    expect(eventsTitled('鞍西区约谈')).toHaveLength(1);
    expect(attendeesOf(ev)).toEqual([head.openId, host.openId].sort());
    const chats = chatsNamed('鞍西区约谈');
    expect(chats).toHaveLength(1);
    expect([...chats[0]!.members].sort()).toEqual([head.openId, host.openId].sort());
    expect(textsIn(chats[0]!.chatId)).toHaveLength(1);
    expect(await prisma.meeting.findUniqueOrThrow({ where: { id: m.id } })).toMatchObject({ calendarEventId: ev.eventId, chatId: chats[0]!.chatId, syncedVersion: 1 });
  });
});
