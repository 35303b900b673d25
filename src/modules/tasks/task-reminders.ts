// Tasks: reminders by the work calendar — two workdays before the due day, on it, and one workday after
// (overdue, also to the unit's heads) — planned into the domain queue by jobs/tasks.job.ts and fired
// one at a time. Job code: it runs its own transaction and returns the outbox ids to enqueue.
import type { PrismaClient } from '../../platform/prisma.ts';
import type { Clock } from '../../platform/clock.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { taskReminderCard, type TaskReminderView } from '../../../cards/task.ts';
import { asDate, dayOf } from '../shared/dates.ts';
import { LATE_GRACE_MS } from '../collection/plan.ts';
import { loadWorkCalendar } from '../calendar/calendar.load.ts';
import { addDays, beijingDateOf, beijingInstant, dayNumber, MissingCalendarError, missingCalendarNotice, type WorkCalendar } from '../calendar/work-calendar.ts';
import { loadTask, ownerRecipient, unitHeads, UNCLOSED_STATES, WORKING_STATES } from './tasks.repo.ts';
import { dueText, json } from './task-view.ts';

export interface TasksDeps {
  prisma: PrismaClient;
  clock: Clock;
}

export type TaskReminderKind = 'before' | 'due' | 'overdue';

/** Reminders go out at this hour (Beijing). */
export const TASK_REMIND_HOUR = 9;
/** The plan holds only the next week's reminders in the queue; it runs again well before the rest are due. */
export const TASK_PLAN_HORIZON_MS = 7 * 24 * 3600_000;

const todayOf = (now: Date) => beijingDateOf(now);

export interface TaskReminderJob {
  jobId: string;
  at: Date;
  payload: { taskId: string; kind: TaskReminderKind };
}

/**
 * When a task's reminders go out, by the work calendar: 'before' two workdays before the due day, 'due'
 * on the due day (the last workday before it when the due day is a rest day), 'overdue' one workday after.
 */
export function taskReminderTimes(cal: WorkCalendar, dueDate: string): { kind: TaskReminderKind; date: string; at: Date }[] {
  const before = cal.addWorkdays(dueDate, -2);
  const due = cal.shiftToWorkday(dueDate, 'backward');
  const overdue = cal.addWorkdays(dueDate, 1);
  return [
    { kind: 'before', date: before, at: beijingInstant(before, TASK_REMIND_HOUR) },
    { kind: 'due', date: due, at: beijingInstant(due, TASK_REMIND_HOUR) },
    { kind: 'overdue', date: overdue, at: beijingInstant(overdue, TASK_REMIND_HOUR) },
  ];
}

export const taskJobId = (taskId: string, kind: TaskReminderKind) => `task-${taskId}-${kind}`;

/**
 * The reminder jobs to keep scheduled for tasks not closed: within the next week, not before the task
 * existed, and never more than 12 h in the past (a reminder the worker missed by longer is dropped).
 * `problems` names tasks whose due day falls in a year the calendar does not know.
 */
export async function planTaskReminders(deps: TasksDeps): Promise<{ jobs: TaskReminderJob[]; problems: string[] }> {
  const now = deps.clock.now();
  const today = todayOf(now);
  const tasks = await deps.prisma.task.findMany({
    // Older due days have no reminder left to send (the overdue one comes a workday after; rest runs are short).
    where: { status: { in: UNCLOSED_STATES }, dueDate: { gte: asDate(addDays(today, -30)) } },
    select: { id: true, title: true, dueDate: true, createdAt: true },
    orderBy: { dueDate: 'asc' },
  });
  if (!tasks.length) return { jobs: [], problems: [] };
  const cal = await loadWorkCalendar(deps.prisma);
  const jobs: TaskReminderJob[] = [];
  const problems: string[] = [];
  for (const t of tasks) {
    let times: ReturnType<typeof taskReminderTimes>;
    try {
      times = taskReminderTimes(cal, dayOf(t.dueDate));
    } catch (err) {
      if (!(err instanceof MissingCalendarError)) throw err;
      problems.push(missingCalendarNotice(err, `交办事项「${t.title}」的提醒时间`));
      continue;
    }
    for (const r of times) {
      const ms = r.at.getTime();
      if (ms < now.getTime() - LATE_GRACE_MS || ms <= t.createdAt.getTime() || ms > now.getTime() + TASK_PLAN_HORIZON_MS) continue;
      jobs.push({ jobId: taskJobId(t.id, r.kind), at: r.at, payload: { taskId: t.id, kind: r.kind } });
    }
  }
  return { jobs, problems };
}

/** Fires one reminder: to the person receiving the unit's cards, and for 'overdue' also to the unit's heads. */
export async function fireTaskReminder(deps: TasksDeps, p: { taskId: string; kind: TaskReminderKind }): Promise<string[]> {
  const now = deps.clock.now();
  const today = todayOf(now);
  const t = await loadTask(deps.prisma, p.taskId);
  if (!t || !WORKING_STATES.includes(t.status)) return [];
  const due = dayOf(t.dueDate);
  const daysLeft = dayNumber(due) - dayNumber(today);
  // A 'due' reminder moved before a due day that is a rest day is worded as a reminder ahead of it.
  const cardKind: TaskReminderKind = p.kind === 'due' && daysLeft > 0 ? 'before' : p.kind;
  const view: TaskReminderView = { taskId: t.id, title: t.title, unitName: t.unit.name, due: dueText(due, today), daysLeft, kind: cardKind };
  const recipients = new Map<string, string>();
  const owner = await ownerRecipient(deps.prisma, t, today);
  if (owner) recipients.set(owner.personId, owner.openId);
  if (p.kind === 'overdue') for (const h of await unitHeads(deps.prisma, t.unitId)) recipients.set(h.id, h.openId!);
  if (!recipients.size) return [];
  const content = json(taskReminderCard(view));
  return deps.prisma.$transaction(async (tx) => {
    const ids: string[] = [];
    for (const [personId, openId] of recipients) {
      const row = await addOutbound(tx, { kind: 'SEND', dedupeKey: `task-${t.id}-${p.kind}-${personId}`, receiveIdType: 'open_id', receiveId: openId, msgType: 'interactive', content });
      if (row.created) ids.push(row.id);
    }
    if (ids.length && p.kind === 'overdue') {
      await tx.auditLog.create({ data: { at: now, action: 'task.overdue', entity: 'Task', entityId: t.id, data: { unit: t.unit.code, dueDate: due, recipients: recipients.size } } });
    }
    return ids;
  });
}
