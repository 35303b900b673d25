// Meetings: what the month's ranking proposes at close — the best units for the 经验交流席, the weakest for
// the 表态席, and a draft 约谈 list (the last places; units red on one indicator for N months in a row;
// units with overdue tasks), each with its reasons in Chinese. Proposals only: the organisers get the seats
// card and nothing reaches a unit before one of them confirms (seats.commands.ts).
import type { Prisma, SeatKind } from '../../generated/prisma/client.ts';
import type { Tx } from '../../platform/prisma.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { seatsCard, MAX_SEAT_OPTIONS, type SeatKindWord, type SeatLine, type SeatsView } from '../../../cards/seats.ts';
import type { Card } from '../../../cards/card.ts';
import { beijingDateTime } from '../../platform/business-time.ts';
import { beijingDateOf } from '../calendar/work-calendar.ts';
import { asDate } from '../shared/dates.ts';
import { WORKING_STATES } from '../tasks/tasks.repo.ts';
import { organisers } from '../people/people.service.ts';
import { periodLabel, previousPeriodKey } from '../collection/schedule.ts';
import { COMPOSITE, loadRanking, placeWords } from './ranking.ts';
import { loadMeetingSettings } from './settings.ts';

const json = (c: Card) => c as unknown as Prisma.InputJsonValue;
export const KIND_OF: Record<SeatKindWord, SeatKind> = { exchange: 'EXCHANGE', statement: 'STATEMENT', interview: 'INTERVIEW' };
export const WORD_OF: Record<SeatKind, SeatKindWord> = { EXCHANGE: 'exchange', STATEMENT: 'statement', INTERVIEW: 'interview' };
export const METHOD_WORDS: Record<string, string> = { rank_points: '排名积分法', target_pace: '对标目标进度法' };
const nameOf = (u: { name: string; shortName: string | null }) => u.shortName ?? u.name;
export const seatsDedupePrefix = (periodId: string) => `seats-${periodId}-`;

type Entry = { unitId: string; rank: number; tied: boolean; score: Prisma.Decimal };

/** The entries from the top down to the n-th place (ties with the n-th included). */
function best(entries: Entry[], n: number): Entry[] {
  if (!entries.length || n <= 0) return [];
  const cut = entries[Math.min(n, entries.length) - 1]!.rank;
  return entries.filter((e) => e.rank <= cut);
}
/** The entries from the bottom up to the n-th last place (ties with it included). */
function worst(entries: Entry[], n: number): Entry[] {
  if (!entries.length || n <= 0) return [];
  const cut = entries[Math.max(0, entries.length - n)]!.rank;
  return entries.filter((e) => e.rank >= cut);
}

const scoreWords = (method: string, score: Prisma.Decimal) =>
  method === 'target_pace' ? `综合得分 ${Number(score) >= 0 ? '高于' : '低于'}目标进度 ${Math.abs(Number(score)).toFixed(1)} 个百分点` : `综合得分 ${Number(score).toFixed(1)}`;

/**
 * Writes the period's proposals once (a re-run of the close finds them and writes nothing). Returns how many
 * units met a 约谈 condition beyond the list's length.
 */
export async function proposeSeats(tx: Tx, periodId: string, now: Date): Promise<{ created: number; omitted: number }> {
  if (await tx.seatProposal.findFirst({ where: { periodId }, select: { id: true } })) return { created: 0, omitted: 0 };
  const period = await tx.reportingPeriod.findUniqueOrThrow({ where: { id: periodId }, include: { cycle: true } });
  const settings = (await loadMeetingSettings(tx)).ranking;
  const ranking = await loadRanking(tx, periodId, COMPOSITE);
  const entries = ranking?.entries ?? [];
  // Seats follow the regions' ranking: a cycle without one (a zone's own cycle) proposes nothing.
  if (!entries.length) return { created: 0, omitted: 0 };
  const lastRank = entries.at(-1)?.rank ?? 0;
  const place = (e: Entry) => `综合排名${placeWords(e.rank, e.tied, lastRank)}`;
  const method = ranking?.method ?? settings.method;
  const rows: { kind: SeatKind; unitId: string; reasons: string[] }[] = [];

  const exchange = best(entries, settings.exchange_seats);
  for (const e of exchange) rows.push({ kind: 'EXCHANGE', unitId: e.unitId, reasons: [place(e), scoreWords(method, e.score)] });
  const inExchange = new Set(exchange.map((e) => e.unitId));
  for (const e of worst(entries, settings.statement_seats).filter((x) => !inExchange.has(x.unitId))) {
    rows.push({ kind: 'STATEMENT', unitId: e.unitId, reasons: [place(e), scoreWords(method, e.score)] });
  }

  // The draft 约谈 list, the worst first: the last places, then the longest reds, then the most overdue tasks.
  const cand = new Map<string, { reasons: string[]; weight: number }>();
  const note = (unitId: string, reason: string, weight: number) => {
    const c = cand.get(unitId) ?? { reasons: [], weight: 0 };
    c.reasons.push(reason);
    c.weight += weight;
    cand.set(unitId, c);
  };
  const i = settings.interview;
  for (const e of worst(entries, i.bottom)) note(e.unitId, place(e), 1_000_000 + e.rank);
  if (i.red_months > 0) {
    for (const r of await redRuns(tx, period.cycleId, period.cycle.frequency, period.periodKey, i.red_months)) note(r.unitId, `${r.indicator}连续 ${i.red_months} 个月红灯`, 1_000);
  }
  if (i.overdue_tasks) {
    const today = asDate(beijingDateOf(now));
    const overdue = await tx.task.groupBy({ by: ['unitId'], where: { status: { in: WORKING_STATES }, dueDate: { lt: today } }, _count: { _all: true } });
    for (const o of overdue) note(o.unitId, `${o._count._all} 项交办事项逾期未完成`, o._count._all);
  }
  const ordered = [...cand].sort((a, b) => b[1].weight - a[1].weight);
  for (const [unitId, c] of ordered.slice(0, i.max_units)) rows.push({ kind: 'INTERVIEW', unitId, reasons: c.reasons });
  const omitted = Math.max(0, ordered.length - i.max_units);

  await tx.seatProposal.createMany({ data: rows.map((r) => ({ periodId, kind: r.kind, unitId: r.unitId, reasons: r.reasons, createdAt: now })), skipDuplicates: true });
  await tx.auditLog.create({ data: { at: now, action: 'seats.propose', entity: 'ReportingPeriod', entityId: periodId, data: { proposals: rows.length, omitted } } });
  return { created: rows.length, omitted };
}

/** Units red on the same indicator in this period and the n-1 before it (each indicator named once per unit). */
async function redRuns(tx: Tx, cycleId: string, frequency: 'WEEKLY' | 'MONTHLY' | 'QUARTERLY', key: string, n: number) {
  const keys = [key];
  while (keys.length < n) keys.push(previousPeriodKey(frequency, keys.at(-1)!));
  const periods = await tx.reportingPeriod.findMany({ where: { cycleId, periodKey: { in: keys } }, select: { id: true } });
  if (periods.length < n) return [];
  return tx.$queryRaw<{ unitId: string; indicator: string }[]>`
    SELECT w."unitId"::text AS "unitId", i.name AS indicator
      FROM "Warning" w JOIN "Indicator" i ON i.id = w."indicatorId"
     WHERE w."periodId" = ANY(${periods.map((p) => p.id)}::uuid[]) AND w.level = 'RED'
     GROUP BY w."unitId", i.id, i.name, i."sortOrder"
    HAVING count(DISTINCT w."periodId") = ${n}
     ORDER BY i."sortOrder"`;
}

/** The seats card of a period as it stands: the proposal to confirm, or the confirmed lists. */
export async function seatsViewOf(tx: Tx, periodId: string, omitted = 0): Promise<SeatsView | null> {
  const period = await tx.reportingPeriod.findUnique({ where: { id: periodId }, include: { cycle: true } });
  if (!period) return null;
  const proposals = await tx.seatProposal.findMany({ where: { periodId }, include: { unit: true }, orderBy: [{ createdAt: 'asc' }, { unit: { sortOrder: 'asc' } }, { unit: { code: 'asc' } }] });
  const ranking = await loadRanking(tx, periodId, COMPOSITE);
  const entries = ranking?.entries ?? [];
  const decided = proposals.find((p) => p.decidedAt && p.decidedById);
  const meetings = new Map(
    (await tx.meeting.findMany({ where: { id: { in: proposals.flatMap((p) => (p.meetingId ? [p.meetingId] : [])) } }, select: { id: true, no: true, status: true } })).map((m) => [m.id, m]),
  );
  const option = (u: { code: string; name: string; shortName: string | null }) => ({ label: nameOf(u), value: u.code });
  const sections = (['exchange', 'statement', 'interview'] as const).map((kind) => {
    const mine = proposals.filter((p) => p.kind === KIND_OF[kind]);
    // Order: the ranking's units the proposal may want instead (best for 经验交流, worst otherwise).
    const pool = kind === 'exchange' ? entries : [...entries].reverse();
    const seen = new Set<string>();
    const options = [...mine.filter((p) => p.status !== 'REMOVED').map((p) => p.unit), ...pool.map((e) => e.unit)]
      .filter((u) => !seen.has(u.code) && seen.add(u.code))
      .slice(0, Math.max(MAX_SEAT_OPTIONS, mine.length))
      .map(option);
    const lines: SeatLine[] = mine.map((p) => {
      const m = p.meetingId ? meetings.get(p.meetingId) : undefined;
      return {
        code: p.unit.code,
        name: nameOf(p.unit),
        reasons: Array.isArray(p.reasons) ? (p.reasons as string[]) : [],
        ...(p.manual ? { manual: true } : {}),
        ...(p.status === 'REMOVED' ? { removed: true } : {}),
        ...(m ? { meeting: `约谈编号 ${m.no}${m.status === 'PROPOSED' ? '，待安排时间' : ''}` } : {}),
      };
    });
    return { kind, lines, options };
  });
  const first = entries.filter((e) => e.rank === 1).map((e) => nameOf(e.unit));
  const lastRank = entries.at(-1)?.rank;
  const last = entries.filter((e) => e.rank === lastRank).map((e) => nameOf(e.unit));
  const summary = entries.length
    ? [`综合排名（${METHOD_WORDS[ranking!.method] ?? ranking!.method}，${entries.length} 个单位）：第一 ${first.join('、')}，末位 ${last.join('、')}${ranking!.revisedAt ? '（已按修订数据重新排名）' : ''}`]
    : ['本期没有综合排名（各区县尚无可排名的数据）。'];
  const by = decided ? await tx.person.findUnique({ where: { id: decided.decidedById! }, select: { name: true } }) : null;
  return {
    periodId,
    periodLabel: periodLabel(period.cycle.frequency, period.periodKey),
    summary,
    sections,
    omitted,
    ...(decided ? { confirmed: { by: by?.name ?? '例会办公室', at: beijingDateTime(decided.decidedAt!) } } : {}),
  };
}

/** Each organiser gets the seats card of the period, once. */
export async function sendSeatsCard(tx: Tx, periodId: string, omitted: number): Promise<number> {
  const view = await seatsViewOf(tx, periodId, omitted);
  if (!view) return 0;
  const c = json(seatsCard(view));
  let n = 0;
  for (const o of await organisers(tx)) {
    await addOutbound(tx, { kind: 'SEND', dedupeKey: `${seatsDedupePrefix(periodId)}${o.id}`, receiveIdType: 'open_id', receiveId: o.openId!, msgType: 'interactive', content: c });
    n++;
  }
  return n;
}
