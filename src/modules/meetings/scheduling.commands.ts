// Meetings: scheduling — drafts typed in chat, the scheduling card, proposals from warnings, 会议,
// 改期 and 取消. Only organisers schedule; leaders propose from a warning.
import type { MeetingsCard, MeetingsMessage } from '../../commands/command.ts';
import { toast, type HandlerTable, type Outcome, type UseCase, type UseCaseContext } from '../shared/outcome.ts';
import { isOrganiser, reply } from '../shared/results.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import { meetingFormCard, meetingListCard, meetingSummaryCard, MAX_MEETING_LIST, type MeetingListItem } from '../../../cards/meeting.ts';
import { findUnitByName } from '../shared/units.ts';
import { loadMeetingSettings } from './settings.ts';
import { formatWhen, parseWhen } from './when.ts';
import { proposeMeeting } from './meeting-proposals.ts';
import { monthlyAgenda } from './monthly-agenda.ts';
import {
  attendeesFor,
  auditMeeting,
  conflictsOf,
  defaultHosts,
  formCardOf,
  formViewOf,
  loadMeeting,
  publishChange,
  readForm,
  setAttendees,
  settleOffers,
  summaryViewOf,
  tellProposer,
  timeOf,
  type LoadedMeeting,
  type MeetingKind,
} from './scheduling.ts';

type C<K extends MeetingsCard['kind']> = Extract<MeetingsCard, { kind: K }>;
type M<K extends MeetingsMessage['kind']> = Extract<MeetingsMessage, { kind: K }>;

const MINUTE = 60_000;
const ORGANISERS_ONLY = (what: string): Outcome => reply(noticeCard('无权操作', [`「${what}」仅供经济运行例会办公室使用。领导可在预警卡片上点「召集专题会」或「约谈」提出建议。`], 'grey'));
const usage = (title: string, lines: string[]): Outcome => reply(noticeCard(title, lines, 'orange'));
const NEXT_STEPS = (no: number) => [`改期：「改期 ${no} 12月9日15:00」；取消：「取消 ${no} 原因」；查看：「会议」。`];

/** 约谈 / 专题会 / 例会: a DRAFT and its scheduling card; nobody hears anything before 确认安排. */
const newMeeting: UseCase<M<'meeting.new'>> = async (cmd, ctx) => {
  const { tx, actor, now } = ctx;
  const word = cmd.meeting === 'INTERVIEW' ? '约谈' : cmd.meeting === 'SPECIAL' ? '专题会' : '例会';
  if (!isOrganiser(actor)) return ORGANISERS_ONLY(word);
  const when = parseWhen(cmd.whenText, now);
  if (!when.ok) return usage('时间没有看懂', [when.message, `例如：「${EXAMPLES[cmd.meeting]}」`]);

  const unitIds: string[] = [];
  const unknown: string[] = [];
  for (const name of cmd.meeting === 'INTERVIEW' ? [cmd.subject] : cmd.units) {
    const found = await findUnitByName(tx, name);
    if (found.ok) unitIds.push(found.unit.id);
    else unknown.push(found.message);
  }
  if (unknown.length) return usage('单位没有找到', [...unknown, `例如：「${EXAMPLES[cmd.meeting]}」`]);

  const settings = await loadMeetingSettings(tx);
  const kind = cmd.meeting as MeetingKind;
  const durationMin = when.end ? Math.round((when.end.getTime() - when.start.getTime()) / MINUTE) : settings.schedule.durations[kind === 'INTERVIEW' ? 'interview' : kind === 'SPECIAL' ? 'special' : 'monthly'];
  // A date without a time is kept as that day's midnight with no length: the card asks for the time.
  const startsAt = when.hasTime ? when.start : new Date(`${formatDate(when.start)}T00:00:00+08:00`);
  const endsAt = when.hasTime ? new Date(when.start.getTime() + durationMin * MINUTE) : startsAt;

  let title: string;
  let agenda: string | null = cmd.reason ?? null;
  let reasons: string[] = cmd.reason ? [cmd.reason] : [];
  let periodId: string | null = null;
  let units = unitIds;
  if (kind === 'MONTHLY') {
    const month = await monthlyAgenda(tx, now);
    title = month ? `${month.label}经济运行例会` : '经济运行例会';
    agenda = month?.agenda ?? null;
    reasons = month?.highlights ?? [];
    periodId = month?.periodId ?? null;
    units = (await tx.unit.findMany({ where: { active: true, kind: { in: ['REGION', 'DEPARTMENT'] } }, select: { id: true } })).map((u) => u.id);
  } else if (kind === 'INTERVIEW') {
    const unit = await tx.unit.findUniqueOrThrow({ where: { id: unitIds[0]! } });
    title = `${unit.shortName ?? unit.name}约谈`;
  } else title = cmd.subject;

  const m = await tx.meeting.create({
    data: {
      kind,
      title,
      agenda,
      reasons,
      status: 'DRAFT',
      startsAt,
      endsAt,
      location: settings.schedule.location || null,
      organiserId: actor.personId,
      periodId,
      unitId: kind === 'INTERVIEW' ? unitIds[0]! : null,
      requestKey: ctx.origin.key,
    },
  });
  await setAttendees(tx, m.id, await attendeesFor(tx, kind, units, await defaultHosts(tx), periodId));
  await auditMeeting(ctx, 'meeting.draft', m.id, { kind, text: cmd.whenText });
  const card = await formCardOf(tx, m.id);
  return reply(card!);
};

const EXAMPLES: Record<MeetingKind, string> = {
  INTERVIEW: '约谈 鞍东区 下周二下午3点 规上工业增加值连续两月末位',
  SPECIAL: '专题会 工业运行 12月10日15:00 鞍东区 市经信局',
  MONTHLY: '例会 12月15日上午9点',
};

const formatDate = (d: Date) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(d);

/** 确认安排 on the scheduling card (a DRAFT typed in chat, or a PROPOSED one offered to the organisers). */
const confirmMeeting: UseCase<C<'meeting.confirm'>> = async (cmd, ctx) => {
  const { tx, actor, now } = ctx;
  if (!isOrganiser(actor)) return toast('error', '只有经济运行例会办公室可以安排会议。');
  // Locked: two organisers confirming one proposal are ordered; the second sees the first's decision.
  await tx.$queryRaw`SELECT id FROM "Meeting" WHERE id = ${cmd.meetingId}::uuid FOR UPDATE`;
  const m = await loadMeeting(tx, { id: cmd.meetingId });
  if (!m) return toast('warning', '找不到这项会议安排，请刷新后重试。');
  if (m.status !== 'DRAFT' && m.status !== 'PROPOSED') return decidedAlready(m);

  const read = await readForm(tx, m, cmd.form, now);
  const change = {
    title: read.title,
    location: read.location,
    agenda: read.agenda,
    wantsChat: read.wantsChat,
    ...(read.startsAt && read.endsAt ? { startsAt: read.startsAt, endsAt: read.endsAt } : {}),
  };
  // What was typed is kept on the draft, so the card that comes back shows it.
  await tx.meeting.update({ where: { id: m.id }, data: change });
  await setAttendees(tx, m.id, await attendeesFor(tx, m.kind as MeetingKind, read.unitIds, read.hostIds, m.periodId));
  if (read.problems.length) {
    const card = await formCardOf(tx, m.id, read.problems);
    return { toast: { type: 'warning', content: read.problems[0]! }, card: card! };
  }
  const fresh = (await loadMeeting(tx, { id: m.id }))!;
  const conflicts = await conflictsOf(tx, fresh, fresh.attendees.map((a) => a.personId));
  if (conflicts.length && !cmd.force) {
    const card = await formCardOf(tx, m.id, ['以上人员在该时段已有安排。请调整时间，或点「仍然安排」。']);
    return { toast: { type: 'warning', content: '时间冲突，请确认' }, card: card! };
  }

  const scheduled = await tx.meeting.update({ where: { id: m.id }, data: { status: 'SCHEDULED', organiserId: actor.personId, version: { increment: 1 } } });
  await auditMeeting(ctx, 'meeting.schedule', m.id, { startsAt: scheduled.startsAt.toISOString(), attendees: fresh.attendees.length, conflicts });
  await publishChange(tx, scheduled, 'scheduled', ctx);
  const done = (await loadMeeting(tx, { id: m.id }))!;
  const invited = done.attendees.length;
  const answer = meetingSummaryCard(summaryViewOf(done, 'scheduled', actor.name, [`已向 ${invited} 位参会人员发出邀请，并加入飞书日程；会前一天和会前一小时自动提醒。`, ...NEXT_STEPS(done.no)]));
  const others = meetingSummaryCard(summaryViewOf(done, 'scheduled', actor.name, ['已由上述同志安排，无需重复操作。']));
  await settleOffers(tx, m.id, done.version, others, ctx.origin.messageId);
  await tellProposer(tx, done, ctx, meetingSummaryCard(summaryViewOf(done, 'scheduled', actor.name, ['参会单位已收到邀请。'])));
  return { toast: { type: 'success', content: `已安排，编号 ${done.no}` }, card: answer };
};

function decidedAlready(m: LoadedMeeting): Outcome {
  const by = m.organiser?.name ?? '例会办公室';
  if (m.status === 'CANCELLED') return { toast: { type: 'info', content: `该安排已取消（${by}）` }, card: meetingSummaryCard(summaryViewOf(m, m.endsAt > m.startsAt ? 'cancelled' : 'discarded', by, [])) };
  return { toast: { type: 'info', content: `已由 ${by} 安排` }, card: meetingSummaryCard(summaryViewOf(m, 'scheduled', by, ['已安排，无需重复操作。'])) };
}

/** 放弃 (a draft) or 暂不安排 (a proposal): nothing was sent, the proposer is told. */
const discardMeeting: UseCase<C<'meeting.discard'>> = async (cmd, ctx) => {
  const { tx, actor } = ctx;
  if (!isOrganiser(actor)) return toast('error', '只有经济运行例会办公室可以安排会议。');
  await tx.$queryRaw`SELECT id FROM "Meeting" WHERE id = ${cmd.meetingId}::uuid FOR UPDATE`;
  const m = await loadMeeting(tx, { id: cmd.meetingId });
  if (!m) return toast('warning', '找不到这项会议安排。');
  if (m.status !== 'DRAFT' && m.status !== 'PROPOSED') return decidedAlready(m);
  const done = await tx.meeting.update({ where: { id: m.id }, data: { status: 'CANCELLED', organiserId: actor.personId, version: { increment: 1 } }, include: { attendees: { include: { person: true, unit: true } }, proposedBy: true, organiser: true } });
  await auditMeeting(ctx, m.status === 'DRAFT' ? 'meeting.discard' : 'meeting.decline', m.id, {});
  const card = meetingSummaryCard(summaryViewOf(done, 'discarded', actor.name, m.proposedBy ? ['已告知提议人。'] : ['未通知任何人。']));
  await settleOffers(tx, m.id, done.version, meetingSummaryCard(summaryViewOf(done, 'discarded', actor.name, [])), ctx.origin.messageId);
  await tellProposer(tx, done, ctx, meetingSummaryCard(summaryViewOf(done, 'discarded', actor.name, [`经例会办公室 ${actor.name} 研究，暂不安排。`])));
  return { toast: { type: 'success', content: m.status === 'DRAFT' ? '已放弃' : '已暂不安排' }, card };
};

/** An old proposal card's 确认安排 / 暂不安排: confirming now opens the scheduling card. */
const decideMeeting: UseCase<C<'meeting.decide'>> = async (cmd, ctx) => {
  if (!cmd.confirm) return discardMeeting({ kind: 'meeting.discard', meetingId: cmd.meetingId }, ctx);
  if (!isOrganiser(ctx.actor)) return toast('error', '只有经济运行例会办公室可以安排会议。');
  const m = await loadMeeting(ctx.tx, { id: cmd.meetingId });
  if (!m) return toast('warning', '找不到这项会议安排。');
  if (m.status !== 'DRAFT' && m.status !== 'PROPOSED') return decidedAlready(m);
  return { toast: { type: 'info', content: '请选择时间、地点和参会人员后确认' }, card: meetingFormCard(await formViewOf(ctx.tx, m)) };
};

/** Finds a meeting by its number for 改期 / 取消; organisers only. */
async function byNumber(ctx: UseCaseContext, no: number, what: string): Promise<{ ok: true; m: LoadedMeeting } | { ok: false; out: Outcome }> {
  if (!isOrganiser(ctx.actor)) return { ok: false, out: ORGANISERS_ONLY(what) };
  const found = await ctx.tx.meeting.findUnique({ where: { no }, select: { id: true } });
  if (!found) return { ok: false, out: usage('没有这个编号', [`没有编号为 ${no} 的会议。发送「会议」可查看近期会议及其编号。`]) };
  await ctx.tx.$queryRaw`SELECT id FROM "Meeting" WHERE id = ${found.id}::uuid FOR UPDATE`;
  return { ok: true, m: (await loadMeeting(ctx.tx, { id: found.id }))! };
}

/** 改期 <编号> <时间>: same length; every attendee hears the new time and the calendar event moves. */
const reschedule: UseCase<M<'meeting.reschedule'>> = async (cmd, ctx) => {
  const found = await byNumber(ctx, cmd.no, '改期');
  if (!found.ok) return found.out;
  const { m } = found;
  const { tx, now, actor } = ctx;
  if (m.status === 'CANCELLED') return usage('会议已取消', [`编号 ${m.no}「${m.title}」已取消，不能改期。如需重新安排，请重新发起。`]);
  if (m.status === 'HELD') return usage('会议已召开', [`编号 ${m.no}「${m.title}」已经召开，不能改期。`]);
  if (m.status !== 'SCHEDULED') return usage('尚未安排时间', [`编号 ${m.no}「${m.title}」还没有确认安排，请在安排卡片上选择时间后点「确认安排」。`]);
  const when = parseWhen(cmd.whenText, now);
  if (!when.ok) return usage('时间没有看懂', [when.message, `例如：「改期 ${m.no} 12月9日15:00」`]);
  if (!when.hasTime) return usage('请写出具体时间', [`例如：「改期 ${m.no} ${cmd.whenText}下午3点」`]);
  const length = when.end ? when.end.getTime() - when.start.getTime() : m.endsAt.getTime() - m.startsAt.getTime();
  const startsAt = when.start;
  const endsAt = new Date(startsAt.getTime() + length);
  if (startsAt.getTime() === m.startsAt.getTime() && endsAt.getTime() === m.endsAt.getTime()) return usage('时间没有变化', [`编号 ${m.no} 原定就是 ${formatWhen(startsAt, endsAt)}。`]);
  const previous = { startsAt: m.startsAt, endsAt: m.endsAt };
  const moved = await tx.meeting.update({ where: { id: m.id }, data: { startsAt, endsAt, version: { increment: 1 } } });
  await auditMeeting(ctx, 'meeting.reschedule', m.id, { from: m.startsAt.toISOString(), to: startsAt.toISOString() });
  await publishChange(tx, moved, 'rescheduled', ctx, previous);
  const done = (await loadMeeting(tx, { id: m.id }))!;
  const conflicts = await conflictsOf(tx, done, done.attendees.map((a) => a.personId));
  const steps = [`已通知 ${done.attendees.length} 位参会人员新的时间，飞书日程同步更新，提醒按新时间发送。`, ...conflicts.map((c) => `注意：${c}`), ...NEXT_STEPS(done.no)];
  await tellProposer(tx, done, ctx, meetingSummaryCard(summaryViewOf(done, 'rescheduled', actor.name, [], formatWhen(previous.startsAt, previous.endsAt))));
  return reply(meetingSummaryCard(summaryViewOf(done, 'rescheduled', actor.name, steps, formatWhen(previous.startsAt, previous.endsAt))));
};

/** 取消 <编号> [原因]: attendees hear it, the calendar event goes, reminders stop (their version is stale). */
const cancel: UseCase<M<'meeting.cancel'>> = async (cmd, ctx) => {
  const found = await byNumber(ctx, cmd.no, '取消');
  if (!found.ok) return found.out;
  const { m } = found;
  const { tx, actor } = ctx;
  if (m.status === 'CANCELLED') return usage('会议已取消', [`编号 ${m.no}「${m.title}」此前已取消。`]);
  if (m.status === 'HELD') return usage('会议已召开', [`编号 ${m.no}「${m.title}」已经召开，不能取消。`]);
  const wasScheduled = m.status === 'SCHEDULED';
  const done0 = await tx.meeting.update({ where: { id: m.id }, data: { status: 'CANCELLED', cancelReason: cmd.reason ?? null, version: { increment: 1 } } });
  await auditMeeting(ctx, 'meeting.cancel', m.id, { reason: cmd.reason ?? null, was: m.status });
  if (wasScheduled) await publishChange(tx, done0, 'cancelled', ctx);
  const done = (await loadMeeting(tx, { id: m.id }))!;
  const state = timeOf(done).time ? 'cancelled' : 'discarded';
  await settleOffers(tx, m.id, done.version, meetingSummaryCard(summaryViewOf(done, state, actor.name, [])));
  await tellProposer(tx, done, ctx, meetingSummaryCard(summaryViewOf(done, state, actor.name, [])));
  const steps = wasScheduled ? [`已通知 ${done.attendees.length} 位参会人员，飞书日程已撤销，提醒不再发送。`] : ['尚未通知任何参会人员。'];
  return reply(meetingSummaryCard(summaryViewOf(done, state, actor.name, steps)));
};

const ROLE_WORDS = { HOST: '主持', ATTENDEE: '参会', EXCHANGE_SEAT: '经验交流席', STATEMENT_SEAT: '表态席', INTERVIEWEE: '约谈对象' } as const;
const RSVP_WORDS = { PENDING: '待回复', ACCEPTED: '已确认', DECLINED: '已请假', DELEGATED: '已委派' } as const;

/** 会议: upcoming meetings — organisers see all, others their own. */
const listMeetings: UseCase<M<'meeting.list'>> = async (_cmd, { tx, actor, now }) => {
  const organiser = isOrganiser(actor);
  const since = new Date(now.getTime() - 2 * 60 * MINUTE);
  const mine = { OR: [{ attendees: { some: { OR: [{ personId: actor.personId }, { delegateId: actor.personId }] } } }, { proposedById: actor.personId }] };
  const where = { status: 'SCHEDULED' as const, endsAt: { gte: since }, ...(organiser ? {} : mine) };
  const [scheduled, total, pending] = await Promise.all([
    tx.meeting.findMany({ where, include: { attendees: { where: { OR: [{ personId: actor.personId }, { delegateId: actor.personId }] } } }, orderBy: { startsAt: 'asc' }, take: MAX_MEETING_LIST }),
    tx.meeting.count({ where }),
    organiser ? tx.meeting.findMany({ where: { status: { in: ['PROPOSED', 'DRAFT'] } }, orderBy: { createdAt: 'desc' }, take: 10 }) : Promise.resolve([]),
  ]);
  const items: MeetingListItem[] = scheduled.map((m) => {
    const me = m.attendees[0];
    return {
      no: m.no,
      kind: m.kind as MeetingKind,
      title: m.title,
      whenLabel: formatWhen(m.startsAt, m.endsAt),
      location: m.location ?? '',
      pending: false,
      ...(me ? { role: me.delegateId === actor.personId ? '代为参加' : `${ROLE_WORDS[me.role]}（${RSVP_WORDS[me.rsvp]}）` } : {}),
    };
  });
  for (const m of pending) items.push({ no: m.no, kind: m.kind as MeetingKind, title: m.title, whenLabel: '', location: '', pending: true });
  return reply(meetingListCard({ items, organiser, total: total + pending.length }));
};

export const schedulingCards: HandlerTable<C<'meeting.propose' | 'meeting.decide' | 'meeting.confirm' | 'meeting.discard'>> = {
  'meeting.propose': proposeMeeting,
  'meeting.decide': decideMeeting,
  'meeting.confirm': confirmMeeting,
  'meeting.discard': discardMeeting,
};

export const schedulingMessages: HandlerTable<M<'meeting.new' | 'meeting.list' | 'meeting.reschedule' | 'meeting.cancel'>> = {
  'meeting.new': newMeeting,
  'meeting.list': listMeetings,
  'meeting.reschedule': reschedule,
  'meeting.cancel': cancel,
};
