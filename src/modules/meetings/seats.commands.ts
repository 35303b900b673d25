// Meetings: the ranking at close, the seats of the monthly meeting and the draft 约谈 list — 确认 on the
// seats card (the first organiser to confirm decides; every organiser's copy follows) and 「排名」.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { MeetingsCard, MeetingsMessage } from '../../commands/command.ts';
import type { Tx } from '../../platform/prisma.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { toast, type HandlerTable, type Outcome, type UseCaseContext } from '../shared/outcome.ts';
import { isOrganiser, reply } from '../shared/results.ts';
import { noticeCard } from '../../../cards/collection-admin.ts';
import { rankingCard, seatsCard, MAX_RANKING_LINES, SEAT_WORDS, type RankingLine, type SeatKindWord } from '../../../cards/seats.ts';
import type { Card } from '../../../cards/card.ts';
import { beijingDate } from '../../platform/business-time.ts';
import { formatGrowth, formatValue } from '../collection/collection.repo.ts';
import { periodLabel } from '../collection/schedule.ts';
import { attendeesFor, auditMeeting, defaultHosts, setAttendees } from './scheduling.ts';
import { offerToOrganisers } from './offers.ts';
import { COMPOSITE, loadRanking, placeWords } from './ranking.ts';
import { KIND_OF, METHOD_WORDS, seatsDedupePrefix, seatsViewOf } from './seats.ts';

type C<K extends MeetingsCard['kind']> = Extract<MeetingsCard, { kind: K }>;
type M<K extends MeetingsMessage['kind']> = Extract<MeetingsMessage, { kind: K }>;
const json = (c: Card) => c as unknown as Prisma.InputJsonValue;
const nameOf = (u: { name: string; shortName: string | null }) => u.shortName ?? u.name;
const KINDS: SeatKindWord[] = ['exchange', 'statement', 'interview'];

/** 确认 on the seats card: marks each line confirmed or removed, adds the organiser's own, drafts the 约谈. */
async function confirmSeats(cmd: C<'seats.confirm'>, ctx: UseCaseContext): Promise<Outcome> {
  const { tx, actor, now } = ctx;
  if (!isOrganiser(actor)) return toast('error', '只有经济运行例会办公室可以确认例会席位和约谈名单。');
  const proposals = await tx.seatProposal.findMany({ where: { periodId: cmd.periodId } });
  if (!proposals.length) return toast('warning', '这张卡片已过期或无法操作，请重新获取。');
  // The first organiser to confirm decides; a later click (another copy) is shown what was decided.
  const decided = proposals.find((p) => p.decidedAt);
  if (decided) {
    const view = await seatsViewOf(tx, cmd.periodId);
    return { toast: { type: 'info', content: `已由 ${view?.confirmed?.by ?? '例会办公室'} 确认，无需重复操作。` }, ...(view ? { card: seatsCard(view) } : {}) };
  }
  const chosen = { exchange: cmd.exchange, statement: cmd.statement, interview: cmd.interview };
  const codes = [...new Set(KINDS.flatMap((k) => chosen[k]))];
  const units = await tx.unit.findMany({ where: { code: { in: codes }, active: true } });
  const byCode = new Map(units.map((u) => [u.code, u]));
  const unknown = codes.filter((c) => !byCode.has(c));
  if (unknown.length) return toast('error', `找不到单位「${unknown.join('、')}」，请重新选择后再确认。`);
  const both = cmd.exchange.filter((c) => cmd.statement.includes(c));
  if (both.length) return toast('error', `${both.map((c) => nameOf(byCode.get(c)!)).join('、')} 不能同时列入经验交流席和表态席，请取消其一后再确认。`);

  const ranking = await loadRanking(tx, cmd.periodId, COMPOSITE);
  const entries = ranking?.entries ?? [];
  const lastRank = entries.at(-1)?.rank ?? 0;
  const entryOf = new Map(entries.map((e) => [e.unitId, e]));
  const manualReasons = (unitId: string) => {
    const e = entryOf.get(unitId);
    return [...(e ? [`综合排名${placeWords(e.rank, e.tied, lastRank)}`] : []), '例会办公室添加'];
  };
  const counts = { exchange: 0, statement: 0, interview: 0 };
  for (const kind of KINDS) {
    const wanted = new Set(chosen[kind].map((c) => byCode.get(c)!.id));
    for (const p of proposals.filter((x) => x.kind === KIND_OF[kind])) {
      await tx.seatProposal.update({ where: { id: p.id }, data: { status: wanted.has(p.unitId) ? 'CONFIRMED' : 'REMOVED', decidedById: actor.personId, decidedAt: now } });
      wanted.delete(p.unitId);
    }
    for (const unitId of wanted) {
      await tx.seatProposal.create({ data: { periodId: cmd.periodId, kind: KIND_OF[kind], unitId, reasons: manualReasons(unitId), status: 'CONFIRMED', manual: true, decidedById: actor.personId, decidedAt: now, createdAt: now } });
    }
    counts[kind] = chosen[kind].length;
  }
  const drafted = await draftInterviews(tx, cmd.periodId, ctx);
  await tx.auditLog.create({ data: { at: now, actorId: actor.personId, action: 'seats.confirm', entity: 'ReportingPeriod', entityId: cmd.periodId, data: chosen } });

  const view = (await seatsViewOf(tx, cmd.periodId))!;
  const c = seatsCard(view);
  await updateCopies(tx, cmd.periodId, c, ctx.origin.messageId);
  const words = `已确认：${SEAT_WORDS.exchange} ${counts.exchange} 个、${SEAT_WORDS.statement} ${counts.statement} 个、约谈 ${counts.interview} 个单位${drafted ? '，约谈卡片已发给例会办公室安排时间' : ''}。`;
  return { toast: { type: 'success', content: words }, card: c };
}

/** Each confirmed 约谈 line becomes a 约谈 waiting for a time, offered to every organiser (once). */
async function draftInterviews(tx: Tx, periodId: string, ctx: UseCaseContext): Promise<number> {
  const lines = await tx.seatProposal.findMany({ where: { periodId, kind: 'INTERVIEW', status: 'CONFIRMED', meetingId: null }, include: { unit: true } });
  const period = await tx.reportingPeriod.findUniqueOrThrow({ where: { id: periodId }, include: { cycle: true } });
  const label = periodLabel(period.cycle.frequency, period.periodKey);
  const hosts = await defaultHosts(tx, ctx.actor.personId);
  for (const l of lines) {
    const reasons = (Array.isArray(l.reasons) ? (l.reasons as string[]) : []).map((r) => `${label}${r}`);
    const m = await tx.meeting.create({
      data: {
        kind: 'INTERVIEW',
        title: `${nameOf(l.unit)}约谈`,
        agenda: reasons.join('；').slice(0, 500),
        reasons,
        status: 'PROPOSED',
        proposedById: ctx.actor.personId,
        unitId: l.unitId,
        periodId,
        startsAt: ctx.now,
        endsAt: ctx.now,
        createdAt: ctx.now,
        requestKey: `seat-${l.id}`,
      },
    });
    await setAttendees(tx, m.id, await attendeesFor(tx, 'INTERVIEW', [l.unitId], hosts));
    await tx.seatProposal.update({ where: { id: l.id }, data: { meetingId: m.id } });
    await auditMeeting(ctx, 'seats.interview', m.id, { seat: l.id, period: periodId });
    await offerToOrganisers(tx, m.id, { now: ctx.now, by: ctx.actor.name });
  }
  return lines.length;
}

/** Every organiser's copy shows the decision; a copy not delivered yet is not sent at all. */
async function updateCopies(tx: Tx, periodId: string, c: Card, actedMessageId: string): Promise<void> {
  const rows = await tx.outboundMessage.findMany({ where: { dedupeKey: { startsWith: seatsDedupePrefix(periodId) }, kind: 'SEND' } });
  for (const r of rows) {
    if (r.status === 'PENDING') {
      await tx.outboundMessage.updateMany({ where: { id: r.id, status: 'PENDING' }, data: { status: 'CANCELLED' } });
      continue;
    }
    if (r.status !== 'SENT' || !r.feishuMessageId || r.feishuMessageId === actedMessageId) continue;
    await addOutbound(tx, { kind: 'UPDATE_CARD', dedupeKey: `${r.dedupeKey}-confirmed`, targetMessageId: r.feishuMessageId, content: json(c) });
  }
}

// ───────────── 排名 ─────────────

/** 「2026-11」「2026年11月」「11月」 → a year (when given) and a month. */
export function parsePeriodWords(s: string): { year?: number; month: number } | null {
  const t = s.trim().replace(/\s+/g, '');
  let m = /^(\d{4})(?:-|年|\.|\/)(\d{1,2})月?$/.exec(t);
  if (m) return Number(m[2]) >= 1 && Number(m[2]) <= 12 ? { year: Number(m[1]), month: Number(m[2]) } : null;
  m = /^(\d{1,2})月(?:份)?$/.exec(t);
  if (m) return Number(m[1]) >= 1 && Number(m[1]) <= 12 ? { month: Number(m[1]) } : null;
  return null;
}

async function showRanking(cmd: M<'ranking.show'>, ctx: UseCaseContext): Promise<Outcome> {
  const { tx, actor } = ctx;
  if (!isOrganiser(actor) && !actor.leader) return reply(noticeCard('无权查看', ['「排名」仅供市领导和经济运行例会办公室查看。'], 'grey'));
  let keyFilter: Prisma.ReportingPeriodWhereInput = {};
  if (cmd.period) {
    const p = parsePeriodWords(cmd.period);
    if (!p) return reply(noticeCard('期别无法识别', [`「${cmd.period}」不是月份。请按「排名 2026-11」或「排名 11月」的格式发送；只发「排名」查看最近关闭的月份。`], 'orange'));
    const mm = String(p.month).padStart(2, '0');
    keyFilter = p.year ? { periodKey: `${p.year}-${mm}` } : { periodKey: { endsWith: `-${mm}` } };
  }
  const period = await tx.reportingPeriod.findFirst({ where: { status: 'CLOSED', cycle: { frequency: 'MONTHLY' }, rankings: { some: { scope: COMPOSITE } }, ...keyFilter }, orderBy: { endDate: 'desc' }, include: { cycle: true } });
  if (!period) return reply(noticeCard('暂无排名', [cmd.period ? `${cmd.period} 暂无排名（报送尚未关闭，或排名正在计算）。` : '还没有关闭的月度报送，暂无排名。', '排名在例会办公室「关闭报送」后自动生成。'], 'grey'));
  const label = periodLabel(period.cycle.frequency, period.periodKey);
  const ranking = (await loadRanking(tx, period.id, COMPOSITE))!;
  const scoreOf = (s: Prisma.Decimal) => (ranking.method === 'target_pace' ? `${Number(s) >= 0 ? '+' : ''}${Number(s).toFixed(1)} 个百分点` : `${Number(s).toFixed(1)} 分`);
  const all: RankingLine[] = ranking.entries.map((e) => ({
    rank: e.rank,
    name: nameOf(e.unit),
    score: scoreOf(e.score),
    tied: e.tied,
    change: e.previousRank === null ? null : e.previousRank - e.rank,
    ...(e.rankBeforeRevision !== null && e.rankBeforeRevision !== e.rank ? { revisedFrom: e.rankBeforeRevision } : {}),
  }));
  const half = MAX_RANKING_LINES / 2;
  const long = all.length > MAX_RANKING_LINES;
  const lines = long ? [...all.slice(0, half), ...all.slice(-half)] : all;
  const singles = await tx.ranking.findMany({ where: { periodId: period.id, scope: { startsWith: 'indicator:' } }, include: { indicator: true }, orderBy: { indicator: { sortOrder: 'asc' } } });
  const indicators: string[] = [];
  for (const r of singles) {
    if (!r.indicator) continue;
    const ends = await tx.rankingEntry.findMany({ where: { rankingId: r.id, rank: 1 }, include: { unit: true }, take: 3 });
    const lastRank = await tx.rankingEntry.aggregate({ where: { rankingId: r.id }, _max: { rank: true } });
    const lasts = await tx.rankingEntry.findMany({ where: { rankingId: r.id, rank: lastRank._max.rank ?? 0 }, include: { unit: true }, take: 3 });
    const fig = (s: Prisma.Decimal) => (r.method === 'growth' ? (formatGrowth(s.toString()) ?? '') : `${formatValue(s.toString(), r.indicator!.decimals)}${r.indicator!.measureUnit}`);
    const names = (es: typeof ends) => `${es.map((e) => nameOf(e.unit)).join('、')}${es.length > 1 ? '（并列）' : ''} ${es[0] ? fig(es[0].score) : ''}`;
    indicators.push(`${r.indicator.name}：第一 ${names(ends)}，末位 ${names(lasts)}`);
  }
  return reply(
    rankingCard({
      periodLabel: label,
      methodLabel: METHOD_WORDS[ranking.method] ?? ranking.method,
      ...(ranking.revisedAt ? { revised: `${beijingDate(ranking.revisedAt)} 修订` } : {}),
      lines,
      hidden: long ? all.length - lines.length : 0,
      hiddenAfter: half,
      indicators,
    }),
  );
}

export const seatCards: HandlerTable<C<'seats.confirm'>> = {
  'seats.confirm': confirmSeats,
};

export const seatMessages: HandlerTable<M<'ranking.show'>> = {
  'ranking.show': showRanking,
};
