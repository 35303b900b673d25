// City configuration: applying a validated config to the database, in one transaction.
// Every entity is reconciled by its stable key: rows are created, updated (only when a field
// really differs, so a second apply writes nothing) or deactivated when they left the file.
// Nothing is ever deleted, except the link rows of leader domains, which carry no history.
import { randomUUID } from 'node:crypto';
import { Prisma } from '../../generated/prisma/client.ts';
import type {
  CompareWith,
  Direction,
  Frequency,
  GrowthBasis,
  LeaderRank,
  TargetPeriod,
  UnitKind,
  UnitRoleKind,
  ValueKind,
  WarningRuleKind,
} from '../../generated/prisma/enums.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Clock } from '../../platform/clock.ts';
import type { CityConfig, TargetValue, UnitConfig } from './city-config.schema.ts';
import { MONTH_KEYS, QUARTER_KEYS, type TargetPeriodKey } from './city-config.schema.ts';
import { addDays } from '../calendar/work-calendar.ts';

export const ENTITY_TYPES = [
  'units',
  'people',
  'roles',
  'leaders',
  'domains',
  'indicators',
  'assignments',
  'targets',
  'cycles',
  'warningRules',
  'calendar',
  'settings',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];
export type EntityCounts = Record<EntityType, number>;

export interface ApplyResult {
  created: EntityCounts;
  updated: EntityCounts;
  deactivated: EntityCounts;
  unchanged: EntityCounts;
  changed: boolean;
}

export interface ApplyOptions {
  /** Person recorded as the actor of the audit entry. */
  actorId?: string;
  /** Where the config came from (file name), recorded in the audit entry. */
  source?: string;
  /** Compute the counts, then roll everything back. */
  dryRun?: boolean;
}

// Serialises concurrent applies (two organisers, or start-up and a CLI run).
const APPLY_LOCK_KEY = 727_100;

const zeroCounts = (): EntityCounts => Object.fromEntries(ENTITY_TYPES.map((t) => [t, 0])) as EntityCounts;

export function emptyApplyResult(): ApplyResult {
  return { created: zeroCounts(), updated: zeroCounts(), deactivated: zeroCounts(), unchanged: zeroCounts(), changed: false };
}

class DryRunRollback extends Error {
  constructor(readonly result: ApplyResult) {
    super('dry run');
  }
}

/** Applies a validated city config. Idempotent: applying the same config twice changes nothing. */
export async function applyCityConfig(
  prisma: PrismaClient,
  config: CityConfig,
  clock: Clock,
  opts: ApplyOptions = {},
): Promise<ApplyResult> {
  try {
    return await prisma.$transaction(
      async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${APPLY_LOCK_KEY})`;
        const result = await applyInTx(tx, config);
        if (opts.dryRun) throw new DryRunRollback(result);
        if (result.changed) {
          await tx.auditLog.create({
            data: {
              at: clock.now(),
              actorId: opts.actorId ?? null,
              action: 'config.apply',
              entity: 'CityConfig',
              entityId: opts.source ?? null,
              data: { created: result.created, updated: result.updated, deactivated: result.deactivated, unchanged: result.unchanged },
            },
          });
        }
        return result;
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
  } catch (err) {
    if (err instanceof DryRunRollback) return err.result;
    throw err;
  }
}

async function applyInTx(tx: Tx, config: CityConfig): Promise<ApplyResult> {
  const result = emptyApplyResult();
  const r = (entity: EntityType) => new Reconciler(entity, result);
  const cycleIds = await applyCycles(tx, config, r('cycles'));
  const unitIds = await applyUnits(tx, config, r('units'));
  const personIds = await applyPeople(tx, config, r('people'));
  await applyRoles(tx, config, r('roles'), unitIds, personIds);
  const indicatorIds = await applyIndicators(tx, config, r('indicators'), unitIds);
  const leaderIds = await applyLeaders(tx, config, r('leaders'), personIds);
  await applyDomains(tx, config, r('domains'), { leaderIds, indicatorIds, unitIds });
  await applyAssignments(tx, config, r('assignments'), { indicatorIds, unitIds, cycleIds });
  await applyTargets(tx, config, r('targets'), { indicatorIds, unitIds });
  await applyWarningRules(tx, config, r('warningRules'), indicatorIds);
  await applyCalendar(tx, config, result);
  await applySetting(tx, 'lights', config.lights, result);
  await applySetting(tx, 'meetings', config.meetings, result);
  result.changed = ENTITY_TYPES.some((t) => result.created[t] + result.updated[t] + result.deactivated[t] > 0);
  return result;
}

// ───────────────────────────── Generic reconciliation ─────────────────────────────

interface ExistingRow {
  id: string;
  active: boolean;
}

type Data = Record<string, unknown>;

interface Plan<D> {
  create: (D & { id: string })[];
  update: { id: string; data: D }[];
  deactivate: string[];
  /** Key → id of every desired row (existing or about to be created). */
  ids: Map<string, string>;
}

/** Compares desired rows with existing ones by key and counts what will happen. */
class Reconciler {
  constructor(
    private readonly entity: EntityType,
    private readonly result: ApplyResult,
  ) {}

  /** `newId` picks the id of a row to create (callers that must link new rows choose them up front). */
  plan<D extends Data, E extends ExistingRow>(
    desired: Map<string, D>,
    existing: Map<string, E>,
    newId: (key: string) => string = () => randomUUID(),
  ): Plan<D> {
    const plan: Plan<D> = { create: [], update: [], deactivate: [], ids: new Map() };
    for (const [key, data] of desired) {
      const row = existing.get(key);
      if (!row) {
        const id = newId(key);
        plan.create.push({ ...data, id });
        plan.ids.set(key, id);
      } else {
        plan.ids.set(key, row.id);
        if (row.active && sameFields(data, row)) this.result.unchanged[this.entity]++;
        else plan.update.push({ id: row.id, data });
      }
    }
    for (const [key, row] of existing) if (row.active && !desired.has(key)) plan.deactivate.push(row.id);
    this.result.created[this.entity] += plan.create.length;
    this.result.updated[this.entity] += plan.update.length;
    this.result.deactivated[this.entity] += plan.deactivate.length;
    return plan;
  }

  /** Plans, then writes: createMany for new rows, one update per changed row, updateMany to deactivate. */
  async run<D extends Data, E extends ExistingRow>(
    desired: Map<string, D>,
    existing: Map<string, E>,
    write: {
      createMany(rows: (D & { id: string })[]): Promise<unknown>;
      update(id: string, data: D & { active: true }): Promise<unknown>;
      deactivate(ids: string[]): Promise<unknown>;
    },
  ): Promise<Map<string, string>> {
    const plan = this.plan(desired, existing);
    for (const chunk of chunks(plan.create, 1000)) await write.createMany(chunk);
    for (const u of plan.update) await write.update(u.id, { ...u.data, active: true });
    if (plan.deactivate.length) await write.deactivate(plan.deactivate);
    return plan.ids;
  }
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function sameFields(desired: Data, row: object): boolean {
  const existing = row as Data;
  return Object.keys(desired).every((k) => sameValue(desired[k], existing[k]));
}

type DecimalInput = ConstructorParameters<typeof Prisma.Decimal>[0];

/** Equality across the shapes Prisma returns: Decimal by value, arrays by items, JSON by content. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (Prisma.Decimal.isDecimal(a) || Prisma.Decimal.isDecimal(b)) {
    return new Prisma.Decimal(a as DecimalInput).equals(new Prisma.Decimal(b as DecimalInput));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (typeof a === 'object' && typeof b === 'object') return stableJson(a) === stableJson(b);
  return a === b;
}

/** JSON with sorted keys: PostgreSQL's jsonb does not keep the key order of the file. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const byKey = <E, K extends string>(rows: E[], key: (row: E) => K) => new Map(rows.map((row) => [key(row), row]));

const upper = <T extends string>(v: string) => v.toUpperCase() as T;

function need(ids: Map<string, string>, code: string, what: string): string {
  const id = ids.get(code);
  // Validation guarantees every reference; reaching this is a bug, not a user error.
  if (!id) throw new Error(`internal: no id for ${what} "${code}"`);
  return id;
}

// ───────────────────────────── Entities ─────────────────────────────

async function applyCycles(tx: Tx, config: CityConfig, r: Reconciler): Promise<Map<string, string>> {
  const desired = new Map(
    config.cycles.map((c) => [
      c.code,
      {
        code: c.code,
        name: c.name,
        frequency: upper<Frequency>(c.frequency),
        dueDay: c.due_day,
        dueShiftForward: c.due_shift_forward,
        remindDaysBefore: c.remind_days_before,
        remindHour: c.remind_hour,
        openDay: c.open_day,
        dueHour: c.due_hour,
        remindOnRestDays: c.remind_on_rest_days,
        quietFromHour: c.quiet_hours.from,
        quietToHour: c.quiet_hours.to,
        escalations: c.escalations.map((e) => ({ workdaysAfter: e.workdays_after, hour: e.hour, to: e.to })),
      },
    ]),
  );
  const existing = byKey(await tx.reportingCycle.findMany(), (c) => c.code);
  return r.run(desired, existing, {
    createMany: (data) => tx.reportingCycle.createMany({ data }),
    update: (id, data) => tx.reportingCycle.update({ where: { id }, data }),
    deactivate: (ids) => tx.reportingCycle.updateMany({ where: { id: { in: ids } }, data: { active: false } }),
  });
}

/** The calendar days a city file declares: a year's notice (its rest days and make-up workdays) and local overrides. */
export function calendarDaysOf(config: CityConfig): Map<string, { workday: boolean; note: string | null; source: 'YEAR' | 'OVERRIDE' }> {
  const days = new Map<string, { workday: boolean; note: string | null; source: 'YEAR' | 'OVERRIDE' }>();
  for (const y of config.calendar.years) {
    for (const h of y.holidays) {
      const [from, to = from] = h.split('..') as [string, string?];
      for (let d = from; d <= to; d = addDays(d, 1)) days.set(d, { workday: false, note: '法定节假日', source: 'YEAR' });
    }
    for (const d of y.workdays) days.set(d, { workday: true, note: '调休上班', source: 'YEAR' });
  }
  for (const o of config.calendar.overrides) days.set(o.date, { workday: o.workday, note: o.note ?? null, source: 'OVERRIDE' });
  return days;
}

const dateKey = (d: Date) => d.toISOString().slice(0, 10);

async function applySetting(tx: Tx, key: string, value: object, result: ApplyResult): Promise<void> {
  const row = await tx.setting.findUnique({ where: { key } });
  if (row && sameValue(row.value, value)) result.unchanged.settings++;
  else {
    await tx.setting.upsert({ where: { key }, create: { key, value: value as Prisma.InputJsonValue }, update: { value: value as Prisma.InputJsonValue } });
    result[row ? 'updated' : 'created'].settings++;
  }
}

async function applyCalendar(tx: Tx, config: CityConfig, result: ApplyResult): Promise<void> {
  const count = (what: 'created' | 'updated' | 'deactivated' | 'unchanged') => result[what].calendar++;
  const desiredYears = new Set(config.calendar.years.map((y) => y.year));
  for (const row of await tx.calendarYear.findMany()) {
    const wanted = desiredYears.delete(row.year);
    if (wanted === row.active) {
      if (wanted) count('unchanged');
      continue;
    }
    await tx.calendarYear.update({ where: { year: row.year }, data: { active: wanted } });
    count(wanted ? 'updated' : 'deactivated');
  }
  for (const year of desiredYears) {
    await tx.calendarYear.create({ data: { year } });
    count('created');
  }

  const desired = calendarDaysOf(config);
  for (const row of await tx.calendarDay.findMany()) {
    const key = dateKey(row.date);
    const want = desired.get(key);
    desired.delete(key);
    if (!want) {
      if (!row.active) continue;
      await tx.calendarDay.update({ where: { date: row.date }, data: { active: false } });
      count('deactivated');
    } else if (row.active && row.workday === want.workday && row.note === want.note && row.source === want.source) {
      count('unchanged');
    } else {
      await tx.calendarDay.update({ where: { date: row.date }, data: { ...want, active: true } });
      count('updated');
    }
  }
  const created = [...desired].map(([date, d]) => ({ date: new Date(`${date}T00:00:00Z`), ...d }));
  if (created.length) await tx.calendarDay.createMany({ data: created });
  result.created.calendar += created.length;
}

/** Parents before children, so rows created in one statement never point forward. */
function unitsParentsFirst(units: UnitConfig[]): UnitConfig[] {
  const byCode = new Map(units.map((u) => [u.code, u]));
  const depth = (u: UnitConfig): number => {
    let d = 0;
    for (let p = u.parent; p !== undefined; p = byCode.get(p)?.parent) d++;
    return d;
  };
  return units
    .map((u, i) => ({ u, i, d: depth(u) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((x) => x.u);
}

async function applyUnits(tx: Tx, config: CityConfig, r: Reconciler): Promise<Map<string, string>> {
  const existing = byKey(await tx.unit.findMany(), (u) => u.code);
  const sortOrder = new Map(config.units.map((u, i) => [u.code, i]));
  const ordered = unitsParentsFirst(config.units);
  // New units get their ids up front so that children created in the same batch can point at them.
  const ids = new Map<string, string>();
  for (const u of ordered) ids.set(u.code, existing.get(u.code)?.id ?? randomUUID());
  const desired = new Map(
    ordered.map((u) => [
      u.code,
      {
        code: u.code,
        name: u.name,
        shortName: u.short_name ?? null,
        aliases: u.aliases ?? [],
        kind: upper<UnitKind>(u.kind),
        sortOrder: sortOrder.get(u.code)!,
        parentId: u.parent ? need(ids, u.parent, 'unit') : null,
      },
    ]),
  );
  const plan = r.plan(desired, existing, (code) => need(ids, code, 'unit'));
  for (const chunk of chunks(plan.create, 1000)) await tx.unit.createMany({ data: chunk });
  for (const u of plan.update) await tx.unit.update({ where: { id: u.id }, data: { ...u.data, active: true } });
  if (plan.deactivate.length) await tx.unit.updateMany({ where: { id: { in: plan.deactivate } }, data: { active: false } });
  return ids;
}

async function applyPeople(tx: Tx, config: CityConfig, r: Reconciler): Promise<Map<string, string>> {
  const desired = new Map(
    config.people.map((p) => [
      p.code,
      {
        code: p.code,
        name: p.name,
        title: p.title ?? null,
        openId: p.open_id ?? null,
        userId: p.user_id ?? null,
        mobile: p.mobile ?? null,
      },
    ]),
  );
  const rows = await tx.person.findMany();
  const existing = byKey(rows, (p) => p.code);
  const plan = r.plan(desired, existing);
  await releaseFeishuIds(tx, rows, desired);
  for (const chunk of chunks(plan.create, 1000)) await tx.person.createMany({ data: chunk });
  for (const u of plan.update) await tx.person.update({ where: { id: u.id }, data: { ...u.data, active: true } });
  if (plan.deactivate.length) await tx.person.updateMany({ where: { id: { in: plan.deactivate } }, data: { active: false } });
  return plan.ids;
}

/**
 * open_id and user_id are unique. When the file moves one to another person (or a removed person
 * still holds it), clear it on the current holder first so the writes never collide.
 */
async function releaseFeishuIds(
  tx: Tx,
  rows: { id: string; code: string; openId: string | null; userId: string | null }[],
  desired: Map<string, { openId: string | null; userId: string | null }>,
): Promise<void> {
  const wantedOpen = new Map<string, string>();
  const wantedUser = new Map<string, string>();
  for (const [code, d] of desired) {
    if (d.openId) wantedOpen.set(d.openId, code);
    if (d.userId) wantedUser.set(d.userId, code);
  }
  for (const row of rows) {
    const clearOpen = row.openId !== null && (wantedOpen.get(row.openId) ?? row.code) !== row.code;
    const clearUser = row.userId !== null && (wantedUser.get(row.userId) ?? row.code) !== row.code;
    if (clearOpen || clearUser) {
      await tx.person.update({
        where: { id: row.id },
        data: { ...(clearOpen ? { openId: null } : {}), ...(clearUser ? { userId: null } : {}) },
      });
    }
  }
}

async function applyRoles(
  tx: Tx,
  config: CityConfig,
  r: Reconciler,
  unitIds: Map<string, string>,
  personIds: Map<string, string>,
): Promise<void> {
  const desired = new Map<string, { unitId: string; personId: string; role: UnitRoleKind }>();
  for (const p of config.people) {
    for (const role of p.roles) {
      const row = { unitId: need(unitIds, role.unit, 'unit'), personId: need(personIds, p.code, 'person'), role: upper<UnitRoleKind>(role.role) };
      desired.set(roleKey(row), row);
    }
  }
  const existing = byKey(await tx.unitRole.findMany(), roleKey);
  await r.run(desired, existing, {
    createMany: (data) => tx.unitRole.createMany({ data }),
    update: (id, data) => tx.unitRole.update({ where: { id }, data }),
    deactivate: (ids) => tx.unitRole.updateMany({ where: { id: { in: ids } }, data: { active: false } }),
  });
}

const roleKey = (r: { unitId: string; personId: string; role: string }) => `${r.unitId}|${r.personId}|${r.role}`;

async function applyIndicators(tx: Tx, config: CityConfig, r: Reconciler, unitIds: Map<string, string>): Promise<Map<string, string>> {
  const desired = new Map(
    config.indicators.map((ind, i) => [
      ind.code,
      {
        code: ind.code,
        name: ind.name,
        measureUnit: ind.measure_unit,
        valueKind: upper<ValueKind>(ind.value_kind),
        growthBasis: upper<GrowthBasis>(ind.growth_basis),
        growthOnly: ind.growth_only,
        frequency: upper<Frequency>(ind.frequency),
        direction: upper<Direction>(ind.direction),
        compareWith: upper<CompareWith>(ind.compare_with),
        decimals: ind.decimals,
        leadUnitId: ind.lead ? need(unitIds, ind.lead, 'unit') : null,
        source: ind.source ?? null,
        sortOrder: i,
      },
    ]),
  );
  const existing = byKey(await tx.indicator.findMany(), (i) => i.code);
  return r.run(desired, existing, {
    createMany: (data) => tx.indicator.createMany({ data }),
    update: (id, data) => tx.indicator.update({ where: { id }, data }),
    deactivate: (ids) => tx.indicator.updateMany({ where: { id: { in: ids } }, data: { active: false } }),
  });
}

async function applyLeaders(tx: Tx, config: CityConfig, r: Reconciler, personIds: Map<string, string>): Promise<Map<string, string>> {
  // Keyed by person code; the Leader row itself is keyed by personId (unique).
  const desired = new Map(
    config.leaders.map((l) => [l.person, { personId: need(personIds, l.person, 'person'), rank: upper<LeaderRank>(l.rank) }]),
  );
  const people = new Map((await tx.person.findMany({ select: { id: true, code: true } })).map((p) => [p.id, p.code]));
  const existing = byKey(await tx.leader.findMany(), (l) => people.get(l.personId) ?? `#${l.personId}`);
  return r.run(desired, existing, {
    createMany: (data) => tx.leader.createMany({ data }),
    update: (id, data) => tx.leader.update({ where: { id }, data }),
    deactivate: (ids) => tx.leader.updateMany({ where: { id: { in: ids } }, data: { active: false } }),
  });
}

/** A domain's indicator and unit links count as fields of the domain: a changed link list updates it. */
async function applyDomains(
  tx: Tx,
  config: CityConfig,
  r: Reconciler,
  ids: { leaderIds: Map<string, string>; indicatorIds: Map<string, string>; unitIds: Map<string, string> },
): Promise<void> {
  const desired = new Map(
    config.leaders.flatMap((l) =>
      l.domains.map((d) => [
        d.code,
        {
          code: d.code,
          name: d.name,
          leaderId: need(ids.leaderIds, l.person, 'leader'),
          indicatorIds: d.indicators.map((c) => need(ids.indicatorIds, c, 'indicator')).sort(),
          unitIds: d.units.map((c) => need(ids.unitIds, c, 'unit')).sort(),
        },
      ]),
    ),
  );
  const rows = await tx.leaderDomain.findMany({ include: { indicators: true, units: true } });
  const existing = byKey(
    rows.map((d) => ({
      id: d.id,
      active: d.active,
      code: d.code,
      name: d.name,
      leaderId: d.leaderId,
      indicatorIds: d.indicators.map((x) => x.indicatorId).sort(),
      unitIds: d.units.map((x) => x.unitId).sort(),
    })),
    (d) => d.code,
  );
  const plan = r.plan(desired, existing);
  const writeLinks = async (domainId: string, d: { indicatorIds: string[]; unitIds: string[] }) => {
    await tx.leaderDomainIndicator.deleteMany({ where: { domainId } });
    await tx.leaderDomainUnit.deleteMany({ where: { domainId } });
    if (d.indicatorIds.length) await tx.leaderDomainIndicator.createMany({ data: d.indicatorIds.map((indicatorId) => ({ domainId, indicatorId })) });
    if (d.unitIds.length) await tx.leaderDomainUnit.createMany({ data: d.unitIds.map((unitId) => ({ domainId, unitId })) });
  };
  for (const d of plan.create) {
    await tx.leaderDomain.create({ data: { id: d.id, code: d.code, name: d.name, leaderId: d.leaderId } });
    await writeLinks(d.id, d);
  }
  for (const { id, data } of plan.update) {
    await tx.leaderDomain.update({ where: { id }, data: { name: data.name, leaderId: data.leaderId, active: true } });
    await writeLinks(id, data);
  }
  if (plan.deactivate.length) await tx.leaderDomain.updateMany({ where: { id: { in: plan.deactivate } }, data: { active: false } });
}

async function applyAssignments(
  tx: Tx,
  config: CityConfig,
  r: Reconciler,
  ids: { indicatorIds: Map<string, string>; unitIds: Map<string, string>; cycleIds: Map<string, string> },
): Promise<void> {
  const desired = new Map<string, { indicatorId: string; unitId: string; cycleId: string }>();
  for (const a of config.assignments) {
    for (const unit of a.units) {
      const row = {
        indicatorId: need(ids.indicatorIds, a.indicator, 'indicator'),
        unitId: need(ids.unitIds, unit, 'unit'),
        cycleId: need(ids.cycleIds, a.cycle, 'cycle'),
      };
      desired.set(assignmentKey(row), row);
    }
  }
  const existing = byKey(await tx.assignment.findMany(), assignmentKey);
  await r.run(desired, existing, {
    createMany: (data) => tx.assignment.createMany({ data }),
    update: (id, data) => tx.assignment.update({ where: { id }, data }),
    deactivate: (ids) => tx.assignment.updateMany({ where: { id: { in: ids } }, data: { active: false } }),
  });
}

const assignmentKey = (a: { indicatorId: string; unitId: string; cycleId: string }) => `${a.indicatorId}|${a.unitId}|${a.cycleId}`;

/** `year` → (YEAR, 0), `q3` → (QUARTER, 3), `m11` → (MONTH, 11). */
export function targetPeriodOf(key: TargetPeriodKey): { periodType: TargetPeriod; periodNo: number } {
  if (key === 'year') return { periodType: 'YEAR', periodNo: 0 };
  if ((QUARTER_KEYS as readonly string[]).includes(key)) return { periodType: 'QUARTER', periodNo: Number(key.slice(1)) };
  if ((MONTH_KEYS as readonly string[]).includes(key)) return { periodType: 'MONTH', periodNo: Number(key.slice(1)) };
  throw new Error(`internal: unknown target period "${key}"`);
}

/** The numbers of a target as Decimals built from their text, never from float arithmetic. */
export function targetNumbers(t: TargetValue): { growthPct: Prisma.Decimal | null; value: Prisma.Decimal | null } {
  const dec = (n: number | undefined) => (n === undefined ? null : new Prisma.Decimal(String(n)));
  return typeof t === 'number' ? { growthPct: dec(t), value: null } : { growthPct: dec(t.growth), value: dec(t.value) };
}

async function applyTargets(
  tx: Tx,
  config: CityConfig,
  r: Reconciler,
  ids: { indicatorIds: Map<string, string>; unitIds: Map<string, string> },
): Promise<void> {
  const desired = new Map<
    string,
    { indicatorId: string; unitId: string; year: number; periodType: TargetPeriod; periodNo: number; growthPct: Prisma.Decimal | null; value: Prisma.Decimal | null }
  >();
  for (const ind of config.indicators) {
    for (const [unit, years] of Object.entries(ind.targets)) {
      for (const [year, periods] of Object.entries(years)) {
        for (const [key, t] of Object.entries(periods) as [TargetPeriodKey, TargetValue | undefined][]) {
          if (t === undefined) continue;
          const row = {
            indicatorId: need(ids.indicatorIds, ind.code, 'indicator'),
            unitId: need(ids.unitIds, unit, 'unit'),
            year: Number(year),
            ...targetPeriodOf(key),
            ...targetNumbers(t),
          };
          desired.set(targetKey(row), row);
        }
      }
    }
  }
  const existing = byKey(await tx.target.findMany(), targetKey);
  await r.run(desired, existing, {
    createMany: (data) => tx.target.createMany({ data }),
    update: (id, data) => tx.target.update({ where: { id }, data }),
    deactivate: (ids) => tx.target.updateMany({ where: { id: { in: ids } }, data: { active: false } }),
  });
}

const targetKey = (t: { indicatorId: string; unitId: string; year: number; periodType: string; periodNo: number }) =>
  `${t.indicatorId}|${t.unitId}|${t.year}|${t.periodType}|${t.periodNo}`;

async function applyWarningRules(tx: Tx, config: CityConfig, r: Reconciler, indicatorIds: Map<string, string>): Promise<void> {
  const desired = new Map(
    config.warning_rules.map((w) => [
      w.code,
      {
        code: w.code,
        kind: upper<WarningRuleKind>(w.kind),
        indicatorId: w.indicator ? need(indicatorIds, w.indicator, 'indicator') : null,
        yellow: new Prisma.Decimal(String(w.yellow)),
        red: new Prisma.Decimal(String(w.red)),
        params: (w.params ?? null) as Prisma.InputJsonValue | null,
      },
    ]),
  );
  // A JSON column takes DbNull, not null, to store SQL NULL.
  const json = <D extends { params: Prisma.InputJsonValue | null }>(d: D) => ({ ...d, params: d.params ?? Prisma.DbNull });
  const existing = byKey(await tx.warningRule.findMany(), (w) => w.code);
  await r.run(desired, existing, {
    createMany: (data) => tx.warningRule.createMany({ data: data.map(json) }),
    update: (id, data) => tx.warningRule.update({ where: { id }, data: json(data) }),
    deactivate: (ids) => tx.warningRule.updateMany({ where: { id: { in: ids } }, data: { active: false } }),
  });
}
