// Domain: lights at work — evaluated from the figures in force on each submission (the unit and its
// siblings, whose average and rank moved) and at period close; every change kept; one digest per
// leader per batch, only when a light gets worse (or a red returns to green); escalation of an
// unacknowledged red planned as jobs.
import { createHash } from 'node:crypto';
import { Prisma, type LightLevel, type Indicator, type Unit } from '../../generated/prisma/client.ts';
import { UnitKind } from '../../generated/prisma/enums.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Clock } from '../../platform/clock.ts';
import { beijingDateTime } from '../../platform/business-time.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { warningDigestCard, type DigestItem } from '../../../cards/warning.ts';
import { actorsAmong } from './warning-access.ts';
import type { Card } from '../../../cards/card.ts';
import { loadWorkCalendar } from '../calendar/calendar.load.ts';
import { beijingDateOf } from '../calendar/work-calendar.ts';
import { overdueTaskCounts } from '../tasks/tasks.repo.ts';
import { addWorkingHours } from '../calendar/working-hours.ts';
import { lightsSchema, type LightsConfig } from '../city-config/city-config.schema.ts';
import { figuresInForce, figureKey, formatGrowth, formatValue, targetFor, valueTargetFor } from '../collection/collection.repo.ts';
import { lastYearKey, periodLabel, previousPeriodKey } from '../collection/schedule.ts';
import { baseSql, figureWords, summable, memberTotals, shownOf, totalGrowth, totalsAlong, unitFigure } from './parent-figures.ts';
import {
  addsUp,
  applySticky,
  evaluateLight,
  MIN_PEERS,
  parentWordOf,
  peerReference,
  peersWordOf,
  peerStats,
  r1,
  resolveRules,
  type CompareWith,
  type Light,
  type LightInput,
  type PeerReference,
  type PeerStats,
  type RuleConfig,
  type RuleKind,
  type ShownLight,
  weightedGrowth,
} from './rules.ts';

type Db = PrismaClient | Tx;
export interface LightsDeps {
  prisma: PrismaClient;
  clock: Clock;
}

const SERIES = 6;
const WRITE_CHUNK = 500;
const RANK: Record<Light, number> = { GREEN: 0, YELLOW: 1, RED: 2 };

export async function lightsPolicy(db: Db): Promise<LightsConfig> {
  return lightsSchema.parse((await db.setting.findUnique({ where: { key: 'lights' } }))?.value ?? {});
}

async function rulesFor(db: Db): Promise<(RuleConfig & { indicator?: string })[]> {
  const rows = await db.warningRule.findMany({ where: { active: true }, include: { indicator: { select: { code: true } } } });
  return rows.map((r) => ({
    code: r.code,
    kind: r.kind.toLowerCase() as RuleKind,
    yellow: Number(r.yellow),
    red: Number(r.red),
    ...(r.params && typeof r.params === 'object' && !Array.isArray(r.params) ? { params: r.params as Record<string, unknown> } : {}),
    ...(r.indicator ? { indicator: r.indicator.code } : {}),
  }));
}

export interface LightChangeInfo {
  warningId: string;
  indicatorId: string;
  unitId: string;
  from: Light | null;
  to: Light;
}

/**
 * What an incremental evaluation needs of a sibling group as last evaluated (per indicator × parent ×
 * kind): how many peers had a figure, the reference below_average compares with (its basis and value as
 * printed) and the bottom of the ranking. A sibling's light depends on its peers only through these.
 */
export interface PeerSig {
  n: number;
  /** The reference as printed (one decimal), and what it is: parent, weighted or mean. */
  ref: number | null;
  basis: PeerReference['basis'] | null;
  /** Bottom places graded by rank_bottom, the best metric among them, and every metric down from it (ties included), as printed. */
  k: number;
  cut: number | null;
  bottom: number[];
}
/** A group as last evaluated: its signature, its members, their metric (null: none), value this period and its base a year earlier (baseSql). */
export interface GroupMemory extends PeerSig {
  units: string[];
  metrics: (number | null)[];
  values: (number | null)[];
  bases: (number | null)[];
  reported: boolean[];
}
/** GroupMemory by `${indicatorId}|${parentId}|${kind}`. */
export type PeerMemory = Record<string, GroupMemory>;
/** Where the memory lives (the job keeps it in Redis): only the groups asked for are read. */
export interface MemoryStore {
  load(keys: string[]): Promise<PeerMemory>;
}

interface GroupRow {
  indicatorId: string;
  parentId: string | null;
  kind: string;
  units: string[];
  metrics: (number | null)[];
  values: (number | null)[];
  bases: (number | null)[];
  reported: boolean[];
}

/**
 * Evaluates the lights of a period for the given indicators (all assigned ones by default) and, when
 * `unitIds` is given, for those units' sibling groups only (an incremental evaluation after a submission).
 * The same inputs always give the same lights. Returns the changes.
 */
export async function evaluatePeriod(deps: LightsDeps, req: { periodId: string; indicatorIds?: string[]; unitIds?: string[] }): Promise<LightChangeInfo[]> {
  return (await evaluateLights(deps, req)).changes;
}

/**
 * evaluatePeriod with a memory of the groups' peers: with `memory` of a group, an incremental evaluation
 * reads the figures of the units in `unitIds` only (the others' metrics come from the memory) and
 * evaluates those units and the siblings whose light the move of the average or of the ranking can
 * change (a band of metrics near the thresholds), so its cost does not grow with the group. Members
 * joining or leaving a group are seen at the next full evaluation (close, official import).
 * Those siblings' reason texts (the average they quote) are refreshed when they are evaluated and at the
 * next full evaluation. Returns the changes and the memory of the groups evaluated, to keep.
 */
export async function evaluateLights(
  deps: LightsDeps,
  req: { periodId: string; indicatorIds?: string[]; unitIds?: string[] },
  memory?: PeerMemory | MemoryStore,
): Promise<{ changes: LightChangeInfo[]; memory: PeerMemory }> {
  const db = deps.prisma;
  const now = deps.clock.now();
  const [period, allRules, policy] = await Promise.all([
    db.reportingPeriod.findUniqueOrThrow({ where: { id: req.periodId }, include: { cycle: true } }),
    rulesFor(db),
    lightsPolicy(db),
  ]);
  const { cycle } = period;
  const keys: string[] = [period.periodKey];
  for (let i = 1; i < SERIES; i++) keys.unshift(previousPeriodKey(cycle.frequency, keys[0]!));
  const lyKeys = keys.map((k) => lastYearKey(cycle.frequency, k));
  const periods = await db.reportingPeriod.findMany({ where: { cycleId: cycle.id, periodKey: { in: [...keys, ...lyKeys] } } });
  const periodIdOf = new Map(periods.map((p) => [p.periodKey, p.id]));

  const load = async (keys: string[]): Promise<PeerMemory> =>
    !memory ? {} : typeof (memory as MemoryStore).load === 'function' ? (memory as MemoryStore).load(keys) : (memory as PeerMemory);
  const changed = new Set(req.unitIds ?? []);
  let before: PeerMemory = {};
  let rows: GroupRow[] | null = null;
  if (req.unitIds && req.indicatorIds && memory) {
    // From memory: the groups of the changed units, patched with their figures now.
    const cu = await db.unit.findMany({ where: { id: { in: req.unitIds } }, select: { id: true, parentId: true, kind: true } });
    const keysOf = req.indicatorIds.flatMap((i) => [...new Set(cu.map((u) => `${i}|${u.parentId}|${u.kind}`))]);
    // A changed unit that is the parent of a group moves that group's reference (全市增速): asked in the same read.
    const childKeys = req.indicatorIds.flatMap((i) => cu.flatMap((u) => Object.values(UnitKind).map((kind) => `${i}|${u.id}|${kind}`)));
    before = await load([...keysOf, ...childKeys]);
    const parentChanged = childKeys.some((k) => before[k]);
    // A memory from before values were kept (or the bottom of the ranking) cannot be patched.
    const known =
      !parentChanged && keysOf.every((k) => before[k]?.bases && before[k].bottom && cu.every((u) => !k.endsWith(`|${u.parentId}|${u.kind}`) || before[k]!.units.includes(u.id)));
    if (known) {
      const [now, inds] = await Promise.all([
        figuresInForce(db, [period.id], req.unitIds),
        db.indicator.findMany({ where: { id: { in: req.indicatorIds } }, select: { id: true, growthBasis: true } }),
      ]);
      const basis = new Map(inds.map((i) => [i.id, i.growthBasis]));
      rows = keysOf.map((k) => {
        const [indicatorId, parentId, kind] = k.split('|') as [string, string, string];
        const m = before[k]!;
        const row: GroupRow = { indicatorId, parentId: parentId === 'null' ? null : parentId, kind, units: m.units, metrics: [...m.metrics], values: [...m.values], bases: m.bases, reported: [...m.reported] };
        for (const u of cu) {
          const at = m.units.indexOf(u.id);
          if (at < 0) continue;
          const f = now.get(figureKey(period.id, u.id, indicatorId));
          const x = f ? (basis.get(indicatorId) === 'NONE' ? f.value : f.growthPct) : null;
          row.reported[at] = !!f;
          row.metrics[at] = x === null || x === undefined ? null : Number(x);
          row.values[at] = f?.value === null || f?.value === undefined ? null : Number(f.value);
        }
        return row;
      });
    }
  }
  if (!rows) {
    rows = await groupsOf();
    if (req.unitIds) before = await load(rows.map((r) => `${r.indicatorId}|${r.parentId}|${r.kind}`));
  }
  const nextMemory: PeerMemory = {};
  if (!rows.length) return { changes: [], memory: nextMemory };
  const indicators = new Map((await db.indicator.findMany({ where: { id: { in: [...new Set(rows.map((g) => g.indicatorId))] } } })).map((i) => [i.id, i]));
  const indicatorIds = [...indicators.keys()];
  // Parents: their names, whether they report the indicator themselves, and their own figures (the
  // official row of a bureau file, or what they reported), which is what 全市增速 means.
  const parentIds = [...new Set(rows.map((g) => g.parentId).filter((x): x is string => !!x))];
  const [parents, parentAssignments, parentFigures] = await Promise.all([
    db.unit.findMany({ where: { id: { in: parentIds } } }),
    db.assignment.findMany({ where: { cycleId: cycle.id, active: true, unitId: { in: parentIds }, indicatorId: { in: indicatorIds } }, select: { unitId: true, indicatorId: true } }),
    figuresInForce(db, periods.map((p) => p.id), parentIds),
  ]);
  const parentName = new Map(parents.map((p) => [p.id, p]));
  const selfAssigned = new Set(parentAssignments.map((a) => `${a.unitId}|${a.indicatorId}`));

  type Aggregate = NonNullable<Awaited<ReturnType<typeof aggregateOf>>>;
  type Group = { row: GroupRow; ind: Indicator; rules: RuleConfig[]; peers: PeerStats; reference: PeerReference | null; agg: Aggregate | null; evaluate: string[] };
  const groups: Group[] = [];
  for (const row of rows) {
    const ind = indicators.get(row.indicatorId)!;
    const rules = resolveRules(allRules, ind.code);
    const metrics = row.metrics.flatMap((m) => (m === null ? [] : [{ growthPct: m }]));
    const peers = peerStats(metrics, ind.direction);
    const parent = row.parentId ? parentName.get(row.parentId) : undefined;
    const agg = await aggregateOf(row, ind, parent);
    const reference = referenceFor(row, ind, parent, peers, agg);
    const key = `${row.indicatorId}|${row.parentId}|${row.kind}`;
    const sig = peerSig(peers, rules, reference);
    const last = before[key];
    const all = !req.unitIds || !last || last.k !== sig.k || last.basis !== sig.basis || !last.bottom;
    const evaluate = row.units.filter((u, i) => row.reported[i] && (all || changed.has(u) || movedBy(row.metrics[i] ?? null, last!, sig, rules, ind.direction)));
    nextMemory[key] = { ...sig, units: row.units, metrics: row.metrics, values: row.values, bases: row.bases, reported: row.reported };
    groups.push({ row, ind, rules, peers, reference, agg, evaluate });
  }

  const unitIds = [...new Set(groups.flatMap((g) => g.evaluate))];
  // Parents get an aggregate light of their own (a district group's total for the city).
  const lit = [...unitIds, ...parentIds];
  const [figures, targets, overdue, units, previousWarnings, existing] = await Promise.all([
    figuresInForce(db, periods.map((p) => p.id), unitIds),
    db.target.findMany({ where: { unitId: { in: lit }, indicatorId: { in: indicatorIds }, year: Number(period.periodKey.slice(0, 4)), active: true } }),
    overdueTaskCounts(db, unitIds, beijingDateOf(now)),
    db.unit.findMany({ where: { id: { in: unitIds } } }),
    db.warning.findMany({
      where: { unitId: { in: lit }, indicatorId: { in: indicatorIds }, periodId: { in: periods.filter((p) => p.id !== period.id && keys.includes(p.periodKey)).map((p) => p.id) } },
      select: { unitId: true, indicatorId: true, periodId: true, level: true, computedLevel: true },
    }),
    db.warning.findMany({ where: { periodId: period.id, unitId: { in: lit }, indicatorId: { in: indicatorIds } } }),
  ]);
  const overdueOf = overdue;
  const unitOf = new Map(units.map((u) => [u.id, u]));
  const existingOf = new Map(existing.map((w) => [`${w.unitId}|${w.indicatorId}`, w]));
  const periodOrder = new Map(keys.map((k, i) => [periodIdOf.get(k), i]));
  /** This period's growth target and value target of a unit. */
  const targetsOf = (ind: Indicator, unitId: string) => {
    const g = targetFor(targets, ind.id, unitId, cycle.frequency, period.periodKey);
    const v = valueTargetFor(targets, ind, unitId, cycle.frequency, period.periodKey, addsUp(ind.measureUnit));
    return { targetPct: g === null || ind.growthBasis === 'NONE' ? null : Number(g), targetValue: v === null ? null : Number(v) };
  };

  const parentsLit = new Set<string>();
  const changes: LightChangeInfo[] = [];
  const writes: ((tx: Tx) => Promise<LightChangeInfo | null>)[] = [];
  for (const { row, ind, rules, peers, reference, agg, evaluate } of groups) {
    const parent = row.parentId ? parentName.get(row.parentId) : undefined;
    for (const unitId of evaluate) {
      const unit = unitOf.get(unitId)!;
      const series = keys.map((k) => {
        const pid = periodIdOf.get(k);
        const f = pid ? figures.get(figureKey(pid, unitId, ind.id)) : undefined;
        // A growth-only figure has no value: its light comes from the growth alone.
        return { periodKey: k, growthPct: f?.growthPct === null || f?.growthPct === undefined ? null : Number(f.growthPct), value: f?.value === null || f?.value === undefined ? null : Number(f.value) };
      });
      const current = figures.get(figureKey(period.id, unitId, ind.id));
      const input: LightInput = {
        indicator: lightIndicatorOf(ind),
        unit: { code: unit.code, name: unit.shortName ?? unit.name },
        periodKey: period.periodKey,
        periodLabel: periodLabel(cycle.frequency, period.periodKey),
        series,
        ...targetsOf(ind, unitId),
        siblings: [],
        peers,
        reference,
        peersWord: peersWordOf(row.kind),
        overdueTasks: overdueOf.get(unitId) ?? 0,
        vintage: current?.vintage ?? 'FLASH',
        // A lone unit at the top has no siblings to be compared with.
        ...(row.parentId === null && row.units.length === 1 ? { top: true } : {}),
      };
      const ev = evaluateLight(input, rules);
      if (ev.status === 'NOT_REPORTED') continue;
      record(unitId, ind.id, ev);
    }
    // The parent's own figure (a bureau's 全市 row) wins over its members' total, and is lit once.
    const own = parent ? ownFigureOf(ind, parent) : null;
    if (own && !parentsLit.has(`${parent!.id}|${ind.id}`)) {
      parentsLit.add(`${parent!.id}|${ind.id}`);
      const ev = evaluateLight({ ...own, ...targetsOf(ind, parent!.id) }, rules);
      if (ev.status === 'LIT') record(parent!.id, ind.id, ev);
    } else if (agg && !own) {
      const ev = evaluateLight({ ...agg, ...targetsOf(ind, parent!.id) }, rules);
      if (ev.status === 'LIT') {
        record(parent!.id, ind.id, { ...ev, reasons: `${agg.note}；${ev.reasons}` });
      }
    }
  }
  // Written in a few transactions, not one per light (a close writes thousands).
  for (let i = 0; i < writes.length; i += WRITE_CHUNK) {
    const chunk = writes.slice(i, i + WRITE_CHUNK);
    await db.$transaction(
      async (tx) => {
        for (const w of chunk) {
          const c = await w(tx);
          if (c) changes.push(c);
        }
      },
      { timeout: 120_000 },
    );
  }
  return { changes, memory: nextMemory };

  /** Every group concerned with its members and their metric this period, in one query. */
  function groupsOf(): Promise<GroupRow[]> {
    const rows = db.$queryRaw<GroupRow[]>`
      SELECT a."indicatorId"::text AS "indicatorId", u."parentId"::text AS "parentId", u.kind::text AS kind,
             array_agg(a."unitId"::text ORDER BY u."sortOrder", u.code) AS units,
             array_agg((CASE WHEN i."growthBasis" = 'NONE' THEN r.value ELSE r."growthPct" END)::float8 ORDER BY u."sortOrder", u.code) AS metrics,
             array_agg(r.value::float8 ORDER BY u."sortOrder", u.code) AS "values",
             array_agg(${baseSql('r', 'lr')} ORDER BY u."sortOrder", u.code) AS "bases",
             array_agg(r.id IS NOT NULL ORDER BY u."sortOrder", u.code) AS reported
        FROM "Assignment" a
        JOIN "Unit" u ON u.id = a."unitId" AND u.active
        JOIN "Indicator" i ON i.id = a."indicatorId" AND i.active
        LEFT JOIN "Submission" s ON s."periodId" = ${period.id}::uuid AND s."unitId" = a."unitId" AND s."indicatorId" = a."indicatorId"
        LEFT JOIN "SubmissionRevision" r ON r."submissionId" = s.id AND r."revisionNo" = s."currentRevisionNo"
        LEFT JOIN "Submission" ls ON ls."periodId" = ${periodIdOf.get(lyKeys.at(-1)!) ?? null}::uuid AND ls."unitId" = a."unitId" AND ls."indicatorId" = a."indicatorId"
        LEFT JOIN "SubmissionRevision" lr ON lr."submissionId" = ls.id AND lr."revisionNo" = ls."currentRevisionNo"
       WHERE a."cycleId" = ${cycle.id}::uuid AND a.active
         ${req.indicatorIds ? Prisma.sql`AND a."indicatorId" = ANY(${req.indicatorIds}::uuid[])` : Prisma.empty}
         ${req.unitIds ? Prisma.sql`AND (EXISTS (SELECT 1 FROM "Unit" c WHERE c.id = ANY(${req.unitIds}::uuid[]) AND c."parentId" IS NOT DISTINCT FROM u."parentId" AND c.kind = u.kind) OR u."parentId" = ANY(${req.unitIds}::uuid[]))` : Prisma.empty}
       GROUP BY 1, 2, 3`;
    // A group is concerned only for the indicators its changed units have (the others did not move), or
    // when its parent's own figure changed.
    return req.unitIds ? rows.then((all) => all.filter((g) => g.units.some((u) => changed.has(u)) || (g.parentId !== null && changed.has(g.parentId)))) : rows;
  }

  /**
   * The parent's figure in force: its own official figure (the bureau's 全市 row) when one is stored for
   * the period — it wins over the members' sum, which seldom adds up to the published total — else the
   * total of the group from the members' values and their bases a year earlier (baseSql), only when every
   * member has both (summed in SQL, and only once every member has reported this period).
   */
  async function aggregateOf(row: GroupRow, ind: Indicator, parent: Unit | undefined): Promise<(LightInput & { note: string }) | null> {
    const members = row.units;
    if (!parent || members.length < 2 || !summable(ind)) return null;
    // A parent that reports the indicator itself (a zone over its working groups) keeps its own light.
    if (selfAssigned.has(`${parent.id}|${ind.id}`)) return null;
    if (!row.reported.every(Boolean)) return null;
    const sumOf = await memberTotals(db, periods.map((p) => p.id), ind.id, members);
    const totals = totalsAlong(sumOf, periodIdOf, keys, lyKeys, members.length);
    const series = keys.map((k, i) => {
      const { value = null, base = null } = totals[i] ?? {};
      return { periodKey: k, value, growthPct: totalGrowth(value, base), base };
    });
    const now = series.at(-1)!;
    if (now.value === null || now.growthPct === null) return null;
    const official = sumOf.get(period.id)?.official === true;
    return {
      ...parentInput(ind, parent, series, official ? 'OFFICIAL' : 'FLASH'),
      note: `${members.length} 个单位汇总：本期 ${formatValue(String(now.value), ind.decimals)} ${ind.measureUnit}，同比 ${formatGrowth(String(now.growthPct))}`,
    };
  }

  /** The light input of a parent from its own figures in force (not when it reports the indicator as a member). */
  function ownFigureOf(ind: Indicator, parent: Unit): LightInput | null {
    if (selfAssigned.has(`${parent.id}|${ind.id}`)) return null;
    const at = (key: string | undefined) => {
      const pid = key ? periodIdOf.get(key) : undefined;
      return pid ? parentFigures.get(figureKey(pid, parent.id, ind.id)) : undefined;
    };
    const current = at(period.periodKey);
    if (!current) return null;
    const n = (x: string | null | undefined) => (x === null || x === undefined ? null : Number(x));
    const series = keys.map((k, i) => {
      const f = at(k);
      return { periodKey: k, growthPct: n(f?.growthPct), value: n(f?.value), ...(k === period.periodKey ? { base: n(at(lyKeys[i])?.value) } : {}) };
    });
    return parentInput(ind, parent, series, current.vintage === 'OFFICIAL' ? 'OFFICIAL' : 'FLASH');
  }

  /** A parent's light input from a series of its figures (its own, or its members' total): no peers, no tasks. */
  function parentInput(ind: Indicator, parent: Unit, series: LightInput['series'], vintage: 'OFFICIAL' | 'FLASH'): LightInput {
    return {
      indicator: lightIndicatorOf(ind),
      unit: { code: parent.code, name: parent.shortName ?? parent.name },
      periodKey: period.periodKey,
      periodLabel: periodLabel(cycle.frequency, period.periodKey),
      series,
      targetPct: null,
      siblings: [],
      overdueTasks: 0,
      vintage,
      top: parent.parentId === null,
    };
  }

  /**
   * What the group's members are compared with (compare_with): the parent's own figure in force (its
   * official figure once imported), else the members' total when it adds up and everyone reported, else
   * the members' value-weighted growth, else the plain mean.
   */
  function referenceFor(row: GroupRow, ind: Indicator, parent: Unit | undefined, peers: PeerStats, agg: { series: LightInput['series'] } | null): PeerReference | null {
    const f = parent ? parentFigures.get(figureKey(period.id, parent.id, ind.id)) : undefined;
    const own = f ? (ind.growthBasis === 'NONE' ? f.value : f.growthPct) : null;
    const parentMetric = own !== null && own !== undefined ? Number(own) : (agg?.series.at(-1)?.growthPct ?? null);
    // growth_only and growth at comparable prices (another part of issue 11) may not exist yet: read them
    // defensively. Neither has levels whose ratio is its growth.
    const levelsAddUp = summable(ind);
    return peerReference(lightIndicatorOf(ind), {
      compareWith: ind.compareWith.toLowerCase() as CompareWith,
      parent: parent ? parentMetric : null,
      weighted: levelsAddUp ? weightedGrowth(row.values.map((value, i) => ({ value, base: row.bases[i] ?? null }))) : null,
      peers,
      parentWord: parentWordOf(parent),
      peersWord: peersWordOf(row.kind),
    });
  }

  /** Queues the write of a light (the warning row, and on a change of level its history and state event). */
  function record(unitId: string, indicatorId: string, ev: Extract<ReturnType<typeof evaluateLight>, { status: 'LIT' }>): void {
    const history: ShownLight[] = previousWarnings
      .filter((w) => w.unitId === unitId && w.indicatorId === indicatorId)
      .sort((a, b) => (periodOrder.get(a.periodId) ?? 0) - (periodOrder.get(b.periodId) ?? 0))
      .map((w) => ({ shown: w.level, computed: w.computedLevel }));
    const shown = applySticky(history, ev.light, policy.sticky_red_periods);
    const reasons = shown !== ev.light ? `${ev.reasons}；红灯需连续 ${policy.sticky_red_periods} 期好转才降级` : ev.reasons;
    const before = existingOf.get(`${unitId}|${indicatorId}`);
    if (before && before.level === shown && before.computedLevel === ev.light && JSON.stringify(before.reasons) === JSON.stringify(reasons.split('；')) && before.vintage === ev.vintage) return;
    writes.push(async (tx) => {
      const status = shown === 'GREEN' ? 'RESOLVED' : before && before.level !== 'GREEN' && RANK[shown] <= RANK[before.level] ? before.status : 'OPEN';
      const w = await tx.warning.upsert({
        where: { periodId_unitId_indicatorId: { periodId: period.id, unitId, indicatorId } },
        create: { periodId: period.id, unitId, indicatorId, level: shown, computedLevel: ev.light, reasons: reasons.split('；'), vintage: ev.vintage, status },
        update: {
          level: shown,
          computedLevel: ev.light,
          reasons: reasons.split('；'),
          vintage: ev.vintage,
          status,
          // A light that got worse needs a fresh acknowledgement and a fresh escalation.
          ...(before && RANK[shown] > RANK[before.level] ? { acknowledgedAt: null, acknowledgedById: null, escalationStep: 0 } : {}),
        },
      });
      if (before?.level === shown) return null;
      await tx.lightChange.create({ data: { warningId: w.id, fromLevel: before?.level ?? null, toLevel: shown, computedLevel: ev.light, reasons: reasons.split('；'), vintage: ev.vintage, at: now } });
      await tx.warningEvent.create({ data: { warningId: w.id, fromStatus: before?.status ?? null, toStatus: status, level: shown, at: now, note: reasons } });
      return { warningId: w.id, indicatorId, unitId, from: (before?.level ?? null) as Light | null, to: shown };
    });
  }
}

/** The indicator as the rules see it. */
function lightIndicatorOf(ind: Indicator): LightInput['indicator'] {
  return { code: ind.code, name: ind.name, direction: ind.direction, measureUnit: ind.measureUnit, basis: ind.growthBasis === 'NONE' ? 'none' : 'yoy', decimals: ind.decimals };
}

/** The peers as a light can see them: count, the reference and the bottom of the ranking, as printed. */
function peerSig(peers: PeerStats, rules: RuleConfig[], reference: PeerReference | null): PeerSig {
  const k = Math.max(0, ...rules.filter((r) => r.kind === 'rank_bottom').map((r) => Math.max(r.yellow, r.red)));
  const s = peers.sorted;
  let from = Math.max(0, peers.count - k);
  // Ties with the cut belong to the bottom too: a tie counts as the worse place.
  while (k && from > 0 && s[from - 1] === s[from]) from--;
  return {
    n: peers.count,
    ref: reference ? r1(reference.value) : null,
    basis: reference?.basis ?? null,
    k,
    cut: k && peers.count ? s[Math.max(0, peers.count - k)]! : null,
    bottom: k ? Array.from(s.subarray(from)) : [],
  };
}

/** Whether the move of the peers from `a` to `b` can change the light of a sibling with this metric. */
function movedBy(metric: number | null, a: PeerSig, b: PeerSig, rules: RuleConfig[], direction: 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER'): boolean {
  // Without a metric the peers play no part (only its own figures do).
  if (metric === null) return false;
  if (a.n < MIN_PEERS !== b.n < MIN_PEERS) return true;
  const x = r1(metric);
  const lower = direction === 'LOWER_IS_BETTER';
  for (const r of rules) {
    if (r.kind === 'below_average' && a.ref !== b.ref) {
      if (a.ref === null || b.ref === null) return true;
      // The shortfall crosses a threshold only for metrics that far from the reference (±0.1 for rounding).
      const [lo, hi] = [Math.min(a.ref, b.ref), Math.max(a.ref, b.ref)];
      for (const t of [r.yellow, r.red]) {
        if (lower ? x >= lo + t - 0.11 && x <= hi + t + 0.11 : x >= lo - t - 0.11 && x <= hi - t + 0.11) return true;
      }
    }
    if (r.kind === 'rank_bottom' && (a.n !== b.n || a.bottom.join() !== b.bottom.join())) {
      // The bottom places before or after: everyone not better than the better of the two cuts.
      if (a.cut === null || b.cut === null) return true;
      const cut = lower ? Math.min(a.cut, b.cut) : Math.max(a.cut, b.cut);
      if (lower ? x >= cut : x <= cut) return true;
    }
  }
  return false;
}

/** Who hears about a light: the vice-mayor in charge of the indicator, the lead department's head, the unit's head. */
export async function recipientsOf(db: Db, indicatorId: string, unitId: string): Promise<{ id: string; name: string; openId: string }[]> {
  const ind = await db.indicator.findUniqueOrThrow({ where: { id: indicatorId } });
  const people = await db.person.findMany({
    where: {
      active: true,
      openId: { not: null },
      OR: [
        { leader: { active: true, domains: { some: { active: true, indicators: { some: { indicatorId } } } } } },
        ...(ind.leadUnitId ? [{ roles: { some: { unitId: ind.leadUnitId, role: 'HEAD' as const, active: true } } }] : []),
        { roles: { some: { unitId, role: 'HEAD' as const, active: true } } },
      ],
    },
    select: { id: true, name: true, openId: true },
  });
  return people.map((p) => ({ id: p.id, name: p.name, openId: p.openId! }));
}

export interface PushResult {
  outbound: string[];
  /** Escalation jobs to plan for reds pushed now: [warningId, step, at]. */
  escalations: { warningId: string; step: number; at: Date; pushedAt: Date }[];
}

/**
 * One digest per recipient for a batch of changes: the lights that got worse (green → yellow,
 * yellow → red) and those back to green; unchanged or improved-but-not-green lights send nothing.
 */
export async function pushDigests(deps: LightsDeps, changes: LightChangeInfo[], batch: string, opts: { repeat?: string[]; incompleteRows?: number } = {}): Promise<PushResult> {
  const db = deps.prisma;
  const now = deps.clock.now();
  const ids = [...new Set([...changes.map((c) => c.warningId), ...(opts.repeat ?? [])])];
  if (!ids.length) return { outbound: [], escalations: [] };
  const warnings = await db.warning.findMany({ where: { id: { in: ids } }, include: { indicator: true, unit: true, period: { include: { cycle: true } } } });
  const repeat = new Set(opts.repeat ?? []);
  type Entry = { name: string; openId: string; items: DigestItem[]; resolved: { indicatorName: string; unitName: string }[]; warningIds: string[] };
  const byPerson = new Map<string, Entry>();
  const pushed: typeof warnings = [];
  const figures = await figuresInForce(db, [...new Set(warnings.map((w) => w.periodId))], [...new Set(warnings.map((w) => w.unitId))]);
  for (const w of warnings) {
    const told = (w.pushedLevel ?? 'GREEN') as Light;
    const worse = w.level !== 'GREEN' && RANK[w.level] > RANK[told];
    const back = w.level === 'GREEN' && told !== 'GREEN';
    const again = repeat.has(w.id) && w.level === 'RED' && !w.acknowledgedAt;
    if (!worse && !back && !again) continue;
    pushed.push(w);
    const own = figures.get(figureKey(w.periodId, w.unitId, w.indicatorId));
    // A parent's light (a city over its districts) shows its own figure or its members' total.
    const shown = figureWords(
      own ? shownOf(own) : await unitFigure(db, w.period.cycle, w.unitId, w.indicator, w.period.periodKey),
      w.indicator,
    );
    const recipients = await recipientsOf(db, w.indicatorId, w.unitId);
    // Heads read the light; only those who may act on it get the 已阅 button.
    const actors = await actorsAmong(db, w.indicatorId, recipients.map((p) => p.id));
    for (const p of recipients) {
      const e = byPerson.get(p.id) ?? { name: p.name, openId: p.openId, items: [], resolved: [], warningIds: [] };
      e.warningIds.push(w.id);
      if (back) e.resolved.push({ indicatorName: w.indicator.name, unitName: w.unit.name });
      else
        e.items.push({
          warningId: w.id,
          indicatorName: w.indicator.name,
          unitName: w.unit.name,
          level: w.level as 'YELLOW' | 'RED',
          previousLevel: again ? 'RED' : told === 'GREEN' && !w.pushedLevel ? null : told,
          value: shown.value,
          growth: shown.growth,
          // The digest line shows the growth already: drop the reasons' opening "增速 2.4%，".
          reasons: (w.reasons as string[]).join('；').replace(/^增速 [^，；]+，/, ''),
          ...(again ? { repeat: true } : {}),
          ...(actors.has(p.id) ? {} : { mayAct: false }),
        });
      byPerson.set(p.id, e);
    }
  }
  if (!pushed.length) return { outbound: [], escalations: [] };
  const policy = await lightsPolicy(db);
  const cal = await loadWorkCalendar(db);
  const label = periodLabel(pushed[0]!.period.cycle.frequency, pushed[0]!.period.periodKey);
  const batchKey = `digest-${createHash('sha1').update(batch).digest('hex').slice(0, 16)}`;
  const outbound = await db.$transaction(async (tx) => {
    const out: string[] = [];
    for (const [personId, e] of byPerson) {
      const c: Card = warningDigestCard({
        leaderName: e.name,
        batchLabel: `${label} · ${beijingDateTime(now)}`,
        items: e.items,
        resolved: e.resolved,
        // Lights from an official file with rows left out stand on incomplete figures.
        ...(opts.incompleteRows ? { notice: `本次导入有 ${opts.incompleteRows} 行未能导入，数据不完整` } : {}),
      });
      const row = await addOutbound(tx, { kind: 'SEND', dedupeKey: `${batchKey}-${personId}`, receiveIdType: 'open_id', receiveId: e.openId, msgType: 'interactive', content: c as unknown as Prisma.InputJsonValue });
      if (row.created) out.push(row.id);
    }
    for (const w of pushed) {
      await tx.warning.update({ where: { id: w.id }, data: { pushedLevel: w.level, lastPushedAt: now, lastDigestKey: batchKey } });
    }
    await tx.auditLog.create({ data: { at: now, action: 'warning.push', entity: 'Warning', data: { batch: batchKey, warnings: pushed.map((w) => w.id), recipients: byPerson.size } } });
    return out;
  });
  const escalations = pushed.filter((w) => w.level === 'RED' && !w.acknowledgedAt).flatMap((w) => escalationSteps(policy, cal, w.id, now));
  return { outbound, escalations };
}

type Policy = Awaited<ReturnType<typeof lightsPolicy>>;

/** When an unacknowledged red pushed at `pushedAt` escalates: the buzz, the principal and organisers, the repeat. */
function escalationSteps(policy: Policy, cal: Awaited<ReturnType<typeof loadWorkCalendar>>, warningId: string, pushedAt: Date) {
  const steps = [
    // The buzz may be set to count clock hours, so a red late in the evening still rings that night.
    { warningId, step: 1, at: policy.buzz_in_quiet_hours ? new Date(pushedAt.getTime() + policy.buzz_after_hours * 3600_000) : addWorkingHours(cal, pushedAt, policy.buzz_after_hours) },
    { warningId, step: 2, at: addWorkingHours(cal, pushedAt, policy.notify_after_hours) },
    { warningId, step: 3, at: addWorkingHours(cal, pushedAt, policy.repeat_red_after_hours) },
  ];
  return steps.map((e) => ({ ...e, pushedAt }));
}

/**
 * The escalation steps still owed by every pushed, unacknowledged red, from the database (after a Redis
 * loss the delayed jobs are gone): each with the push time that names its job.
 */
export async function pendingEscalations(db: PrismaClient | Tx): Promise<{ warningId: string; step: number; at: Date; pushedAt: Date }[]> {
  const reds = await db.warning.findMany({
    where: { level: 'RED', pushedLevel: 'RED', acknowledgedAt: null, lastPushedAt: { not: null }, escalationStep: { lt: 3 } },
    select: { id: true, lastPushedAt: true, escalationStep: true },
  });
  if (!reds.length) return [];
  const [policy, cal] = await Promise.all([lightsPolicy(db), loadWorkCalendar(db)]);
  return reds.flatMap((w) => escalationSteps(policy, cal, w.id, w.lastPushedAt!).filter((e) => e.step > w.escalationStep));
}

export const LEVEL_WORDS: Record<LightLevel, string> = { GREEN: '绿灯', YELLOW: '黄灯', RED: '红灯' };
