// Domain: reads for collection — a unit report with its period and cycle, the indicators it must
// report, and the figures in force around it (previous period, last year, history, targets, averages).
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Indicator, ReportingCycle, ReportingPeriod, Unit, UnitReport } from '../../generated/prisma/client.ts';
import { lastYearKey, previousPeriodKey, sameYearPrevious, periodLabel } from './schedule.ts';
import type { IndicatorContext } from './validate.ts';
import { formatGrowth, formatValue } from '../shared/numbers.ts';
import { peerReferences } from '../lights/peer-reference.ts';
import type { PeerReference } from '../lights/rules.ts';

type Db = PrismaClient | Tx;

export interface ReportBundle {
  report: UnitReport;
  period: ReportingPeriod;
  cycle: ReportingCycle;
  unit: Unit;
}

export async function loadReport(db: Db, reportId: string): Promise<ReportBundle | null> {
  const r = await db.unitReport.findUnique({ where: { id: reportId }, include: { period: { include: { cycle: true } }, unit: true } });
  if (!r) return null;
  const { period, unit, ...report } = r;
  const { cycle, ...p } = period;
  return { report, period: p, cycle, unit };
}

/**
 * The indicators a unit reports in a cycle, in the city file's order. With a monthly period, quarterly
 * indicators are asked for only at quarter ends (March, June, September, December).
 */
export async function assignedIndicators(db: Db, cycleId: string, unitId: string, periodKey?: string): Promise<Indicator[]> {
  const rows = await db.assignment.findMany({
    where: { cycleId, unitId, active: true, indicator: { active: true } },
    include: { indicator: true },
  });
  const month = periodKey && /^\d{4}-\d{2}$/.test(periodKey) ? Number(periodKey.slice(5)) : null;
  return rows
    .map((r) => r.indicator)
    .filter((i) => !(month !== null && month % 3 !== 0 && i.frequency === 'QUARTERLY'))
    .sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code));
}

export interface FigureInForce {
  periodId: string;
  unitId: string;
  indicatorId: string;
  submissionId: string;
  revisionNo: number;
  /** Null for a growth-only indicator. */
  value: string | null;
  growthPct: string | null;
  problems: string | null;
  forecast: string | null;
  measures: string | null;
  vintage: 'FLASH' | 'OFFICIAL';
  submittedAt: Date;
  submittedById: string | null;
}

export const figureKey = (periodId: string, unitId: string, indicatorId: string) => `${periodId}|${unitId}|${indicatorId}`;

/** The revision in force of every submission in these periods (for these units, when given). */
export async function figuresInForce(db: Db, periodIds: string[], unitIds?: string[]): Promise<Map<string, FigureInForce>> {
  if (!periodIds.length) return new Map();
  const rows = unitIds
    ? await db.$queryRaw<FigureInForce[]>`
        SELECT s."periodId", s."unitId", s."indicatorId", s.id AS "submissionId", r."revisionNo", r.value::text AS value,
               r."growthPct"::text AS "growthPct", r.problems, r.forecast, r.measures, r.vintage::text AS vintage,
               r."submittedAt", r."submittedById"
          FROM "Submission" s JOIN "SubmissionRevision" r ON r."submissionId" = s.id AND r."revisionNo" = s."currentRevisionNo"
         WHERE s."periodId" = ANY(${periodIds}::uuid[]) AND s."unitId" = ANY(${unitIds}::uuid[])`
    : await db.$queryRaw<FigureInForce[]>`
        SELECT s."periodId", s."unitId", s."indicatorId", s.id AS "submissionId", r."revisionNo", r.value::text AS value,
               r."growthPct"::text AS "growthPct", r.problems, r.forecast, r.measures, r.vintage::text AS vintage,
               r."submittedAt", r."submittedById"
          FROM "Submission" s JOIN "SubmissionRevision" r ON r."submissionId" = s.id AND r."revisionNo" = s."currentRevisionNo"
         WHERE s."periodId" = ANY(${periodIds}::uuid[])`;
  return new Map(rows.map((r) => [figureKey(r.periodId, r.unitId, r.indicatorId), r]));
}

/** Target growth for the period: the month's, else the quarter's, else the year's (以月保季、以季保年). */
export function targetFor(
  targets: { indicatorId: string; unitId: string; year: number; periodType: string; periodNo: number; growthPct: { toString(): string } | null }[],
  indicatorId: string,
  unitId: string,
  frequency: ReportingCycle['frequency'],
  periodKey: string,
): string | null {
  const year = Number(periodKey.slice(0, 4));
  const mine = targets.filter((t) => t.indicatorId === indicatorId && t.unitId === unitId && t.year === year && t.growthPct !== null);
  const pick = (type: string, no: number) => mine.find((t) => t.periodType === type && t.periodNo === no)?.growthPct?.toString() ?? null;
  if (frequency === 'MONTHLY') {
    const m = Number(periodKey.slice(5, 7));
    return pick('MONTH', m) ?? pick('QUARTER', Math.ceil(m / 3)) ?? pick('YEAR', 0);
  }
  if (frequency === 'QUARTERLY') return pick('QUARTER', Number(periodKey.slice(6))) ?? pick('YEAR', 0);
  return pick('YEAR', 0);
}

/**
 * Target value for the period ({ value: … } in the city file). A level or a rate (失业率 ≤ 5.5, a share in
 * %) holds all year: the month's, else the quarter's, else the year's. An amount that adds up is only
 * compared where the target covers the same span: the month's; when cumulative also the quarter's at
 * the quarter's last month and the year's at December (Q4 for a quarterly cycle).
 */
export function valueTargetFor(
  targets: { indicatorId: string; unitId: string; year: number; periodType: string; periodNo: number; value: { toString(): string } | null }[],
  ind: { id: string; measureUnit: string; valueKind: string },
  unitId: string,
  frequency: ReportingCycle['frequency'],
  periodKey: string,
  addsUp: boolean,
): string | null {
  const year = Number(periodKey.slice(0, 4));
  const mine = targets.filter((t) => t.indicatorId === ind.id && t.unitId === unitId && t.year === year && t.value !== null);
  const pick = (type: string, no: number) => mine.find((t) => t.periodType === type && t.periodNo === no)?.value?.toString() ?? null;
  const cumulative = ind.valueKind === 'CUMULATIVE';
  if (frequency === 'MONTHLY') {
    const m = Number(periodKey.slice(5, 7));
    if (!addsUp) return pick('MONTH', m) ?? pick('QUARTER', Math.ceil(m / 3)) ?? pick('YEAR', 0);
    if (!cumulative) return pick('MONTH', m);
    return pick('MONTH', m) ?? (m % 3 === 0 ? pick('QUARTER', m / 3) : null) ?? (m === 12 ? pick('YEAR', 0) : null);
  }
  if (frequency === 'QUARTERLY') {
    const q = Number(periodKey.slice(6));
    if (!addsUp) return pick('QUARTER', q) ?? pick('YEAR', 0);
    return pick('QUARTER', q) ?? (cumulative && q === 4 ? pick('YEAR', 0) : null);
  }
  return addsUp ? null : pick('YEAR', 0);
}

export interface UnitContexts {
  indicators: Indicator[];
  contexts: IndicatorContext[];
  /** Pre-formatted context lines for the card, by indicator code. */
  display: Map<string, { last: string | null; target: string | null; cityAverage: string | null }>;
  /** The figures already in force for this period, by indicator code. */
  current: Map<string, FigureInForce>;
}

const HISTORY = 12;

// The formatters live in shared/numbers.ts; re-exported for the callers that import them from here.
export { formatValue, formatGrowth };

/** A figure's level with its unit; a growth-only figure has none and says so. */
export const formatLevel = (v: string | null, decimals: number, measureUnit: string): string =>
  v === null ? GROWTH_ONLY_LEVEL : `${formatValue(v, decimals)} ${measureUnit}`;
export const GROWTH_ONLY_LEVEL = '只报增速';

/** Everything the card and the validation need for one unit's report, in a handful of queries. */
export async function unitContexts(db: Db, b: ReportBundle): Promise<UnitContexts> {
  const { cycle, period, unit } = b;
  const indicators = await assignedIndicators(db, cycle.id, unit.id, period.periodKey);
  const prevKey = previousPeriodKey(cycle.frequency, period.periodKey);
  const lyKey = lastYearKey(cycle.frequency, period.periodKey);
  const historyKeys: string[] = [];
  for (let k = period.periodKey, i = 0; i < HISTORY; i++) historyKeys.unshift((k = previousPeriodKey(cycle.frequency, k)));
  // Last period's reference needs the period a year before it too (its growth weighs last year's levels).
  const prevLyKey = lastYearKey(cycle.frequency, prevKey);
  const periods = await db.reportingPeriod.findMany({ where: { cycleId: cycle.id, periodKey: { in: [...historyKeys, lyKey, prevLyKey] } } });
  const idOf = new Map(periods.map((p) => [p.periodKey, p.id]));
  const prevId = idOf.get(prevKey);
  const [mine, references, targets] = await Promise.all([
    figuresInForce(db, [...periods.map((p) => p.id), period.id], [unit.id]),
    prevId
      ? peerReferences(db, { cycleId: cycle.id, periodId: prevId, lastYearPeriodId: idOf.get(prevLyKey) ?? null, unit, indicators })
      : Promise.resolve(new Map<string, PeerReference>()),
    db.target.findMany({ where: { unitId: unit.id, indicatorId: { in: indicators.map((i) => i.id) }, active: true } }),
  ]);
  const sameYear = sameYearPrevious(cycle.frequency, period.periodKey) !== null;
  const prevLabel = periodLabel(cycle.frequency, prevKey);

  const contexts: IndicatorContext[] = [];
  const display = new Map<string, { last: string | null; target: string | null; cityAverage: string | null }>();
  const current = new Map<string, FigureInForce>();
  for (const ind of indicators) {
    const at = (key: string) => {
      const pid = idOf.get(key);
      return pid ? mine.get(figureKey(pid, unit.id, ind.id)) : undefined;
    };
    const prev = at(prevKey);
    const ly = at(lyKey);
    const history = historyKeys.flatMap((k) => {
      const f = at(k);
      return f ? [{ value: f.value, growthPct: f.growthPct }] : [];
    });
    const target = targetFor(targets, ind.id, unit.id, cycle.frequency, period.periodKey);
    // What the lights compare with (全市增速, 各区县平均), last period: the same basis, the same words.
    const ref = references.get(ind.id);
    const avg = ref && ind.growthBasis !== 'NONE' ? ref.value.toFixed(2) : null;
    contexts.push({
      indicatorId: ind.id,
      code: ind.code,
      name: ind.name,
      measureUnit: ind.measureUnit,
      valueKind: ind.valueKind,
      growthBasis: ind.growthBasis,
      growthOnly: ind.growthOnly,
      direction: ind.direction,
      decimals: ind.decimals,
      previous: prev ? { periodLabel: prevLabel, value: prev.value, growthPct: prev.growthPct, sameYear } : null,
      lastYear: ly?.value ? { value: ly.value } : null,
      targetGrowthPct: target,
      cityAverageGrowthPct: avg,
      history,
    });
    display.set(ind.code, {
      last: !prev ? null : prev.value === null ? (prev.growthPct !== null ? `上期同比 ${formatGrowth(prev.growthPct)}` : null)
        : `上期 ${formatValue(prev.value, ind.decimals)} ${ind.measureUnit}${prev.growthPct !== null ? ` · 同比 ${formatGrowth(prev.growthPct)}` : ''}`,
      target: target !== null ? `目标 ${formatGrowth(target)}` : null,
      cityAverage: ref ? `上期${ref.label} ${ind.growthBasis === 'NONE' ? `${formatValue(ref.value.toFixed(4), ind.decimals)}${ind.measureUnit === '%' ? '%' : ` ${ind.measureUnit}`}` : formatGrowth(avg)}` : null,
    });
    const cur = mine.get(figureKey(period.id, unit.id, ind.id));
    if (cur) current.set(ind.code, cur);
  }
  return { indicators, contexts, display, current };
}


/** The person who receives a unit's cards on a day: the liaison, or the backup while the liaison is on leave. */
export async function responsiblePeople(
  db: Db,
  unitIds: string[],
  date: Date,
): Promise<Map<string, { personId: string; openId: string | null; name: string; role: 'liaison' | 'backup'; liaisonName: string | null }>> {
  const roles = await db.unitRole.findMany({
    where: { unitId: { in: unitIds }, role: { in: ['LIAISON', 'BACKUP_LIAISON'] }, active: true, person: { active: true } },
    include: { person: { include: { leaves: { where: { cancelledAt: null, startDate: { lte: date }, endDate: { gte: date } } } } } },
    orderBy: { person: { code: 'asc' } },
  });
  const out = new Map<string, { personId: string; openId: string | null; name: string; role: 'liaison' | 'backup'; liaisonName: string | null }>();
  for (const unitId of unitIds) {
    const mine = roles.filter((r) => r.unitId === unitId);
    const liaison = mine.find((r) => r.role === 'LIAISON');
    const backup = mine.find((r) => r.role === 'BACKUP_LIAISON' && !r.person.leaves.length);
    const onLeave = liaison && liaison.person.leaves.length > 0;
    const who = liaison && !onLeave ? liaison : (backup ?? liaison);
    if (!who) continue;
    out.set(unitId, {
      personId: who.personId,
      openId: who.person.openId,
      name: who.person.name,
      role: who === liaison ? 'liaison' : 'backup',
      liaisonName: liaison?.person.name ?? null,
    });
  }
  return out;
}
