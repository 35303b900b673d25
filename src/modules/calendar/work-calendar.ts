// Official work calendar: chinese-days' national arrangements under the city's own days, loud about years nobody has given.
import chineseDays from 'chinese-days';

export interface CalendarDay {
  date: string;
  workday: boolean;
  note?: string;
}

export interface WorkCalendarInput {
  /** Days from the city configuration: local arrangements and whole years the package does not know yet. They win over the package. */
  days?: CalendarDay[];
  /** Years whose official notice is given in the configuration (so every day of the year not listed in `days` follows the plain Mon-Fri rule). */
  declaredYears?: number[];
}

export interface WorkCalendar {
  /** Throws MissingCalendarError for a year neither chinese-days covers nor the configuration declares. */
  isWorkday(date: string): boolean;
  /** The date itself if a workday, else the nearest workday after ('forward') or before ('backward'). */
  shiftToWorkday(date: string, direction: 'forward' | 'backward'): string;
  /** n workdays after (n > 0) or before (n < 0) `date`, not counting `date` itself; n = 0 returns date. */
  addWorkdays(date: string, n: number): string;
  /** The holiday or make-up note of a day, e.g. '国庆节' or '国庆节调休上班', else undefined (also for a year nobody has given: it is display text). */
  note(date: string): string | undefined;
  /** Years known (package + declared), for messages. */
  knownYears(): number[];
}

export class MissingCalendarError extends Error {
  readonly year: number;
  constructor(year: number, known: number[]) {
    super(
      `No official work calendar for ${year}: ${describeYears(known)}. ` +
        `Add the year under \`calendar.years\` in the city file, with its holidays and make-up workdays from the State Council notice. / ` +
        `缺少 ${year} 年的节假日安排（已有：${describeYearsZh(known)}）。请在城市配置文件的 calendar.years 下添加 ${year} 年，` +
        `按国务院办公厅放假通知填写放假日和调休上班日。`,
    );
    this.name = 'MissingCalendarError';
    this.year = year;
  }
}

/**
 * What an organiser reads (the error's message is for the log): Chinese only, what cannot be
 * scheduled and what to do. `what` names it, e.g. 「2026年12月 月度经济运行报送的截止日期」.
 */
export function missingCalendarNotice(err: MissingCalendarError, what = '相关日程'): string {
  return (
    `${err.year} 年法定节假日安排尚未录入，${what}暂无法排定；` +
    `请在城市配置中补充 ${err.year} 年的放假和调休日期（依据国务院办公厅的放假通知），配置生效后发送「预览」核对日程。`
  );
}

// ───────────────────────────── Date arithmetic ─────────────────────────────
// Dates are handled as day numbers (days since 1970-01-01) with civil-calendar arithmetic:
// no Date objects, no time zones, cheap enough for the schedule bench.

const WEEKDAY_NAMES = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

// Hand-rolled parsing: date strings are parsed on every calendar step, and a regex here dominated the bench.
const digit = (s: string, i: number): number => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
};

/** [year, month, day] of a valid 'YYYY-MM-DD' string, else undefined. */
function tryParseDate(s: string): [number, number, number] | undefined {
  if (s.length !== 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  const year = digit(s, 0) * 1000 + digit(s, 1) * 100 + digit(s, 2) * 10 + digit(s, 3);
  const month = digit(s, 5) * 10 + digit(s, 6);
  const day = digit(s, 8) * 10 + digit(s, 9);
  // NaN fails every comparison, so a non-digit anywhere ends here.
  if (!(year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month))) return undefined;
  return [year, month, day];
}

export function isDateString(s: string): boolean {
  return tryParseDate(s) !== undefined;
}

/** [year, month, day] of a 'YYYY-MM-DD' string; throws on anything else. */
export function parseDate(date: string): [number, number, number] {
  const parts = tryParseDate(date);
  if (!parts) throw new RangeError(`not a date (expected YYYY-MM-DD): "${date}"`);
  return parts;
}

export function formatDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** Days since 1970-01-01 (Howard Hinnant's days_from_civil). */
export function dayNumberOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function dayNumber(date: string): number {
  const [y, m, d] = parseDate(date);
  return dayNumberOf(y, m, d);
}

/** 'YYYY-MM-DD' of a day number (civil_from_days). */
export function dateOfDayNumber(n: number): string {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return formatDate(yoe + era * 400 + (month <= 2 ? 1 : 0), month, day);
}

export function addDays(date: string, n: number): string {
  return dateOfDayNumber(dayNumber(date) + n);
}

/** ISO weekday, 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return isoWeekdayOf(dayNumber(date));
}

function isoWeekdayOf(n: number): number {
  // 1970-01-01 was a Thursday.
  return ((((n + 3) % 7) + 7) % 7) + 1;
}

/** '周一' … '周日'. */
export function weekdayName(date: string): string {
  return WEEKDAY_NAMES[isoWeekday(date) - 1]!;
}

// ───────────────────────────── Beijing instants ─────────────────────────────
// China has had no DST since 1991, so Beijing time is UTC+8 all year.

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * HOUR_MS;

/** The instant of `date` at hour:minute Beijing time (hour 24 is midnight of the next day). */
export function beijingInstant(date: string, hour: number, minute = 0): Date {
  return new Date(dayNumber(date) * DAY_MS + hour * HOUR_MS + minute * 60_000 - BEIJING_OFFSET_MS);
}

/** The Beijing calendar date of an instant. */
export function beijingDateOf(d: Date): string {
  return dateOfDayNumber(Math.floor((d.getTime() + BEIJING_OFFSET_MS) / DAY_MS));
}

/** Minutes since Beijing midnight of an instant (0 … 1439). */
export function beijingMinuteOfDay(d: Date): number {
  const ms = (d.getTime() + BEIJING_OFFSET_MS) % DAY_MS;
  return Math.floor((ms < 0 ? ms + DAY_MS : ms) / 60_000);
}

/** 'HH:MM' Beijing time of an instant. */
export function beijingTimeOf(d: Date): string {
  const m = beijingMinuteOfDay(d);
  return `${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`;
}

// ───────────────────────────── chinese-days ─────────────────────────────

interface DayInfo {
  workday: boolean;
  note?: string;
}

// The package's short names, as people say them in a notice.
const HOLIDAY_NAMES: Record<string, string> = { 清明: '清明节', 端午: '端午节', 中秋: '中秋节' };

// Package answers never change: one cache for every calendar built in the process.
const packageDayCache = new Map<string, DayInfo>();
const packageYearCache = new Map<number, boolean>();
let packageYearList: number[] | undefined;

/** Whether chinese-days carries the official notice for the year (for other years it silently answers Mon-Fri). */
function packageCovers(year: number): boolean {
  let covered = packageYearCache.get(year);
  if (covered === undefined) {
    const y = String(year).padStart(4, '0');
    covered = chineseDays.getHolidaysInRange(`${y}-01-01`, `${y}-12-31`, false).length > 0;
    packageYearCache.set(year, covered);
  }
  return covered;
}

function packageYears(): number[] {
  // The data starts in 2004; the window is generous so a newer package is picked up without code changes.
  packageYearList ??= Array.from({ length: 2100 - 1990 + 1 }, (_, i) => 1990 + i).filter(packageCovers);
  return packageYearList;
}

function packageDay(date: string): DayInfo {
  let info = packageDayCache.get(date);
  if (!info) {
    const detail = chineseDays.getDayDetail(date);
    // Official days are named "English,中文,n"; ordinary days just by their weekday.
    const zh = detail.name.split(',')[1];
    const name = zh ? (HOLIDAY_NAMES[zh] ?? zh) : undefined;
    info = { workday: detail.work, note: name && (detail.work ? `${name}调休上班` : name) };
    packageDayCache.set(date, info);
  }
  return info;
}

function describeYears(known: number[]): string {
  return known.length ? `the calendar knows ${ranges(known).join(', ')}` : 'the calendar knows no year';
}

function describeYearsZh(known: number[]): string {
  return known.length ? ranges(known).join('、') : '无';
}

/** [2004…2026, 2028] → ['2004–2026', '2028'] */
function ranges(years: number[]): string[] {
  const out: string[] = [];
  let start = years[0]!;
  let prev = start;
  for (const y of [...years.slice(1), Number.NaN]) {
    if (y === prev + 1) {
      prev = y;
      continue;
    }
    out.push(start === prev ? String(start) : `${start}–${prev}`);
    start = prev = y;
  }
  return out;
}

// ───────────────────────────── The calendar ─────────────────────────────

// Longer than any official break (the longest, Spring Festival, is 9 days); beyond it the data is wrong.
const MAX_REST_RUN = 60;

export function createWorkCalendar(input: WorkCalendarInput = {}): WorkCalendar {
  const configured = new Map<string, CalendarDay>();
  for (const day of input.days ?? []) {
    parseDate(day.date);
    configured.set(day.date, day);
  }
  const declared = new Set(input.declaredYears ?? []);
  // Keyed by day number so workday walks never build date strings for days already seen.
  const memo = new Map<number, boolean>();

  const lookup = (date: string): boolean => {
    const own = configured.get(date);
    if (own) return own.workday;
    const year = parseDate(date)[0];
    // A declared year is the configuration's whole notice, even for a year the package also knows.
    if (declared.has(year)) return isoWeekday(date) <= 5;
    if (packageCovers(year)) return packageDay(date).workday;
    throw new MissingCalendarError(year, knownYears());
  };

  const isWorkdayN = (n: number): boolean => {
    let w = memo.get(n);
    if (w === undefined) {
      w = lookup(dateOfDayNumber(n));
      memo.set(n, w);
    }
    return w;
  };

  const knownYears = (): number[] => [...new Set([...packageYears(), ...declared])].sort((a, b) => a - b);

  const step = (from: number, delta: 1 | -1): number => {
    let n = from;
    for (let i = 0; i < MAX_REST_RUN; i++) {
      n += delta;
      if (isWorkdayN(n)) return n;
    }
    throw new Error(`no workday within ${MAX_REST_RUN} days ${delta > 0 ? 'after' : 'before'} ${dateOfDayNumber(from)}: check the calendar configuration`);
  };

  const isWorkday = (date: string): boolean => isWorkdayN(dayNumber(date));

  return {
    isWorkday,
    shiftToWorkday(date, direction) {
      const n = dayNumber(date);
      return isWorkdayN(n) ? date : dateOfDayNumber(step(n, direction === 'forward' ? 1 : -1));
    },
    addWorkdays(date, n) {
      if (!Number.isInteger(n)) throw new RangeError(`workdays must be a whole number, got ${n}`);
      let d = dayNumber(date);
      for (let i = 0; i < Math.abs(n); i++) d = step(d, n > 0 ? 1 : -1);
      return n === 0 ? date : dateOfDayNumber(d);
    },
    note(date) {
      const own = configured.get(date);
      if (own) return own.note;
      const year = parseDate(date)[0];
      if (declared.has(year) || !packageCovers(year)) return undefined;
      return packageDay(date).note;
    },
    knownYears,
  };
}
