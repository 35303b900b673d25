// Domain: the reporting calendar at work — which periods exist, when they open, the reminders that
// stop once a unit has submitted, and the escalations after the deadline. Returns the jobs to keep
// scheduled (jobs/ applies them to BullMQ) and writes every message to the outbox.
import type { Prisma, ReportingCycle } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Clock } from '../../platform/clock.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { organisers } from '../people/people.service.ts';
import { reminderCard, escalationCard } from '../../../cards/collection-status.ts';
import type { Card } from '../../../cards/card.ts';
import { loadWorkCalendar } from '../calendar/calendar.load.ts';
import { MissingCalendarError, beijingDateOf, type WorkCalendar } from '../calendar/work-calendar.ts';
import { cycleRuleOf } from './cycle-rule.ts';
import {
  currentPeriodKey,
  nextPeriodKey,
  periodLabel,
  periodRange,
  periodSchedule,
  dueDateOf,
  type CycleRule,
  type EscalationTarget,
  type PeriodSchedule,
} from './schedule.ts';
import { assignedIndicators, loadReport, responsiblePeople, type ReportBundle } from './collection.repo.ts';
import { asDate, dayOf, dueTextOf, formCards } from './collection.service.ts';

type Db = PrismaClient | Tx;
export interface RemindersDeps {
  prisma: PrismaClient;
  clock: Clock;
}

/** A step fired late (the worker was down) still goes out within this window; older ones are skipped. */
export const LATE_GRACE_MS = 12 * 3600_000;

export type PlannedJob =
  | { name: 'collection.open.v1'; jobId: string; at: Date; payload: { periodId: string } }
  | { name: 'collection.remind.v1'; jobId: string; at: Date; payload: { periodId: string; step: number; unitId?: string } }
  | { name: 'collection.escalate.v1'; jobId: string; at: Date; payload: { periodId: string; step: number; unitId?: string } };

export interface CyclePlan {
  jobs: PlannedJob[];
  /** Job ids this cycle's periods may have had that are no longer wanted (a reminder day removed). */
  unwanted: string[];
  /** Why a period could not be planned, for the log and the organisers. */
  problems: string[];
}

const MAX_STEPS = 8;

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

function stepJobs(periodId: string, s: PeriodSchedule, now: Date, unitId?: string): PlannedJob[] {
  const jobs: PlannedJob[] = [];
  const suffix = unitId ? `-${unitId}` : '';
  const fresh = (at: Date) => at.getTime() >= now.getTime() - LATE_GRACE_MS;
  for (const r of s.reminders) {
    if (fresh(r.at)) jobs.push({ name: 'collection.remind.v1', jobId: `remind-${periodId}${suffix}-${r.step}`, at: r.at, payload: { periodId, step: r.step, ...(unitId ? { unitId } : {}) } });
  }
  for (const e of s.escalations) {
    if (fresh(e.at)) jobs.push({ name: 'collection.escalate.v1', jobId: `escalate-${periodId}${suffix}-${e.step}`, at: e.at, payload: { periodId, step: e.step, ...(unitId ? { unitId } : {}) } });
  }
  return jobs;
}

function unwantedIds(periodId: string, jobs: PlannedJob[], unitId?: string): string[] {
  const want = new Set(jobs.map((j) => j.jobId));
  const suffix = unitId ? `-${unitId}` : '';
  const out: string[] = [];
  for (let n = 1; n <= MAX_STEPS; n++) {
    for (const kind of ['remind', 'escalate']) {
      const id = `${kind}-${periodId}${suffix}-${n}`;
      if (!want.has(id)) out.push(id);
    }
  }
  return out;
}

/** What should be scheduled for a cycle now: the current period (and the next one once it is known). */
export async function planCycle(deps: RemindersDeps, cycleCode: string): Promise<CyclePlan> {
  const now = deps.clock.now();
  const cycle = await deps.prisma.reportingCycle.findUnique({ where: { code: cycleCode } });
  const plan: CyclePlan = { jobs: [], unwanted: [], problems: [] };
  if (!cycle || !cycle.active) return plan;
  const rule = cycleRuleOf(cycle);
  const cal = await loadWorkCalendar(deps.prisma);
  let keys: string[];
  try {
    const current = currentPeriodKey(rule, now, cal);
    keys = [current, nextPeriodKey(cycle.frequency, current)];
  } catch (err) {
    if (!(err instanceof MissingCalendarError)) throw err;
    plan.problems.push(err.message);
    return plan;
  }
  for (const key of keys) {
    let schedule: PeriodSchedule;
    try {
      schedule = periodSchedule(rule, key, cal);
    } catch (err) {
      // The next period may fall in a year whose notice is not configured yet: say so, plan the rest.
      if (!(err instanceof MissingCalendarError)) throw err;
      plan.problems.push(`${cycle.name} ${periodLabel(cycle.frequency, key)}：${err.message}`);
      continue;
    }
    // A period opening more than a week ahead is planned later: nothing to hold in Redis for weeks.
    if (schedule.openAt.getTime() - now.getTime() > 7 * 24 * 3600_000) continue;
    const period = await ensurePeriod(deps.prisma, cycle, rule, key, cal);
    if (period.status === 'CLOSED') continue;
    // A period never opened whose deadline has passed (a bot started mid-cycle) is not opened behind
    // everyone's back with a deadline already missed; the organiser can still collect it by hand.
    if (period.status === 'PLANNED' && schedule.dueAt <= now) continue;
    if (period.status === 'PLANNED') plan.jobs.push({ name: 'collection.open.v1', jobId: `open-${period.id}`, at: schedule.openAt, payload: { periodId: period.id } });
    const jobs = stepJobs(period.id, schedule, now);
    plan.jobs.push(...jobs);
    plan.unwanted.push(...unwantedIds(period.id, jobs));
    // A unit with an extension has its own deadline, reminders and escalations.
    const extended = await deps.prisma.unitReport.findMany({ where: { periodId: period.id, extendedDueDate: { not: null }, status: 'PENDING' } });
    for (const r of extended) {
      const own = periodSchedule(rule, key, cal, { dueDate: dayOf(r.extendedDueDate!) });
      const unitJobs = stepJobs(period.id, own, now, r.unitId);
      plan.jobs.push(...unitJobs);
      plan.unwanted.push(...unwantedIds(period.id, unitJobs, r.unitId));
    }
  }
  return plan;
}

export async function activeCycleCodes(db: Db): Promise<string[]> {
  return (await db.reportingCycle.findMany({ where: { active: true }, select: { code: true } })).map((c) => c.code);
}

const today = (now: Date) => asDate(beijingDateOf(now));
const json = (c: Card) => c as unknown as Prisma.InputJsonValue;

/** Opens a period: a report row per assigned unit and the form cards to the person in charge that day. */
export async function openPeriod(deps: RemindersDeps, periodId: string): Promise<string[]> {
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
  const people = await responsiblePeople(deps.prisma, reports.map((r) => r.unitId), today(now));
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
          content: json(c),
        });
        if (row.created) ids.push(row.id);
      }
    });
  }
  return ids;
}

async function missingIndicators(db: Db, b: ReportBundle): Promise<string[]> {
  const assigned = await assignedIndicators(db, b.cycle.id, b.unit.id, b.period.periodKey);
  const have = new Set(
    (await db.submission.findMany({ where: { periodId: b.period.id, unitId: b.unit.id }, select: { indicatorId: true } })).map((s) => s.indicatorId),
  );
  return assigned.filter((i) => !have.has(i.id)).map((i) => i.name);
}

/** The units a step concerns: still pending; period-wide steps skip units with their own deadline. */
async function pendingReports(db: Db, periodId: string, unitId?: string) {
  return db.unitReport.findMany({
    where: { periodId, status: 'PENDING', ...(unitId ? { unitId } : { extendedDueDate: null }) },
    select: { id: true, unitId: true },
  });
}

/** A reminder step: one card to each unit that has not submitted everything. Submitted units hear nothing. */
export async function fireReminder(deps: RemindersDeps, p: { periodId: string; step: number; unitId?: string }): Promise<string[]> {
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
    const dueToday = dayOf(b.report.extendedDueDate ?? b.period.dueDate) === beijingDateOf(now);
    const row = await addOutbound(deps.prisma, {
      kind: 'SEND',
      dedupeKey: `remind-${p.periodId}-${r.unitId}-${p.unitId ? 'x' : ''}${p.step}`,
      receiveIdType: 'open_id',
      receiveId: who.openId,
      msgType: 'interactive',
      content: json(
        reminderCard({
          reportId: r.id,
          cycleName: b.cycle.name,
          periodLabel: periodLabel(b.cycle.frequency, b.period.periodKey),
          unitName: b.unit.name,
          dueText: dueTextOf(b),
          missing: await missingIndicators(deps.prisma, b),
          kind: dueToday ? 'due-today' : 'reminder',
          recipientRole: who.role,
        }),
      ),
    });
    if (row.created) ids.push(row.id);
  }
  return ids;
}

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
export async function fireEscalation(deps: RemindersDeps, p: { periodId: string; step: number; unitId?: string }): Promise<string[]> {
  const now = deps.clock.now();
  const period = await deps.prisma.reportingPeriod.findUnique({ where: { id: p.periodId }, include: { cycle: true } });
  if (!period || period.status !== 'OPEN') return [];
  const rule = cycleRuleOf(period.cycle);
  const cal = await loadWorkCalendar(deps.prisma);
  const reports = await pendingReports(deps.prisma, p.periodId, p.unitId);
  if (!reports.length) return [];
  const first = (await loadReport(deps.prisma, reports[0]!.id))!;
  const schedule = periodSchedule(rule, period.periodKey, cal, p.unitId ? { dueDate: effectiveDueDateOf(first) } : {});
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
      daysLate: workdaysBetween(cal, effectiveDueDateOf(b), beijingDateOf(now)),
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

const effectiveDueDateOf = (b: ReportBundle) => dayOf(b.report.extendedDueDate ?? b.period.dueDate);
