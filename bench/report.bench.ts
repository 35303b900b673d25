// Bench `report`: the monthly 经济运行专报 for a 2,000-unit month — 2,010 sibling regions × 5 main indicators
// with 12 months of figures (the trend charts), lights on 300 units, problems and measures from 5 % of the
// submissions, the composite ranking; then what close and 发送给领导 do: gather the month, draft the
// paragraphs, store the report and the organisers' review cards (generateReport), and build the .docx with
// its charts (ECharts SSR → resvg PNG with the CJK font).
// Prints {bench:'report', metric:'seconds'} (goal ≤ 10) and its parts.
// Left out: the delivery of the cards and the file to Feishu (fanout) and the ranking itself (bench close).
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { benchEnv, createBenchUnits, figure, MAIN_INDICATORS } from './support.ts';
import { createPrisma } from '../src/platform/prisma.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { cycleRuleOf } from '../src/modules/collection/cycle-rule.ts';
import { loadWorkCalendar } from '../src/modules/calendar/calendar.load.ts';
import { ensurePeriod } from '../src/modules/collection/periods.ts';
import { computeRankings } from '../src/modules/meetings/ranking.ts';
import { generateReport, reportContent } from '../src/modules/report/report.service.ts';
import { last12Months } from '../src/modules/report/facts.ts';
import { buildReportDocx } from '../src/report/docx.ts';

const UNITS = 2_000;
const env = await benchEnv('report');
const prisma = createPrisma(env.databaseUrl, { max: 8 });
const clock = fixedClock('2026-12-16T02:00:00Z');
const units = await createBenchUnits(prisma, { count: UNITS, codePrefix: 'bench-report' });
const regions = await prisma.unit.findMany({ where: { kind: 'REGION', active: true } });
const cycle = await prisma.reportingCycle.findUniqueOrThrow({ where: { code: 'monthly' } });
const cal = await loadWorkCalendar(prisma);
const inds = await prisma.indicator.findMany({ where: { code: { in: MAIN_INDICATORS } } });
let seed = 11;
const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const PROBLEM = '受市场需求偏弱影响，两家骨干企业订单下降，产值同比减少；新开工项目不足，续建项目投资进度偏慢。';
const MEASURE = '逐户走访重点企业，协调解决用工和资金问题；加快在建项目进度，推动三个新项目月底前开工。';

let nov = '';
for (const key of last12Months('2026-11')) {
  const p = await ensurePeriod(prisma, cycle, cycleRuleOf(cycle), key, cal);
  await prisma.reportingPeriod.update({ where: { id: p.id }, data: { status: 'CLOSED', closedAt: clock.now() } });
  if (key === '2026-11') nov = p.id;
  const subs = regions.flatMap((u) => inds.map((ind) => ({ id: randomUUID(), periodId: p.id, unitId: u.id, indicatorId: ind.id, currentRevisionNo: 1 })));
  for (let i = 0; i < subs.length; i += 5_000) {
    const rows = subs.slice(i, i + 5_000);
    await prisma.submission.createMany({ data: rows });
    await prisma.submissionRevision.createMany({
      data: rows.map((r) => {
        const words = key === '2026-11' && rand() < 0.05;
        return {
          submissionId: r.id,
          revisionNo: 1,
          value: (20 + rand() * 200).toFixed(2),
          growthPct: (Math.round((rand() * 16 - 4) * 10) / 10).toFixed(1),
          submittedAt: clock.now(),
          ...(words ? { problems: PROBLEM, measures: MEASURE } : {}),
        };
      }),
    });
  }
}
await prisma.unitReport.createMany({ data: regions.map((u) => ({ periodId: nov, unitId: u.id, status: 'SUBMITTED' as const, firstSubmittedAt: clock.now(), lastSubmittedAt: clock.now() })) });
await prisma.warning.createMany({
  data: units.slice(0, 300).map((u, i) => ({ periodId: nov, unitId: u.id, indicatorId: inds[i % inds.length]!.id, level: i % 3 ? ('YELLOW' as const) : ('RED' as const), computedLevel: 'RED' as const, reasons: ['低于目标进度'] })),
});
await computeRankings(prisma, nov, { now: clock.now(), atClose: true });

const t0 = performance.now();
const drafted = await generateReport(prisma, nov, clock.now());
const t1 = performance.now();
if (!('reportId' in drafted)) throw new Error(`no report drafted: ${drafted.skipped}`);
const { facts, paragraphs } = await reportContent(prisma, drafted.reportId);
const docx = await buildReportDocx(facts, paragraphs, { generatedAt: '2026年12月16日' });
const t2 = performance.now();

figure('report', 'seconds', (t2 - t0) / 1000, 's');
figure('report', 'draft_s', (t1 - t0) / 1000, 's');
figure('report', 'docx_s', (t2 - t1) / 1000, 's');
figure('report', 'docx_kb', docx.length / 1024, 'KB');
figure('report', 'units', regions.length, 'units');
figure('report', 'indicators', facts.indicators.length, 'indicators');

await prisma.$disconnect();
await env.cleanup();
process.exit(0);
