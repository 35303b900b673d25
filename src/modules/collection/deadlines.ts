// Domain: a unit report's deadline — its due date (the unit's extension, else the period's), the
// instant it passes, and how cards say it.
import type { ReportingCycle } from '../../generated/prisma/client.ts';
import { beijingInstant, weekdayName } from '../calendar/work-calendar.ts';
import { dayOf } from '../shared/dates.ts';

type Due = { report?: { extendedDueDate: Date | null }; period: { dueDate: Date } };

/** The unit's due date: its extension, else the period's. */
export const effectiveDueDate = (b: Due) => dayOf(b.report?.extendedDueDate ?? b.period.dueDate);

/** The deadline instant of a due date: the cycle's due hour, Beijing time. */
export const deadlineOf = (cycle: Pick<ReportingCycle, 'dueHour'>, date: string) => beijingInstant(date, cycle.dueHour);

/** '12月15日（周二）18:00 前': a due date as cards say it. */
export function dueDayText(date: string, dueHour: number): string {
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8))}日（${weekdayName(date)}）${String(dueHour).padStart(2, '0')}:00 前`;
}

/** '12月15日（周二）18:00 前', or '已延期至 …' after an extension. */
export function dueTextOf(b: Due & { cycle: { dueHour: number } }): string {
  const text = dueDayText(effectiveDueDate(b), b.cycle.dueHour);
  return b.report?.extendedDueDate ? `已延期至 ${text}` : text;
}
