// Domain: days as people type them, made concrete.
import { beijingDate } from '../../platform/business-time.ts';
import { addDays } from '../calendar/work-calendar.ts';

/** A day as typed: a full date, or month and day (the year comes from today), or today + n days. */
export type DayRef = { year?: number; month: number; day: number } | { offset: number };

/**
 * A typed day made concrete: the year is this year unless that date is long past (December → January).
 * null for a day the year does not have (2月29日 in 2027).
 */
export function resolveDay(ref: DayRef, now: Date): string | null {
  const today = beijingDate(now);
  if ('offset' in ref) return addDays(today, ref.offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  let year = ref.year ?? Number(today.slice(0, 4));
  if (ref.year === undefined && `${year}-${pad(ref.month)}-${pad(ref.day)}` < addDays(today, -60)) year++;
  const probe = new Date(Date.UTC(year, ref.month - 1, ref.day));
  if (probe.getUTCMonth() !== ref.month - 1) return null;
  return `${year}-${pad(ref.month)}-${pad(ref.day)}`;
}

/** A DATE column's day as 'YYYY-MM-DD'. */
export const dayOf = (d: Date) => d.toISOString().slice(0, 10);
/** A business date as PostgreSQL's DATE reads it. */
export const asDate = (date: string) => new Date(`${date}T00:00:00Z`);
