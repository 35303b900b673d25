// Lights: a parent's own figures as leaders read them — its official figure when one is stored, else the
// total of its members (only once every member has reported), with the growth of that total.
import { Prisma, type Indicator, type ReportingCycle } from '../../generated/prisma/client.ts';
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

/**
 * A member's level a year earlier, as SQL over a revision `r` in force this period and `lr` last year's:
 * the base its reported growth was computed on, value / (1 + growth) — the bureaus' own way (同口径: a change
 * in the firms covered does not skew the total, and it needs no history in the system) — else last
 * year's stored level. impliedBase (rules.ts) is the same in TypeScript, for the report's 全市增速.
 */
export function baseSql(r: string, lr: string | null): Prisma.Sql {
  const implied = `CASE WHEN ${r}."growthPct" > -100 THEN ${r}.value / (1 + ${r}."growthPct" / 100) END`;
  return Prisma.raw(`(${lr ? `COALESCE(${implied}, ${lr}.value)` : implied})::float8`);
}

export interface MemberTotal {
  /** Members with a figure in force, and the sum of their values. */
  n: number;
  total: number;
  official: boolean;
  /** Members whose reported growth implies their base (see baseSql), and the sum of those bases. */
  implied: number;
  impliedBase: number | null;
}

/** The members' figures in force per period: how many have one, their sum, and whether all are official. */
export async function memberTotals(db: Db, periodIds: string[], indicatorId: string, memberIds: string[]): Promise<Map<string, MemberTotal>> {
  if (!periodIds.length || !memberIds.length) return new Map();
  const sums = await db.$queryRaw<(MemberTotal & { periodId: string })[]>`
    SELECT s."periodId"::text AS "periodId", count(*)::int AS n, sum(r.value)::float8 AS total, bool_and(r.vintage = 'OFFICIAL') AS official,
           count(${baseSql('r', null)})::int AS implied, sum(${baseSql('r', null)}) AS "impliedBase"
      FROM "Submission" s JOIN "SubmissionRevision" r ON r."submissionId" = s.id AND r."revisionNo" = s."currentRevisionNo"
     WHERE s."periodId" = ANY(${periodIds}::uuid[]) AND s."indicatorId" = ${indicatorId}::uuid AND s."unitId" = ANY(${memberIds}::uuid[])
     GROUP BY 1`;
  return new Map(sums.map((x) => [x.periodId, x]));
}

/**
 * The members' total along `keys` (period key → id in `periodIdOf`) with its base a year earlier
 * (`lyKeys[i]` for `keys[i]`), where all `members` have a figure: the bases their growth implies when
 * every member reported one, else last year's total; null where someone has not reported.
 */
export function totalsAlong(
  sums: Map<string, MemberTotal>,
  periodIdOf: Map<string, string>,
  keys: string[],
  lyKeys: string[],
  members: number,
): ({ value: number; base: number | null } | null)[] {
  const at = (key: string | undefined) => {
    const pid = key ? periodIdOf.get(key) : undefined;
    const x = pid ? sums.get(pid) : undefined;
    return x && x.n === members ? x : undefined;
  };
  return keys.map((k, i) => {
    const x = at(k);
    if (!x) return null;
    return { value: x.total, base: x.implied === members ? x.impliedBase : (at(lyKeys[i])?.total ?? null) };
  });
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
  const sums = members.length >= 2 ? await memberTotals(db, periods.map((p) => p.id), ind.id, members.map((m) => m.id)) : new Map<string, MemberTotal>();
  const totals = totalsAlong(sums, idOf, keys, lyKeys, members.length);
  const out = new Map<string, ShownFigure>();
  keys.forEach((k, i) => {
    const pid = idOf.get(k);
    const f = pid ? own.get(figureKey(pid, unitId, ind.id)) : undefined;
    if (f) {
      out.set(k, shownOf(f));
      return;
    }
    const t = totals[i];
    if (t) out.set(k, { value: t.value, growthPct: totalGrowth(t.value, t.base), members: members.length });
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
