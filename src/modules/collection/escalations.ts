// Domain: escalation steps — after the deadline, each recipient (the unit's head, the leaders in charge,
// the organisers) gets one card listing their late units.
import type { Prisma } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { organisers } from '../people/people.service.ts';
import { escalationCard } from '../../../cards/collection-status.ts';
import { loadWorkCalendar } from '../calendar/calendar.load.ts';
import { beijingDateOf, type WorkCalendar } from '../calendar/work-calendar.ts';
import { cycleRuleOf } from './cycle-rule.ts';
import { periodLabel, periodSchedule, type EscalationTarget } from './schedule.ts';
import { assignedIndicators, loadReport, responsiblePeople } from './collection.repo.ts';
import { dueTextOf, effectiveDueDate } from './deadlines.ts';
import { missingIndicators, pendingReports, today, type StepDeps } from './reminders.ts';

type Db = PrismaClient | Tx;
const json = (c: unknown) => c as Prisma.InputJsonValue;

/** The leaders in charge of a unit: by the domains listing the unit, else by its indicators, else the principal. */
async function leadersOf(db: Db, unitId: string, cycleId: string) {
  const byUnit = await db.person.findMany({ where: { active: true, leader: { active: true, domains: { some: { active: true, units: { some: { unitId } } } } } } });
  if (byUnit.length) return byUnit;
  const indicatorIds = (await assignedIndicators(db, cycleId, unitId)).map((i) => i.id);
  const byIndicator = await db.person.findMany({
    where: { active: true, leader: { active: true, domains: { some: { active: true, indicators: { some: { indicatorId: { in: indicatorIds } } } } } } },
  });
  if (byIndicator.length) return byIndicator;
  return db.person.findMany({ where: { active: true, leader: { active: true, rank: 'PRINCIPAL' } } });
}

function workdaysBetween(cal: WorkCalendar, from: string, to: string): number {
  let n = 0;
  for (let d = from; d < to && n < 60; n++) d = cal.addWorkdays(d, 1);
  return n;
}

/** An escalation step: each recipient (head, leader, organiser) gets one card listing their late units. */
export async function fireEscalation(deps: StepDeps, p: { periodId: string; step: number; unitId?: string }): Promise<string[]> {
  const now = deps.clock.now();
  const period = await deps.prisma.reportingPeriod.findUnique({ where: { id: p.periodId }, include: { cycle: true } });
  if (!period || period.status !== 'OPEN') return [];
  const rule = cycleRuleOf(period.cycle);
  const cal = await loadWorkCalendar(deps.prisma);
  const reports = await pendingReports(deps.prisma, p.periodId, p.unitId);
  if (!reports.length) return [];
  const first = (await loadReport(deps.prisma, reports[0]!.id))!;
  const schedule = periodSchedule(rule, period.periodKey, cal, p.unitId ? { dueDate: effectiveDueDate(first) } : {});
  const step = schedule.escalations.find((e) => e.step === p.step);
  if (!step) return [];
  const people = await responsiblePeople(deps.prisma, reports.map((r) => r.unitId), today(now));
  type Late = { unitName: string; liaisonName: string | null; missing: number; daysLate: number };
  const byRecipient = new Map<string, { openId: string; to: EscalationTarget; units: Late[] }>();
  const add = (person: { id: string; openId: string | null }, to: EscalationTarget, u: Late) => {
    if (!person.openId) return;
    const k = `${person.id}`;
    const entry = byRecipient.get(k) ?? { openId: person.openId, to, units: [] };
    entry.units.push(u);
    byRecipient.set(k, entry);
  };
  const office = step.to?.includes('organiser') ? await organisers(deps.prisma) : [];
  for (const r of reports) {
    const b = (await loadReport(deps.prisma, r.id))!;
    const late: Late = {
      unitName: b.unit.name,
      liaisonName: people.get(r.unitId)?.liaisonName ?? null,
      missing: (await missingIndicators(deps.prisma, b)).length,
      daysLate: workdaysBetween(cal, effectiveDueDate(b), beijingDateOf(now)),
    };
    for (const to of step.to ?? []) {
      if (to === 'head') {
        const heads = await deps.prisma.person.findMany({ where: { active: true, roles: { some: { unitId: r.unitId, role: 'HEAD', active: true } } } });
        heads.forEach((h) => add(h, 'head', late));
      } else if (to === 'leader') (await leadersOf(deps.prisma, r.unitId, period.cycleId)).forEach((l) => add(l, 'leader', late));
      else office.forEach((o) => add(o, 'organiser', late));
    }
  }
  const ids: string[] = [];
  await deps.prisma.$transaction(async (tx) => {
    for (const [personId, e] of byRecipient) {
      const row = await addOutbound(tx, {
        kind: 'SEND',
        dedupeKey: `escalate-${p.periodId}-${p.unitId ? `${p.unitId}-x` : ''}${p.step}-${personId}`,
        receiveIdType: 'open_id',
        receiveId: e.openId,
        msgType: 'interactive',
        content: json(
          escalationCard({
            cycleName: period.cycle.name,
            periodLabel: periodLabel(period.cycle.frequency, period.periodKey),
            dueText: dueTextOf(first),
            to: e.to,
            units: e.units,
          }),
        ),
      });
      if (row.created) ids.push(row.id);
    }
    await tx.auditLog.create({
      data: { at: now, action: 'report.escalate', entity: 'ReportingPeriod', entityId: p.periodId, data: { step: p.step, units: reports.length, recipients: byRecipient.size } },
    });
  });
  return ids;
}
