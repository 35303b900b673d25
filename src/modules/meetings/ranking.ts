// Meetings: the month's ranking of sibling regions, made when the period closes and made again when a
// figure of the closed period is revised (a late edit approved, official figures imported). One ranking
// per indicator (the growth rate the unit reported, or the value for an indicator without a growth basis,
// as printed) and a composite of the weighted indicators of the city file: rank points (100 for the first
// place, 0 for the last and for no figure) or the score against the target pace (points above the
// target growth). Ties are explicit (competition ranking: 1, 2, 2, 4); each entry keeps the rank of the
// month before, and a re-ranking after close marks the ranking revised and the entries it moved.
import type { Indicator, Prisma, ReportingPeriod, Unit } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import { addFollowUp } from '../../outbox/follow-ups.ts';
import { figuresInForce, figureKey, targetFor } from '../collection/collection.repo.ts';
import { previousPeriodKey } from '../collection/schedule.ts';
import { loadMeetingSettings, type RankingSettings } from './settings.ts';

type Db = PrismaClient | Tx;

/** The composite ranking's scope (monthly-agenda.ts and the 例会 read it). */
export const COMPOSITE = 'composite';
export const indicatorScope = (code: string) => `indicator:${code}`;

const CLOSE = 'close-';
const safe = (s: string) => s.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 120);

/**
 * After a monthly period closes (atClose: ranking, then the seats and the draft 约谈 list) or after a figure of
 * a closed one changed (re-ranking only). Nothing for other periods. `key`: the cause (the delivery key).
 */
export async function rankLater(tx: Db, periodId: string, opts: { key: string; atClose: boolean }): Promise<string | null> {
  const p = await tx.reportingPeriod.findUnique({ where: { id: periodId }, select: { status: true, cycle: { select: { frequency: true } } } });
  if (!p || p.status !== 'CLOSED' || p.cycle.frequency !== 'MONTHLY') return null;
  const batch = `${opts.atClose ? CLOSE : 'rev-'}${safe(opts.key)}`;
  return addFollowUp(tx, { name: 'ranking.compute.v1', payload: { periodId, batch }, jobId: `rank-${periodId}-${batch}` });
}

export const isCloseBatch = (batch: string) => batch.startsWith(CLOSE);

// ───────────── pure ranking ─────────────

export interface Scored {
  unitId: string;
  score: number;
}
export interface Ranked extends Scored {
  rank: number;
  tied: boolean;
}

/**
 * Competition ranking, best first: equal scores (compared at `places` decimals, as printed) share a rank,
 * the next rank skips. `order` breaks ties only for the listing (the city file's unit order).
 */
export function competitionRank(items: Scored[], higherIsBetter: boolean, places: number, order: (a: string, b: string) => number = () => 0): Ranked[] {
  const f = 10 ** places;
  const key = (x: number) => Math.round((higherIsBetter ? x : -x) * f);
  const sorted = [...items].sort((a, b) => key(b.score) - key(a.score) || order(a.unitId, b.unitId));
  const count = new Map<number, number>();
  for (const s of sorted) count.set(key(s.score), (count.get(key(s.score)) ?? 0) + 1);
  const out: Ranked[] = [];
  let rank = 0;
  sorted.forEach((s, i) => {
    if (i === 0 || key(s.score) !== key(sorted[i - 1]!.score)) rank = i + 1;
    out.push({ ...s, rank, tied: count.get(key(s.score))! > 1 });
  });
  return out;
}

export interface IndicatorInput {
  id: string;
  code: string;
  higherIsBetter: boolean;
  /** Decimals the metric is printed with (growth: 1). */
  places: number;
  weight: number;
  /** The metric of each unit that has a figure. */
  metrics: Map<string, number>;
  /** Target growth per unit (target_pace). */
  targets: Map<string, number>;
}

/** The composite score of each unit (units without any part in it are left out). */
export function compositeScores(method: RankingSettings['method'], unitIds: string[], indicators: IndicatorInput[], singles: Map<string, Ranked[]>): Scored[] {
  const parts = new Map<string, { sum: number; weight: number }>(unitIds.map((u) => [u, { sum: 0, weight: 0 }]));
  for (const ind of indicators) {
    if (!ind.metrics.size || ind.weight <= 0) continue;
    if (method === 'rank_points') {
      // Points by place: 100 for the first, 0 for the last, 0 for a unit without a figure.
      const ranked = singles.get(ind.id) ?? [];
      const n = ranked.length;
      const points = new Map(ranked.map((r) => [r.unitId, n > 1 ? (100 * (n - r.rank)) / (n - 1) : 100]));
      for (const u of unitIds) {
        const p = parts.get(u)!;
        p.sum += ind.weight * (points.get(u) ?? 0);
        p.weight += ind.weight;
      }
    } else {
      // Points above (or below) the target pace; a unit without a figure scores as the worst that has one.
      const gaps = new Map<string, number>();
      for (const [u, m] of ind.metrics) {
        const t = ind.targets.get(u);
        if (t !== undefined) gaps.set(u, ind.higherIsBetter ? m - t : t - m);
      }
      if (!gaps.size) continue;
      const worst = Math.min(...gaps.values());
      for (const u of unitIds) {
        if (!ind.targets.has(u)) continue;
        const p = parts.get(u)!;
        p.sum += ind.weight * (gaps.get(u) ?? worst);
        p.weight += ind.weight;
      }
    }
  }
  return unitIds.flatMap((u) => {
    const p = parts.get(u)!;
    return p.weight > 0 ? [{ unitId: u, score: Math.round((p.sum / p.weight) * 10_000) / 10_000 }] : [];
  });
}

// ───────────── on the database ─────────────

/** The regions ranked against each other: the largest group of active regions under one parent. */
export async function siblingRegions(db: Db): Promise<Unit[]> {
  const regions = await db.unit.findMany({ where: { active: true, kind: 'REGION' }, orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }] });
  const groups = new Map<string, Unit[]>();
  for (const r of regions) groups.set(r.parentId ?? '', [...(groups.get(r.parentId ?? '') ?? []), r]);
  return [...groups.values()].sort((a, b) => b.length - a.length)[0] ?? [];
}

export interface RankingResult {
  periodId: string;
  /** Whether a ranking existed and the figures moved a rank (marked revised). */
  revised: boolean;
  /** Whether anything was written. */
  changed: boolean;
  scopes: number;
}

interface EntryRow {
  unitId: string;
  indicatorId: string | null;
  rank: number;
  score: number;
  tied: boolean;
  previousRank: number | null;
}
interface ScopeResult {
  scope: string;
  indicatorId: string | null;
  method: string;
  entries: EntryRow[];
}

/** Ranks the period from the figures in force now and writes what changed (a re-run writes nothing). */
export async function computeRankings(prisma: PrismaClient, periodId: string, opts: { now: Date; atClose: boolean }): Promise<RankingResult> {
  const period = await prisma.reportingPeriod.findUniqueOrThrow({ where: { id: periodId }, include: { cycle: true } });
  const settings = (await loadMeetingSettings(prisma)).ranking;
  const units = await siblingRegions(prisma);
  const scopes = await rankScopes(prisma, period, settings, units);
  return prisma.$transaction(
    async (tx) => {
      // One writer per period: a close and a revision arriving together do not interleave.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`ranking-${periodId}`}))`;
      let revised = false;
      let changed = false;
      for (const s of scopes) {
        const r = await writeScope(tx, periodId, s, opts);
        revised ||= r.revised;
        changed ||= r.changed;
      }
      return { periodId, revised, changed, scopes: scopes.length };
    },
    { timeout: 60_000 },
  );
}

async function rankScopes(db: Db, period: ReportingPeriod & { cycle: { id: string; frequency: 'WEEKLY' | 'MONTHLY' | 'QUARTERLY' } }, settings: RankingSettings, units: Unit[]): Promise<ScopeResult[]> {
  if (!units.length) return [];
  const unitIds = units.map((u) => u.id);
  const order = new Map(unitIds.map((u, i) => [u, i]));
  const byOrder = (a: string, b: string) => order.get(a)! - order.get(b)!;
  // Indicators the regions report in this cycle; the composite weighs those of the city file (or all alike).
  const assigned = await db.indicator.findMany({ where: { active: true, assignments: { some: { active: true, cycleId: period.cycle.id, unitId: { in: unitIds } } } }, orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }] });
  const weights = settings.weights;
  const weighted = Object.keys(weights).length ? assigned.filter((i) => weights[i.code] !== undefined) : assigned;
  const figures = await figuresInForce(db, [period.id], unitIds);
  const year = Number(period.periodKey.slice(0, 4));
  const targetRows = settings.method === 'target_pace' ? await db.target.findMany({ where: { year, active: true, unitId: { in: unitIds }, indicatorId: { in: weighted.map((i) => i.id) } } }) : [];
  const targetsOf = new Map<string, typeof targetRows>();
  for (const t of targetRows) targetsOf.set(`${t.indicatorId}|${t.unitId}`, [...(targetsOf.get(`${t.indicatorId}|${t.unitId}`) ?? []), t]);

  const inputs: IndicatorInput[] = assigned.map((ind: Indicator) => {
    const metrics = new Map<string, number>();
    const targets = new Map<string, number>();
    for (const u of unitIds) {
      const f = figures.get(figureKey(period.id, u, ind.id));
      const m = f ? (ind.growthBasis === 'NONE' ? f.value : f.growthPct) : null;
      if (m !== null && m !== undefined) metrics.set(u, Number(m));
      if (ind.growthBasis !== 'NONE' && targetRows.length) {
        const t = targetFor(targetsOf.get(`${ind.id}|${u}`) ?? [], ind.id, u, period.cycle.frequency, period.periodKey);
        if (t !== null) targets.set(u, Number(t));
      }
    }
    return {
      id: ind.id,
      code: ind.code,
      higherIsBetter: ind.direction === 'HIGHER_IS_BETTER',
      places: ind.growthBasis === 'NONE' ? ind.decimals : 1,
      weight: weighted.includes(ind) ? (weights[ind.code] ?? 1) : 0,
      metrics,
      targets,
    };
  });
  const singles = new Map<string, Ranked[]>();
  for (const ind of inputs) {
    if (ind.metrics.size) singles.set(ind.id, competitionRank([...ind.metrics].map(([unitId, score]) => ({ unitId, score })), ind.higherIsBetter, ind.places, byOrder));
  }
  const composite = competitionRank(compositeScores(settings.method, unitIds, inputs, singles), true, 2, byOrder);
  // A cycle the regions do not report in (a zone's own cycle) has no ranking.
  if (!composite.length || !singles.size) return [];

  const prevKey = previousPeriodKey(period.cycle.frequency, period.periodKey);
  const prev = await db.ranking.findMany({ where: { period: { cycleId: period.cycle.id, periodKey: prevKey } }, include: { entries: { select: { unitId: true, rank: true } } } });
  const prevRank = new Map(prev.map((r) => [r.scope, new Map(r.entries.map((e) => [e.unitId, e.rank]))]));
  const rows = (scope: string, ranked: Ranked[], indicatorId: string | null): EntryRow[] =>
    ranked.map((r) => ({ unitId: r.unitId, indicatorId, rank: r.rank, score: r.score, tied: r.tied, previousRank: prevRank.get(scope)?.get(r.unitId) ?? null }));

  const out: ScopeResult[] = [{ scope: COMPOSITE, indicatorId: null, method: settings.method, entries: rows(COMPOSITE, composite, null) }];
  for (const ind of inputs) {
    const ranked = singles.get(ind.id);
    if (!ranked) continue;
    const scope = indicatorScope(ind.code);
    out.push({ scope, indicatorId: ind.id, method: ind.places === 1 ? 'growth' : 'value', entries: rows(scope, ranked, ind.id) });
  }
  return out;
}

const sameEntry = (a: { rank: number; score: Prisma.Decimal | number; tied: boolean; previousRank: number | null }, b: EntryRow) =>
  a.rank === b.rank && a.tied === b.tied && a.previousRank === b.previousRank && Number(a.score).toFixed(4) === b.score.toFixed(4);

async function writeScope(tx: Tx, periodId: string, s: ScopeResult, opts: { now: Date; atClose: boolean }): Promise<{ revised: boolean; changed: boolean }> {
  const existing = await tx.ranking.findUnique({ where: { periodId_scope: { periodId, scope: s.scope } }, include: { entries: true } });
  const old = new Map((existing?.entries ?? []).map((e) => [e.unitId, e]));
  const same = existing !== null && existing.method === s.method && existing.entries.length === s.entries.length && s.entries.every((e) => old.has(e.unitId) && sameEntry(old.get(e.unitId)!, e));
  if (same) return { revised: false, changed: false };
  // A revision after close: some place moved. The entries it moved keep the rank they had before.
  const moved = existing !== null && !opts.atClose && (existing.entries.length !== s.entries.length || s.entries.some((e) => old.get(e.unitId)?.rank !== e.rank));
  const ranking = await tx.ranking.upsert({
    where: { periodId_scope: { periodId, scope: s.scope } },
    create: { periodId, scope: s.scope, indicatorId: s.indicatorId, method: s.method, computedAt: opts.now },
    update: { method: s.method, computedAt: opts.now, ...(moved ? { revisedAt: opts.now } : {}) },
  });
  await tx.rankingEntry.deleteMany({ where: { rankingId: ranking.id } });
  const data = s.entries.map((e) => {
    const before = old.get(e.unitId);
    const rankBeforeRevision = moved && before && before.rank !== e.rank ? before.rank : (before?.rankBeforeRevision ?? null);
    return { rankingId: ranking.id, unitId: e.unitId, indicatorId: e.indicatorId, rank: e.rank, score: e.score.toFixed(4), tied: e.tied, previousRank: e.previousRank, rankBeforeRevision };
  });
  for (let i = 0; i < data.length; i += 5_000) await tx.rankingEntry.createMany({ data: data.slice(i, i + 5_000) });
  return { revised: moved, changed: true };
}

// ───────────── reading ─────────────

/** A ranking with its entries best first and their units. */
export function loadRanking(db: Db, periodId: string, scope: string) {
  return db.ranking.findUnique({ where: { periodId_scope: { periodId, scope } }, include: { indicator: true, entries: { include: { unit: true }, orderBy: [{ rank: 'asc' }, { unit: { sortOrder: 'asc' } }, { unit: { code: 'asc' } }] } } });
}

/** 「第 12 位（末位）」「第 3 位（并列）」「第 11 位（倒数第 2 位）」. */
export function placeWords(rank: number, tied: boolean, lastRank: number): string {
  const fromBottom = lastRank - rank + 1;
  const notes = [...(tied ? ['并列'] : []), ...(rank === lastRank && rank > 1 ? ['末位'] : fromBottom <= 3 && rank > 3 ? [`倒数第 ${fromBottom} 位`] : [])];
  return `第 ${rank} 位${notes.length ? `（${notes.join('，')}）` : ''}`;
}
