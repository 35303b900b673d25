// Domain: lights at work — evaluated from the figures in force on each submission (the unit and its
// siblings, whose average and rank moved) and at period close; every change kept; one digest per
// leader per batch, only when a light gets worse (or a red returns to green); escalation of an
// unacknowledged red planned as jobs.
import { createHash } from 'node:crypto';
import { Prisma, type LightLevel, type Indicator, type Unit } from '../../generated/prisma/client.ts';
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
import { figuresInForce, figureKey, formatGrowth, formatValue, targetFor } from '../collection/collection.repo.ts';
import { lastYearKey, periodLabel, previousPeriodKey } from '../collection/schedule.ts';
import { figureWords, summable, memberTotals, shownOf, totalGrowth, unitFigure } from './parent-figures.ts';
import { applySticky, evaluateLight, MIN_PEERS, peerStats, r1, resolveRules, type Light, type LightInput, type PeerStats, type RuleConfig, type RuleKind, type ShownLight } from './rules.ts';

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
 * kind): how many peers had a figure, their average and the ranking's bottom cut, both as printed (one
 * decimal). A sibling's light depends on its peers only through these.
 */
export interface PeerSig {
  n: number;
  mean: number | null;
  /** Bottom places graded by rank_bottom, and the best metric among them. */
  k: number;
  cut: number | null;
}
/** A group as last evaluated: its signature, its members and their metric (null: none) this period. */
export interface GroupMemory extends PeerSig {
  units: string[];
  metrics: (number | null)[];
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
    before = await load(keysOf);
    const known = keysOf.every((k) => before[k] && cu.every((u) => !k.endsWith(`|${u.parentId}|${u.kind}`) || before[k]!.units.includes(u.id)));
    if (known) {
      const [now, inds] = await Promise.all([
        figuresInForce(db, [period.id], req.unitIds),
        db.indicator.findMany({ where: { id: { in: req.indicatorIds } }, select: { id: true, growthBasis: true } }),
      ]);
      const basis = new Map(inds.map((i) => [i.id, i.growthBasis]));
      rows = keysOf.map((k) => {
        const [indicatorId, parentId, kind] = k.split('|') as [string, string, string];
        const m = before[k]!;
        const row: GroupRow = { indicatorId, parentId: parentId === 'null' ? null : parentId, kind, units: m.units, metrics: [...m.metrics], reported: [...m.reported] };
        for (const u of cu) {
          const at = m.units.indexOf(u.id);
          if (at < 0) continue;
          const f = now.get(figureKey(period.id, u.id, indicatorId));
          const x = f ? (basis.get(indicatorId) === 'NONE' ? f.value : f.growthPct) : null;
          row.reported[at] = !!f;
          row.metrics[at] = x === null || x === undefined ? null : Number(x);
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

  type Group = { row: GroupRow; ind: Indicator; rules: RuleConfig[]; peers: PeerStats; evaluate: string[] };
  const groups: Group[] = [];
  for (const row of rows) {
    const ind = indicators.get(row.indicatorId)!;
    const rules = resolveRules(allRules, ind.code);
    const metrics = row.metrics.flatMap((m) => (m === null ? [] : [{ growthPct: m }]));
    const peers = peerStats(metrics, ind.direction);
    const key = `${row.indicatorId}|${row.parentId}|${row.kind}`;
    const sig = peerSig(peers, rules);
    const last = before[key];
    const all = !req.unitIds || !last || last.k !== sig.k;
    const evaluate = row.units.filter((u, i) => row.reported[i] && (all || changed.has(u) || movedBy(row.metrics[i] ?? null, last!, sig, rules, ind.direction)));
    nextMemory[key] = { ...sig, units: row.units, metrics: row.metrics, reported: row.reported };
    groups.push({ row, ind, rules, peers, evaluate });
  }

  const unitIds = [...new Set(groups.flatMap((g) => g.evaluate))];
  // Parents get an aggregate light of their own (a district group's total for the city).
  const parentIds = [...new Set(groups.map((g) => g.row.parentId).filter((x): x is string => !!x))];
  const lit = [...unitIds, ...parentIds];
  const indicatorIds = [...indicators.keys()];
  const [figures, targets, overdue, parents, units, parentAssignments, previousWarnings, existing] = await Promise.all([
    figuresInForce(db, periods.map((p) => p.id), unitIds),
    db.target.findMany({ where: { unitId: { in: lit }, indicatorId: { in: indicatorIds }, year: Number(period.periodKey.slice(0, 4)), active: true } }),
    overdueTaskCounts(db, unitIds, beijingDateOf(now)),
    db.unit.findMany({ where: { id: { in: parentIds } } }),
    db.unit.findMany({ where: { id: { in: unitIds } } }),
    db.assignment.findMany({ where: { cycleId: cycle.id, active: true, unitId: { in: parentIds }, indicatorId: { in: indicatorIds } }, select: { unitId: true, indicatorId: true } }),
    db.warning.findMany({
      where: { unitId: { in: lit }, indicatorId: { in: indicatorIds }, periodId: { in: periods.filter((p) => p.id !== period.id && keys.includes(p.periodKey)).map((p) => p.id) } },
      select: { unitId: true, indicatorId: true, periodId: true, level: true, computedLevel: true },
    }),
    db.warning.findMany({ where: { periodId: period.id, unitId: { in: lit }, indicatorId: { in: indicatorIds } } }),
  ]);
  const overdueOf = overdue;
  const parentName = new Map(parents.map((p) => [p.id, p]));
  const unitOf = new Map(units.map((u) => [u.id, u]));
  const selfAssigned = new Set(parentAssignments.map((a) => `${a.unitId}|${a.indicatorId}`));
  const existingOf = new Map(existing.map((w) => [`${w.unitId}|${w.indicatorId}`, w]));
  const periodOrder = new Map(keys.map((k, i) => [periodIdOf.get(k), i]));

  const changes: LightChangeInfo[] = [];
  const writes: ((tx: Tx) => Promise<LightChangeInfo | null>)[] = [];
  for (const { row, ind, rules, peers, evaluate } of groups) {
    const usesValue = ind.growthBasis === 'NONE';
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
      const target = targetFor(targets, ind.id, unitId, cycle.frequency, period.periodKey);
      const input: LightInput = {
        indicator: { code: ind.code, name: ind.name, direction: ind.direction, measureUnit: ind.measureUnit, basis: usesValue ? 'none' : 'yoy', decimals: ind.decimals },
        unit: { code: unit.code, name: unit.shortName ?? unit.name },
        periodKey: period.periodKey,
        periodLabel: periodLabel(cycle.frequency, period.periodKey),
        series,
        targetPct: target === null ? null : Number(target),
        siblings: [],
        peers,
        peerLabel: peerLabelOf(parent),
        overdueTasks: overdueOf.get(unitId) ?? 0,
        vintage: current?.vintage ?? 'FLASH',
        // A lone unit at the top has no siblings to be compared with.
        ...(row.parentId === null && row.units.length === 1 ? { top: true } : {}),
      };
      const ev = evaluateLight(input, rules);
      if (ev.status === 'NOT_REPORTED') continue;
      record(unitId, ind.id, ev);
    }
    const agg = await aggregateOf(row, ind, parent);
    if (agg) {
      const ev = evaluateLight(agg, rules);
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
             array_agg(r.id IS NOT NULL ORDER BY u."sortOrder", u.code) AS reported
        FROM "Assignment" a
        JOIN "Unit" u ON u.id = a."unitId" AND u.active
        JOIN "Indicator" i ON i.id = a."indicatorId" AND i.active
        LEFT JOIN "Submission" s ON s."periodId" = ${period.id}::uuid AND s."unitId" = a."unitId" AND s."indicatorId" = a."indicatorId"
        LEFT JOIN "SubmissionRevision" r ON r."submissionId" = s.id AND r."revisionNo" = s."currentRevisionNo"
       WHERE a."cycleId" = ${cycle.id}::uuid AND a.active
         ${req.indicatorIds ? Prisma.sql`AND a."indicatorId" = ANY(${req.indicatorIds}::uuid[])` : Prisma.empty}
         ${req.unitIds ? Prisma.sql`AND EXISTS (SELECT 1 FROM "Unit" c WHERE c.id = ANY(${req.unitIds}::uuid[]) AND c."parentId" IS NOT DISTINCT FROM u."parentId" AND c.kind = u.kind)` : Prisma.empty}
       GROUP BY 1, 2, 3`;
    // A group is concerned only for the indicators its changed units have (the others did not move).
    return req.unitIds ? rows.then((all) => all.filter((g) => g.units.some((u) => changed.has(u)))) : rows;
  }

  /**
   * The parent's figure in force: its own official figure (the bureau's 全市 row) when one is stored for
   * the period — it wins over the members' sum, which seldom adds up to the published total — else the
   * total of the group from the members' values and last year's, only when every member has both
   * (summed in SQL, and only once every member has reported this period).
   */
  async function aggregateOf(row: GroupRow, ind: Indicator, parent: Unit | undefined): Promise<(LightInput & { note: string }) | null> {
    const members = row.units;
    if (!parent) return null;
    // A parent that reports the indicator itself (a zone over its working groups) keeps its own light.
    if (selfAssigned.has(`${parent.id}|${ind.id}`)) return null;
    const published = await officialOf(parent, ind);
    if (published) return published;
    if (members.length < 2 || !summable(ind)) return null;
    if (!row.reported.every(Boolean)) return null;
    const sumOf = await memberTotals(db, periods.map((p) => p.id), ind.id, members);
    const total = (key: string) => {
      const pid = periodIdOf.get(key);
      const x = pid ? sumOf.get(pid) : undefined;
      return x && x.n === members.length ? x.total : null;
    };
    const series = keys.map((k, i) => {
      const v = total(k);
      const ly = total(lyKeys[i]!);
      return { periodKey: k, value: v, growthPct: totalGrowth(v, ly), base: ly };
    });
    const now = series.at(-1)!;
    if (now.value === null || now.growthPct === null) return null;
    const target = targetFor(targets, ind.id, parent.id, cycle.frequency, period.periodKey);
    const official = sumOf.get(period.id)?.official === true;
    return {
      indicator: { code: ind.code, name: ind.name, direction: ind.direction, measureUnit: ind.measureUnit, basis: 'yoy', decimals: ind.decimals },
      unit: { code: parent.code, name: parent.shortName ?? parent.name },
      periodKey: period.periodKey,
      periodLabel: periodLabel(cycle.frequency, period.periodKey),
      series,
      targetPct: target === null ? null : Number(target),
      siblings: [],
      overdueTasks: 0,
      vintage: official ? 'OFFICIAL' : 'FLASH',
      top: parent.parentId === null,
      note: `${members.length} 个单位汇总：本期 ${formatValue(String(now.value), ind.decimals)} ${ind.measureUnit}，同比 ${formatGrowth(String(now.growthPct))}`,
    };
  }

  /** The parent's own official figures (imported from a bureau's file), when this period has one. */
  async function officialOf(parent: Unit, ind: Indicator): Promise<(LightInput & { note: string }) | null> {
    const own = await figuresInForce(db, periods.map((p) => p.id), [parent.id]);
    const current = own.get(figureKey(period.id, parent.id, ind.id));
    if (!current || current.vintage !== 'OFFICIAL' || (current.growthPct === null && ind.growthBasis !== 'NONE')) return null;
    const series = keys.map((k) => {
      const pid = periodIdOf.get(k);
      const f = pid ? own.get(figureKey(pid, parent.id, ind.id)) : undefined;
      return { periodKey: k, value: f?.value == null ? null : Number(f.value), growthPct: f?.growthPct == null ? null : Number(f.growthPct) };
    });
    const target = targetFor(targets, ind.id, parent.id, cycle.frequency, period.periodKey);
    const growth = formatGrowth(current.growthPct);
    return {
      indicator: { code: ind.code, name: ind.name, direction: ind.direction, measureUnit: ind.measureUnit, basis: ind.growthBasis === 'NONE' ? 'none' : 'yoy' },
      unit: { code: parent.code, name: parent.shortName ?? parent.name },
      periodKey: period.periodKey,
      periodLabel: periodLabel(cycle.frequency, period.periodKey),
      series,
      targetPct: target === null ? null : Number(target),
      siblings: [],
      overdueTasks: 0,
      vintage: 'OFFICIAL',
      note: `正式数据：本期 ${current.value == null ? '—' : `${formatValue(current.value, ind.decimals)} ${ind.measureUnit}`}${growth ? `，同比 ${growth}` : ''}`,
    };
  }

  /** Stores a light: the warning row, and on a change of level its history and state event. */
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

/** The peers as a light can see them: count, average and the bottom cut of the ranking, as printed. */
function peerSig(peers: PeerStats, rules: RuleConfig[]): PeerSig {
  const k = Math.max(0, ...rules.filter((r) => r.kind === 'rank_bottom').map((r) => Math.max(r.yellow, r.red)));
  return { n: peers.count, mean: peers.count ? r1(peers.mean) : null, k, cut: k && peers.count ? peers.sorted[Math.max(0, peers.count - k)]! : null };
}

/** Whether the move of the peers from `a` to `b` can change the light of a sibling with this metric. */
function movedBy(metric: number | null, a: PeerSig, b: PeerSig, rules: RuleConfig[], direction: 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER'): boolean {
  // Without a metric the peers play no part (only its own figures do).
  if (metric === null) return false;
  if (a.n < MIN_PEERS !== b.n < MIN_PEERS) return true;
  const x = r1(metric);
  const lower = direction === 'LOWER_IS_BETTER';
  for (const r of rules) {
    if (r.kind === 'below_average' && a.mean !== b.mean) {
      if (a.mean === null || b.mean === null) return true;
      // The shortfall crosses a threshold only for metrics that far from the average (±0.1 for rounding).
      const [lo, hi] = [Math.min(a.mean, b.mean), Math.max(a.mean, b.mean)];
      for (const t of [r.yellow, r.red]) {
        if (lower ? x >= lo + t - 0.11 && x <= hi + t + 0.11 : x >= lo - t - 0.11 && x <= hi - t + 0.11) return true;
      }
    }
    if (r.kind === 'rank_bottom' && (a.n !== b.n || a.cut !== b.cut)) {
      // The bottom places before or after: everyone not better than the better of the two cuts.
      if (a.cut === null || b.cut === null) return true;
      const cut = lower ? Math.min(a.cut, b.cut) : Math.max(a.cut, b.cut);
      if (lower ? x >= cut : x <= cut) return true;
    }
  }
  return false;
}

function peerLabelOf(parent: Unit | undefined): string {
  if (!parent) return '同级';
  if (parent.kind === 'CITY') return parent.name.endsWith('州') ? '全州' : parent.name.endsWith('省') ? '全省' : '全市';
  return parent.shortName ?? parent.name;
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
