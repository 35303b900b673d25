// What a unit is compared with (「全市增速」, 「各区县平均」) for the cards that show it to a liaison: the
// same choice as the lights (peerReference in rules.ts), from the database, summed there (a province's
// group holds hundreds of units).
import type { Indicator, Unit } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import { parentWordOf, peerReference, peersWordOf, type CompareWith, type PeerReference } from './rules.ts';
import { baseSql, summable } from './parent-figures.ts';

type Db = PrismaClient | Tx;

interface GroupSums {
  indicatorId: string;
  members: number;
  reported: number;
  /** Members with a value this period and a positive base a year earlier (baseSql), and their sums. */
  both: number;
  now: number | null;
  base: number | null;
  /** Members with a metric (growth; value for basis none) and its mean. */
  metrics: number;
  mean: number | null;
  parentMetric: number | null;
  parentAssigned: boolean;
}

/**
 * The reference below_average uses for `unit`'s sibling group in a period, per indicator: the parent's
 * figure in force, its members' total (values that add up, everyone reported), the value-weighted
 * growth, or the plain mean, as the indicator's compare_with says. `lastYearPeriodId`: the same period a
 * year earlier (null when the system has none).
 */
export async function peerReferences(
  db: Db,
  q: { cycleId: string; periodId: string; lastYearPeriodId: string | null; unit: Pick<Unit, 'parentId' | 'kind'>; indicators: Indicator[] },
): Promise<Map<string, PeerReference>> {
  if (!q.indicators.length) return new Map();
  const ids = q.indicators.map((i) => i.id);
  const rows = await db.$queryRaw<GroupSums[]>`
    WITH f AS (
      SELECT a."indicatorId", (r.id IS NOT NULL) AS reported, r.value::float8 AS v, ${baseSql('r', 'lr')} AS b,
             (CASE WHEN i."growthBasis" = 'NONE' THEN r.value ELSE r."growthPct" END)::float8 AS metric
        FROM "Assignment" a
        JOIN "Unit" u ON u.id = a."unitId" AND u.active
        JOIN "Indicator" i ON i.id = a."indicatorId"
        LEFT JOIN "Submission" s ON s."periodId" = ${q.periodId}::uuid AND s."unitId" = a."unitId" AND s."indicatorId" = a."indicatorId"
        LEFT JOIN "SubmissionRevision" r ON r."submissionId" = s.id AND r."revisionNo" = s."currentRevisionNo"
        LEFT JOIN "Submission" ls ON ls."periodId" = ${q.lastYearPeriodId}::uuid AND ls."unitId" = a."unitId" AND ls."indicatorId" = a."indicatorId"
        LEFT JOIN "SubmissionRevision" lr ON lr."submissionId" = ls.id AND lr."revisionNo" = ls."currentRevisionNo"
       WHERE a."cycleId" = ${q.cycleId}::uuid AND a.active AND a."indicatorId" = ANY(${ids}::uuid[])
         AND u."parentId" IS NOT DISTINCT FROM ${q.unit.parentId}::uuid AND u.kind::text = ${q.unit.kind}
    )
    SELECT f."indicatorId"::text AS "indicatorId", count(*)::int AS members, count(*) FILTER (WHERE reported)::int AS reported,
           count(*) FILTER (WHERE v IS NOT NULL AND b > 0)::int AS both,
           sum(v) FILTER (WHERE v IS NOT NULL AND b > 0) AS now, sum(b) FILTER (WHERE v IS NOT NULL AND b > 0) AS base,
           count(metric)::int AS metrics, avg(metric) AS mean,
           (SELECT (CASE WHEN i."growthBasis" = 'NONE' THEN pr.value ELSE pr."growthPct" END)::float8
              FROM "Submission" ps JOIN "SubmissionRevision" pr ON pr."submissionId" = ps.id AND pr."revisionNo" = ps."currentRevisionNo"
              JOIN "Indicator" i ON i.id = ps."indicatorId"
             WHERE ps."periodId" = ${q.periodId}::uuid AND ps."unitId" = ${q.unit.parentId}::uuid AND ps."indicatorId" = f."indicatorId") AS "parentMetric",
           EXISTS (SELECT 1 FROM "Assignment" pa WHERE pa."cycleId" = ${q.cycleId}::uuid AND pa.active AND pa."unitId" = ${q.unit.parentId}::uuid AND pa."indicatorId" = f."indicatorId") AS "parentAssigned"
      FROM f GROUP BY f."indicatorId"`;
  const parent = q.unit.parentId ? await db.unit.findUnique({ where: { id: q.unit.parentId } }) : null;
  const out = new Map<string, PeerReference>();
  for (const s of rows) {
    const ind = q.indicators.find((i) => i.id === s.indicatorId)!;
    const lightInd = { code: ind.code, name: ind.name, direction: ind.direction, measureUnit: ind.measureUnit, basis: ind.growthBasis === 'NONE' ? ('none' as const) : ('yoy' as const) };
    const levelsAddUp = summable(ind);
    // The members' total, as the parent's own light computes it: everyone reported, this year and last.
    const total =
      parent && levelsAddUp && ind.growthBasis === 'YOY' && !s.parentAssigned && s.members >= 2 && s.reported === s.members && s.both === s.members && s.base
        ? Math.round((s.now! / s.base - 1) * 1000) / 10
        : null;
    const ref = peerReference(lightInd, {
      compareWith: ind.compareWith.toLowerCase() as CompareWith,
      parent: parent ? (s.parentMetric ?? total) : null,
      weighted: levelsAddUp && s.both && s.base ? { count: s.both, growthPct: (s.now! / s.base - 1) * 100 } : null,
      peers: { count: s.metrics, mean: s.mean ?? NaN, sorted: new Float64Array() },
      parentWord: parentWordOf(parent ?? undefined),
      peersWord: peersWordOf(q.unit.kind),
    });
    if (ref) out.set(s.indicatorId, ref);
  }
  return out;
}
