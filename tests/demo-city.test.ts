// The demo city: the configuration carries what the seeds describe, its figure history is
// deterministic and plausible (weak regions show yellow and red), and loading it is idempotent.
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from './support/db.ts';
import type { PrismaClient } from '../src/platform/prisma.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { loadCityConfigFile } from '../src/modules/city-config/city-config.load.ts';
import type { CityConfig, TargetValue } from '../src/modules/city-config/city-config.schema.ts';
import { DEMO_CONFIG_PATH, DEMO_HISTORY_PATH, loadDemoCity, parseHistoryCsv, type HistoryRow } from '../src/modules/demo/demo-city.ts';
import { generateHistory, toCsv } from '../scripts/generate-demo-history.ts';

const clock = fixedClock('2026-11-20T02:00:00Z');

let config: CityConfig;
let csv: string;
let history: HistoryRow[];

beforeAll(async () => {
  config = await loadCityConfigFile(DEMO_CONFIG_PATH);
  csv = await readFile(DEMO_HISTORY_PATH, 'utf8');
  history = parseHistoryCsv(csv);
});

const unitsOfKind = (kind: string) => config.units.filter((u) => u.kind === kind);
const rolesOf = (unit: string) => config.people.flatMap((p) => p.roles.filter((r) => r.unit === unit).map((r) => r.role));

describe('the demo city configuration', () => {
  it('has the structure of the seeds', () => {
    expect(unitsOfKind('city')).toHaveLength(1);
    expect(unitsOfKind('department')).toHaveLength(17);
    expect(unitsOfKind('region').length).toBeGreaterThanOrEqual(9);
    const zone = config.units.find((u) => u.code === 'high-tech-zone')!;
    expect(unitsOfKind('working_group').map((u) => u.parent)).toEqual(Array(8).fill(zone.code));
    expect(config.cycles.map((c) => [c.code, c.frequency, c.due_day])).toEqual(
      expect.arrayContaining([
        ['monthly', 'monthly', 15],
        ['wg-monthly', 'monthly', 20],
        ['wg-weekly', 'weekly', 5],
      ]),
    );
  });

  it('gives every reporting unit a liaison, a backup liaison and a head, and the office two organisers', () => {
    const reporting = new Set(config.assignments.flatMap((a) => a.units));
    for (const unit of reporting) expect(rolesOf(unit).sort(), unit).toEqual(['backup_liaison', 'head', 'liaison']);
    expect(rolesOf('meeting-office').filter((r) => r === 'organiser')).toHaveLength(2);
    expect(config.units.find((u) => u.code === 'meeting-office')).toMatchObject({ kind: 'office', parent: 'development-reform' });
  });

  it('has one principal leader and deputies each in charge of a domain', () => {
    const principal = config.leaders.filter((l) => l.rank === 'principal');
    const deputies = config.leaders.filter((l) => l.rank === 'deputy');
    expect(principal).toHaveLength(1);
    expect(deputies.length).toBeGreaterThanOrEqual(4);
    expect(deputies.length).toBeLessThanOrEqual(6);
    for (const d of deputies) expect(d.domains.length).toBeGreaterThan(0);
    // Every indicator has a leader in charge, so every warning has somewhere to go.
    const covered = new Set(deputies.flatMap((d) => d.domains.flatMap((x) => x.indicators)));
    expect(config.indicators.filter((i) => !covered.has(i.code)).map((i) => i.code)).toEqual([]);
  });

  it('uses invented demo contacts only', () => {
    for (const p of config.people) {
      expect(p.open_id).toBe(`ou_demo_${p.code}`);
      expect(p.mobile).toMatch(/^138\d{8}$/);
    }
    const seedNames = ['郑思南', '衣静茹', '范恩飞', '张祥华', '徐光', '李瑞楠'];
    expect(config.people.filter((p) => seedNames.includes(p.name))).toEqual([]);
  });

  it("carries the county's first-quarter targets of seed 004", () => {
    const q1 = (indicator: string) => config.indicators.find((i) => i.code === indicator)!.targets['songling-county']!['2026']!.q1;
    expect(['gdp', 'industrial-va', 'fai', 'retail-sales', 'budget-revenue'].map(q1)).toEqual([8, 20, 12, 9, 7]);
  });
});

describe('the demo history', () => {
  it('is what the generator writes, byte for byte, every time', () => {
    const first = toCsv(generateHistory(config));
    expect(toCsv(generateHistory(config))).toBe(first);
    expect(first).toBe(csv);
    expect(Buffer.byteLength(csv)).toBeLessThan(1_000_000);
  });

  it('covers 24 months of every monthly assignment (quarterly indicators at quarter ends)', () => {
    const periods = [...new Set(history.map((r) => r.period))].sort();
    expect(periods).toHaveLength(24);
    expect([periods[0], periods.at(-1)]).toEqual(['2024-11', '2026-10']);
    const monthlyCycles = new Set(config.cycles.filter((c) => c.frequency === 'monthly').map((c) => c.code));
    const frequency = new Map(config.indicators.map((i) => [i.code, i.frequency]));
    const expected = config.assignments
      .filter((a) => monthlyCycles.has(a.cycle) && frequency.get(a.indicator) !== 'weekly')
      .reduce((n, a) => n + a.units.length * (frequency.get(a.indicator) === 'quarterly' ? 8 : 24), 0);
    expect(history).toHaveLength(expected);
  });

  it('accumulates cumulative indicators from January', () => {
    const kind = new Map(config.indicators.map((i) => [i.code, i.value_kind]));
    const last = new Map<string, HistoryRow>();
    for (const r of history) {
      const key = `${r.cycle}:${r.unit}:${r.indicator}`;
      const prev = last.get(key);
      if (prev && kind.get(r.indicator) === 'cumulative' && prev.period.slice(0, 4) === r.period.slice(0, 4)) {
        expect(Number(r.value), `${key} ${r.period}`).toBeGreaterThanOrEqual(Number(prev.value));
      }
      last.set(key, r);
    }
  });

  it('has green, yellow and red regions against their Q3 2026 targets', () => {
    const rules = config.warning_rules.filter((w) => w.kind === 'gap_to_target');
    const rule = (indicator: string) => rules.find((w) => w.indicator === indicator) ?? rules.find((w) => w.indicator === undefined)!;
    const growthTarget = (t: TargetValue | undefined) => (typeof t === 'number' ? t : t?.growth);
    const lights = { green: 0, yellow: 0, red: 0 };
    const regions = new Set(unitsOfKind('region').map((u) => u.code));
    for (const r of history.filter((h) => h.period === '2026-09' && regions.has(h.unit) && h.growthPct !== null)) {
      const target = growthTarget(config.indicators.find((i) => i.code === r.indicator)!.targets[r.unit]?.['2026']?.q3);
      if (target === undefined) continue;
      const gap = target - Number(r.growthPct);
      const { yellow, red } = rule(r.indicator);
      lights[gap >= red ? 'red' : gap >= yellow ? 'yellow' : 'green']++;
    }
    expect(lights.red).toBeGreaterThan(0);
    expect(lights.yellow).toBeGreaterThan(0);
    expect(lights.green).toBeGreaterThan(lights.red);
  });
});

describe('loading the demo city', () => {
  let prisma: PrismaClient;
  beforeAll(async () => {
    ({ prisma } = await useTestDatabase());
  });

  const counts = async () => ({
    units: await prisma.unit.count({ where: { active: true } }),
    people: await prisma.person.count({ where: { active: true } }),
    indicators: await prisma.indicator.count({ where: { active: true } }),
    assignments: await prisma.assignment.count({ where: { active: true } }),
    periods: await prisma.reportingPeriod.count({ where: { status: 'CLOSED' } }),
    submissions: await prisma.submission.count(),
    revisions: await prisma.submissionRevision.count({ where: { vintage: 'OFFICIAL', revisionNo: 1 } }),
    audit: await prisma.auditLog.count(),
  });

  it('applies the file and loads the history in a few seconds', async () => {
    const started = Date.now();
    const res = await loadDemoCity(prisma, clock);
    expect(Date.now() - started).toBeLessThan(20_000);
    const periodCount = new Set(history.map((r) => `${r.cycle}:${r.period}`)).size;
    expect(res.config.created).toMatchObject({
      units: config.units.length,
      people: config.people.length,
      indicators: config.indicators.length,
      cycles: config.cycles.length,
    });
    expect(res.history).toEqual({ loaded: true, periods: periodCount, submissions: history.length, revisions: history.length });
    expect(await counts()).toEqual({
      units: config.units.length,
      people: config.people.length,
      indicators: config.indicators.length,
      assignments: config.assignments.reduce((n, a) => n + a.units.length, 0),
      periods: periodCount,
      submissions: history.length,
      revisions: history.length,
      audit: 1,
    });
  });

  it('stores closed monthly periods due on the cycle day of the next month, and figures as decimals', async () => {
    const monthly = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2025-12', cycle: { code: 'monthly' } } });
    expect(monthly).toMatchObject({ status: 'CLOSED', startDate: new Date('2025-12-01'), endDate: new Date('2025-12-31'), dueDate: new Date('2026-01-15') });
    const wg = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2026-02', cycle: { code: 'wg-monthly' } } });
    expect(wg).toMatchObject({ endDate: new Date('2026-02-28'), dueDate: new Date('2026-03-20') });

    const row = history.find((r) => r.unit === 'songling-county' && r.indicator === 'industrial-va' && r.period === '2026-10')!;
    const rev = await prisma.submissionRevision.findUniqueOrThrow({
      where: { requestKey: 'demo-history:2026-10:songling-county:industrial-va' },
      include: { submission: { include: { period: true } } },
    });
    expect(rev.value?.toFixed(2)).toBe(row.value);
    expect(rev.growthPct?.toFixed(2)).toBe(row.growthPct);
    expect(rev.submission).toMatchObject({ status: 'ACCEPTED', currentRevisionNo: 1 });
    expect(rev.submission.period.periodKey).toBe('2026-10');
    expect(rev.submittedAt.getTime()).toBeLessThan(new Date('2026-11-15T16:00:00Z').getTime());
    expect(rev.submittedAt.getTime()).toBeGreaterThan(new Date('2026-11-01T00:00:00Z').getTime());
    // Submitted by the county's liaison officer.
    const liaison = await prisma.unitRole.findFirstOrThrow({ where: { role: 'LIAISON', unit: { code: 'songling-county' } } });
    expect(rev.submittedById).toBe(liaison.personId);
  });

  it('changes nothing when loaded again', async () => {
    const before = await counts();
    const res = await loadDemoCity(prisma, clock);
    expect(res.config.changed).toBe(false);
    expect(res.history).toEqual({ loaded: false, periods: 0, submissions: 0, revisions: 0 });
    expect(await counts()).toEqual(before);
  });
});
