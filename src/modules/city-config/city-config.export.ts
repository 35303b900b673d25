// City configuration: exporting the active configuration from the database, in the file's shape
// and a stable order, so export → apply changes nothing and export → parse gives the same object.
import { Document, isMap, isScalar, isSeq, visit } from 'yaml';
import type { PrismaClient } from '../../platform/prisma.ts';
import type { Indicator, Prisma } from '../../generated/prisma/client.ts';
import type {
  CityConfig,
  CalendarConfig,
  CycleConfig,
  IndicatorConfig,
  LeaderConfig,
  PersonConfig,
  TargetValue,
  UnitConfig,
  WarningRuleConfig,
} from './city-config.schema.ts';
import { lightsSchema, meetingsSchema, ROLE_KINDS, TARGET_PERIOD_KEYS, type TargetPeriodKey } from './city-config.schema.ts';
import { cycleRuleOf } from '../collection/cycle-rule.ts';
import { addDays } from '../calendar/work-calendar.ts';

const lower = <T extends string>(v: string) => v.toLowerCase() as T;

/** Adds `key: value` only when the value is present, as the parsed file omits absent optionals. */
function optional<K extends string, V>(key: K, value: V | null | undefined): Partial<Record<K, V>> {
  return value === null || value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

const num = (d: Prisma.Decimal) => Number(d.toString());

export async function exportCityConfig(prisma: PrismaClient): Promise<CityConfig> {
  const units = await prisma.unit.findMany({ where: { active: true }, orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }] });
  const unitCode = new Map(units.map((u) => [u.id, u.code]));
  const unitOrder = new Map(units.map((u, i) => [u.id, i]));
  const indicators = await prisma.indicator.findMany({ where: { active: true }, orderBy: [{ sortOrder: 'asc' }, { code: 'asc' }] });
  const indicatorCode = new Map(indicators.map((i) => [i.id, i.code]));
  const indicatorOrder = new Map(indicators.map((ind, i) => [ind.id, i]));
  const byUnitOrder = (a: string, b: string) => (unitOrder.get(a) ?? 0) - (unitOrder.get(b) ?? 0);
  const byIndicatorOrder = (a: string, b: string) => (indicatorOrder.get(a) ?? 0) - (indicatorOrder.get(b) ?? 0);

  const cycles = await prisma.reportingCycle.findMany({ where: { active: true }, orderBy: { code: 'asc' } });
  const cycleCode = new Map(cycles.map((c) => [c.id, c.code]));

  return {
    version: 1,
    units: units.map(
      (u): UnitConfig => ({
        code: u.code,
        name: u.name,
        ...optional('short_name', u.shortName),
        ...(u.aliases.length ? { aliases: u.aliases } : {}),
        kind: lower(u.kind),
        ...optional('parent', u.parentId ? unitCode.get(u.parentId) : null),
      }),
    ),
    people: await exportPeople(prisma, unitCode, unitOrder),
    leaders: await exportLeaders(prisma, { unitCode, indicatorCode, byUnitOrder, byIndicatorOrder }),
    indicators: await exportIndicators(prisma, indicators, { unitCode, byUnitOrder }),
    assignments: await exportAssignments(prisma, { unitCode, indicatorCode, cycleCode, byUnitOrder, byIndicatorOrder }),
    cycles: cycles.map(
      (c): CycleConfig => ({
        code: c.code,
        name: c.name,
        frequency: lower(c.frequency),
        due_day: c.dueDay,
        due_shift_forward: c.dueShiftForward,
        remind_days_before: c.remindDaysBefore,
        remind_hour: c.remindHour,
        open_day: c.openDay,
        due_hour: c.dueHour,
        remind_on_rest_days: c.remindOnRestDays,
        quiet_hours: { from: c.quietFromHour, to: c.quietToHour },
        escalations: cycleRuleOf(c).escalations.map((e) => ({ workdays_after: e.workdaysAfter, hour: e.hour, to: e.to })),
      }),
    ),
    warning_rules: await exportWarningRules(prisma, indicatorCode),
    calendar: await exportCalendar(prisma),
    lights: lightsSchema.parse((await prisma.setting.findUnique({ where: { key: 'lights' } }))?.value ?? {}),
    meetings: meetingsSchema.parse((await prisma.setting.findUnique({ where: { key: 'meetings' } }))?.value ?? {}),
  };
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** Declared years with their rest days folded back into ranges, and the local overrides. */
async function exportCalendar(prisma: PrismaClient): Promise<CalendarConfig> {
  const years = await prisma.calendarYear.findMany({ where: { active: true }, orderBy: { year: 'asc' } });
  const days = await prisma.calendarDay.findMany({ where: { active: true }, orderBy: { date: 'asc' } });
  const yearDays = days.filter((d) => d.source === 'YEAR');
  return {
    years: years.map((y) => {
      const mine = yearDays.filter((d) => d.date.getUTCFullYear() === y.year);
      const holidays: string[] = [];
      let run: [string, string] | null = null;
      for (const d of mine.filter((x) => !x.workday)) {
        const day = isoDate(d.date);
        if (run && addDays(run[1], 1) === day) run[1] = day;
        else {
          if (run) holidays.push(run[0] === run[1] ? run[0] : `${run[0]}..${run[1]}`);
          run = [day, day];
        }
      }
      if (run) holidays.push(run[0] === run[1] ? run[0] : `${run[0]}..${run[1]}`);
      return { year: y.year, holidays, workdays: mine.filter((x) => x.workday).map((x) => isoDate(x.date)) };
    }),
    overrides: days
      .filter((d) => d.source === 'OVERRIDE')
      .map((d) => ({ date: isoDate(d.date), workday: d.workday, ...(d.note ? { note: d.note } : {}) })),
  };
}

async function exportPeople(
  prisma: PrismaClient,
  unitCode: Map<string, string>,
  unitOrder: Map<string, number>,
): Promise<PersonConfig[]> {
  const byUnitOrder = (a: string, b: string) => (unitOrder.get(a) ?? 0) - (unitOrder.get(b) ?? 0);
  const people = await prisma.person.findMany({
    where: { active: true },
    orderBy: { code: 'asc' },
    include: { roles: { where: { active: true } }, leader: true },
  });
  const roleOrder = (r: string) => ROLE_KINDS.indexOf(lower(r));
  // Leaders first (principal before deputies), then everyone grouped by the first unit they serve.
  const sortKey = (p: (typeof people)[number]): number[] => {
    if (p.leader?.active) return [0, p.leader.rank === 'PRINCIPAL' ? 0 : 1];
    const firsts = p.roles.filter((r) => unitCode.has(r.unitId)).map((r) => [unitOrder.get(r.unitId)!, roleOrder(r.role)]);
    firsts.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    return [1, ...(firsts[0] ?? [Number.MAX_SAFE_INTEGER, 0])];
  };
  const keys = new Map(people.map((p) => [p.id, sortKey(p)]));
  const compareKeys = (a: number[], b: number[]) => a.reduce((acc, x, i) => acc || x - (b[i] ?? 0), 0);
  people.sort((a, b) => compareKeys(keys.get(a.id)!, keys.get(b.id)!) || (a.code < b.code ? -1 : 1));
  return people.map((p) => ({
    code: p.code,
    name: p.name,
    ...optional('title', p.title),
    ...optional('open_id', p.openId),
    ...optional('user_id', p.userId),
    ...optional('mobile', p.mobile),
    roles: p.roles
      .filter((r) => unitCode.has(r.unitId))
      .sort((a, b) => byUnitOrder(a.unitId, b.unitId) || roleOrder(a.role) - roleOrder(b.role))
      .map((r) => ({ unit: unitCode.get(r.unitId)!, role: lower(r.role) })),
  }));
}

async function exportLeaders(
  prisma: PrismaClient,
  m: {
    unitCode: Map<string, string>;
    indicatorCode: Map<string, string>;
    byUnitOrder: (a: string, b: string) => number;
    byIndicatorOrder: (a: string, b: string) => number;
  },
): Promise<LeaderConfig[]> {
  const leaders = await prisma.leader.findMany({
    where: { active: true, person: { active: true } },
    include: {
      person: true,
      domains: { where: { active: true }, orderBy: { code: 'asc' }, include: { indicators: true, units: true } },
    },
  });
  // Principal first, then by person code: the table has no order of its own.
  leaders.sort((a, b) => (a.rank === b.rank ? (a.person.code < b.person.code ? -1 : 1) : a.rank === 'PRINCIPAL' ? -1 : 1));
  return leaders.map((l) => ({
    person: l.person.code,
    rank: lower(l.rank),
    domains: l.domains.map((d) => ({
      code: d.code,
      name: d.name,
      indicators: d.indicators
        .map((x) => x.indicatorId)
        .filter((id) => m.indicatorCode.has(id))
        .sort(m.byIndicatorOrder)
        .map((id) => m.indicatorCode.get(id)!),
      units: d.units
        .map((x) => x.unitId)
        .filter((id) => m.unitCode.has(id))
        .sort(m.byUnitOrder)
        .map((id) => m.unitCode.get(id)!),
    })),
  }));
}

/** The period key of a target row: YEAR → year, QUARTER 2 → q2, MONTH 11 → m11. */
function targetPeriodKey(periodType: string, periodNo: number): TargetPeriodKey {
  if (periodType === 'YEAR') return 'year';
  return `${periodType === 'QUARTER' ? 'q' : 'm'}${periodNo}` as TargetPeriodKey;
}

/** A growth-only target is written as a bare number, anything else as an object. */
function targetValue(t: { growthPct: Prisma.Decimal | null; value: Prisma.Decimal | null }): TargetValue | undefined {
  if (t.value === null) return t.growthPct === null ? undefined : num(t.growthPct);
  return { ...optional('growth', t.growthPct ? num(t.growthPct) : null), value: num(t.value) };
}

async function exportIndicators(
  prisma: PrismaClient,
  indicators: Indicator[],
  m: { unitCode: Map<string, string>; byUnitOrder: (a: string, b: string) => number },
): Promise<IndicatorConfig[]> {
  const targets = await prisma.target.findMany({ where: { active: true } });
  const periodIndex = (t: { periodType: string; periodNo: number }) =>
    TARGET_PERIOD_KEYS.indexOf(targetPeriodKey(t.periodType, t.periodNo));
  targets.sort(
    (a, b) => m.byUnitOrder(a.unitId, b.unitId) || a.year - b.year || periodIndex(a) - periodIndex(b),
  );
  const byIndicator = new Map<string, IndicatorConfig['targets']>();
  for (const t of targets) {
    const unit = m.unitCode.get(t.unitId);
    const value = targetValue(t);
    if (!unit || value === undefined) continue;
    const perUnit = byIndicator.get(t.indicatorId) ?? {};
    byIndicator.set(t.indicatorId, perUnit);
    const perYear = (perUnit[unit] ??= {});
    (perYear[String(t.year)] ??= {})[targetPeriodKey(t.periodType, t.periodNo)] = value;
  }
  return indicators.map((ind) => ({
    code: ind.code,
    name: ind.name,
    measure_unit: ind.measureUnit,
    value_kind: lower(ind.valueKind),
    growth_basis: lower(ind.growthBasis),
    growth_only: ind.growthOnly,
    frequency: lower(ind.frequency),
    direction: lower(ind.direction),
    compare_with: lower(ind.compareWith),
    decimals: ind.decimals,
    ...optional('lead', ind.leadUnitId ? m.unitCode.get(ind.leadUnitId) : null),
    ...optional('source', ind.source),
    targets: byIndicator.get(ind.id) ?? {},
  }));
}

async function exportAssignments(
  prisma: PrismaClient,
  m: {
    unitCode: Map<string, string>;
    indicatorCode: Map<string, string>;
    cycleCode: Map<string, string>;
    byUnitOrder: (a: string, b: string) => number;
    byIndicatorOrder: (a: string, b: string) => number;
  },
): Promise<CityConfig['assignments']> {
  const rows = (await prisma.assignment.findMany({ where: { active: true } })).filter(
    (a) => m.unitCode.has(a.unitId) && m.indicatorCode.has(a.indicatorId) && m.cycleCode.has(a.cycleId),
  );
  // One entry per indicator and cycle, listing its units.
  const groups = new Map<string, { indicatorId: string; cycleId: string; unitIds: string[] }>();
  for (const a of rows) {
    const key = `${a.indicatorId}|${a.cycleId}`;
    const g = groups.get(key) ?? { indicatorId: a.indicatorId, cycleId: a.cycleId, unitIds: [] };
    g.unitIds.push(a.unitId);
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((a, b) => {
      const [ca, cb] = [m.cycleCode.get(a.cycleId)!, m.cycleCode.get(b.cycleId)!];
      return m.byIndicatorOrder(a.indicatorId, b.indicatorId) || (ca < cb ? -1 : ca > cb ? 1 : 0);
    })
    .map((g) => ({
      indicator: m.indicatorCode.get(g.indicatorId)!,
      cycle: m.cycleCode.get(g.cycleId)!,
      units: g.unitIds.sort(m.byUnitOrder).map((id) => m.unitCode.get(id)!),
    }));
}

async function exportWarningRules(prisma: PrismaClient, indicatorCode: Map<string, string>): Promise<WarningRuleConfig[]> {
  const rules = await prisma.warningRule.findMany({ where: { active: true }, orderBy: { code: 'asc' } });
  return rules
    .filter((w) => w.indicatorId === null || indicatorCode.has(w.indicatorId))
    .map((w) => ({
      code: w.code,
      kind: lower(w.kind),
      ...optional('indicator', w.indicatorId ? indicatorCode.get(w.indicatorId) : null),
      yellow: num(w.yellow),
      red: num(w.red),
      ...optional('params', w.params as WarningRuleConfig['params'] | null),
    }));
}

/**
 * Renders a config as YAML in the compact style of the hand-written files: short lists, roles,
 * rule params and each year's targets on one line; years as plain numbers.
 */
export function toYaml(config: CityConfig, header?: string): string {
  const doc = new Document(config);
  visit(doc, {
    Seq(_, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
    Pair(_, pair) {
      if (!isScalar(pair.key)) return;
      const key = pair.key.value;
      if (typeof key === 'string' && /^\d{4}$/.test(key) && isMap(pair.value)) {
        pair.key.value = Number(key);
        pair.value.flow = true;
      }
      if (key === 'params' && isMap(pair.value)) pair.value.flow = true;
      if (key === 'roles' && isSeq(pair.value)) {
        for (const item of pair.value.items) if (isMap(item)) item.flow = true;
      }
    },
  });
  if (header) doc.commentBefore = header;
  return doc.toString({ lineWidth: 0 });
}
