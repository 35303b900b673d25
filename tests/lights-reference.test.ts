// What 「低于全市…」 compares with on real data (the demo city's 规上工业增加值, 2026年10月): the districts'
// total while the city has no figure of its own, the city's official figure once imported (an incremental
// evaluation after it ends where a full one would), the siblings' mean when the indicator says so; and a
// value target (城镇调查失业率 ≤ 5.5%) that lights.
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from './support/db.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { loadDemoCity } from '../src/modules/demo/demo-city.ts';
import { evaluateLights, evaluatePeriod } from '../src/modules/lights/lights.service.ts';
import { warningView } from '../src/modules/lights/warning-view.ts';
import { storeFigures } from '../src/modules/collection/revisions.ts';
import { loadReport, unitContexts } from '../src/modules/collection/collection.repo.ts';

const clock = fixedClock('2026-11-20T02:00:00Z');
const { prisma } = await useTestDatabase();
await loadDemoCity(prisma, clock);
const deps = { prisma, clock };

const period = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2026-10', cycle: { code: 'monthly' } } });
const va = await prisma.indicator.findUniqueOrThrow({ where: { code: 'industrial-va' } });
const september = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2026-09', cycle: { code: 'monthly' } } });

/** An official figure as an import writes it (a new revision of the unit's report). */
async function official(unitCode: string, indicatorCode: string, value: string, growth: string | null, key: string, at = period) {
  const period = at;
  const unit = await prisma.unit.findUniqueOrThrow({ where: { code: unitCode } });
  const ind = await prisma.indicator.findUniqueOrThrow({ where: { code: indicatorCode } });
  const report = await prisma.unitReport.upsert({ where: { periodId_unitId: { periodId: period.id, unitId: unit.id } }, create: { periodId: period.id, unitId: unit.id }, update: {} });
  const bundle = (await loadReport(prisma, report.id))!;
  await prisma.$transaction((tx) =>
    storeFigures(tx, {
      bundle,
      figures: [{ indicatorId: ind.id, code: ind.code, value, growthPct: growth, problems: null, forecast: null, measures: null }],
      page: 0,
      actorId: null,
      onBehalf: true,
      reason: 'test',
      requestKey: key,
      vintage: 'OFFICIAL',
      now: clock.now(),
      action: 'report.official.import',
    }),
  );
  return unit;
}

async function reasonsOf(unitCode: string, indicatorId = va.id): Promise<{ level: string; reasons: string }> {
  const unit = await prisma.unit.findUniqueOrThrow({ where: { code: unitCode } });
  const w = await prisma.warning.findFirstOrThrow({ where: { periodId: period.id, unitId: unit.id, indicatorId } });
  return { level: w.level, reasons: (w.reasons as string[]).join('；') };
}

describe('below_average on the demo city', () => {
  it('without a figure of its own, the city is its districts’ total: 883.01 / 831.07 亿元 − 1 = 6.2%, not the mean 5.8%', async () => {
    await evaluatePeriod(deps, { periodId: period.id });
    expect((await reasonsOf('anjiang')).reasons).toContain('10 个单位汇总');
    // 临江区 2.2%: 4.0 points under the total, red (red is "more than 3").
    expect((await reasonsOf('linjiang-district')).reasons).toContain('低于全市增速 6.2% 4.0 个百分点');
    // 石桥市 5.5%: 0.7 under, not "more than 1": no average reason.
    expect((await reasonsOf('shiqiao-city')).reasons).not.toContain('低于全市增速');
  });

  it('the city’s official figure wins once imported, and the incremental evaluation after it ends where a full one would', async () => {
    let { memory } = await evaluateLights(deps, { periodId: period.id });
    // The bureau publishes 全市 +4.4% (members' levels need not add up to it).
    const city = await official('anjiang', 'industrial-va', '876.50', '4.4', 'city-official');
    const inc = await evaluateLights(deps, { periodId: period.id, indicatorIds: [va.id], unitIds: [city.id] }, memory);
    memory = { ...memory, ...inc.memory };
    expect(await evaluatePeriod(deps, { periodId: period.id, indicatorIds: [va.id] })).toEqual([]);
    // 临江区 2.2%: 2.2 points under 4.4% — no longer "more than 3".
    expect((await reasonsOf('linjiang-district')).reasons).toContain('低于全市增速 4.4% 2.2 个百分点');
    expect((await reasonsOf('linjiang-district')).reasons).not.toContain('6.2%');
    // 白石县 2.4%: 2.0 under.
    expect((await reasonsOf('baishi-county')).reasons).toContain('低于全市增速 4.4% 2.0 个百分点');
    // The vice-mayor's warning card compares with the same figure, in the same words.
    const linjiang = await prisma.unit.findUniqueOrThrow({ where: { code: 'linjiang-district' } });
    const w = await prisma.warning.findFirstOrThrow({ where: { periodId: period.id, unitId: linjiang.id, indicatorId: va.id } });
    expect((await warningView(prisma, w.id))?.cityAverage).toBe('全市增速 +4.4%');
    // The city's own light is its published figure now, not the districts' total.
    const cityLight = await reasonsOf('anjiang');
    expect(cityLight.reasons.startsWith('增速 4.4%')).toBe(true);
    expect(cityLight.reasons).not.toContain('汇总');
  });

  it('a district exactly at the city’s growth is not below it', async () => {
    await official('anjiang', 'industrial-va', '876.50', '2.2', 'city-at-linjiang');
    await evaluatePeriod(deps, { periodId: period.id, indicatorIds: [va.id] });
    expect((await reasonsOf('linjiang-district')).reasons).not.toContain('低于全市增速');
  });

  it('compare_with mean: the plain mean of the districts’ growth rates, named 各区县平均', async () => {
    await prisma.indicator.update({ where: { id: va.id }, data: { compareWith: 'MEAN' } });
    await evaluatePeriod(deps, { periodId: period.id, indicatorIds: [va.id] });
    // (7.14 + 6.78 + 2.23 + 7.19 − 0.29 + 9.94 + 2.43 + 7.96 + 5.46 + 9.64) / 10 = 5.848
    expect((await reasonsOf('linjiang-district')).reasons).toContain('低于各区县平均 5.8% 3.6 个百分点');
    await prisma.indicator.update({ where: { id: va.id }, data: { compareWith: 'PARENT' } });
  });
});

describe('value targets', () => {
  it('城镇调查失业率 5.8% against a target of at most 5.5% is above target (lower is better)', async () => {
    const jobless = await prisma.indicator.findUniqueOrThrow({ where: { code: 'unemployment-rate' } });
    await official('survey-team', 'unemployment-rate', '5.8', null, 'jobless-5.8');
    await evaluatePeriod(deps, { periodId: period.id, indicatorIds: [jobless.id] });
    const above = await reasonsOf('survey-team', jobless.id);
    expect(above.level).toBe('YELLOW');
    expect(above.reasons.split('；')[0]).toBe('本期 5.8%，高于目标 5.5% 0.3 个百分点');
    await official('survey-team', 'unemployment-rate', '5.3', null, 'jobless-5.3');
    await evaluatePeriod(deps, { periodId: period.id, indicatorIds: [jobless.id] });
    expect((await reasonsOf('survey-team', jobless.id)).reasons.split('；')[0]).toBe('本期 5.3%，低于目标 5.5%');
  });
});

describe('the collection card shows the liaison the same reference, in the same words', () => {
  /** The context line of 规上工业增加值 on 临江区's 2026年10月 card: last period's (9月) reference. */
  async function cardLine(): Promise<string | null> {
    const unit = await prisma.unit.findUniqueOrThrow({ where: { code: 'linjiang-district' } });
    const report = await prisma.unitReport.upsert({ where: { periodId_unitId: { periodId: period.id, unitId: unit.id } }, create: { periodId: period.id, unitId: unit.id }, update: {} });
    return (await unitContexts(prisma, (await loadReport(prisma, report.id))!)).display.get('industrial-va')!.cityAverage;
  }
  it('the districts’ total while the city has no figure (788.28 / 741.34 亿元 − 1), then the city’s own figure', async () => {
    expect(await cardLine()).toBe('上期全市增速 +6.3%');
    await official('anjiang', 'industrial-va', '780.00', '5.0', 'city-september', september);
    expect(await cardLine()).toBe('上期全市增速 +5.0%');
  });

  it('compare_with mean: 各区县平均, the plain mean of the rates (5.933)', async () => {
    await prisma.indicator.update({ where: { id: va.id }, data: { compareWith: 'MEAN' } });
    expect(await cardLine()).toBe('上期各区县平均 +5.9%');
    await prisma.indicator.update({ where: { id: va.id }, data: { compareWith: 'PARENT' } });
  });
});
