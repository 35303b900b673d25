// Domain: reminder steps — before the deadline, one card to each unit that has not submitted everything
// (to the liaison, or the backup while the liaison is on leave); units that have submitted hear nothing.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Clock } from '../../platform/clock.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { reminderCard, type ReminderView } from '../../../cards/collection-status.ts';
import { beijingDateOf } from '../calendar/work-calendar.ts';
import { asDate } from '../shared/dates.ts';
import { periodLabel } from './schedule.ts';
import { assignedIndicators, loadReport, responsiblePeople, type ReportBundle } from './collection.repo.ts';
import { dueTextOf, effectiveDueDate } from './deadlines.ts';

type Db = PrismaClient | Tx;
export interface StepDeps {
  prisma: PrismaClient;
  clock: Clock;
}

export const today = (now: Date) => asDate(beijingDateOf(now));
const json = (c: unknown) => c as Prisma.InputJsonValue;

export async function missingIndicators(db: Db, b: ReportBundle): Promise<string[]> {
  const assigned = await assignedIndicators(db, b.cycle.id, b.unit.id, b.period.periodKey);
  const have = new Set(
    (await db.submission.findMany({ where: { periodId: b.period.id, unitId: b.unit.id }, select: { indicatorId: true } })).map((s) => s.indicatorId),
  );
  return assigned.filter((i) => !have.has(i.id)).map((i) => i.name);
}

/** The units a step concerns: still pending; period-wide steps skip units with their own deadline. */
export async function pendingReports(db: Db, periodId: string, unitId?: string) {
  return db.unitReport.findMany({
    where: { periodId, status: 'PENDING', ...(unitId ? { unitId } : { extendedDueDate: null }) },
    select: { id: true, unitId: true },
  });
}

/** A reminder step: one card to each unit that has not submitted everything. Submitted units hear nothing. */
export async function fireReminder(deps: StepDeps, p: { periodId: string; step: number; unitId?: string }): Promise<string[]> {
  const now = deps.clock.now();
  const reports = await pendingReports(deps.prisma, p.periodId, p.unitId);
  if (!reports.length) return [];
  const people = await responsiblePeople(deps.prisma, reports.map((r) => r.unitId), today(now));
  const ids: string[] = [];
  for (const r of reports) {
    const who = people.get(r.unitId);
    if (!who?.openId) continue;
    const b = (await loadReport(deps.prisma, r.id))!;
    if (b.period.status !== 'OPEN') return [];
    const dueToday = effectiveDueDate(b) === beijingDateOf(now);
    const row = await addReminder(deps.prisma, `remind-${p.periodId}-${r.unitId}-${p.unitId ? 'x' : ''}${p.step}`, { openId: who.openId, role: who.role }, b, {
      reportId: r.id,
      missing: await missingIndicators(deps.prisma, b),
      kind: dueToday ? 'due-today' : 'reminder',
    });
    if (row.created) ids.push(row.id);
  }
  return ids;
}

/** A reminder card to the unit's liaison (or whoever answers for the unit), kept in the outbox under `dedupeKey`. */
export function addReminder(
  db: PrismaClient | Tx,
  dedupeKey: string,
  who: { openId: string; role: ReminderView['recipientRole'] },
  b: ReportBundle,
  view: Pick<ReminderView, 'reportId' | 'missing' | 'kind' | 'partly'>,
) {
  return addOutbound(db, {
    kind: 'SEND',
    dedupeKey,
    receiveIdType: 'open_id',
    receiveId: who.openId,
    msgType: 'interactive',
    content: json(
      reminderCard({
        ...view,
        cycleName: b.cycle.name,
        periodLabel: periodLabel(b.cycle.frequency, b.period.periodKey),
        unitName: b.unit.name,
        dueText: dueTextOf(b),
        recipientRole: who.role,
      }),
    ),
  });
}
