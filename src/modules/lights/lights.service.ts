// Domain: lights at work — evaluated from the figures in force on each submission (the unit and its
// siblings, whose average and rank moved) and at period close; every change kept; one digest per
// leader per batch, only when a light gets worse (or a red returns to green); escalation of an
// unacknowledged red planned as jobs.
import { createHash } from 'node:crypto';
import type { Prisma, LightLevel, Unit } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Clock } from '../../platform/clock.ts';
import { beijingDateTime } from '../../platform/business-time.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { warningDigestCard, type DigestItem } from '../../../cards/warning.ts';
import type { Card } from '../../../cards/card.ts';
import { loadWorkCalendar } from '../calendar/calendar.load.ts';
import { beijingDateOf } from '../calendar/work-calendar.ts';
import { overdueTaskCounts } from '../tasks/tasks.service.ts';
import { addWorkingHours } from '../calendar/working-hours.ts';
import { lightsSchema, type LightsConfig } from '../city-config/city-config.schema.ts';
import { figuresInForce, figureKey, formatGrowth, formatValue, targetFor } from '../collection/collection.repo.ts';
import { lastYearKey, periodLabel, previousPeriodKey } from '../collection/schedule.ts';
import { applySticky, evaluateLight, resolveRules, type Light, type LightInput, type RuleConfig, type RuleKind, type ShownLight } from './rules.ts';

type Db = PrismaClient | Tx;
export interface LightsDeps {
  prisma: PrismaClient;
  clock: Clock;
}

const SERIES = 6;
/** Units whose values add up (a total for the parent makes sense); rates and prices do not. */
const ADDITIVE = /(元|千瓦时|吨|人|户|辆|平方米|人次)$/;
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
 * Evaluates the lights of a period for the given indicators (all assigned ones by default) and, when
 * `unitIds` is given, for those units' sibling groups only (an incremental evaluation after a submission).
 * The same inputs always give the same lights. Returns the changes.
 */
export async function evaluatePeriod(deps: LightsDeps, req: { periodId: string; indicatorIds?: string[]; unitIds?: string[] }): Promise<LightChangeInfo[]> {
  const db = deps.prisma;
  const now = deps.clock.now();
  const period = await db.reportingPeriod.findUniqueOrThrow({ where: { id: req.periodId }, include: { cycle: true } });
  const { cycle } = period;
  const allRules = await rulesFor(db);
  const policy = await lightsPolicy(db);
  const keys: string[] = [period.periodKey];
  for (let i = 1; i < SERIES; i++) keys.unshift(previousPeriodKey(cycle.frequency, keys[0]!));
  const lyKeys = keys.map((k) => lastYearKey(cycle.frequency, k));
  const periods = await db.reportingPeriod.findMany({ where: { cycleId: cycle.id, periodKey: { in: [...keys, ...lyKeys] } } });
  const periodIdOf = new Map(periods.map((p) => [p.periodKey, p.id]));

  const assignments = await db.assignment.findMany({
    where: { cycleId: cycle.id, active: true, indicator: { active: true }, unit: { active: true }, ...(req.indicatorIds ? { indicatorId: { in: req.indicatorIds } } : {}) },
    include: { indicator: true, unit: true },
  });
  let scope = assignments;
  if (req.unitIds) {
    // Siblings of the units concerned: their average and rank have just moved too.
    const groups = new Set(assignments.filter((a) => req.unitIds!.includes(a.unitId)).map((a) => `${a.indicatorId}|${a.unit.parentId}|${a.unit.kind}`));
    scope = assignments.filter((a) => groups.has(`${a.indicatorId}|${a.unit.parentId}|${a.unit.kind}`));
  }
  if (!scope.length) return [];
  const unitIds = [...new Set(scope.map((a) => a.unitId))];
  // Parents get an aggregate light of their own (a district group's total for the city).
  const parentIds = [...new Set(scope.map((a) => a.unit.parentId).filter((x): x is string => !!x))];
  const lit = [...unitIds, ...parentIds];
  const indicatorIds = [...new Set(scope.map((a) => a.indicatorId))];
  const [figures, targets, overdue, parents, previousWarnings, existing] = await Promise.all([
    figuresInForce(db, periods.map((p) => p.id), unitIds),
    db.target.findMany({ where: { unitId: { in: lit }, indicatorId: { in: indicatorIds }, year: Number(period.periodKey.slice(0, 4)), active: true } }),
    overdueTaskCounts(db, unitIds, beijingDateOf(now)),
    db.unit.findMany({ where: { id: { in: parentIds } } }),
    db.warning.findMany({
      where: { unitId: { in: lit }, indicatorId: { in: indicatorIds }, periodId: { in: periods.filter((p) => p.id !== period.id && keys.includes(p.periodKey)).map((p) => p.id) } },
      select: { unitId: true, indicatorId: true, periodId: true, level: true, computedLevel: true },
    }),
    db.warning.findMany({ where: { periodId: period.id, unitId: { in: lit }, indicatorId: { in: indicatorIds } } }),
  ]);
  const overdueOf = overdue;
  const parentName = new Map(parents.map((p) => [p.id, p]));
  const existingOf = new Map(existing.map((w) => [`${w.unitId}|${w.indicatorId}`, w]));
  const periodOrder = new Map(keys.map((k, i) => [periodIdOf.get(k), i]));

  const groups = new Map<string, typeof scope>();
  for (const a of scope) {
    const k = `${a.indicatorId}|${a.unit.parentId}|${a.unit.kind}`;
    groups.set(k, [...(groups.get(k) ?? []), a]);
  }
  const changes: LightChangeInfo[] = [];
  for (const members of groups.values()) {
    const ind = members[0]!.indicator;
    const rules = resolveRules(allRules, ind.code);
    const growthNow = (unitId: string) => {
      const f = figures.get(figureKey(period.id, unitId, ind.id));
      return f?.growthPct === null || f?.growthPct === undefined ? null : Number(f.growthPct);
    };
    const usesValue = ind.growthBasis === 'NONE';
    const metric = (unitId: string) => {
      const f = figures.get(figureKey(period.id, unitId, ind.id));
      if (!f) return null;
      return usesValue ? Number(f.value) : growthNow(unitId);
    };
    const siblings = members.flatMap((m) => {
      const g = metric(m.unitId);
      return g === null ? [] : [{ unitCode: m.unit.code, growthPct: g }];
    });
    const parent = members[0]!.unit.parentId ? parentName.get(members[0]!.unit.parentId) : undefined;
    for (const m of members) {
      const series = keys.map((k) => {
        const pid = periodIdOf.get(k);
        const f = pid ? figures.get(figureKey(pid, m.unitId, ind.id)) : undefined;
        return { periodKey: k, growthPct: f?.growthPct === null || f?.growthPct === undefined ? null : Number(f.growthPct), value: f ? Number(f.value) : null };
      });
      const current = figures.get(figureKey(period.id, m.unitId, ind.id));
      const target = targetFor(targets, ind.id, m.unitId, cycle.frequency, period.periodKey);
      const input: LightInput = {
        indicator: { code: ind.code, name: ind.name, direction: ind.direction, measureUnit: ind.measureUnit, basis: usesValue ? 'none' : 'yoy' },
        unit: { code: m.unit.code, name: m.unit.shortName ?? m.unit.name },
        periodKey: period.periodKey,
        periodLabel: periodLabel(cycle.frequency, period.periodKey),
        series,
        targetPct: target === null ? null : Number(target),
        siblings,
        peerLabel: peerLabelOf(parent),
        overdueTasks: overdueOf.get(m.unitId) ?? 0,
        vintage: current?.vintage ?? 'FLASH',
      };
      const ev = evaluateLight(input, rules);
      if (ev.status === 'NOT_REPORTED') continue;
      const change = await record(m.unitId, ind.id, ev);
      if (change) changes.push(change);
    }
    const agg = aggregateOf(members, ind, parent);
    if (agg) {
      const ev = evaluateLight(agg, rules);
      if (ev.status === 'LIT') {
        const change = await record(parent!.id, ind.id, { ...ev, reasons: `${agg.note}；${ev.reasons}` });
        if (change) changes.push(change);
      }
    }
  }
  return changes;

  /** The total of a group for its parent, from the members' values and last year's: only when every member has both. */
  function aggregateOf(members: typeof scope, ind: (typeof scope)[number]['indicator'], parent: Unit | undefined): (LightInput & { note: string }) | null {
    if (!parent || members.length < 2 || ind.growthBasis !== 'YOY' || !ADDITIVE.test(ind.measureUnit)) return null;
    // A parent that reports the indicator itself (a zone over its working groups) keeps its own light.
    if (assignments.some((a) => a.unitId === parent.id && a.indicatorId === ind.id)) return null;
    const total = (key: string) => {
      const pid = periodIdOf.get(key);
      if (!pid) return null;
      let sum = 0;
      for (const m of members) {
        const f = figures.get(figureKey(pid, m.unitId, ind.id));
        if (!f) return null;
        sum += Number(f.value);
      }
      return sum;
    };
    const series = keys.map((k, i) => {
      const v = total(k);
      const ly = total(lyKeys[i]!);
      return { periodKey: k, value: v, growthPct: v !== null && ly !== null && ly > 0 ? Math.round((v / ly - 1) * 1000) / 10 : null, base: ly };
    });
    const now = series.at(-1)!;
    if (now.value === null || now.growthPct === null) return null;
    const target = targetFor(targets, ind.id, parent.id, cycle.frequency, period.periodKey);
    const official = members.every((m) => figures.get(figureKey(period.id, m.unitId, ind.id))?.vintage === 'OFFICIAL');
    return {
      indicator: { code: ind.code, name: ind.name, direction: ind.direction, measureUnit: ind.measureUnit, basis: 'yoy' },
      unit: { code: parent.code, name: parent.shortName ?? parent.name },
      periodKey: period.periodKey,
      periodLabel: periodLabel(cycle.frequency, period.periodKey),
      series,
      targetPct: target === null ? null : Number(target),
      siblings: [],
      overdueTasks: 0,
      vintage: official ? 'OFFICIAL' : 'FLASH',
      note: `${members.length} 个单位汇总：本期 ${formatValue(String(now.value), ind.decimals)} ${ind.measureUnit}，同比 ${formatGrowth(String(now.growthPct))}`,
    };
  }

  /** Stores a light: the warning row, and on a change of level its history and state event. */
  async function record(unitId: string, indicatorId: string, ev: Extract<ReturnType<typeof evaluateLight>, { status: 'LIT' }>): Promise<LightChangeInfo | null> {
    const history: ShownLight[] = previousWarnings
      .filter((w) => w.unitId === unitId && w.indicatorId === indicatorId)
      .sort((a, b) => (periodOrder.get(a.periodId) ?? 0) - (periodOrder.get(b.periodId) ?? 0))
      .map((w) => ({ shown: w.level, computed: w.computedLevel }));
    const shown = applySticky(history, ev.light, policy.sticky_red_periods);
    const reasons = shown !== ev.light ? `${ev.reasons}；红灯需连续 ${policy.sticky_red_periods} 期好转才降级` : ev.reasons;
    const before = existingOf.get(`${unitId}|${indicatorId}`);
    if (before && before.level === shown && before.computedLevel === ev.light && JSON.stringify(before.reasons) === JSON.stringify(reasons.split('；')) && before.vintage === ev.vintage) return null;
    const change = await db.$transaction(async (tx) => {
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
    return change;
  }
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
  escalations: { warningId: string; step: number; at: Date }[];
}

/**
 * One digest per recipient for a batch of changes: the lights that got worse (green → yellow,
 * yellow → red) and those back to green; unchanged or improved-but-not-green lights send nothing.
 */
export async function pushDigests(deps: LightsDeps, changes: LightChangeInfo[], batch: string, opts: { repeat?: string[] } = {}): Promise<PushResult> {
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
    const f = figures.get(figureKey(w.periodId, w.unitId, w.indicatorId));
    for (const p of await recipientsOf(db, w.indicatorId, w.unitId)) {
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
          value: f ? `${formatValue(f.value, w.indicator.decimals)} ${w.indicator.measureUnit}` : '—',
          growth: formatGrowth(f?.growthPct ?? null) ?? '—',
          // The digest line shows the growth already: drop the reasons' opening "增速 2.4%，".
          reasons: (w.reasons as string[]).join('；').replace(/^增速 [^，；]+，/, ''),
          ...(again ? { repeat: true } : {}),
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
      const c: Card = warningDigestCard({ leaderName: e.name, batchLabel: `${label} · ${beijingDateTime(now)}`, items: e.items, resolved: e.resolved });
      const row = await addOutbound(tx, { kind: 'SEND', dedupeKey: `${batchKey}-${personId}`, receiveIdType: 'open_id', receiveId: e.openId, msgType: 'interactive', content: c as unknown as Prisma.InputJsonValue });
      if (row.created) out.push(row.id);
    }
    for (const w of pushed) {
      await tx.warning.update({ where: { id: w.id }, data: { pushedLevel: w.level, lastPushedAt: now, lastDigestKey: batchKey } });
    }
    await tx.auditLog.create({ data: { at: now, action: 'warning.push', entity: 'Warning', data: { batch: batchKey, warnings: pushed.map((w) => w.id), recipients: byPerson.size } } });
    return out;
  });
  const escalations = pushed
    .filter((w) => w.level === 'RED' && !w.acknowledgedAt)
    .flatMap((w) => [
      // The buzz may be set to count clock hours, so a red late in the evening still rings that night.
      { warningId: w.id, step: 1, at: policy.buzz_in_quiet_hours ? new Date(now.getTime() + policy.buzz_after_hours * 3600_000) : addWorkingHours(cal, now, policy.buzz_after_hours) },
      { warningId: w.id, step: 2, at: addWorkingHours(cal, now, policy.notify_after_hours) },
      { warningId: w.id, step: 3, at: addWorkingHours(cal, now, policy.repeat_red_after_hours) },
    ]);
  return { outbound, escalations };
}

export const LEVEL_WORDS: Record<LightLevel, string> = { GREEN: '绿灯', YELLOW: '黄灯', RED: '红灯' };
