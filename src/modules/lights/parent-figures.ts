// Lights: a parent's own figures as leaders read them — its official figure when one is stored, else the
// total of its members (only once every member has reported), with the growth of that total.
import type { Indicator, ReportingCycle } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import { figuresInForce, figureKey, GROWTH_ONLY_LEVEL, type FigureInForce } from '../collection/collection.repo.ts';
import { lastYearKey } from '../collection/schedule.ts';
import { formatGrowth, formatValue } from '../shared/numbers.ts';
import { addsUp } from './rules.ts';

type Db = PrismaClient | Tx;


/**
 * Whether the members' levels add up to a figure for the parent whose growth is Σ this year / Σ last year − 1:
 * not for a growth-only indicator (no levels) nor for a growth at comparable prices (it removes the price
 * change, which summed levels keep); those compare with the parent's own figure or the plain mean.
 */
export function summable(ind: Pick<Indicator, 'growthOnly' | 'growthBasis' | 'measureUnit'>): boolean {
  return !ind.growthOnly && ind.growthBasis === 'YOY' && addsUp(ind.measureUnit);
}

/** Growth of a total over last year's, in percent with one decimal; null without a positive base. */
export function totalGrowth(value: number | null, lastYear: number | null): number | null {
  return value !== null && lastYear !== null && lastYear > 0 ? Math.round((value / lastYear - 1) * 1000) / 10 : null;
}

/** The members' figures in force per period: how many have one, their sum, and whether all are official. */
export async function memberTotals(db: Db, periodIds: string[], indicatorId: string, memberIds: string[]): Promise<Map<string, { n: number; total: number; official: boolean }>> {
  if (!periodIds.length || !memberIds.length) return new Map();
  const sums = await db.$queryRaw<{ periodId: string; n: number; total: number; official: boolean }[]>`
    SELECT s."periodId"::text AS "periodId", count(*)::int AS n, sum(r.value)::float8 AS total, bool_and(r.vintage = 'OFFICIAL') AS official
      FROM "Submission" s JOIN "SubmissionRevision" r ON r."submissionId" = s.id AND r."revisionNo" = s."currentRevisionNo"
     WHERE s."periodId" = ANY(${periodIds}::uuid[]) AND s."indicatorId" = ${indicatorId}::uuid AND s."unitId" = ANY(${memberIds}::uuid[])
     GROUP BY 1`;
  return new Map(sums.map((x) => [x.periodId, x]));
}

export interface ParentMember {
  id: string;
  name: string;
}

/**
 * The members whose figures make a parent's total: its active children assigned the indicator in the
 * cycle, of one kind (the most numerous; a city's districts, not a zone beside them). Empty for a unit
 * with no such children.
 */
export async function membersOf(db: Db, cycleId: string, parentId: string, indicatorId: string): Promise<ParentMember[]> {
  const rows = await db.assignment.findMany({
    where: { cycleId, indicatorId, active: true, unit: { parentId, active: true } },
    include: { unit: true },
    orderBy: [{ unit: { sortOrder: 'asc' } }, { unit: { code: 'asc' } }],
  });
  const byKind = new Map<string, ParentMember[]>();
  for (const a of rows) byKind.set(a.unit.kind, [...(byKind.get(a.unit.kind) ?? []), { id: a.unit.id, name: a.unit.shortName ?? a.unit.name }]);
  return [...byKind.values()].sort((a, b) => b.length - a.length)[0] ?? [];
}

/** A figure in force as shown. */
export function shownOf(f: Pick<FigureInForce, 'value' | 'growthPct'>): ShownFigure {
  // A growth-only figure may carry no level.
  const value = f.value as string | null;
  return { value: value === null ? null : Number(value), growthPct: f.growthPct === null ? null : Number(f.growthPct) };
}

export interface ShownFigure {
  value: number | null;
  growthPct: number | null;
  /** Set when the figure is the members' total: how many units it adds up. */
  members?: number;
}

/**
 * A unit's figures along the given period keys of a cycle: its own figure in force where there is one
 * (the official 全市 figure wins over the members' sum), else, for a parent of a summable indicator, the
 * total of its members where every one of them has reported. A key without either is absent.
 */
export async function unitSeries(
  db: Db,
  cycle: Pick<ReportingCycle, 'id' | 'frequency'>,
  unitId: string,
  ind: Pick<Indicator, 'id' | 'growthBasis' | 'growthOnly' | 'measureUnit'>,
  keys: string[],
): Promise<Map<string, ShownFigure>> {
  const lyKeys = keys.map((k) => lastYearKey(cycle.frequency, k));
  const periods = await db.reportingPeriod.findMany({ where: { cycleId: cycle.id, periodKey: { in: [...new Set([...keys, ...lyKeys])] } } });
  const idOf = new Map(periods.map((p) => [p.periodKey, p.id]));
  const own = await figuresInForce(db, periods.map((p) => p.id), [unitId]);
  const members = summable(ind) ? await membersOf(db, cycle.id, unitId, ind.id) : [];
  const sums = members.length >= 2 ? await memberTotals(db, periods.map((p) => p.id), ind.id, members.map((m) => m.id)) : new Map();
  const total = (key: string): number | null => {
    const pid = idOf.get(key);
    const x = pid ? sums.get(pid) : undefined;
    return x && x.n === members.length ? x.total : null;
  };
  const out = new Map<string, ShownFigure>();
  keys.forEach((k, i) => {
    const pid = idOf.get(k);
    const f = pid ? own.get(figureKey(pid, unitId, ind.id)) : undefined;
    if (f) {
      out.set(k, shownOf(f));
      return;
    }
    const v = total(k);
    if (v !== null) out.set(k, { value: v, growthPct: totalGrowth(v, total(lyKeys[i]!)), members: members.length });
  });
  return out;
}

/** The figure of one period (see unitSeries), or undefined when there is none to show. */
export async function unitFigure(
  db: Db,
  cycle: Pick<ReportingCycle, 'id' | 'frequency'>,
  unitId: string,
  ind: Pick<Indicator, 'id' | 'growthBasis' | 'growthOnly' | 'measureUnit'>,
  periodKey: string,
): Promise<ShownFigure | undefined> {
  return (await unitSeries(db, cycle, unitId, ind, [periodKey])).get(periodKey);
}

/** As printed: '14,095,656 万元' with the indicator's decimals, '+3.2%'; '—' for what is missing. */
export function figureWords(f: ShownFigure | undefined, ind: Pick<Indicator, 'decimals' | 'measureUnit'>): { value: string; growth: string } {
  return {
    value: f && f.value !== null ? `${formatValue(f.value, ind.decimals)} ${ind.measureUnit}` : f && f.growthPct !== null ? GROWTH_ONLY_LEVEL : '—',
    growth: formatGrowth(f?.growthPct ?? null) ?? '—',
  };
}
