// Domain: the reporting calendar planned ahead — for each cycle, the jobs that should be scheduled now
// (opening the current and next period, their reminders and escalations, a unit's own after an
// extension) and the job ids no longer wanted. jobs/collection.job.ts applies the plan to BullMQ.
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { Clock } from '../../platform/clock.ts';
import { loadWorkCalendar } from '../calendar/calendar.load.ts';
import { MissingCalendarError, missingCalendarNotice } from '../calendar/work-calendar.ts';
import { dayOf } from '../shared/dates.ts';
import { cycleRuleOf } from './cycle-rule.ts';
import { currentPeriodKey, nextPeriodKey, periodLabel, periodSchedule, type PeriodSchedule } from './schedule.ts';
import { ensurePeriod } from './periods.ts';

type Db = PrismaClient | Tx;

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
export async function planCycle(deps: { prisma: PrismaClient; clock: Clock }, cycleCode: string): Promise<CyclePlan> {
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
    plan.problems.push(missingCalendarNotice(err, `${cycle.name}本期的开放和截止日期`));
    return plan;
  }
  for (const key of keys) {
    let schedule: PeriodSchedule;
    try {
      schedule = periodSchedule(rule, key, cal);
    } catch (err) {
      // The next period may fall in a year whose notice is not configured yet: say so, plan the rest.
      if (!(err instanceof MissingCalendarError)) throw err;
      plan.problems.push(missingCalendarNotice(err, `${periodLabel(cycle.frequency, key)}${cycle.name}的截止日期`));
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
