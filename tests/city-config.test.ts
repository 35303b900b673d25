// The city file: validation messages an organiser can act on, idempotent apply, deactivation
// instead of deletion, and the export round trip. Runs against the real PostgreSQL.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { useTestDatabase } from './support/db.ts';
import { useTestRedis } from './support/redis.ts';
import type { PrismaClient } from '../src/platform/prisma.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { CityConfigError, loadCityConfigFile, parseCityConfig } from '../src/modules/city-config/city-config.load.ts';
import { applyCityConfig, ENTITY_TYPES, type ApplyResult } from '../src/modules/city-config/city-config.apply.ts';
import { exportCityConfig, toYaml } from '../src/modules/city-config/city-config.export.ts';
import { DEMO_CONFIG_PATH } from '../src/modules/demo/demo-city.ts';

const run = promisify(execFile);
const clock = fixedClock('2026-11-20T02:00:00Z');

/** A small valid city: one county, one department, two indicators. */
const BASE = `version: 1
units:
  - { code: city, name: 测试市, kind: city }
  - { code: dept-a, name: 测试局, kind: department, parent: city }
  - { code: county-a, name: 甲县, kind: region, parent: city }
people:
  - code: li-lei
    name: 李雷
    open_id: ou_demo_li-lei
    mobile: 13800000001
    roles: [{ unit: county-a, role: liaison }]
  - code: han-meimei
    name: 韩梅梅
    title: 副市长
    open_id: ou_demo_han-meimei
leaders:
  - person: han-meimei
    rank: deputy
    domains: [{ code: growth, name: 经济增长, indicators: [gdp, retail], units: [dept-a] }]
indicators:
  - code: gdp
    name: 地区生产总值
    measure_unit: 亿元
    value_kind: cumulative
    frequency: quarterly
    targets:
      county-a:
        2026: { year: 8, q1: 8 }
  - code: retail
    name: 社会消费品零售总额
    measure_unit: 亿元
    value_kind: cumulative
    frequency: monthly
    lead: dept-a
    targets:
      county-a:
        2026: { year: 9, q1: 9.5, m1: { growth: 10, value: 12.5 } }
assignments:
  - { indicator: gdp, cycle: monthly, units: [county-a] }
  - { indicator: retail, cycle: monthly, units: [county-a, dept-a] }
cycles:
  - { code: monthly, name: 月报, frequency: monthly, due_day: 15 }
warning_rules:
  - { code: gap, kind: gap_to_target, yellow: 1, red: 3, params: { basis: cumulative } }
`;

function edit(from: string, to: string): string {
  if (!BASE.includes(from)) throw new Error(`fixture does not contain ${from}`);
  return BASE.replace(from, to);
}

/** Each broken file and exactly the lines the organiser sees. */
const BROKEN: { name: string; text: string; errors: string[] }[] = [
  {
    name: 'bad YAML syntax (with its line)',
    text: edit('units: [county-a, dept-a] }', 'units: [county-a, dept-a }'),
    errors: ['city.yaml: line 40, column 67: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  },
  {
    name: 'a key written twice',
    text: edit('    name: 李雷\n', '    name: 李雷\n    name: 李磊\n'),
    errors: ['city.yaml: line 9, column 5: Map keys must be unique'],
  },
  {
    name: 'missing required field',
    text: edit('    measure_unit: 亿元\n    value_kind: cumulative\n    frequency: quarterly', '    value_kind: cumulative\n    frequency: quarterly'),
    errors: ['city.yaml: indicators[0].measure_unit: missing required field; expected a string'],
  },
  {
    name: 'wrong enum value',
    text: edit('kind: region', 'kind: county'),
    errors: ['city.yaml: units[2].kind: expected one of city, region, department, working_group, street, office, got "county"'],
  },
  {
    name: 'non-numeric target',
    text: edit('{ year: 8, q1: 8 }', '{ year: 8, q1: 八 }'),
    errors: ['city.yaml: indicators[0].targets.county-a.2026.q1: expected a number (percent), got "八"'],
  },
  {
    name: 'wrong field inside a target object',
    text: edit('m1: { growth: 10, value: 12.5 }', 'm1: { growth: ten, value: 12.5 }'),
    errors: ['city.yaml: indicators[1].targets.county-a.2026.m1.growth: expected a number (percent), got "ten"'],
  },
  {
    name: 'unknown unit in a role',
    text: edit('{ unit: county-a, role: liaison }', '{ unit: dept-x, role: liaison }'),
    errors: ['city.yaml: people[0].roles[0].unit: unknown unit code "dept-x"; did you mean "dept-a"?'],
  },
  {
    name: 'unknown indicator in an assignment',
    text: edit('{ indicator: gdp, cycle', '{ indicator: gpd, cycle'),
    errors: ['city.yaml: assignments[0].indicator: unknown indicator code "gpd"; did you mean "gdp"?'],
  },
  {
    name: 'duplicate code',
    text: edit('  - code: retail\n', '  - code: gdp\n'),
    errors: [
      'city.yaml: indicators[1].code: duplicate code "gdp" (also at indicators[0])',
      'city.yaml: leaders[0].domains[0].indicators[1]: unknown indicator code "retail"',
      'city.yaml: assignments[1].indicator: unknown indicator code "retail"',
    ],
  },
  {
    name: 'a cycle in the unit tree',
    text: edit('{ code: city, name: 测试市, kind: city }', '{ code: city, name: 测试市, kind: city, parent: county-a }'),
    errors: ['city.yaml: units[0].parent: parent "county-a" makes a cycle in the unit tree (city → county-a → city); expected a tree'],
  },
  {
    name: 'misspelt field',
    text: edit('    measure_unit: 亿元\n    value_kind: cumulative\n    frequency: quarterly', '    measure_units: 亿元\n    value_kind: cumulative\n    frequency: quarterly'),
    errors: [
      'city.yaml: indicators[0].measure_unit: missing required field; expected a string',
      'city.yaml: indicators[0]: unknown field "measure_units"; expected one of: code, name, measure_unit, value_kind, growth_basis, growth_only, frequency, direction, compare_with, decimals, lead, source, targets',
    ],
  },
  {
    name: 'an escalation to nobody we know',
    text: edit('due_day: 15 }', 'due_day: 15, escalations: [{ workdays_after: 1, to: [mayor] }] }'),
    errors: ['city.yaml: cycles[0].escalations[0].to[0]: expected one of head, leader, organiser, got "mayor"'],
  },
  {
    name: 'a calendar date that does not exist',
    text: `${BASE}calendar:\n  overrides:\n    - { date: 2026-02-30, workday: false }\n`,
    errors: ['city.yaml: calendar.overrides[0].date: expected a date such as 2026-12-31, got "2026-02-30"'],
  },
  {
    name: "a holiday outside its year's notice",
    text: `${BASE}calendar:\n  years:\n    - { year: 2027, holidays: [ 2027-02-06..2027-02-12, 2028-01-01 ] }\n`,
    errors: ['city.yaml: calendar.years[0].holidays[1]: expected a date in 2027, got "2028-01-01"'],
  },
  {
    name: 'bad year in targets',
    text: edit('2026: { year: 8', '20x6: { year: 8'),
    errors: ['city.yaml: indicators[0].targets.county-a.20x6: expected a four-digit year such as 2026, got "20x6"'],
  },
  {
    name: 'too many decimals',
    text: edit('{ year: 8, q1: 8 }', '{ year: 8, q1: 8.125 }'),
    errors: ['city.yaml: indicators[0].targets.county-a.2026.q1: expected at most 2 decimal places (percent), got 8.125'],
  },
  {
    name: 'a comparison nobody defined',
    text: edit('    lead: dept-a', '    lead: dept-a\n    compare_with: average'),
    errors: ['city.yaml: indicators[1].compare_with: expected one of parent, weighted, mean, got "average"'],
  },
  {
    name: 'bad mobile number',
    text: edit('13800000001', '1380000'),
    errors: ['city.yaml: people[0].mobile: expected an 11-digit mobile number such as 13800000000, got "1380000"'],
  },
  {
    name: 'weekly cycle due on day 15',
    text: edit('frequency: monthly, due_day: 15', 'frequency: weekly, due_day: 15'),
    errors: [
      'city.yaml: assignments[0].cycle: indicator "gdp" is quarterly, but the weekly cycle "monthly" collects only weekly indicators',
      'city.yaml: assignments[1].cycle: indicator "retail" is monthly, but the weekly cycle "monthly" collects only weekly indicators',
      'city.yaml: cycles[0].due_day: a weekly cycle is due on a weekday; expected 1 (Monday) to 7 (Sunday), got 15',
    ],
  },
  {
    name: 'red threshold milder than yellow',
    text: edit('yellow: 1, red: 3', 'yellow: 3, red: 1'),
    errors: ['city.yaml: warning_rules[0].red: expected the red threshold to be at least the yellow threshold (3) for gap_to_target, got 1'],
  },
  {
    name: 'a growth-only indicator without a growth basis',
    text: edit('    value_kind: cumulative\n    frequency: quarterly', '    value_kind: cumulative\n    growth_only: true\n    growth_basis: none\n    frequency: quarterly'),
    errors: [
      'city.yaml: indicators[0].growth_basis: indicator "gdp" is growth_only, so it needs a growth basis; expected yoy or comparable, got none',
      'city.yaml: indicators[0].targets.county-a.2026.year: indicator "gdp" has growth_basis none, so a growth target is meaningless; expected { value: <number> }',
      'city.yaml: indicators[0].targets.county-a.2026.q1: indicator "gdp" has growth_basis none, so a growth target is meaningless; expected { value: <number> }',
    ],
  },
  {
    name: 'a value target on a growth-only indicator',
    text: edit('    frequency: monthly\n    lead: dept-a', '    frequency: monthly\n    growth_only: true\n    lead: dept-a'),
    errors: ['city.yaml: indicators[1].targets.county-a.2026.m1: indicator "retail" is growth_only (no value is reported), so a value target is meaningless; expected a growth in percent such as 7.5'],
  },
  {
    name: 'growth_only not a boolean, and an unknown growth basis',
    text: edit('    frequency: monthly\n    lead: dept-a', '    frequency: monthly\n    growth_only: 是\n    growth_basis: constant\n    lead: dept-a'),
    errors: [
      'city.yaml: indicators[1].growth_basis: expected one of yoy, comparable, none, got "constant"',
      'city.yaml: indicators[1].growth_only: expected true or false, got "是"',
    ],
  },
  {
    name: 'missing section',
    text: BASE.replace(/warning_rules:[\s\S]*$/, ''),
    errors: ['city.yaml: warning_rules: missing required field; expected a list'],
  },
  {
    name: 'empty file',
    text: '# nothing yet\n',
    errors: ['city.yaml: (root): the file is empty; expected a mapping with units, people, leaders, indicators, assignments, cycles and warning_rules'],
  },
];

function problemsOf(text: string): string[] {
  try {
    parseCityConfig(text, 'city.yaml');
  } catch (err) {
    if (err instanceof CityConfigError) return err.message.split('\n');
    throw err;
  }
  return [];
}

const total = (counts: ApplyResult['created']) => ENTITY_TYPES.reduce((sum, t) => sum + counts[t], 0);

describe('validation of the city file', () => {
  it('accepts the fixture and the demo city', async () => {
    expect(problemsOf(BASE)).toEqual([]);
    const demo = await loadCityConfigFile(DEMO_CONFIG_PATH);
    expect(demo.units.length).toBeGreaterThan(30);
  });

  it.each(BROKEN)('reports $name', ({ text, errors }) => {
    expect(problemsOf(text)).toEqual(errors);
  });

  it('lists every problem of a file at once, in one error', () => {
    const text = edit('kind: region', 'kind: county').replace('q1: 8 }', 'q1: 八 }');
    expect(problemsOf(text)).toEqual([
      'city.yaml: units[2].kind: expected one of city, region, department, working_group, street, office, got "county"',
      'city.yaml: indicators[0].targets.county-a.2026.q1: expected a number (percent), got "八"',
    ]);
  });

  it('refuses an alias that is another unit’s name or alias', () => {
    const clash = BASE.replace('{ code: county-a, name: 甲县, kind: region, parent: city }', '{ code: county-a, name: 甲县, aliases: [ 测试局, 甲县开发区 ], kind: region, parent: city }').replace(
      '{ code: dept-a, name: 测试局, kind: department, parent: city }',
      '{ code: dept-a, name: 测试局, aliases: [ 甲县 开发区 ], kind: department, parent: city }',
    );
    let err: unknown;
    try {
      parseCityConfig(clash, 'city.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CityConfigError);
    expect(String((err as Error).message)).toContain('alias "测试局" is also a name of unit "dept-a"');
    expect(String((err as Error).message)).toContain('alias "甲县开发区" is also a name of unit "dept-a"');
  });

  it('fills defaults an organiser may leave out', () => {
    const cfg = parseCityConfig(BASE, 'city.yaml');
    expect(cfg.indicators[0]).toMatchObject({ growth_basis: 'yoy', growth_only: false, direction: 'higher_is_better', compare_with: 'parent', decimals: 2 });
    expect(cfg.cycles[0]).toMatchObject({
      due_shift_forward: true,
      remind_days_before: [3, 1, 0],
      remind_hour: 9,
      open_day: 1,
      due_hour: 18,
      quiet_hours: { from: 21, to: 8 },
      escalations: [
        { workdays_after: 1, hour: 9, to: ['head'] },
        { workdays_after: 2, hour: 9, to: ['leader', 'organiser'] },
      ],
    });
    expect(cfg.people[0]!.mobile).toBe('13800000001');
  });
});

describe('applying the city file', () => {
  const redis = useTestRedis();
  let prisma: PrismaClient;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    ({ prisma, url } = await useTestDatabase());
    dir = await mkdtemp(path.join(tmpdir(), 'city-config-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const apply = (text: string, opts = {}) => applyCityConfig(prisma, parseCityConfig(text, 'city.yaml'), clock, opts);
  const auditCount = () => prisma.auditLog.count({ where: { action: 'config.apply' } });

  it('creates everything once, then reports no change and writes nothing', async () => {
    const first = await apply(BASE, { source: 'city.yaml' });
    expect(first.changed).toBe(true);
    expect(first.created).toMatchObject({ units: 3, people: 2, roles: 1, leaders: 1, domains: 1, indicators: 2, assignments: 3, targets: 5, cycles: 1, warningRules: 1 });
    expect(total(first.updated) + total(first.deactivated)).toBe(0);
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { action: 'config.apply' } });
    expect(audit).toMatchObject({ entity: 'CityConfig', entityId: 'city.yaml' });
    expect((audit.data as { created: { units: number } }).created.units).toBe(3);

    const stamps = await prisma.unit.findMany({ select: { code: true, updatedAt: true }, orderBy: { code: 'asc' } });
    const second = await apply(BASE);
    expect(second.changed).toBe(false);
    expect(total(second.created) + total(second.updated) + total(second.deactivated)).toBe(0);
    expect(second.unchanged).toMatchObject({ units: 3, people: 2, targets: 5 });
    expect(await auditCount()).toBe(1);
    expect(await prisma.unit.findMany({ select: { code: true, updatedAt: true }, orderBy: { code: 'asc' } })).toEqual(stamps);
  });

  it('stores targets as exact decimals and maps the period keys', async () => {
    const retail = await prisma.indicator.findUniqueOrThrow({ where: { code: 'retail' } });
    const rows = await prisma.target.findMany({ where: { indicatorId: retail.id }, orderBy: [{ periodType: 'asc' }, { periodNo: 'asc' }] });
    expect(rows.map((t) => [t.periodType, t.periodNo, t.growthPct?.toString() ?? null, t.value?.toString() ?? null])).toEqual([
      ['YEAR', 0, '9', null],
      ['QUARTER', 1, '9.5', null],
      ['MONTH', 1, '10', '12.5'],
    ]);
  });

  it('updates only what changed', async () => {
    const res = await apply(edit('{ year: 8, q1: 8 }', '{ year: 8, q1: 8.5 }').replace('name: 甲县', 'name: 甲县（改）'));
    expect(res.updated).toMatchObject({ targets: 1, units: 1 });
    expect(total(res.updated)).toBe(2);
    expect(total(res.created) + total(res.deactivated)).toBe(0);
    await apply(BASE);
  });

  it('stores the aliases bureaus use for a unit, and an alias edit is an update', async () => {
    const withAliases = BASE.replace('{ code: county-a, name: 甲县, kind: region, parent: city }', '{ code: county-a, name: 甲县, aliases: [ 甲县经开区, 甲县经济技术开发区 ], kind: region, parent: city }');
    expect((await apply(withAliases)).updated.units).toBe(1);
    expect((await prisma.unit.findUniqueOrThrow({ where: { code: 'county-a' } })).aliases).toEqual(['甲县经开区', '甲县经济技术开发区']);
    expect((await exportCityConfig(prisma)).units.find((u) => u.code === 'county-a')?.aliases).toEqual(['甲县经开区', '甲县经济技术开发区']);
    expect((await apply(withAliases)).changed).toBe(false);
    await apply(BASE);
    expect((await prisma.unit.findUniqueOrThrow({ where: { code: 'county-a' } })).aliases).toEqual([]);
  });

  it('moves an open_id from one person to another without a unique clash', async () => {
    const swapped = BASE.replace('open_id: ou_demo_li-lei', 'open_id: ou_tmp').replace('open_id: ou_demo_han-meimei', 'open_id: ou_demo_li-lei').replace('open_id: ou_tmp', 'open_id: ou_demo_han-meimei');
    const res = await apply(swapped);
    expect(res.updated.people).toBe(2);
    expect((await prisma.person.findUniqueOrThrow({ where: { code: 'han-meimei' } })).openId).toBe('ou_demo_li-lei');
    await apply(BASE);
    expect((await prisma.person.findUniqueOrThrow({ where: { code: 'li-lei' } })).openId).toBe('ou_demo_li-lei');
  });

  it('a dry run counts the changes and writes nothing', async () => {
    const before = await auditCount();
    const res = await apply(edit('{ year: 8, q1: 8 }', '{ year: 7, q1: 8 }'), { dryRun: true });
    expect(res.updated.targets).toBe(1);
    expect((await apply(BASE)).changed).toBe(false);
    expect(await auditCount()).toBe(before);
  });

  it('deactivates an indicator removed from the file and keeps its history', async () => {
    const retail = await prisma.indicator.findUniqueOrThrow({ where: { code: 'retail' } });
    const county = await prisma.unit.findUniqueOrThrow({ where: { code: 'county-a' } });
    const cycle = await prisma.reportingCycle.findUniqueOrThrow({ where: { code: 'monthly' } });
    const period = await prisma.reportingPeriod.create({
      data: { cycleId: cycle.id, periodKey: '2026-09', startDate: new Date('2026-09-01'), endDate: new Date('2026-09-30'), dueDate: new Date('2026-10-15'), status: 'CLOSED' },
    });
    const submission = await prisma.submission.create({
      data: {
        periodId: period.id,
        unitId: county.id,
        indicatorId: retail.id,
        currentRevisionNo: 1,
        revisions: { create: { revisionNo: 1, value: '123.4500', growthPct: '6.10', submittedAt: clock.now() } },
      },
    });

    const withoutRetail = BASE.replace(/ {2}- code: retail[\s\S]*?(?=assignments:)/, '')
      .replace('indicators: [gdp, retail]', 'indicators: [gdp]')
      .replace("  - { indicator: retail, cycle: monthly, units: [county-a, dept-a] }\n", '');
    const res = await apply(withoutRetail);
    expect(res.deactivated).toMatchObject({ indicators: 1, assignments: 2, targets: 3 });
    expect(res.updated.domains).toBe(1);
    expect(total(res.created)).toBe(0);

    expect((await prisma.indicator.findUniqueOrThrow({ where: { id: retail.id } })).active).toBe(false);
    expect(await prisma.assignment.count({ where: { indicatorId: retail.id, active: true } })).toBe(0);
    expect(await prisma.target.count({ where: { indicatorId: retail.id, active: true } })).toBe(0);
    expect(await prisma.leaderDomainIndicator.count({ where: { indicatorId: retail.id } })).toBe(0);
    const kept = await prisma.submission.findUniqueOrThrow({ where: { id: submission.id }, include: { revisions: true } });
    expect(kept.revisions.map((r) => r.value?.toString())).toEqual(['123.45']);
    expect((await exportCityConfig(prisma)).indicators.map((i) => i.code)).toEqual(['gdp']);

    // Putting it back reactivates the same rows rather than creating new ones.
    const back = await apply(BASE);
    expect(back.updated).toMatchObject({ indicators: 1, assignments: 2, targets: 3, domains: 1 });
    expect(total(back.created)).toBe(0);
    expect((await prisma.indicator.findUniqueOrThrow({ where: { id: retail.id } })).active).toBe(true);
  });

  it('deactivates people, roles, leaders, domains, cycles and rules that left the file', async () => {
    const bare = `version: 1
units:
  - { code: city, name: 测试市, kind: city }
people: []
leaders: []
indicators: []
assignments: []
cycles: []
warning_rules: []
`;
    const res = await apply(bare);
    expect(res.deactivated).toMatchObject({ units: 2, people: 2, roles: 1, leaders: 1, domains: 1, indicators: 2, assignments: 3, cycles: 1, warningRules: 1 });
    expect(await prisma.person.count()).toBe(2);
    expect(await prisma.person.count({ where: { active: true } })).toBe(0);
    expect((await apply(BASE)).created).toMatchObject({ units: 0, people: 0, indicators: 0 });
  });

  it('round trip: apply → export → apply changes nothing, and export → parse gives the same object', async () => {
    const demo = await loadCityConfigFile(DEMO_CONFIG_PATH);
    await applyCityConfig(prisma, demo, clock);
    const exported = await exportCityConfig(prisma);
    const yaml = toYaml(exported);
    expect(parseCityConfig(yaml, 'exported.yaml')).toEqual(exported);
    expect((await applyCityConfig(prisma, parseCityConfig(yaml, 'exported.yaml'), clock)).changed).toBe(false);
    // The export has what the file has, only in the database's order.
    expect(exported.units).toEqual(demo.units);
    expect(exported.indicators).toEqual(demo.indicators);
    expect(new Set(exported.people.map((p) => p.code))).toEqual(new Set(demo.people.map((p) => p.code)));
    expect(exported.assignments.flatMap((a) => a.units.map((u) => `${a.indicator}/${a.cycle}/${u}`)).sort()).toEqual(
      demo.assignments.flatMap((a) => a.units.map((u) => `${a.indicator}/${a.cycle}/${u}`)).sort(),
    );
  });

  it('keeps growth_only and growth_basis comparable through apply → export → apply', async () => {
    const text = edit('    frequency: quarterly\n', '    growth_basis: comparable\n    growth_only: true\n    frequency: quarterly\n');
    await apply(text);
    const gdp = await prisma.indicator.findUniqueOrThrow({ where: { code: 'gdp' } });
    expect([gdp.growthBasis, gdp.growthOnly]).toEqual(['COMPARABLE', true]);
    const exported = await exportCityConfig(prisma);
    expect(exported.indicators.map((i) => [i.code, i.growth_basis, i.growth_only])).toEqual([['gdp', 'comparable', true], ['retail', 'yoy', false]]);
    expect(toYaml(exported)).toContain('growth_only: true');
    expect((await applyCityConfig(prisma, parseCityConfig(toYaml(exported), 'exported.yaml'), clock)).changed).toBe(false);
    // Back to a level with a year-on-year growth.
    expect((await apply(BASE)).changed).toBe(true);
    expect(await prisma.indicator.findUniqueOrThrow({ where: { code: 'gdp' } })).toMatchObject({ growthBasis: 'YOY', growthOnly: false });
  });

  it('stores compare_with on the indicator and exports it back', async () => {
    await apply(edit('    lead: dept-a', '    lead: dept-a\n    compare_with: mean'));
    const rows = await prisma.indicator.findMany({ where: { code: { in: ['gdp', 'retail'] } }, orderBy: { code: 'asc' } });
    expect(rows.map((i) => [i.code, i.compareWith])).toEqual([['gdp', 'PARENT'], ['retail', 'MEAN']]);
    const exported = await exportCityConfig(prisma);
    expect(exported.indicators.filter((i) => i.code === 'gdp' || i.code === 'retail').map((i) => [i.code, i.compare_with])).toEqual([['gdp', 'parent'], ['retail', 'mean']]);
    // Back to the default: the row follows the file.
    expect((await apply(BASE)).changed).toBe(true);
    expect((await prisma.indicator.findUniqueOrThrow({ where: { code: 'retail' } })).compareWith).toBe('PARENT');
  });

  it("keeps a declared year's calendar and local overrides through apply → export → apply", async () => {
    const text = `${BASE}calendar:
  years:
    - { year: 2027, holidays: [ 2027-01-01, 2027-02-06..2027-02-12 ], workdays: [ 2027-02-14 ] }
  overrides:
    - { date: 2026-12-31, workday: false, note: 本市安排 }
`;
    const first = await applyCityConfig(prisma, parseCityConfig(text, 'city.yaml'), clock);
    expect(first.created.calendar).toBe(1 + 8 + 1 + 1);
    const days = await prisma.calendarDay.findMany({ where: { active: true }, orderBy: { date: 'asc' } });
    expect(days.map((d) => `${d.date.toISOString().slice(0, 10)} ${d.workday ? '班' : '休'}`)).toContain('2027-02-14 班');
    const exported = await exportCityConfig(prisma);
    expect(exported.calendar).toEqual({
      years: [{ year: 2027, holidays: ['2027-01-01', '2027-02-06..2027-02-12'], workdays: ['2027-02-14'] }],
      overrides: [{ date: '2026-12-31', workday: false, note: '本市安排' }],
    });
    expect((await applyCityConfig(prisma, parseCityConfig(toYaml(exported), 'exported.yaml'), clock)).changed).toBe(false);
    // Removing the section deactivates what it declared.
    const removed = await applyCityConfig(prisma, parseCityConfig(BASE, 'city.yaml'), clock);
    expect(removed.deactivated.calendar).toBe(11);
  });

  it('the CLI applies a file, says "No changes" the second time, and refuses a broken file', async () => {
    const env = { ...process.env, DATABASE_URL: url, REDIS_URL: redis.url, QUEUE_PREFIX: redis.prefix };
    const script = (name: string) => path.join('scripts', name);
    const good = path.join(dir, 'city.yaml');
    // Different from what earlier tests applied, so the first run changes something.
    await writeFile(good, edit('name: 测试局', 'name: 测试局（新）'));
    const cli = (file: string) => run(process.execPath, ['--import', 'tsx', script('config-apply.ts'), file], { env });
    // A change asks the running bot to reschedule reminders at once.
    expect((await cli(good)).stdout).toContain('Reminders and deadlines are being rescheduled.');
    const queue = new Queue('domain', { connection: { url: redis.url }, prefix: redis.prefix });
    expect((await queue.getJobs(['waiting'])).map((j) => j.name)).toContain('collection.plan.v1');
    await queue.close();
    expect((await cli(good)).stdout.trim()).toBe('No changes.');

    const broken = path.join(dir, 'broken.yaml');
    await writeFile(broken, edit('kind: region', 'kind: county').replace('q1: 8 }', 'q1: 八 }'));
    const units = await prisma.unit.findMany({ orderBy: { code: 'asc' } });
    const failure = await cli(broken).then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain('broken.yaml: units[2].kind: expected one of city, region, department, working_group, street, office, got "county"');
    expect(failure?.stderr).toContain('broken.yaml: indicators[0].targets.county-a.2026.q1: expected a number (percent), got "八"');
    expect(failure?.stderr).toContain('nothing was applied');
    expect(await prisma.unit.findMany({ orderBy: { code: 'asc' } })).toEqual(units);

    const exported = await run(process.execPath, ['--import', 'tsx', script('config-export.ts')], { env });
    expect(parseCityConfig(exported.stdout, 'stdout')).toEqual(await exportCityConfig(prisma));
  }, 60_000);
});
