// The official work calendar: national holidays and make-up days, the city's own days, and loud failure for unknown years.
import { describe, expect, it } from 'vitest';
import {
  addDays,
  beijingDateOf,
  beijingInstant,
  beijingTimeOf,
  createWorkCalendar,
  isoWeekday,
  MissingCalendarError,
  weekdayName,
} from '../src/modules/calendar/work-calendar.ts';

const cal = createWorkCalendar();

describe('national arrangements from chinese-days', () => {
  it.each([
    // National Day 2026: 10-01..10-07 off, Sunday 09-20 and Saturday 10-10 worked.
    ['2026-09-20', true, '国庆节调休上班'],
    ['2026-09-30', true, undefined],
    ['2026-10-01', false, '国庆节'],
    ['2026-10-05', false, '国庆节'],
    ['2026-10-07', false, '国庆节'],
    ['2026-10-08', true, undefined],
    ['2026-10-10', true, '国庆节调休上班'],
    ['2026-10-11', false, undefined],
    // Spring Festival 2026: 02-15..02-23 off, Saturdays 02-14 and 02-28 worked.
    ['2026-02-14', true, '春节调休上班'],
    ['2026-02-15', false, '春节'],
    ['2026-02-23', false, '春节'],
    ['2026-02-24', true, undefined],
    ['2026-02-28', true, '春节调休上班'],
    ['2026-04-05', false, '清明节'],
    ['2026-06-19', false, '端午节'],
    ['2026-09-25', false, '中秋节'],
    ['2025-10-08', false, '国庆节'],
    ['2026-12-15', true, undefined],
  ])('%s is a workday: %s (%s)', (date, workday, note) => {
    expect(cal.isWorkday(date)).toBe(workday);
    expect(cal.note(date)).toBe(note);
  });

  it.each([
    ['2026-10-03', 'forward', '2026-10-08'],
    ['2026-10-03', 'backward', '2026-09-30'],
    ['2026-11-15', 'forward', '2026-11-16'], // a plain Sunday
    ['2026-11-15', 'backward', '2026-11-13'],
    ['2026-02-15', 'forward', '2026-02-24'],
    ['2026-02-15', 'backward', '2026-02-14'], // lands on the make-up Saturday
    ['2026-10-11', 'backward', '2026-10-10'],
    ['2026-12-15', 'forward', '2026-12-15'], // already a workday
  ] as const)('shifts %s %s to %s', (date, direction, expected) => {
    expect(cal.shiftToWorkday(date, direction)).toBe(expected);
  });

  it.each([
    ['2026-09-30', 1, '2026-10-08'],
    ['2026-10-08', -1, '2026-09-30'],
    ['2026-10-09', 1, '2026-10-10'],
    ['2026-10-12', -1, '2026-10-10'],
    ['2026-10-15', -4, '2026-10-10'],
    ['2026-10-15', -6, '2026-10-08'],
    ['2026-02-24', -3, '2026-02-12'],
    ['2026-12-15', -3, '2026-12-10'],
    ['2026-12-15', 0, '2026-12-15'],
    ['2026-11-15', 0, '2026-11-15'],
    ['2026-11-15', 1, '2026-11-16'],
  ])('%s plus %i workdays is %s', (date, n, expected) => {
    expect(cal.addWorkdays(date, n)).toBe(expected);
  });

  it('knows the years the package ships, 2025 and 2026 among them, and not 2027', () => {
    const years = cal.knownYears();
    expect(years).toContain(2025);
    expect(years).toContain(2026);
    expect(years).not.toContain(2027);
  });
});

describe('a year nobody has given', () => {
  it('throws instead of guessing Monday to Friday, naming the year and the fix in both languages', () => {
    let error: unknown;
    try {
      cal.isWorkday('2027-03-01');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingCalendarError);
    expect((error as MissingCalendarError).year).toBe(2027);
    expect((error as Error).message).toMatch(/2027/);
    expect((error as Error).message).toMatch(/calendar\.years/);
    expect((error as Error).message).toMatch(/缺少 2027 年的节假日安排/);
    expect((error as Error).message).toMatch(/2004–2026/);
  });

  it('throws when a walk crosses into it, but not before', () => {
    expect(cal.addWorkdays('2026-12-30', 1)).toBe('2026-12-31');
    expect(() => cal.addWorkdays('2026-12-31', 1)).toThrow(MissingCalendarError);
    expect(() => cal.shiftToWorkday('2027-01-02', 'forward')).toThrow(MissingCalendarError);
  });

  it('works once the city file declares it with its days', () => {
    const with2027 = createWorkCalendar({
      declaredYears: [2027],
      days: [
        { date: '2027-01-01', workday: false, note: '元旦' },
        { date: '2027-02-06', workday: false, note: '春节' },
        { date: '2027-02-07', workday: false, note: '春节' },
        { date: '2027-02-08', workday: false, note: '春节' },
        { date: '2027-02-20', workday: true, note: '春节调休上班' },
      ],
    });
    expect(with2027.isWorkday('2027-01-01')).toBe(false);
    expect(with2027.note('2027-01-01')).toBe('元旦');
    expect(with2027.isWorkday('2027-01-02')).toBe(false); // Saturday, plain rule
    expect(with2027.isWorkday('2027-03-01')).toBe(true); // Monday, plain rule
    expect(with2027.isWorkday('2027-02-20')).toBe(true); // declared make-up Saturday
    expect(with2027.addWorkdays('2026-12-31', 1)).toBe('2027-01-04');
    expect(with2027.shiftToWorkday('2027-02-06', 'forward')).toBe('2027-02-09');
    expect(with2027.knownYears()).toContain(2027);
    expect(() => with2027.isWorkday('2028-03-01')).toThrow(MissingCalendarError);
  });
});

describe('local arrangements from the city file', () => {
  const local = createWorkCalendar({
    days: [
      { date: '2026-12-15', workday: false, note: '市运动会' },
      { date: '2026-12-12', workday: true },
    ],
  });

  it('win over the national calendar', () => {
    expect(local.isWorkday('2026-12-15')).toBe(false);
    expect(local.note('2026-12-15')).toBe('市运动会');
    expect(local.isWorkday('2026-12-12')).toBe(true); // a Saturday made a workday locally
    expect(local.shiftToWorkday('2026-12-15', 'forward')).toBe('2026-12-16');
    expect(local.addWorkdays('2026-12-14', -1)).toBe('2026-12-12');
  });

  it('leave every other day as the nation has it', () => {
    expect(local.isWorkday('2026-10-01')).toBe(false);
    expect(local.isWorkday('2026-10-10')).toBe(true);
    expect(cal.isWorkday('2026-12-15')).toBe(true); // another calendar is untouched
  });

  it('reject a malformed date', () => {
    expect(() => createWorkCalendar({ days: [{ date: '2026-02-30', workday: false }] })).toThrow(/not a date/);
    expect(() => cal.isWorkday('2026/10/01')).toThrow(RangeError);
  });
});

describe('date helpers', () => {
  it.each([
    ['2024-02-28', 1, '2024-02-29'],
    ['2026-02-28', 1, '2026-03-01'],
    ['2026-12-31', 1, '2027-01-01'],
    ['2026-03-01', -1, '2026-02-28'],
    ['2026-01-01', -365, '2025-01-01'],
    ['2000-02-28', 1, '2000-02-29'],
    ['2100-02-28', 1, '2100-03-01'],
  ])('%s plus %i days is %s', (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });

  it.each([
    ['2026-12-14', 1, '周一'],
    ['2026-12-15', 2, '周二'],
    ['2026-10-10', 6, '周六'],
    ['2026-11-15', 7, '周日'],
    ['1970-01-01', 4, '周四'],
    ['1969-12-28', 7, '周日'],
  ])('%s is ISO weekday %i (%s)', (date, weekday, name) => {
    expect(isoWeekday(date)).toBe(weekday);
    expect(weekdayName(date)).toBe(name);
  });

  it('converts between Beijing wall time and instants', () => {
    expect(beijingInstant('2026-12-01', 9).toISOString()).toBe('2026-12-01T01:00:00.000Z');
    expect(beijingInstant('2026-12-01', 7, 30).toISOString()).toBe('2026-11-30T23:30:00.000Z');
    expect(beijingDateOf(new Date('2026-12-01T16:30:00Z'))).toBe('2026-12-02');
    expect(beijingDateOf(new Date('2026-12-01T15:59:59Z'))).toBe('2026-12-01');
    expect(beijingTimeOf(new Date('2026-12-01T16:30:00Z'))).toBe('00:30');
  });
});
