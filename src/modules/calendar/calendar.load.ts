// Domain: the work calendar as the city file configured it (declared years and overrides in the database).
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import { createWorkCalendar, type WorkCalendar } from './work-calendar.ts';

export async function loadWorkCalendar(db: PrismaClient | Tx): Promise<WorkCalendar> {
  const [days, years] = await Promise.all([
    db.calendarDay.findMany({ where: { active: true } }),
    db.calendarYear.findMany({ where: { active: true } }),
  ]);
  return createWorkCalendar({
    days: days.map((d) => ({ date: d.date.toISOString().slice(0, 10), workday: d.workday, ...(d.note ? { note: d.note } : {}) })),
    declaredYears: years.map((y) => y.year),
  });
}
