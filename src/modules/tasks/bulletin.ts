// Tasks: the monthly 问效 bulletin — open warnings, tasks by state and overdue tasks by unit — to every
// organiser and leader in the first workdays of a month. Job code: its own transaction, outbox ids returned.
import type { TaskStatus } from '../../generated/prisma/client.ts';
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { bulletinCard, type BulletinView } from '../../../cards/task.ts';
import { dayOf } from '../shared/dates.ts';
import { periodLabel } from '../collection/schedule.ts';
import { loadWorkCalendar } from '../calendar/calendar.load.ts';
import { beijingDateOf, beijingInstant } from '../calendar/work-calendar.ts';
import { WORKING_STATES } from './tasks.repo.ts';
import { dueText, json } from './task-view.ts';
import type { TasksDeps } from './task-reminders.ts';

type Db = PrismaClient | Tx;
const todayOf = (now: Date) => beijingDateOf(now);

const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
const nextMonth = (month: string) => {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/** Business days on which the scheduled bulletin goes out: the first three workdays of the month. */
export const BULLETIN_WORKDAYS = 3;

/** What the bulletin says, as of now, for the month. */
export async function bulletinView(db: Db, month: string, now: Date): Promise<BulletinView> {
  const today = todayOf(now);
  const start = beijingInstant(`${month}-01`, 0);
  const end = beijingInstant(`${nextMonth(month)}-01`, 0);

  // The latest warning of each unit × indicator × cycle is the light in force; open when yellow or red and not resolved.
  const latest = await db.$queryRaw<{ id: string; unitId: string; indicatorId: string; cycleId: string; level: 'GREEN' | 'YELLOW' | 'RED'; status: string; endDate: Date }[]>`
    SELECT DISTINCT ON (w."unitId", w."indicatorId", p."cycleId")
           w.id, w."unitId", w."indicatorId", p."cycleId", w.level::text AS level, w.status::text AS status, p."endDate"
      FROM "Warning" w
      JOIN "ReportingPeriod" p ON p.id = w."periodId"
      JOIN "Unit" u ON u.id = w."unitId" AND u.active
      JOIN "Indicator" i ON i.id = w."indicatorId" AND i.active
     ORDER BY w."unitId", w."indicatorId", p."cycleId", p."endDate" DESC`;
  const open = latest.filter((w) => w.level !== 'GREEN' && w.status !== 'RESOLVED');
  const history = open.length
    ? await db.warning.findMany({
        where: { unitId: { in: [...new Set(open.map((w) => w.unitId))] }, indicatorId: { in: [...new Set(open.map((w) => w.indicatorId))] } },
        select: { unitId: true, indicatorId: true, level: true, period: { select: { cycleId: true, periodKey: true, endDate: true, cycle: { select: { frequency: true } } } } },
      })
    : [];
  const details = open.length
    ? await db.warning.findMany({ where: { id: { in: open.map((w) => w.id) } }, include: { unit: true, indicator: true } })
    : [];
  const detailOf = new Map(details.map((d) => [d.id, d]));
  const items = open.map((w) => {
    // Since: the first period of the unbroken run of yellow or red ending with the light in force.
    const run = history
      .filter((h) => h.unitId === w.unitId && h.indicatorId === w.indicatorId && h.period.cycleId === w.cycleId)
      .sort((a, b) => b.period.endDate.getTime() - a.period.endDate.getTime());
    let first = run[0]!;
    for (const h of run) {
      if (h.level === 'GREEN') break;
      first = h;
    }
    const d = detailOf.get(w.id)!;
    return {
      indicatorName: d.indicator.name,
      unitName: d.unit.shortName ?? d.unit.name,
      level: w.level as 'YELLOW' | 'RED',
      since: periodLabel(first.period.cycle.frequency, first.period.periodKey),
      order: [w.level === 'RED' ? 0 : 1, d.indicator.sortOrder, d.unit.sortOrder, d.indicator.code, d.unit.code] as const,
    };
  });
  items.sort((a, b) => {
    for (let i = 0; i < a.order.length; i++) {
      const x = a.order[i]!;
      const y = b.order[i]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });

  // The month's tasks: assigned by its end, not closed before it began, not cancelled; in their state now.
  const tasks = await db.task.findMany({
    where: { status: { not: 'CANCELLED' }, createdAt: { lt: end }, OR: [{ closedAt: null }, { closedAt: { gte: start } }] },
    select: { unitId: true, status: true, dueDate: true, unit: { select: { name: true, sortOrder: true, code: true } } },
  });
  const isOverdue = (t: (typeof tasks)[number]) => WORKING_STATES.includes(t.status) && dayOf(t.dueDate) < today;
  const count = (s: TaskStatus) => tasks.filter((t) => t.status === s).length;
  const byUnit = new Map<string, { unitName: string; count: number; oldest: string; sort: [number, string] }>();
  for (const t of tasks.filter(isOverdue)) {
    const due = dayOf(t.dueDate);
    const u = byUnit.get(t.unitId) ?? { unitName: t.unit.name, count: 0, oldest: due, sort: [t.unit.sortOrder, t.unit.code] as [number, string] };
    u.count++;
    if (due < u.oldest) u.oldest = due;
    byUnit.set(t.unitId, u);
  }
  const overdueByUnit = [...byUnit.values()]
    .sort((a, b) => a.oldest.localeCompare(b.oldest) || a.sort[0] - b.sort[0] || a.sort[1].localeCompare(b.sort[1]))
    .map((u) => ({ unitName: u.unitName, count: u.count, oldestDue: dueText(u.oldest, today) }));

  return {
    monthLabel: `${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月`,
    openWarnings: {
      red: items.filter((i) => i.level === 'RED').length,
      yellow: items.filter((i) => i.level === 'YELLOW').length,
      items: items.map(({ order: _order, ...i }) => i),
    },
    tasksByState: {
      open: count('OPEN'),
      inProgress: count('IN_PROGRESS'),
      awaitingClose: count('AWAITING_CLOSE'),
      done: count('DONE'),
      overdue: tasks.filter(isOverdue).length,
    },
    overdueByUnit,
  };
}

/**
 * The monthly 问效 bulletin to every organiser and leader, one card each (dedupeKey
 * `bulletin-<YYYY-MM>-<personId>`). With a month it goes out now; without one (the daily schedule) it
 * goes out only in the first three workdays of a month and reports on the month before.
 */
export async function monthlyBulletin(deps: TasksDeps, opts: { month?: string } = {}): Promise<string[]> {
  const now = deps.clock.now();
  const today = todayOf(now);
  let month = opts.month;
  if (month !== undefined && !MONTH_RE.test(month)) throw new Error(`monthlyBulletin: not a month (expected YYYY-MM): "${month}"`);
  if (!month) {
    const cal = await loadWorkCalendar(deps.prisma);
    const first = cal.shiftToWorkday(`${today.slice(0, 7)}-01`, 'forward');
    if (today < first || today > cal.addWorkdays(first, BULLETIN_WORKDAYS - 1)) return [];
    month = previousMonth(today.slice(0, 7));
  }
  const view = await bulletinView(deps.prisma, month, now);
  const people = await deps.prisma.person.findMany({
    where: {
      active: true,
      openId: { not: null },
      OR: [{ roles: { some: { role: 'ORGANISER', active: true } } }, { leader: { active: true } }],
    },
    orderBy: { code: 'asc' },
  });
  const content = json(bulletinCard(view));
  const m = month;
  return deps.prisma.$transaction(async (tx) => {
    const ids: string[] = [];
    for (const p of people) {
      const row = await addOutbound(tx, { kind: 'SEND', dedupeKey: `bulletin-${m}-${p.id}`, receiveIdType: 'open_id', receiveId: p.openId!, msgType: 'interactive', content });
      if (row.created) ids.push(row.id);
    }
    if (ids.length) {
      await tx.auditLog.create({
        data: { at: now, action: 'bulletin.monthly', entity: 'Bulletin', entityId: m, data: { recipients: ids.length, warnings: { red: view.openWarnings.red, yellow: view.openWarnings.yellow }, tasks: view.tasksByState } },
      });
    }
    return ids;
  });
}
