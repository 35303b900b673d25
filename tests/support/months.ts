// A reporting month with every region's figures in force, as if the liaisons had submitted them: for
// tests that start where collection ends (close, ranking, seats, the monthly 例会).
import type { PrismaClient } from '../../src/platform/prisma.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { cycleRuleOf } from '../../src/modules/collection/cycle-rule.ts';
import { loadWorkCalendar } from '../../src/modules/calendar/calendar.load.ts';
import { ensurePeriod } from '../../src/modules/collection/periods.ts';

/** The demo city's monthly indicators that the composite ranking weighs. */
export const RANKED_MONTHLY = ['industrial-va', 'fai', 'retail-sales', 'budget-revenue'];

/** The monthly period `key` (2026-11) with `growth` (unit code → %) on each of `indicators`, left `status`. */
export async function monthWithFigures(
  prisma: PrismaClient,
  clock: Clock,
  key: string,
  growth: Record<string, number>,
  status: 'OPEN' | 'CLOSED' = 'OPEN',
  indicators: string[] = RANKED_MONTHLY,
) {
  const cycle = await prisma.reportingCycle.findUniqueOrThrow({ where: { code: 'monthly' } });
  const p = await ensurePeriod(prisma, cycle, cycleRuleOf(cycle), key, await loadWorkCalendar(prisma));
  await prisma.reportingPeriod.update({ where: { id: p.id }, data: { status } });
  const inds = await prisma.indicator.findMany({ where: { code: { in: indicators } } });
  for (const [code, g] of Object.entries(growth)) {
    const u = await prisma.unit.findUniqueOrThrow({ where: { code } });
    const at = clock.now();
    await prisma.unitReport.upsert({
      where: { periodId_unitId: { periodId: p.id, unitId: u.id } },
      create: { periodId: p.id, unitId: u.id, status: 'SUBMITTED', firstSubmittedAt: at, lastSubmittedAt: at },
      update: { status: 'SUBMITTED', firstSubmittedAt: at, lastSubmittedAt: at },
    });
    for (const ind of inds) {
      const s = await prisma.submission.create({ data: { periodId: p.id, unitId: u.id, indicatorId: ind.id, currentRevisionNo: 1 } });
      await prisma.submissionRevision.create({ data: { submissionId: s.id, revisionNo: 1, value: '100', growthPct: String(g), submittedAt: clock.now() } });
    }
  }
  return p;
}
