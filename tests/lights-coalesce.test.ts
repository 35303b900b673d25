// Lights after submissions at province scale: the incremental evaluation (only the units that changed and
// the siblings whose light the move of the peers can change) ends where a full evaluation would, and
// submissions to one sibling group are coalesced into one delayed, deduplicated evaluation.
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from './support/db.ts';
import { useTestRedis } from './support/redis.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { createLogger } from '../src/platform/logger.ts';
import { createRedis } from '../src/platform/redis.ts';
import { closeQueues, createQueues } from '../src/platform/queues.ts';
import { loadDemoCity } from '../src/modules/demo/demo-city.ts';
import { evaluateLights, evaluatePeriod } from '../src/modules/lights/lights.service.ts';
import { storeFigures } from '../src/modules/collection/revisions.ts';
import { figureKey, figuresInForce, loadReport } from '../src/modules/collection/collection.repo.ts';
import { lightsHandlers, noteSubmission, runEvaluation } from '../jobs/lights.job.ts';

const clock = fixedClock('2026-11-20T02:00:00Z');
const { prisma } = await useTestDatabase();
const redisEnv = useTestRedis();
await loadDemoCity(prisma, clock);
const redis = createRedis(redisEnv.url, 'producer');
const queues = createQueues(redis, redisEnv.prefix);
const deps = { prisma, clock, logger: createLogger({ level: 'silent', pretty: false }), queues };
afterAll(async () => {
  await closeQueues(queues);
  redis.disconnect();
});

const DISTRICTS = ['andong-district', 'anxi-district', 'linjiang-district', 'hewan-district'];

/** A value that agrees with the growth: last year's level in force × (1 + growth), as a bureau's row does. */
async function valueFor(unitId: string, indicatorId: string, periodKey: string, growth: string): Promise<string> {
  const ly = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: `${Number(periodKey.slice(0, 4)) - 1}${periodKey.slice(4)}`, cycle: { code: 'monthly' } } });
  const base = (await figuresInForce(prisma, [ly.id], [unitId])).get(figureKey(ly.id, unitId, indicatorId))!;
  return (Number(base.value) * (1 + Number(growth) / 100)).toFixed(2);
}

/** A new official figure of 规上工业增加值 for a district in 2026-10. */
async function figure(unitCode: string, growth: string, key: string) {
  const unit = await prisma.unit.findUniqueOrThrow({ where: { code: unitCode } });
  const ind = await prisma.indicator.findUniqueOrThrow({ where: { code: 'industrial-va' } });
  const period = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2026-10', cycle: { code: 'monthly' } } });
  const report = await prisma.unitReport.upsert({ where: { periodId_unitId: { periodId: period.id, unitId: unit.id } }, create: { periodId: period.id, unitId: unit.id }, update: {} });
  const bundle = (await loadReport(prisma, report.id))!;
  const value = await valueFor(unit.id, ind.id, bundle.period.periodKey, growth);
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
  return { unit, ind, period };
}

describe('incremental lights', () => {
  it('after figures that move the average and the ranking, lights the group as a full evaluation would', async () => {
    const period = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2026-10', cycle: { code: 'monthly' } } });
    const ind = await prisma.indicator.findUniqueOrThrow({ where: { code: 'industrial-va' } });
    let { memory } = await evaluateLights({ prisma, clock }, { periodId: period.id });
    // Two units fall far (the average drops, the bottom of the ranking changes), then one recovers.
    const rounds = [
      [['andong-district', '-12.0'], ['anxi-district', '-9.5']],
      [['anxi-district', '15.0'], ['linjiang-district', '-0.5'], ['hewan-district', '2.1']],
    ] as const;
    for (const [r, round] of rounds.entries()) {
      const unitIds: string[] = [];
      for (const [code, growth] of round) unitIds.push((await figure(code, growth, `inc-${r}-${code}`)).unit.id);
      const inc = await evaluateLights({ prisma, clock }, { periodId: period.id, indicatorIds: [ind.id], unitIds }, memory);
      memory = { ...memory, ...inc.memory };
      // A full evaluation now finds no light to change.
      expect(await evaluatePeriod({ prisma, clock }, { periodId: period.id, indicatorIds: [ind.id] })).toEqual([]);
    }
    const andong = await prisma.unit.findUniqueOrThrow({ where: { code: 'andong-district' } });
    expect((await prisma.warning.findFirstOrThrow({ where: { periodId: period.id, unitId: andong.id, indicatorId: ind.id } })).level).toBe('RED');
  });
});

describe('coalescing', () => {
  it('collapses the submissions of one sibling group into one delayed evaluation that takes them all', async () => {
    const period = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2026-10', cycle: { code: 'monthly' } } });
    await runEvaluation(deps, { periodId: period.id, batch: 'full-coalesce' });
    const units: string[] = [];
    for (const [i, code] of DISTRICTS.entries()) {
      const { unit, ind } = await figure(code, (-6 - i).toFixed(1), `co-${code}`);
      units.push(unit.id);
      await noteSubmission(deps, { periodId: period.id, indicatorIds: [ind.id], unitIds: [unit.id] });
    }
    const jobs = await queues.domain.getJobs(['delayed', 'waiting']);
    const group = jobs.filter((j) => j.name === 'lights.group.v1');
    expect(group).toHaveLength(1);
    // The one run, as the worker would start it: every unit noted is evaluated, and a retry changes nothing.
    const handler = lightsHandlers(deps)['lights.group.v1'];
    const first = (await handler(group[0]!.data, group[0]!)) as { changes: number; digests: number };
    expect(first.changes).toBeGreaterThan(0);
    expect(await evaluatePeriod({ prisma, clock }, { periodId: period.id })).toEqual([]);
    expect(await handler(group[0]!.data, group[0]!)).toEqual({ changes: 0, digests: 0 });
  });
});
