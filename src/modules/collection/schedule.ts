// Reporting-cycle schedule maths: period keys, due dates, reminders and escalations on the official work calendar.
import {
  addDays,
  beijingDateOf,
  beijingInstant,
  beijingMinuteOfDay,
  beijingTimeOf,
  dateOfDayNumber,
  dayNumber,
  dayNumberOf,
  daysInMonth,
  formatDate,
  isDateString,
  isoWeekday,
  parseDate,
  weekdayName,
  type WorkCalendar,
} from '../calendar/work-calendar.ts';

export type Frequency = 'WEEKLY' | 'MONTHLY' | 'QUARTERLY';
export type EscalationTarget = 'head' | 'leader' | 'organiser';

export interface CycleRule {
  code: string;
  name: string;
  frequency: Frequency;
  /** monthly/quarterly: day of the month AFTER the period on which it opens; weekly: ISO weekday within the period's own week. */
  openDay: number;
  /** monthly/quarterly: day of the month after the period (clamped to the month's length); weekly: ISO weekday (1 = Monday) within the period's own week. */
  dueDay: number;
  /** A due day on a rest day moves to the next workday (true) or the previous one (false). */
  dueShiftForward: boolean;
  /** The deadline is dueDate at dueHour:00 Beijing time. */
  dueHour: number;
  /** Workdays before the due day on which reminders go out (0 = the due day itself). */
  remindDaysBefore: number[];
  /** Hour (Beijing) of the reminders and of the opening. */
  remindHour: number;
  /** When true, "days before" are calendar days and reminders may fall on rest days. */
  remindOnRestDays: boolean;
  /** No reminder or escalation between quietFromHour:00 and quietToHour:00 (e.g. 21 → 8); a time inside moves to quietToHour:00. */
  quietFromHour: number;
  quietToHour: number;
  /** After the deadline: the unit head the next workday, then the leader in charge and the organiser, … */
  escalations: { workdaysAfter: number; hour: number; to: EscalationTarget[] }[];
}

export interface ScheduledStep {
  step: number;
  at: Date;
  kind: 'open' | 'reminder' | 'escalation';
  label: string;
  to?: EscalationTarget[];
}

export interface PeriodSchedule {
  periodKey: string;
  openAt: Date;
  dueDate: string;
  dueAt: Date;
  reminders: ScheduledStep[];
  escalations: ScheduledStep[];
}

/** How escalation targets are named to an organiser. */
export const TARGET_NAMES: Record<EscalationTarget, string> = {
  head: '主要负责人',
  leader: '分管领导',
  organiser: '例会办公室',
};

// ───────────────────────────── Period keys ─────────────────────────────

/** year plus month (1-12), quarter (1-4) or ISO week (1-53); for weeks the year is the ISO week-year. */
interface Period {
  year: number;
  index: number;
}

const KEY_RE: Record<Frequency, RegExp> = {
  MONTHLY: /^(\d{4})-(\d{2})$/,
  QUARTERLY: /^(\d{4})-Q(\d)$/,
  WEEKLY: /^(\d{4})-W(\d{2})$/,
};

/** 53 when the year starts on a Thursday, or on a Wednesday in a leap year. */
export function isoWeeksInYear(year: number): number {
  const jan1 = isoWeekday(formatDate(year, 1, 1));
  return jan1 === 4 || (jan1 === 3 && daysInMonth(year, 2) === 29) ? 53 : 52;
}

function periodsInYear(frequency: Frequency, year: number): number {
  return frequency === 'MONTHLY' ? 12 : frequency === 'QUARTERLY' ? 4 : isoWeeksInYear(year);
}

function tryParseKey(frequency: Frequency, key: string): Period | undefined {
  const m = KEY_RE[frequency]?.exec(key);
  if (!m) return undefined;
  const year = Number(m[1]);
  const index = Number(m[2]);
  return index >= 1 && index <= periodsInYear(frequency, year) ? { year, index } : undefined;
}

function parseKey(frequency: Frequency, key: string): Period {
  const p = tryParseKey(frequency, key);
  if (!p) throw new RangeError(`not a ${frequency.toLowerCase()} period key: "${key}" (expected ${KEY_EXAMPLE[frequency]})`);
  return p;
}

const KEY_EXAMPLE: Record<Frequency, string> = { MONTHLY: '2026-11', QUARTERLY: '2026-Q3', WEEKLY: '2026-W48' };

function formatKey(frequency: Frequency, p: Period): string {
  const i = String(p.index).padStart(2, '0');
  return frequency === 'MONTHLY' ? `${p.year}-${i}` : frequency === 'QUARTERLY' ? `${p.year}-Q${p.index}` : `${p.year}-W${i}`;
}

export function isPeriodKey(frequency: Frequency, key: string): boolean {
  return tryParseKey(frequency, key) !== undefined;
}

/** Day number of the Monday of ISO week 1 (the week holding 4 January). */
function week1Monday(year: number): number {
  const jan4 = dayNumberOf(year, 1, 4);
  return jan4 - (isoWeekday(dateOfDayNumber(jan4)) - 1);
}

export function periodRange(frequency: Frequency, key: string): { startDate: string; endDate: string } {
  const { year, index } = parseKey(frequency, key);
  if (frequency === 'WEEKLY') {
    const monday = week1Monday(year) + (index - 1) * 7;
    return { startDate: dateOfDayNumber(monday), endDate: dateOfDayNumber(monday + 6) };
  }
  const [first, last] = frequency === 'MONTHLY' ? [index, index] : [index * 3 - 2, index * 3];
  return { startDate: formatDate(year, first, 1), endDate: formatDate(year, last, daysInMonth(year, last)) };
}

/** The period of the given frequency that contains a date. */
export function periodKeyOf(frequency: Frequency, date: string): string {
  const [year, month] = parseDate(date);
  if (frequency === 'MONTHLY') return formatKey(frequency, { year, index: month });
  if (frequency === 'QUARTERLY') return formatKey(frequency, { year, index: Math.ceil(month / 3) });
  // The ISO week belongs to the year of its Thursday.
  const thursday = dayNumber(date) + 4 - isoWeekday(date);
  const weekYear = Number(dateOfDayNumber(thursday).slice(0, 4));
  return formatKey(frequency, { year: weekYear, index: Math.floor((thursday - week1Monday(weekYear)) / 7) + 1 });
}

/** '2026年11月', '2026年第3季度', '2026年第48周（11月23日—11月29日）'. */
export function periodLabel(frequency: Frequency, key: string): string {
  const { year, index } = parseKey(frequency, key);
  if (frequency === 'MONTHLY') return `${year}年${index}月`;
  if (frequency === 'QUARTERLY') return `${year}年第${index}季度`;
  const { startDate, endDate } = periodRange(frequency, key);
  // A week straddling New Year names the other year on the day that lies in it.
  const day = (d: string): string => {
    const [y, m, dd] = parseDate(d);
    return `${y === year ? '' : `${y}年`}${m}月${dd}日`;
  };
  return `${year}年第${index}周（${day(startDate)}—${day(endDate)}）`;
}

export function nextPeriodKey(frequency: Frequency, key: string): string {
  const { year, index } = parseKey(frequency, key);
  return index < periodsInYear(frequency, year)
    ? formatKey(frequency, { year, index: index + 1 })
    : formatKey(frequency, { year: year + 1, index: 1 });
}

export function previousPeriodKey(frequency: Frequency, key: string): string {
  const { year, index } = parseKey(frequency, key);
  return index > 1
    ? formatKey(frequency, { year, index: index - 1 })
    : formatKey(frequency, { year: year - 1, index: periodsInYear(frequency, year - 1) });
}

/** The previous period when it is in the same year (cumulative figures restart each year), else null. Weeks use the ISO week-year. */
export function sameYearPrevious(frequency: Frequency, key: string): string | null {
  return parseKey(frequency, key).index > 1 ? previousPeriodKey(frequency, key) : null;
}

/** The same period a year before (for 同比); week 53 maps to week 52 of a year that has no week 53. */
export function lastYearKey(frequency: Frequency, key: string): string {
  const { year, index } = parseKey(frequency, key);
  return formatKey(frequency, { year: year - 1, index: Math.min(index, periodsInYear(frequency, year - 1)) });
}

// ───────────────────────────── Open and due days ─────────────────────────────

function checkDay(rule: CycleRule, field: 'openDay' | 'dueDay'): number {
  const day = rule[field];
  const max = rule.frequency === 'WEEKLY' ? 7 : 31;
  if (!Number.isInteger(day) || day < 1 || day > max) {
    throw new RangeError(`cycle "${rule.code}": ${field} must be 1-${max} for a ${rule.frequency.toLowerCase()} cycle, got ${day}`);
  }
  return day;
}

/** The day a rule names for a period, before any calendar shift. */
function nominalDay(rule: CycleRule, key: string, day: number): string {
  if (rule.frequency === 'WEEKLY') return addDays(periodRange('WEEKLY', key).startDate, day - 1);
  // Monthly and quarterly figures are reported in the month after the period.
  const [y, m] = parseDate(periodRange(rule.frequency, key).endDate);
  const [year, month] = m === 12 ? [y + 1, 1] : [y, m + 1];
  return formatDate(year, month, Math.min(day, daysInMonth(year, month)));
}

export function nominalOpenDate(rule: CycleRule, key: string): string {
  return nominalDay(rule, key, checkDay(rule, 'openDay'));
}

export function nominalDueDate(rule: CycleRule, key: string): string {
  return nominalDay(rule, key, checkDay(rule, 'dueDay'));
}

/** The due day shifted by the calendar; an override (an extension granted to one unit) is used as is. */
export function dueDateOf(rule: CycleRule, key: string, cal: WorkCalendar, override?: string): string {
  if (override !== undefined) {
    if (!isDateString(override)) throw new RangeError(`due date override is not a date (expected YYYY-MM-DD): "${override}"`);
    return override;
  }
  return cal.shiftToWorkday(nominalDueDate(rule, key), rule.dueShiftForward ? 'forward' : 'backward');
}

function openAtOf(rule: CycleRule, key: string, cal: WorkCalendar): Date {
  const nominal = nominalOpenDate(rule, key);
  const date = rule.remindOnRestDays ? nominal : cal.shiftToWorkday(nominal, 'forward');
  return deferToAllowed(beijingInstant(date, rule.remindHour), rule, cal);
}

// ───────────────────────────── Allowed hours ─────────────────────────────

/** The same instant if messages may go out then, else the next allowed morning at quietToHour. */
export function deferToAllowed(at: Date, rule: CycleRule, cal: WorkCalendar): Date {
  const from = rule.quietFromHour * 60;
  const to = rule.quietToHour * 60;
  const minute = beijingMinuteOfDay(at);
  let date = beijingDateOf(at);
  let moved = false;
  const wraps = from > to; // e.g. 21 → 8 spans midnight
  const quiet = wraps ? minute >= from || minute < to : minute >= from && minute < to;
  if (quiet) {
    if (wraps && minute >= from) date = addDays(date, 1);
    moved = true;
  }
  if (!rule.remindOnRestDays && !cal.isWorkday(date)) {
    date = cal.shiftToWorkday(date, 'forward');
    moved = true;
  }
  return moved ? beijingInstant(date, rule.quietToHour) : at;
}

// ───────────────────────────── The schedule ─────────────────────────────

export function periodSchedule(rule: CycleRule, key: string, cal: WorkCalendar, opts: { dueDate?: string } = {}): PeriodSchedule {
  parseKey(rule.frequency, key);
  const dueDate = dueDateOf(rule, key, cal, opts.dueDate);
  const dueAt = beijingInstant(dueDate, rule.dueHour);
  const openAt = openAtOf(rule, key, cal);

  // Larger "days before" first, so a merged duplicate keeps the earliest wording.
  const reminderCandidates = [...new Set(rule.remindDaysBefore)]
    .sort((a, b) => b - a)
    .map((days) => {
      const date = rule.remindOnRestDays ? addDays(dueDate, -days) : cal.addWorkdays(dueDate, -days);
      const label = days === 0 ? '截止当天' : `截止前 ${days} ${rule.remindOnRestDays ? '天' : '个工作日'}`;
      return { at: deferToAllowed(beijingInstant(date, rule.remindHour), rule, cal), label };
    })
    // A reminder at the opening repeats the opening card; one after the deadline is an escalation's job.
    .filter((r) => r.at > openAt && r.at <= dueAt);
  const reminders: ScheduledStep[] = [];
  for (const r of stableSortByTime(reminderCandidates)) {
    if (reminders.at(-1)?.at.getTime() === r.at.getTime()) continue;
    reminders.push({ step: reminders.length + 1, at: r.at, kind: 'reminder', label: r.label });
  }

  const escalationCandidates = rule.escalations
    .map((e) => {
      const date = cal.addWorkdays(dueDate, e.workdaysAfter);
      const label = e.workdaysAfter === 0 ? '逾期当天' : `逾期第 ${e.workdaysAfter} 个工作日`;
      return { at: deferToAllowed(beijingInstant(date, e.hour), rule, cal), label, to: e.to };
    })
    .filter((e) => e.at > dueAt);
  const escalations: ScheduledStep[] = [];
  for (const e of stableSortByTime(escalationCandidates)) {
    const last = escalations.at(-1);
    if (last && last.at.getTime() === e.at.getTime()) {
      // Two escalations landing on one instant go out as one, to everybody either names.
      last.to = [...new Set([...(last.to ?? []), ...e.to])];
      continue;
    }
    escalations.push({ step: escalations.length + 1, at: e.at, kind: 'escalation', label: e.label, to: [...new Set(e.to)] });
  }

  return { periodKey: key, openAt, dueDate, dueAt, reminders, escalations };
}

function stableSortByTime<T extends { at: Date }>(items: T[]): T[] {
  return items.map((item, i) => ({ item, i })).sort((a, b) => a.item.at.getTime() - b.item.at.getTime() || a.i - b.i).map((x) => x.item);
}

/** The latest period whose opening is at or before `now`. */
export function currentPeriodKey(rule: CycleRule, now: Date, cal: WorkCalendar): string {
  const today = beijingDateOf(now);
  let key = periodKeyOf(rule.frequency, today);
  for (let i = 0; i < 120; i++) {
    // A period opening on a later day is skipped without asking the calendar, which may not know that year yet.
    if (nominalOpenDate(rule, key) <= today && openAtOf(rule, key, cal) <= now) return key;
    key = previousPeriodKey(rule.frequency, key);
  }
  throw new Error(`cycle "${rule.code}": no period opened in the 120 periods before ${today}`);
}

// ───────────────────────────── Preview text ─────────────────────────────

const when = (d: Date): string => {
  const date = beijingDateOf(d);
  return `${date}（${weekdayName(date)}）${beijingTimeOf(d)}`;
};
const monthDay = (date: string): string => `${date.slice(5)}（${weekdayName(date)}）`;

/** Why a day is not a workday, e.g. '国庆节休息日', '周日'. */
function restReason(date: string, cal: WorkCalendar): string {
  const note = cal.note(date);
  if (note) return note.includes('休') ? note : `${note}休息日`;
  return isoWeekday(date) >= 6 ? weekdayName(date) : `休息日（${weekdayName(date)}）`;
}

/** The lines an organiser reads in a schedule preview. */
export function formatSchedule(rule: CycleRule, s: PeriodSchedule, cal: WorkCalendar): string[] {
  const nominal = nominalDueDate(rule, s.periodKey);
  const shifted = dueDateOf(rule, s.periodKey, cal);
  let dueNote = '';
  if (s.dueDate !== shifted) dueNote = ` · 已单独调整，原定截止 ${monthDay(shifted)}`;
  else if (shifted !== nominal) {
    dueNote = ` · 原定 ${nominal.slice(5)} 为${restReason(nominal, cal)}，${rule.dueShiftForward ? '顺延' : '提前'}至 ${monthDay(shifted)}`;
  }
  return [
    `开放填报：${when(s.openAt)}`,
    `截止：${when(s.dueAt)}${dueNote}`,
    ...s.reminders.map((r) => `提醒：${when(r.at)} · ${r.label}`),
    ...s.escalations.map((e) => `催报：${when(e.at)} · ${e.label} → ${(e.to ?? []).map((t) => TARGET_NAMES[t]).join('、')}`),
  ];
}
