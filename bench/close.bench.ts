// Bench `close`: closing a 2,000-unit month through the real path — the period closed and the ranking's
// follow-up row written in one transaction (as 关闭报送 does), enqueued after the commit, run by a BullMQ
// worker with the real 'ranking.compute.v1' handler: composite and single-indicator rankings of 2,010
// sibling regions × 5 indicators (with last month's ranks), the seats, the draft 约谈 list (100 units with
// overdue tasks, 50 red three months running) and the seats card to each organiser (outbox rows, enqueued).
// Prints {bench:'close', seconds, ...}: seconds from the close's commit to the job done (goal ≤ 5).
// Left out: the 关闭报送 chat round trip and the lights evaluation the close also starts (its own bench:
// lights), the delivery of the cards to Feishu (fanout), and the confirmation of the seats.
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { benchEnv, clearPrefix, createBenchUnits, MAIN_INDICATORS } from './support.ts';
import { createPrisma } from '../src/platform/prisma.ts';
import { createRedis } from '../src/platform/redis.ts';
import { createQueues, closeQueues } from '../src/platform/queues.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { createLogger } from '../src/platform/logger.ts';
import { cycleRuleOf } from '../src/modules/collection/cycle-rule.ts';
import { loadWorkCalendar } from '../src/modules/calendar/calendar.load.ts';
import { ensurePeriod } from '../src/modules/collection/periods.ts';
import { collectWritten } from '../src/outbox/written.ts';
import { enqueueFollowUps } from '../src/outbox/follow-ups.enqueue.ts';
import { rankLater } from '../src/modules/meetings/ranking.ts';
import { runRanking } from '../jobs/ranking.job.ts';
import { parsePayload } from '../src/platform/enqueue.ts';

const UNITS = 2_000;
const env = await benchEnv('close');
const prisma = createPrisma(env.databaseUrl, { max: 8 });
const clock = fixedClock('2026-12-16T02:00:00Z');
const logger = createLogger({ level: 'warn', pretty: false });
const units = await createBenchUnits(prisma, { count: UNITS, codePrefix: 'bench-close' });
const cycle = await prisma.reportingCycle.findUniqueOrThrow({ where: { code: 'monthly' } });
const cal = await loadWorkCalendar(prisma);
const inds = await prisma.indicator.findMany({ where: { code: { in: MAIN_INDICATORS } } });
let seed = 7;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const periods: Record<string, { id: string }> = {};
for (const key of ['2026-09', '2026-10', '2026-11']) {
  const p = await ensurePeriod(prisma, cycle, cycleRuleOf(cycle), key, cal);
  periods[key] = p;
  const subs = units.flatMap((u) => inds.map((ind) => ({ id: randomUUID(), periodId: p.id, unitId: u.id, indicatorId: ind.id, currentRevisionNo: 1 })));
  for (let i = 0; i < subs.length; i += 5_000) {
    const rows = subs.slice(i, i + 5_000);
    await prisma.submission.createMany({ data: rows });
    await prisma.submissionRevision.createMany({ data: rows.map((r) => ({ submissionId: r.id, revisionNo: 1, value: '100', growthPct: (Math.round((rand() * 16 - 4) * 10) / 10).toFixed(1), submittedAt: clock.now() })) });
  }
  // 50 units red on one indicator each month; 100 units with an overdue task.
  await prisma.warning.createMany({ data: units.slice(0, 50).map((u) => ({ periodId: p.id, unitId: u.id, indicatorId: inds[1]!.id, level: 'RED' as const, computedLevel: 'RED' as const, reasons: ['低于目标进度'] })) });
}
await prisma.task.createMany({ data: units.slice(100, 200).map((u) => ({ title: '重点项目', unitId: u.id, dueDate: new Date('2026-12-01T00:00:00Z'), status: 'OPEN' as const })) });
const redis = createRedis(env.redisUrl, 'producer');
const queues = createQueues(redis, env.prefix);
const deps = { prisma, clock, logger, queues };
// October closed and ranked beforehand: November's entries carry last month's ranks.
await prisma.reportingPeriod.update({ where: { id: periods['2026-10']!.id }, data: { status: 'CLOSED', closedAt: clock.now() } });
await runRanking(deps, { periodId: periods['2026-10']!.id, batch: 'close-october' });
await prisma.seatProposal.deleteMany({});

const workerRedis = createRedis(env.redisUrl, 'worker');
const done = new Map<string, (v: unknown) => void>();
const worker = new Worker(
  'domain',
  async (job) => {
    const r = await runRanking(deps, parsePayload('ranking.compute.v1', job.data));
    done.get(job.id!)?.(r);
    return r;
  },
  { connection: workerRedis, prefix: env.prefix, concurrency: 1 },
);
await worker.waitUntilReady();

const nov = periods['2026-11']!.id;
const t0 = performance.now();
const { result: followUp, written } = await collectWritten(() =>
  prisma.$transaction(async (tx) => {
    await tx.reportingPeriod.update({ where: { id: nov }, data: { status: 'CLOSED', closedAt: clock.now() } });
    return rankLater(tx, nov, { key: 'bench-close', atClose: true });
  }),
);
const finished = new Promise((resolve) => done.set(`rank-${nov}-close-bench-close`, resolve));
await enqueueFollowUps(prisma, queues, written.followUps, clock.now());
const result = (await finished) as { proposals: number; cards: number };
const seconds = (performance.now() - t0) / 1000;
const entries = await prisma.rankingEntry.count({ where: { ranking: { periodId: nov } } });
const interview = await prisma.seatProposal.count({ where: { periodId: nov, kind: 'INTERVIEW' } });
const withPrevious = await prisma.rankingEntry.count({ where: { ranking: { periodId: nov, scope: 'composite' }, previousRank: { not: null } } });
console.log(JSON.stringify({ bench: 'close', seconds: Math.round(seconds * 1000) / 1000, units: UNITS + 10, entries, withPrevious, proposals: result.proposals, interview, cards: result.cards, followUp: Boolean(followUp) }));

await worker.close();
workerRedis.disconnect();
await closeQueues(queues);
redis.disconnect();
await clearPrefix(env.redisUrl, env.prefix);
await prisma.$disconnect();
await env.cleanup();
process.exit(0);
