// Domain: gathers a closed month for the 专报 — the city's figure of each main indicator (its own
// submission, else its regions added up, value-weighted), target, last month and a 12-month trend; the
// regions at each end; lights; the composite ranking and the seats; the submissions' problems and measures;
// warnings and tasks. Reads only; a few queries whatever the number of units.
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import { beijingDateOf, beijingInstant } from '../calendar/work-calendar.ts';
import { asDate, dayOf } from '../shared/dates.ts';
import { figureKey, targetFor } from '../collection/collection.repo.ts';
import { periodLabel } from '../collection/schedule.ts';
import { COMPOSITE, siblingRegions } from '../meetings/ranking.ts';
import { cityFromRegions, last12Months, previousMonthKey, type IndicatorFacts, type Light, type MonthFacts, type ProblemFacts, type RankingFacts } from './facts.ts';
import { summable } from '../lights/parent-figures.ts';


type Db = PrismaClient | Tx;

/** Units named at each end of an indicator's paragraph; places of the ranking kept for the chart and table. */
const ENDS = 3;
const RANKING_ENDS = 20;
const PROBLEMS_KEPT = 12;
const LEVEL: Record<Light, number> = { RED: 2, YELLOW: 1, GREEN: 0 };

/**
 * The figures in force (value and growth only, as numbers) of some units and indicators over some periods:
 * a year of a 2,000-unit city is 120,000 figures, so nothing else is read.
 */
async function figuresOf(db: Db, periodIds: string[], unitIds: string[], indicatorIds: string[]): Promise<Map<string, { value: number; growthPct: number | null }>> {
  const rows = await db.$queryRaw<{ periodId: string; unitId: string; indicatorId: string; value: number; growthPct: number | null }[]>`
    SELECT s."periodId"::text AS "periodId", s."unitId"::text AS "unitId", s."indicatorId"::text AS "indicatorId", r.value::float8 AS value, r."growthPct"::float8 AS "growthPct"
      FROM "Submission" s JOIN "SubmissionRevision" r ON r."submissionId" = s.id AND r."revisionNo" = s."currentRevisionNo"
     WHERE s."periodId" = ANY(${periodIds}::uuid[]) AND s."unitId" = ANY(${unitIds}::uuid[]) AND s."indicatorId" = ANY(${indicatorIds}::uuid[])`;
  return new Map(rows.map((r) => [figureKey(r.periodId, r.unitId, r.indicatorId), { value: r.value, growthPct: r.growthPct }]));
}

export async function gatherMonth(db: Db, periodId: string, now: Date): Promise<MonthFacts> {
  const period = await db.reportingPeriod.findUniqueOrThrow({ where: { id: periodId }, include: { cycle: true } });
  const key = period.periodKey;
  const month = Number(key.slice(5, 7));
  const regions = await siblingRegions(db);
  const regionIds = regions.map((r) => r.id);
  const cityId = regions[0]?.parentId ?? null;
  const city = cityId ? await db.unit.findUnique({ where: { id: cityId } }) : await db.unit.findFirst({ where: { kind: 'CITY', active: true } });
  const nameOf = new Map(regions.map((r) => [r.id, r.shortName ?? r.name]));

  // Main indicators: those the regions report in this cycle and this month (quarterly ones at a quarter's end).
  const assigned = await db.assignment.findMany({
    where: { cycleId: period.cycleId, active: true, unitId: { in: regionIds }, indicator: { active: true } },
    distinct: ['indicatorId'],
    select: { indicator: true },
  });
  const indicators = assigned
    .map((a) => a.indicator)
    .filter((i) => i.frequency === period.cycle.frequency || (period.cycle.frequency === 'MONTHLY' && i.frequency === 'QUARTERLY' && month % 3 === 0))
    .sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code));

  const keys = last12Months(key);
  const periods = await db.reportingPeriod.findMany({ where: { cycleId: period.cycleId, periodKey: { in: keys } }, select: { id: true, periodKey: true } });
  const periodIdOf = new Map(periods.map((p) => [p.periodKey, p.id]));
  // The city's own figure: the city's submission, else that of the indicator's lead department (市统计局 for
  // GDP, 市经信局 for industry…), which reports for the whole city.
  const regionSet = new Set(regionIds);
  const leadIds = [...new Set(indicators.flatMap((i) => (i.leadUnitId && !regionSet.has(i.leadUnitId) ? [i.leadUnitId] : [])))];
  const unitIds = [...regionIds, ...leadIds, ...(city ? [city.id] : [])];
  const [figures, targets, warnings, reports, ranking, seats, tasks, assignedInMonth] = await Promise.all([
    figuresOf(db, periods.map((p) => p.id), unitIds, indicators.map((i) => i.id)),
    city ? db.target.findMany({ where: { unitId: city.id, year: Number(key.slice(0, 4)), active: true } }) : Promise.resolve([]),
    db.warning.findMany({ where: { periodId }, select: { unitId: true, indicatorId: true, level: true, acknowledgedAt: true } }),
    db.unitReport.groupBy({ by: ['status'], where: { periodId }, _count: { _all: true } }),
    db.ranking.findUnique({ where: { periodId_scope: { periodId, scope: COMPOSITE } }, include: { entries: { include: { unit: true }, orderBy: [{ rank: 'asc' }, { unit: { sortOrder: 'asc' } }] } } }),
    db.seatProposal.findMany({ where: { periodId, status: { not: 'REMOVED' } }, include: { unit: true }, orderBy: [{ unit: { sortOrder: 'asc' } }, { unit: { code: 'asc' } }] }),
    db.task.groupBy({ by: ['status'], _count: { _all: true } }),
    // Assigned during the month, Beijing time (the period's own dates).
    db.task.count({ where: { createdAt: { gte: beijingInstant(dayOf(period.startDate), 0), lt: beijingInstant(dayOf(period.endDate), 24) } } }),
  ]);
  const overdue = await db.task.count({ where: { status: { in: ['OPEN', 'IN_PROGRESS', 'AWAITING_CLOSE'] }, dueDate: { lt: asDate(beijingDateOf(now)) } } });

  const lightOf = new Map(warnings.map((w) => [`${w.unitId}|${w.indicatorId}`, w.level as Light]));

  const cityFigureAt = (pk: string, ind: (typeof indicators)[number]) => {
    const pid = periodIdOf.get(pk);
    if (!pid) return { value: null, growthPct: null, source: null, missing: regions.length } as const;
    const own = (city ? figures.get(figureKey(pid, city.id, ind.id)) : undefined) ?? (ind.leadUnitId && !regionSet.has(ind.leadUnitId) ? figures.get(figureKey(pid, ind.leadUnitId, ind.id)) : undefined);
    if (own) return { value: own.value, growthPct: own.growthPct, source: 'city' as const, missing: 0 };
    if (!summable(ind)) return { value: null, growthPct: null, source: null, missing: 0 };
    const sum = cityFromRegions(regions.map((r) => {
      const f = figures.get(figureKey(pid, r.id, ind.id));
      return { value: f ? f.value : null, growthPct: f?.growthPct ?? null };
    }));
    return { ...sum, source: sum.value === null ? null : ('sum' as const) };
  };

  const indicatorFacts: IndicatorFacts[] = indicators.map((ind) => {
    const yoy = ind.growthBasis === 'YOY';
    const cityNow = cityFigureAt(key, ind);
    const prevKey = previousMonthKey(key);
    const metrics = regions.flatMap((r) => {
      const f = figures.get(figureKey(periodId, r.id, ind.id));
      const m = f ? (yoy ? f.growthPct : f.value) : null;
      return m === null ? [] : [{ unit: nameOf.get(r.id)!, growthPct: m, order: r.sortOrder }];
    });
    const sign = ind.direction === 'LOWER_IS_BETTER' ? -1 : 1;
    metrics.sort((a, b) => sign * (b.growthPct - a.growthPct) || a.order - b.order);
    const lights = { red: 0, yellow: 0, green: 0 };
    for (const w of warnings) {
      if (w.indicatorId !== ind.id || w.unitId === city?.id) continue;
      if (w.level === 'RED') lights.red++;
      else if (w.level === 'YELLOW') lights.yellow++;
      else lights.green++;
    }
    const ends = Math.min(ENDS, Math.floor(metrics.length / 2));
    const target = city ? targetFor(targets, ind.id, city.id, period.cycle.frequency, key) : null;
    return {
      code: ind.code,
      name: ind.name,
      measureUnit: ind.measureUnit,
      decimals: ind.decimals,
      direction: ind.direction,
      cumulative: ind.valueKind === 'CUMULATIVE',
      yoy,
      city: cityNow,
      targetPct: target === null ? null : Number(target),
      previousGrowthPct: prevKey ? cityFigureAt(prevKey, ind).growthPct : null,
      light: city ? (lightOf.get(`${city.id}|${ind.id}`) ?? null) : null,
      lights,
      best: metrics.slice(0, Math.max(ends, metrics.length === 1 ? 1 : 0)).map(({ unit, growthPct }) => ({ unit, growthPct })),
      worst: ends ? metrics.slice(-ends).reverse().map(({ unit, growthPct }) => ({ unit, growthPct })) : [],
      regions: metrics.length,
      trend: keys.map((k) => {
        const c = k === key ? cityNow : cityFigureAt(k, ind);
        return { periodKey: k, growthPct: yoy ? c.growthPct : c.value };
      }),
    };
  });

  const entries = ranking?.entries ?? [];
  const kept = entries.length <= RANKING_ENDS * 2 ? entries : [...entries.slice(0, RANKING_ENDS), ...entries.slice(-RANKING_ENDS)];
  const rankingFacts: RankingFacts | null = ranking
    ? {
        method: ranking.method,
        total: entries.length,
        entries: kept.map((e) => ({ rank: e.rank, tied: e.tied, unit: e.unit.shortName ?? e.unit.name, score: Number(e.score), previousRank: e.previousRank })),
      }
    : null;

  const seatsOf = (kind: 'EXCHANGE' | 'STATEMENT' | 'INTERVIEW') => seats.filter((s) => s.kind === kind).map((s) => s.unit.shortName ?? s.unit.name);

  // Problems and measures: the current month's texts, the units with the worst lights first.
  const indName = new Map(indicators.map((i) => [i.id, i.name]));
  const allUnits = await db.unit.findMany({ where: { active: true }, select: { id: true, name: true, shortName: true, sortOrder: true, code: true } });
  const unitOf = new Map(allUnits.map((u) => [u.id, u]));
  const texts = await db.$queryRaw<{ unitId: string; indicatorId: string; problems: string | null; measures: string | null }[]>`
    SELECT s."unitId"::text AS "unitId", s."indicatorId"::text AS "indicatorId", r.problems, r.measures
      FROM "Submission" s JOIN "SubmissionRevision" r ON r."submissionId" = s.id AND r."revisionNo" = s."currentRevisionNo"
     WHERE s."periodId" = ${periodId}::uuid AND (coalesce(btrim(r.problems), '') <> '' OR coalesce(btrim(r.measures), '') <> '')`;
  const problems: ProblemFacts[] = texts
    .filter((t) => indName.has(t.indicatorId) && unitOf.has(t.unitId))
    .map((t) => ({ t, light: lightOf.get(`${t.unitId}|${t.indicatorId}`) ?? null, u: unitOf.get(t.unitId)! }))
    .sort(
      (a, b) =>
        (b.light ? LEVEL[b.light] : -1) - (a.light ? LEVEL[a.light] : -1) ||
        a.u.sortOrder - b.u.sortOrder ||
        a.u.code.localeCompare(b.u.code) ||
        indicators.findIndex((i) => i.id === a.t.indicatorId) - indicators.findIndex((i) => i.id === b.t.indicatorId),
    )
    .slice(0, PROBLEMS_KEPT)
    .map(({ t, light, u }) => ({ unit: u.shortName ?? u.name, indicator: indName.get(t.indicatorId)!, light, problems: t.problems?.trim() || null, measures: t.measures?.trim() || null }));

  const count = (s: string) => reports.find((r) => r.status === s)?._count._all ?? 0;
  const totalReports = reports.reduce((n, r) => n + r._count._all, 0);
  const submitted = count('SUBMITTED');
  const taskCount = (s: string) => tasks.find((t) => t.status === s)?._count._all ?? 0;
  const lit = warnings.filter((w) => w.level !== 'GREEN');
  return {
    periodId,
    periodKey: key,
    periodLabel: periodLabel(period.cycle.frequency, key),
    cityName: city?.name ?? '',
    units: { total: totalReports, submitted, missing: totalReports - submitted },
    indicators: indicatorFacts,
    ranking: rankingFacts,
    seats: seats.length ? { exchange: seatsOf('EXCHANGE'), statement: seatsOf('STATEMENT'), interview: seatsOf('INTERVIEW'), confirmed: seats.some((s) => s.status === 'CONFIRMED') } : null,
    problems,
    problemCount: texts.length,
    warnings: { red: lit.filter((w) => w.level === 'RED').length, yellow: lit.filter((w) => w.level === 'YELLOW').length, acknowledged: lit.filter((w) => w.acknowledgedAt).length },
    tasks: { open: taskCount('OPEN'), inProgress: taskCount('IN_PROGRESS'), awaitingClose: taskCount('AWAITING_CLOSE'), done: taskCount('DONE'), overdue, assignedInMonth },
  };
}
