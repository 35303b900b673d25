// Meetings: scheduling. An organiser types 约谈 / 专题会 / 例会 (a DRAFT), or a leader asks for one on a
// warning (PROPOSED, offered to every organiser); the scheduling card echoes what was understood and is
// edited and confirmed there. Confirming, 改期 and 取消 bump the meeting's version and, in the same
// transaction, write what everyone hears (invitations.ts) and the jobs that follow (follow-ups.ts).
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Tx } from '../../platform/prisma.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import type { Card } from '../../../cards/card.ts';
import { KIND_WORDS, MAX_MEETING_UNIT_OPTIONS, meetingFormCard, type MeetingFormView, type MeetingSummaryView } from '../../../cards/meeting.ts';
import { beijingDate, beijingDateTime } from '../../platform/business-time.ts';
import type { MeetingForm } from '../../commands/command.ts';
import type { UseCaseContext } from '../shared/outcome.ts';
import { organisers } from '../people/people.service.ts';
import { loadMeetingSettings } from './settings.ts';
import { formatWhen } from './when.ts';
import { announceMeeting, type MeetingChange } from './invitations.ts';
import { afterMeetingLater, syncLater } from './follow-ups.ts';

export type MeetingKind = 'INTERVIEW' | 'SPECIAL' | 'MONTHLY';
const json = (c: Card) => c as unknown as Prisma.InputJsonValue;
const MINUTE = 60_000;

/** A meeting whose time is not fixed yet has endsAt = startsAt; its date is known when it starts at midnight (Beijing). */
export function timeOf(m: { startsAt: Date; endsAt: Date; createdAt: Date }): { date?: string; time?: string; durationMin?: number } {
  if (m.endsAt > m.startsAt) {
    const [date, time] = beijingDateTime(m.startsAt).split(' ');
    return { date: date!, time: time!, durationMin: Math.round((m.endsAt.getTime() - m.startsAt.getTime()) / MINUTE) };
  }
  if (m.startsAt.getTime() !== m.createdAt.getTime() && beijingDateTime(m.startsAt).endsWith('00:00')) return { date: beijingDate(m.startsAt) };
  return {};
}

/** 'YYYY-MM-DD' + 'HH:mm' in Beijing → the instant. */
export function beijingInstant(date: string, time: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^\d{2}:\d{2}$/.test(time)) return null;
  const d = new Date(`${date}T${time}:00+08:00`);
  return Number.isNaN(d.getTime()) || beijingDate(d) !== date ? null : d;
}

export const whenLabelOf = (m: { startsAt: Date; endsAt: Date }) => formatWhen(m.startsAt, m.endsAt);

const ROLE_WORDS = { HOST: '主持', ATTENDEE: '参会', EXCHANGE_SEAT: '经验交流席', STATEMENT_SEAT: '表态席', INTERVIEWEE: '约谈对象' } as const;
type Role = keyof typeof ROLE_WORDS;

const meetingInclude = {
  attendees: { include: { person: true, unit: true }, orderBy: [{ role: 'asc' }, { person: { code: 'asc' } }] },
  proposedBy: true,
  organiser: true,
} satisfies Prisma.MeetingInclude;
export type LoadedMeeting = Prisma.MeetingGetPayload<{ include: typeof meetingInclude }>;

export const loadMeeting = (tx: Tx, where: { id: string } | { no: number }) => tx.meeting.findUnique({ where, include: meetingInclude });

/** One line per attendee: 「主持：林振华（常务副市长）」「约谈对象：鞍东区 王建国（区长）」. */
export function attendeeLines(m: LoadedMeeting): string[] {
  return m.attendees.map((a) => `${ROLE_WORDS[a.role as Role]}：${a.unit ? `${a.unit.shortName ?? a.unit.name} ` : ''}${a.person.name}${a.person.title ? `（${a.person.title}）` : ''}`);
}

/** Other scheduled meetings of the same people overlapping [start, end). */
export async function conflictsOf(tx: Tx, m: { id: string; startsAt: Date; endsAt: Date }, personIds: string[]): Promise<string[]> {
  if (!personIds.length || m.endsAt <= m.startsAt) return [];
  const rows = await tx.meetingAttendee.findMany({
    where: { personId: { in: personIds }, meeting: { id: { not: m.id }, status: 'SCHEDULED', startsAt: { lt: m.endsAt }, endsAt: { gt: m.startsAt } } },
    include: { person: true, meeting: true },
    orderBy: { meeting: { startsAt: 'asc' } },
  });
  return rows.map((r) => `${r.person.name} ${formatWhen(r.meeting.startsAt, r.meeting.endsAt)} 已有${KIND_WORDS[r.meeting.kind]}「${r.meeting.title}」（编号 ${r.meeting.no}）`);
}

/** The units a meeting may invite (regions and departments) and the leaders who may host it. */
async function choices(tx: Tx, selectedUnitIds: string[]) {
  const units = await tx.unit.findMany({ where: { active: true, kind: { in: ['REGION', 'DEPARTMENT'] } }, orderBy: [{ kind: 'desc' }, { sortOrder: 'asc' }, { code: 'asc' }] });
  const selected = new Set(selectedUnitIds);
  // Selected units first, so a long list never hides them.
  const ordered = [...units.filter((u) => selected.has(u.id)), ...units.filter((u) => !selected.has(u.id))].slice(0, MAX_MEETING_UNIT_OPTIONS);
  const leaders = await tx.leader.findMany({ where: { active: true, person: { active: true } }, include: { person: true }, orderBy: [{ rank: 'asc' }, { person: { code: 'asc' } }] });
  return {
    units: ordered.map((u) => ({ label: u.shortName ?? u.name, value: u.code })),
    people: leaders.map((l) => ({ label: `${l.person.name}${l.person.title ? `（${l.person.title}）` : ''}`, value: l.person.code })),
  };
}

export async function formViewOf(tx: Tx, m: LoadedMeeting, problems: string[] = []): Promise<MeetingFormView> {
  const settings = await loadMeetingSettings(tx);
  const t = timeOf(m);
  const kind = m.kind as MeetingKind;
  const unitIds = [...new Set(m.attendees.filter((a) => a.role !== 'HOST' && a.unitId).map((a) => a.unitId!))];
  const c = await choices(tx, unitIds);
  const unitCodes = (await tx.unit.findMany({ where: { id: { in: unitIds } }, select: { code: true } })).map((u) => u.code);
  const hosts = m.attendees.filter((a) => a.role === 'HOST');
  const known = t.time !== undefined;
  return {
    meetingId: m.id,
    no: m.no,
    kind,
    title: m.title,
    ...(t.date ? { date: t.date } : {}),
    ...(t.time ? { time: t.time } : {}),
    ...(known ? { whenLabel: whenLabelOf(m) } : {}),
    durationMin: t.durationMin ?? settings.schedule.durations[DURATION_KEY[kind]],
    location: m.location ?? settings.schedule.location,
    agenda: m.agenda ?? '',
    reasons: Array.isArray(m.reasons) ? (m.reasons as string[]) : [],
    ...(m.proposedBy ? { proposedBy: m.proposedBy.name } : {}),
    // The monthly meeting invites every unit: no unit list to pick from.
    unitOptions: kind === 'MONTHLY' ? [] : c.units,
    selectedUnits: unitCodes,
    peopleOptions: c.people,
    selectedPeople: hosts.map((h) => h.person.code),
    attendees: attendeeLines(m),
    conflicts: known ? await conflictsOf(tx, m, m.attendees.map((a) => a.personId)) : [],
    problems,
    wantsChat: m.wantsChat,
  };
}

const DURATION_KEY = { INTERVIEW: 'interview', SPECIAL: 'special', MONTHLY: 'monthly' } as const;

export async function formCardOf(tx: Tx, meetingId: string, problems: string[] = []): Promise<Card | null> {
  const m = await loadMeeting(tx, { id: meetingId });
  return m ? meetingFormCard(await formViewOf(tx, m, problems)) : null;
}

/** The head of each unit (its liaison when it has no head on record). */
export async function headsOf(tx: Tx, unitIds: string[]): Promise<{ unitId: string; personId: string }[]> {
  if (!unitIds.length) return [];
  const roles = await tx.unitRole.findMany({ where: { unitId: { in: unitIds }, active: true, role: { in: ['HEAD', 'LIAISON'] }, person: { active: true } }, orderBy: [{ role: 'asc' }, { person: { code: 'asc' } }] });
  const out: { unitId: string; personId: string }[] = [];
  for (const unitId of unitIds) {
    const r = roles.find((x) => x.unitId === unitId && x.role === 'HEAD') ?? roles.find((x) => x.unitId === unitId);
    if (r) out.push({ unitId, personId: r.personId });
  }
  return out;
}

export interface AttendeeSpec {
  personId: string;
  unitId?: string;
  role: Role;
}

/** Makes the attendee rows match `wanted`; answers already given by people who stay are kept. */
export async function setAttendees(tx: Tx, meetingId: string, wanted: AttendeeSpec[]): Promise<void> {
  const byPerson = new Map<string, AttendeeSpec>();
  // A person listed twice keeps the first role (HOST before a unit's seat).
  for (const w of wanted) if (!byPerson.has(w.personId)) byPerson.set(w.personId, w);
  await tx.meetingAttendee.deleteMany({ where: { meetingId, personId: { notIn: [...byPerson.keys()] } } });
  for (const w of byPerson.values()) {
    await tx.meetingAttendee.upsert({
      where: { meetingId_personId: { meetingId, personId: w.personId } },
      create: { meetingId, personId: w.personId, role: w.role, unitId: w.unitId ?? null },
      update: { role: w.role, unitId: w.unitId ?? null },
    });
  }
}

/** The attendees of a meeting from the units and leaders chosen (heads attend for their units). */
export async function attendeesFor(tx: Tx, kind: MeetingKind, unitIds: string[], hostPersonIds: string[], periodId?: string | null): Promise<AttendeeSpec[]> {
  const seats = kind === 'MONTHLY' && periodId ? await tx.seatProposal.findMany({ where: { periodId, status: 'CONFIRMED', kind: { in: ['EXCHANGE', 'STATEMENT'] } } }) : [];
  const seatOf = new Map(seats.map((s) => [s.unitId, s.kind === 'EXCHANGE' ? ('EXCHANGE_SEAT' as const) : ('STATEMENT_SEAT' as const)]));
  const unitRole = (unitId: string): Role => (kind === 'INTERVIEW' ? 'INTERVIEWEE' : (seatOf.get(unitId) ?? 'ATTENDEE'));
  return [...hostPersonIds.map((personId) => ({ personId, role: 'HOST' as const })), ...(await headsOf(tx, unitIds)).map((h) => ({ ...h, role: unitRole(h.unitId) }))];
}

/** The default hosts: the leader who asked, else the configured hosts of the monthly meeting. */
export async function defaultHosts(tx: Tx, proposerId?: string | null): Promise<string[]> {
  if (proposerId && (await tx.leader.findFirst({ where: { personId: proposerId, active: true } }))) return [proposerId];
  const { schedule } = await loadMeetingSettings(tx);
  if (!schedule.monthly_hosts.length) return [];
  return (await tx.person.findMany({ where: { code: { in: schedule.monthly_hosts }, active: true }, select: { id: true } })).map((p) => p.id);
}

/** Reads the form against the meeting: the new values, or what is wrong (in Chinese). */
export async function readForm(tx: Tx, m: LoadedMeeting, form: MeetingForm, now: Date) {
  const problems: string[] = [];
  const t = timeOf(m);
  const settings = await loadMeetingSettings(tx);
  const date = form.date ?? t.date;
  const time = form.time ?? t.time;
  const duration = form.durationMin ?? t.durationMin ?? settings.schedule.durations[DURATION_KEY[m.kind as MeetingKind]];
  let startsAt: Date | null = null;
  if (!date || !time) problems.push('请选择会议日期和开始时间。');
  else {
    startsAt = beijingInstant(date, time);
    if (!startsAt) problems.push('日期或时间无效，请重新选择。');
    else if (startsAt <= now) problems.push(`所选时间 ${formatWhen(startsAt)} 已经过去，请选择以后的时间。`);
  }
  if (!Number.isInteger(duration) || duration < 15 || duration > 480) problems.push('会议时长应在 15 分钟到 8 小时之间。');
  const title = form.title?.trim() || m.title;
  if (!title) problems.push('请填写会议名称。');
  let unitIds = [...new Set(m.attendees.filter((a) => a.role !== 'HOST' && a.unitId).map((a) => a.unitId!))];
  if (form.units !== undefined && m.kind !== 'MONTHLY') {
    const units = await tx.unit.findMany({ where: { code: { in: form.units }, active: true }, select: { id: true } });
    unitIds = units.map((u) => u.id);
  }
  let hostIds = m.attendees.filter((a) => a.role === 'HOST').map((a) => a.personId);
  if (form.people !== undefined) hostIds = (await tx.person.findMany({ where: { code: { in: form.people }, active: true }, select: { id: true } })).map((p) => p.id);
  if (m.kind === 'INTERVIEW' && !unitIds.length) problems.push('请选择约谈单位。');
  if (m.kind === 'SPECIAL' && !unitIds.length && !hostIds.length) problems.push('请选择参会单位或出席领导。');
  if (m.kind === 'INTERVIEW' && !hostIds.length) problems.push('请选择约谈人（主持领导）。');
  const missingHeads = unitIds.length - (await headsOf(tx, unitIds)).length;
  if (missingHeads > 0) problems.push(`有 ${missingHeads} 个单位没有登记主要负责人或联络员，无法通知，请先在城市配置中补充。`);
  return {
    problems,
    startsAt,
    endsAt: startsAt ? new Date(startsAt.getTime() + duration * MINUTE) : null,
    title,
    location: form.location !== undefined ? form.location.trim() || null : m.location,
    agenda: form.agenda !== undefined ? form.agenda.trim() || null : m.agenda,
    wantsChat: form.wantsChat ?? m.wantsChat,
    unitIds,
    hostIds,
  };
}

export function summaryViewOf(m: LoadedMeeting, state: MeetingSummaryView['state'], by: string, nextSteps: string[], previousWhen?: string): MeetingSummaryView {
  const known = m.endsAt > m.startsAt;
  return {
    no: m.no,
    kind: m.kind as MeetingKind,
    title: m.title,
    whenLabel: known ? whenLabelOf(m) : '时间待定',
    location: m.location ?? '',
    attendees: attendeeLines(m),
    agenda: m.agenda ?? '',
    by,
    state,
    ...(previousWhen ? { previousWhen } : {}),
    ...(m.cancelReason ? { cancelReason: m.cancelReason } : {}),
    nextSteps,
  };
}

const OFFER_PREFIX = (meetingId: string) => `moffer-${meetingId}-`;

/**
 * The organisers' copies of a proposal's scheduling card become `card` (the one who acted gets it as the
 * callback's answer); copies not delivered yet are not sent at all.
 */
export async function settleOffers(tx: Tx, meetingId: string, version: number, card: Card, actedMessageId?: string): Promise<void> {
  const rows = await tx.outboundMessage.findMany({ where: { dedupeKey: { startsWith: OFFER_PREFIX(meetingId) } } });
  for (const r of rows) {
    if (r.status === 'PENDING') {
      await tx.outboundMessage.updateMany({ where: { id: r.id, status: 'PENDING' }, data: { status: 'CANCELLED' } });
      continue;
    }
    if (r.status !== 'SENT' || !r.feishuMessageId || r.feishuMessageId === actedMessageId) continue;
    await addOutbound(tx, { kind: 'UPDATE_CARD', dedupeKey: `${r.dedupeKey}-v${version}`, targetMessageId: r.feishuMessageId, content: json(card) });
  }
}

/** Each organiser gets the scheduling card of a PROPOSED meeting, once. */
export async function offerMeeting(tx: Tx, meetingId: string): Promise<void> {
  const card = await formCardOf(tx, meetingId);
  if (!card) return;
  for (const o of await organisers(tx)) {
    await addOutbound(tx, { kind: 'SEND', dedupeKey: `${OFFER_PREFIX(meetingId)}${o.id}`, receiveIdType: 'open_id', receiveId: o.openId!, msgType: 'interactive', content: json(card) });
  }
}

/** Tells the leader who asked for the meeting what became of it. */
export async function tellProposer(tx: Tx, m: LoadedMeeting, ctx: UseCaseContext, card: Card): Promise<void> {
  if (!m.proposedBy?.openId || m.proposedById === ctx.actor.personId) return;
  await addOutbound(tx, { kind: 'SEND', dedupeKey: `mprop-${m.id}-v${m.version}`, receiveIdType: 'open_id', receiveId: m.proposedBy.openId, msgType: 'interactive', content: json(card) });
}

/** After a change of a scheduled meeting: attendees hear it, the calendar follows, the record is asked for after it. */
export async function publishChange(tx: Tx, m: { id: string; version: number; endsAt: Date; status: string }, change: MeetingChange, ctx: UseCaseContext, previous?: { startsAt: Date; endsAt: Date }): Promise<void> {
  await announceMeeting(tx, m.id, change, { now: ctx.now, by: ctx.actor.name, ...(previous ? { previous } : {}) });
  await syncLater(tx, m);
  if (m.status === 'SCHEDULED') await afterMeetingLater(tx, m);
}

export const auditMeeting = (ctx: UseCaseContext, action: string, meetingId: string, data: Prisma.InputJsonValue) =>
  ctx.tx.auditLog.create({ data: { at: ctx.now, actorId: ctx.actor.personId, action, entity: 'Meeting', entityId: meetingId, data } });
