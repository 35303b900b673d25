// Reporting-cycle schedules: when a period opens, is due, is reminded and escalated, on the real 2026 calendar.
import { describe, expect, it } from 'vitest';
import { beijingDateOf, beijingTimeOf, createWorkCalendar, MissingCalendarError } from '../src/modules/calendar/work-calendar.ts';
import {
  currentPeriodKey,
  deferToAllowed,
  dueDateOf,
  formatSchedule,
  isPeriodKey,
  lastYearKey,
  nextPeriodKey,
  periodKeyOf,
  periodLabel,
  periodRange,
  periodSchedule,
  previousPeriodKey,
  sameYearPrevious,
  type CycleRule,
  type Frequency,
  type PeriodSchedule,
} from '../src/modules/collection/schedule.ts';

const cal = createWorkCalendar();

/** Seed 000: districts and departments report the month's figures by the 15th. */
const monthly: CycleRule = {
  code: 'monthly',
  name: '月度经济运行数据',
  frequency: 'MONTHLY',
  openDay: 1,
  dueDay: 15,
  dueShiftForward: true,
  dueHour: 18,
  remindDaysBefore: [3, 1, 0],
  remindHour: 9,
  remindOnRestDays: false,
  quietFromHour: 21,
  quietToHour: 8,
  escalations: [
    { workdaysAfter: 1, hour: 9, to: ['head'] },
    { workdaysAfter: 2, hour: 9, to: ['leader', 'organiser'] },
  ],
};

/** Seed 003: working groups report weekly, opening Monday, by Friday. */
const weekly: CycleRule = {
  ...monthly,
  code: 'wg-weekly',
  name: '工作组周报',
  frequency: 'WEEKLY',
  openDay: 1,
  dueDay: 5,
  dueShiftForward: false,
  dueHour: 17,
  remindDaysBefore: [1, 0],
  escalations: [{ workdaysAfter: 1, hour: 9, to: ['head'] }],
};

const quarterly: CycleRule = { ...monthly, code: 'quarterly', name: '季度分析', frequency: 'QUARTERLY' };

const bj = (d: Date): string => `${beijingDateOf(d)} ${beijingTimeOf(d)}`;
const steps = (s: PeriodSchedule) => ({
  open: bj(s.openAt),
  due: bj(s.dueAt),
  reminders: s.reminders.map((r) => `${r.step} ${bj(r.at)} ${r.label}`),
  escalations: s.escalations.map((e) => `${e.step} ${bj(e.at)} ${e.label} ${(e.to ?? []).join('+')}`),
});

describe('period keys', () => {
  it.each([
    ['MONTHLY', '2026-11', true],
    ['MONTHLY', '2026-13', false],
    ['MONTHLY', '2026-1', false],
    ['QUARTERLY', '2026-Q3', true],
    ['QUARTERLY', '2026-Q5', false],
    ['WEEKLY', '2026-W53', true], // 2026 starts on a Thursday: 53 ISO weeks
    ['WEEKLY', '2025-W53', false],
    ['WEEKLY', '2027-W53', false],
    ['WEEKLY', '2026-W00', false],
    ['WEEKLY', '2026-11', false],
  ] as [Frequency, string, boolean][])('%s %s is a period key: %s', (frequency, key, valid) => {
    expect(isPeriodKey(frequency, key)).toBe(valid);
  });

  it.each([
    ['MONTHLY', '2024-02', '2024-02-01', '2024-02-29'],
    ['QUARTERLY', '2026-Q3', '2026-07-01', '2026-09-30'],
    ['WEEKLY', '2026-W01', '2025-12-29', '2026-01-04'],
    ['WEEKLY', '2026-W48', '2026-11-23', '2026-11-29'],
    ['WEEKLY', '2026-W53', '2026-12-28', '2027-01-03'],
    ['WEEKLY', '2027-W01', '2027-01-04', '2027-01-10'],
  ] as [Frequency, string, string, string][])('%s %s runs %s to %s', (frequency, key, startDate, endDate) => {
    expect(periodRange(frequency, key)).toEqual({ startDate, endDate });
  });

  it.each([
    ['2026-12-31', '2026-W53'],
    ['2027-01-01', '2026-W53'],
    ['2027-01-03', '2026-W53'],
    ['2027-01-04', '2027-W01'],
    ['2025-12-29', '2026-W01'],
    ['2026-11-23', '2026-W48'],
  ])('the ISO week of %s is %s', (date, key) => {
    expect(periodKeyOf('WEEKLY', date)).toBe(key);
  });

  it.each([
    ['MONTHLY', '2026-11', '2026年11月'],
    ['QUARTERLY', '2026-Q3', '2026年第3季度'],
    ['WEEKLY', '2026-W48', '2026年第48周（11月23日—11月29日）'],
    ['WEEKLY', '2026-W53', '2026年第53周（12月28日—2027年1月3日）'],
    ['WEEKLY', '2026-W01', '2026年第1周（2025年12月29日—1月4日）'],
  ] as [Frequency, string, string][])('%s %s reads %s', (frequency, key, label) => {
    expect(periodLabel(frequency, key)).toBe(label);
  });

  it.each([
    ['MONTHLY', '2026-11', '2026-12', '2026-10'],
    ['MONTHLY', '2026-12', '2027-01', '2026-11'],
    ['MONTHLY', '2026-01', '2026-02', '2025-12'],
    ['QUARTERLY', '2026-Q4', '2027-Q1', '2026-Q3'],
    ['QUARTERLY', '2026-Q1', '2026-Q2', '2025-Q4'],
    ['WEEKLY', '2026-W52', '2026-W53', '2026-W51'],
    ['WEEKLY', '2026-W53', '2027-W01', '2026-W52'],
    ['WEEKLY', '2027-W01', '2027-W02', '2026-W53'],
    ['WEEKLY', '2026-W01', '2026-W02', '2025-W52'],
  ] as [Frequency, string, string, string][])('%s %s: next %s, previous %s', (frequency, key, next, previous) => {
    expect(nextPeriodKey(frequency, key)).toBe(next);
    expect(previousPeriodKey(frequency, key)).toBe(previous);
  });

  it.each([
    ['MONTHLY', '2026-11', '2026-10', '2025-11'],
    ['MONTHLY', '2026-01', null, '2025-01'],
    ['QUARTERLY', '2026-Q3', '2026-Q2', '2025-Q3'],
    ['QUARTERLY', '2026-Q1', null, '2025-Q1'],
    ['WEEKLY', '2026-W48', '2026-W47', '2025-W48'],
    ['WEEKLY', '2026-W01', null, '2025-W01'],
    ['WEEKLY', '2026-W53', '2026-W52', '2025-W52'], // 2025 has no week 53
  ] as [Frequency, string, string | null, string][])('%s %s: same-year previous %s, a year before %s', (frequency, key, prev, lastYear) => {
    expect(sameYearPrevious(frequency, key)).toBe(prev);
    expect(lastYearKey(frequency, key)).toBe(lastYear);
  });

  it('rejects a key of the wrong shape', () => {
    expect(() => periodRange('MONTHLY', '2026-W48')).toThrow(/not a monthly period key/);
  });
});

describe('the monthly report', () => {
  it('2026-11 opens on 1 December, is due on the 15th, reminded and escalated on workdays', () => {
    const s = periodSchedule(monthly, '2026-11', cal);
    expect(s.periodKey).toBe('2026-11');
    expect(s.dueDate).toBe('2026-12-15');
    expect(steps(s)).toEqual({
      open: '2026-12-01 09:00',
      due: '2026-12-15 18:00',
      reminders: ['1 2026-12-10 09:00 截止前 3 个工作日', '2 2026-12-14 09:00 截止前 1 个工作日', '3 2026-12-15 09:00 截止当天'],
      escalations: ['1 2026-12-16 09:00 逾期第 1 个工作日 head', '2 2026-12-17 09:00 逾期第 2 个工作日 leader+organiser'],
    });
    expect(formatSchedule(monthly, s, cal)).toEqual([
      '开放填报：2026-12-01（周二）09:00',
      '截止：2026-12-15（周二）18:00',
      '提醒：2026-12-10（周四）09:00 · 截止前 3 个工作日',
      '提醒：2026-12-14（周一）09:00 · 截止前 1 个工作日',
      '提醒：2026-12-15（周二）09:00 · 截止当天',
      '催报：2026-12-16（周三）09:00 · 逾期第 1 个工作日 → 主要负责人',
      '催报：2026-12-17（周四）09:00 · 逾期第 2 个工作日 → 分管领导、例会办公室',
    ]);
  });

  it('2026-09 opens after the National Day week and is due on 15 October', () => {
    const s = periodSchedule(monthly, '2026-09', cal);
    expect(steps(s)).toEqual({
      open: '2026-10-08 09:00',
      due: '2026-10-15 18:00',
      reminders: ['1 2026-10-12 09:00 截止前 3 个工作日', '2 2026-10-14 09:00 截止前 1 个工作日', '3 2026-10-15 09:00 截止当天'],
      escalations: ['1 2026-10-16 09:00 逾期第 1 个工作日 head', '2 2026-10-19 09:00 逾期第 2 个工作日 leader+organiser'],
    });
  });

  it('counts reminders back across the make-up Saturday 10-10, which is a workday', () => {
    const rule = { ...monthly, dueDay: 12, remindDaysBefore: [2, 1] };
    const s = periodSchedule(rule, '2026-09', cal);
    expect(s.dueDate).toBe('2026-10-12');
    expect(steps(s).reminders).toEqual(['1 2026-10-09 09:00 截止前 2 个工作日', '2 2026-10-10 09:00 截止前 1 个工作日']);
    expect(formatSchedule(rule, s, cal)).toContain('提醒：2026-10-10（周六）09:00 · 截止前 1 个工作日');
  });

  it('moves a due day inside the National Day holiday to 10-08 and says why', () => {
    const rule = { ...monthly, dueDay: 3 };
    const s = periodSchedule(rule, '2026-09', cal);
    expect(s.dueDate).toBe('2026-10-08');
    expect(formatSchedule(rule, s, cal)[1]).toBe('截止：2026-10-08（周四）18:00 · 原定 10-03 为国庆节休息日，顺延至 10-08（周四）');
    // The opening is 10-08 09:00 too: no reminder repeats the opening card.
    expect(s.reminders).toEqual([]);
    const back = { ...rule, dueShiftForward: false };
    expect(dueDateOf(back, '2026-09', cal)).toBe('2026-09-30');
  });

  it.each([
    [true, '2026-11-16', '截止：2026-11-16（周一）18:00 · 原定 11-15 为周日，顺延至 11-16（周一）'],
    [false, '2026-11-13', '截止：2026-11-13（周五）18:00 · 原定 11-15 为周日，提前至 11-13（周五）'],
  ])('a due day on Sunday 11-15 with shift forward %s lands on %s', (dueShiftForward, dueDate, line) => {
    const rule = { ...monthly, dueShiftForward };
    const s = periodSchedule(rule, '2026-10', cal);
    expect(s.dueDate).toBe(dueDate);
    expect(formatSchedule(rule, s, cal)[1]).toBe(line);
  });

  it('moves a February deadline past the Spring Festival break (02-15..02-23)', () => {
    const s = periodSchedule(monthly, '2026-01', cal);
    expect(steps(s)).toEqual({
      open: '2026-02-02 09:00', // 02-01 is a Sunday
      due: '2026-02-24 18:00',
      reminders: ['1 2026-02-12 09:00 截止前 3 个工作日', '2 2026-02-14 09:00 截止前 1 个工作日', '3 2026-02-24 09:00 截止当天'],
      escalations: ['1 2026-02-25 09:00 逾期第 1 个工作日 head', '2 2026-02-26 09:00 逾期第 2 个工作日 leader+organiser'],
    });
    expect(formatSchedule(monthly, s, cal)[1]).toBe('截止：2026-02-24（周二）18:00 · 原定 02-15 为春节休息日，顺延至 02-24（周二）');
    // Shifted backward, the deadline lands on the make-up Saturday before the break.
    expect(dueDateOf({ ...monthly, dueShiftForward: false }, '2026-01', cal)).toBe('2026-02-14');
  });

  it('follows a local rest day from the city file', () => {
    const local = createWorkCalendar({ days: [{ date: '2026-12-15', workday: false, note: '市运动会' }] });
    const s = periodSchedule(monthly, '2026-11', local);
    expect(s.dueDate).toBe('2026-12-16');
    expect(steps(s).reminders).toEqual(['1 2026-12-10 09:00 截止前 3 个工作日', '2 2026-12-14 09:00 截止前 1 个工作日', '3 2026-12-16 09:00 截止当天']);
    expect(formatSchedule(monthly, s, local)[1]).toBe('截止：2026-12-16（周三）18:00 · 原定 12-15 为市运动会休息日，顺延至 12-16（周三）');
  });

  it('uses an extension granted to one unit as is, and says so', () => {
    const s = periodSchedule(monthly, '2026-11', cal, { dueDate: '2026-12-22' });
    expect(s.dueDate).toBe('2026-12-22');
    expect(steps(s).reminders).toEqual(['1 2026-12-17 09:00 截止前 3 个工作日', '2 2026-12-21 09:00 截止前 1 个工作日', '3 2026-12-22 09:00 截止当天']);
    expect(steps(s).escalations[0]).toBe('1 2026-12-23 09:00 逾期第 1 个工作日 head');
    expect(formatSchedule(monthly, s, cal)[1]).toBe('截止：2026-12-22（周二）18:00 · 已单独调整，原定截止 12-15（周二）');
    expect(dueDateOf(monthly, '2026-11', cal, '2026-12-19')).toBe('2026-12-19');
    expect(() => dueDateOf(monthly, '2026-11', cal, '12-19')).toThrow(/not a date/);
  });

  it('drops reminders before the opening, merges duplicates and numbers steps in time order', () => {
    const rule = { ...monthly, remindDaysBefore: [0, 1, 15, 3, 1] };
    const s = periodSchedule(rule, '2026-11', cal);
    expect(steps(s).reminders).toEqual(['1 2026-12-10 09:00 截止前 3 个工作日', '2 2026-12-14 09:00 截止前 1 个工作日', '3 2026-12-15 09:00 截止当天']);
  });

  it('counts calendar days and allows rest days when told to', () => {
    const rule = { ...monthly, remindOnRestDays: true, remindDaysBefore: [12, 5] };
    const s = periodSchedule(rule, '2026-09', cal);
    expect(bj(s.openAt)).toBe('2026-10-01 09:00');
    expect(steps(s).reminders).toEqual(['1 2026-10-03 09:00 截止前 12 天', '2 2026-10-10 09:00 截止前 5 天']);
  });
});

describe('quiet hours', () => {
  it('moves late reminders and escalations to the next allowed morning', () => {
    const rule: CycleRule = {
      ...monthly,
      remindHour: 22,
      escalations: [
        { workdaysAfter: 1, hour: 23, to: ['head'] },
        { workdaysAfter: 3, hour: 22, to: ['leader'] },
      ],
    };
    expect(steps(periodSchedule(rule, '2026-11', cal))).toEqual({
      open: '2026-12-02 08:00',
      due: '2026-12-15 18:00',
      // The due-day reminder would go out after the deadline: dropped.
      reminders: ['1 2026-12-11 08:00 截止前 3 个工作日', '2 2026-12-15 08:00 截止前 1 个工作日'],
      // 12-18 is a Friday: 22:00 becomes Monday morning.
      escalations: ['1 2026-12-17 08:00 逾期第 1 个工作日 head', '2 2026-12-21 08:00 逾期第 3 个工作日 leader'],
    });
  });

  it.each([
    ['2026-12-15T14:00:00+08:00', false, '2026-12-15 14:00'],
    ['2026-12-15T20:59:00+08:00', false, '2026-12-15 20:59'],
    ['2026-12-15T21:00:00+08:00', false, '2026-12-16 08:00'],
    ['2026-12-16T06:30:00+08:00', false, '2026-12-16 08:00'],
    ['2026-12-11T22:30:00+08:00', false, '2026-12-14 08:00'], // Friday night → Monday
    ['2026-10-10T10:00:00+08:00', false, '2026-10-10 10:00'], // make-up Saturday
    ['2026-10-10T22:00:00+08:00', false, '2026-10-12 08:00'],
    ['2026-10-01T10:00:00+08:00', false, '2026-10-08 08:00'], // National Day
    ['2026-11-15T10:00:00+08:00', true, '2026-11-15 10:00'], // Sunday, rest days allowed
    ['2026-11-15T23:00:00+08:00', true, '2026-11-16 08:00'],
  ])('a nudge asked for at %s (rest days allowed: %s) goes out %s', (at, remindOnRestDays, expected) => {
    expect(bj(deferToAllowed(new Date(at), { ...monthly, remindOnRestDays }, cal))).toBe(expected);
  });

  it('returns the very instant when it is allowed', () => {
    const at = new Date('2026-12-15T14:03:27+08:00');
    expect(deferToAllowed(at, monthly, cal)).toBe(at);
  });
});

describe('the current period', () => {
  it.each([
    ['2026-12-02T10:00:00+08:00', '2026-11'],
    ['2026-12-01T09:00:00+08:00', '2026-11'],
    ['2026-12-01T08:00:00+08:00', '2026-10'], // before the 09:00 opening
    ['2026-10-05T10:00:00+08:00', '2026-08'], // 2026-09 opens only on 10-08
    ['2026-12-31T23:00:00+08:00', '2026-11'], // no need to know 2027 yet
  ])('monthly, at %s: %s', (now, key) => {
    expect(currentPeriodKey(monthly, new Date(now), cal)).toBe(key);
  });

  it('weekly: the ISO week across New Year is 2026-W53', () => {
    expect(currentPeriodKey(weekly, new Date('2027-01-01T10:00:00+08:00'), cal)).toBe('2026-W53');
    expect(currentPeriodKey(weekly, new Date('2026-12-28T08:59:00+08:00'), cal)).toBe('2026-W52');
    // Monday 2027-01-04 needs the 2027 calendar.
    expect(() => currentPeriodKey(weekly, new Date('2027-01-04T10:00:00+08:00'), cal)).toThrow(MissingCalendarError);
    const with2027 = createWorkCalendar({ declaredYears: [2027], days: [{ date: '2027-01-01', workday: false, note: '元旦' }] });
    expect(currentPeriodKey(weekly, new Date('2027-01-04T10:00:00+08:00'), with2027)).toBe('2027-W01');
    expect(currentPeriodKey(weekly, new Date('2027-01-04T08:00:00+08:00'), with2027)).toBe('2026-W53');
  });
});

describe('the weekly and quarterly reports', () => {
  it('a working-group week opens Monday and is due Friday; a Friday holiday pulls it back', () => {
    expect(steps(periodSchedule(weekly, '2026-W48', cal))).toEqual({
      open: '2026-11-23 09:00',
      due: '2026-11-27 17:00',
      reminders: ['1 2026-11-26 09:00 截止前 1 个工作日', '2 2026-11-27 09:00 截止当天'],
      escalations: ['1 2026-11-30 09:00 逾期第 1 个工作日 head'],
    });
    // 2026-W40 runs 09-28..10-04; Friday 10-02 is National Day.
    const s = periodSchedule(weekly, '2026-W40', cal);
    expect(s.dueDate).toBe('2026-09-30');
    expect(steps(s).reminders).toEqual(['1 2026-09-29 09:00 截止前 1 个工作日', '2 2026-09-30 09:00 截止当天']);
  });

  it('a quarter is reported in the month after it; Q4 2026 needs the 2027 calendar', () => {
    const q3 = periodSchedule(quarterly, '2026-Q3', cal);
    expect(bj(q3.openAt)).toBe('2026-10-08 09:00');
    expect(q3.dueDate).toBe('2026-10-15');
    expect(() => periodSchedule(quarterly, '2026-Q4', cal)).toThrow(MissingCalendarError);
    const with2027 = createWorkCalendar({ declaredYears: [2027], days: [{ date: '2027-01-01', workday: false, note: '元旦' }] });
    const q4 = periodSchedule(quarterly, '2026-Q4', with2027);
    expect(bj(q4.openAt)).toBe('2027-01-04 09:00');
    expect(q4.dueDate).toBe('2027-01-15');
  });

  it('clamps a due day past the month end', () => {
    expect(dueDateOf({ ...monthly, dueDay: 31 }, '2026-10', cal)).toBe('2026-11-30');
    expect(dueDateOf({ ...monthly, dueDay: 31 }, '2026-01', cal)).toBe('2026-02-28'); // a make-up Saturday
  });
});
