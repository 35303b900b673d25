// Domain: reporting periods — the row for a period key (its dates kept in line with the configuration),
// and opening a period: a report row per assigned unit and the form cards to the person in charge.
import type { Prisma, ReportingCycle } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Clock } from '../../platform/clock.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { beijingDateOf, type WorkCalendar } from '../calendar/work-calendar.ts';
import { asDate } from '../shared/dates.ts';
import { periodRange, dueDateOf, type CycleRule } from './schedule.ts';
import { responsiblePeople } from './collection.repo.ts';
import { formCards } from './form-cards.ts';

type Db = PrismaClient | Tx;
export interface PeriodDeps {
  prisma: PrismaClient;
  clock: Clock;
}

/** The period row for a key: created on first need, its dates kept in line with the configuration. */
export async function ensurePeriod(db: Db, cycle: ReportingCycle, rule: CycleRule, key: string, cal: WorkCalendar) {
  const { startDate, endDate } = periodRange(cycle.frequency, key);
  const dueDate = asDate(dueDateOf(rule, key, cal));
  const existing = await db.reportingPeriod.findUnique({ where: { cycleId_periodKey: { cycleId: cycle.id, periodKey: key } } });
  if (existing) {
    if (existing.status !== 'CLOSED' && existing.dueDate.getTime() !== dueDate.getTime()) {
      return db.reportingPeriod.update({ where: { id: existing.id }, data: { dueDate } });
    }
    return existing;
  }
  await db.reportingPeriod.createMany({
    data: [{ cycleId: cycle.id, periodKey: key, startDate: asDate(startDate), endDate: asDate(endDate), dueDate }],
    skipDuplicates: true,
  });
  return db.reportingPeriod.findUniqueOrThrow({ where: { cycleId_periodKey: { cycleId: cycle.id, periodKey: key } } });
}

/** Opens a period: a report row per assigned unit and the form cards to the person in charge that day. */
export async function openPeriod(deps: PeriodDeps, periodId: string): Promise<string[]> {
  const now = deps.clock.now();
  const period = await deps.prisma.reportingPeriod.findUnique({ where: { id: periodId }, include: { cycle: true } });
  if (!period || period.status === 'CLOSED') return [];
  const units = await deps.prisma.assignment.findMany({
    where: { cycleId: period.cycleId, active: true, unit: { active: true }, indicator: { active: true } },
    select: { unitId: true },
    distinct: ['unitId'],
  });
  await deps.prisma.$transaction(async (tx) => {
    await tx.unitReport.createMany({ data: units.map((u) => ({ periodId, unitId: u.unitId })), skipDuplicates: true });
    if (period.status === 'PLANNED') {
      await tx.reportingPeriod.update({ where: { id: periodId }, data: { status: 'OPEN', openedAt: now } });
      await tx.auditLog.create({ data: { at: now, action: 'period.open', entity: 'ReportingPeriod', entityId: periodId, data: { cycle: period.cycle.code, period: period.periodKey, units: units.length } } });
    }
  });
  const reports = await deps.prisma.unitReport.findMany({ where: { periodId } });
  const people = await responsiblePeople(deps.prisma, reports.map((r) => r.unitId), asDate(beijingDateOf(now)));
  const ids: string[] = [];
  // One transaction per unit: a crash midway resends nothing already written (dedupe keys), loses nothing.
  for (const r of reports) {
    const who = people.get(r.unitId);
    if (!who?.openId) continue;
    const cards = await formCards(deps.prisma, r.id);
    await deps.prisma.$transaction(async (tx) => {
      for (const [i, c] of cards.entries()) {
        const row = await addOutbound(tx, {
          kind: 'SEND',
          dedupeKey: `card-${r.id}-p${i + 1}`,
          receiveIdType: 'open_id',
          receiveId: who.openId!,
          msgType: 'interactive',
          content: c as unknown as Prisma.InputJsonValue,
        });
        if (row.created) ids.push(row.id);
      }
    });
  }
  return ids;
}
