// Domain: working hours (09:00–18:00 Beijing on workdays), for "after N working hours" escalations.
import { addDays, beijingDateOf, beijingInstant, beijingMinuteOfDay, type WorkCalendar } from './work-calendar.ts';

export const DAY_START_HOUR = 9;
export const DAY_END_HOUR = 18;

/** The instant `hours` working hours after `from`; time outside working hours does not count. */
export function addWorkingHours(cal: WorkCalendar, from: Date, hours: number): Date {
  let left = hours * 60;
  let date = beijingDateOf(from);
  let minute = beijingMinuteOfDay(from);
  for (let guard = 0; guard < 400; guard++) {
    if (cal.isWorkday(date)) {
      const start = Math.max(minute, DAY_START_HOUR * 60);
      const end = DAY_END_HOUR * 60;
      if (start < end) {
        if (start + left <= end) return new Date(beijingInstant(date, 0).getTime() + (start + left) * 60_000);
        left -= end - start;
      }
    }
    date = addDays(date, 1);
    minute = 0;
  }
  throw new Error(`addWorkingHours: ${hours} h from ${from.toISOString()} is beyond a year`);
}
