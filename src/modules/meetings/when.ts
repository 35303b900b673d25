// Meetings: times as organisers type them (下周二下午3点, 12月8日15:00, 明天上午九点半, 周五下午), in
// Beijing time (UTC+8, no DST). Our own grammar reads the Chinese conventions chrono-node's zh.hans
// misreads (weeks start on Monday, 3点 is an afternoon meeting, 下午3点到4点半); chrono reads the
// relative dates our grammar does not know (3天后, 一个月后).
//
// Conventions (tests/meetings-when.test.ts):
// - 周五 / 星期五 alone: the next Friday counted from today (today included); 本周五 / 这周五: this
//   Monday-week's; 下周五: the next Monday-week's; 下下周五: the one after.
// - 12月8日 without a year: this year, or next year when that day is more than 60 days past
//   (typed in December, 1月5日 is next January); a day a few days past is a mistake: refused.
// - 8号: this month's 8th, or next month's once it has passed.
// - A bare hour 1–6 (3点, 3:30) is the afternoon; 7–12 as written; 上午/下午/中午/晚上 decide otherwise.
// - A day, or a day and part of day (周五下午), without a clock time: hasTime false, start at that
//   day's 00:00; the scheduling card asks for the time.
// - A time alone (下午3点) is today. A time already past is refused, never moved to another day.
import * as chrono from 'chrono-node';
import { resolveDay } from '../shared/dates.ts';

export type When = { ok: true; start: Date; end?: Date; hasTime: boolean } | { ok: false; message: string };

/** Phrases for help texts and error messages. */
export const WHEN_EXAMPLES = ['下周二下午3点', '12月8日15:00', '明天上午九点半', '周五下午', '12月8日15:00-16:30', '后天10点'];

const BEIJING_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const TRY = `可以写成${WHEN_EXAMPLES.slice(0, 4).map((e) => `「${e}」`).join('')}。`;

// --- Reading numbers -------------------------------------------------------------------------------

const CN_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** '15', '十二', '二十三', '三十', '零五' → number; NaN for anything else. */
function num(s: string): number {
  if (/^\d+$/.test(s)) return Number(s);
  if (/^[零〇]/.test(s) && s.length === 2) return CN_DIGITS[s[1]!] ?? NaN;
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || !s) return NaN;
  if (!m[2]) return m[3] || !m[1] ? NaN : CN_DIGITS[m[1]]!;
  return (m[1] ? CN_DIGITS[m[1]]! : 1) * 10 + (m[3] ? CN_DIGITS[m[3]]! : 0);
}

/** Full-width digits, colon, space and dashes as half-width, one character for one (positions stay). */
function normalise(s: string): string {
  return s.replace(/[０-９：\u3000－～]/g, (c) => (c === '：' ? ':' : c === '\u3000' ? ' ' : c === '－' ? '-' : c === '～' ? '~' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

// --- The grammar: [date] [part of day] [clock [– [part of day] clock]] -------------------------------

const N = '(\\d{1,2}|[零〇一二两三四五六七八九十]{1,3})';
const sticky = (src: string) => new RegExp(src, 'y');

type DateTok =
  | { type: 'rel'; days: number; part?: Part }
  | { type: 'week'; prefix: string; weekday: number }
  | { type: 'ymd'; year?: number; month: number; day: number }
  | { type: 'dom'; day: number };

type Part = 'dawn' | 'morning' | 'noon' | 'afternoon' | 'evening';

const REL_DAYS: Record<string, [number, Part?]> = {
  今天: [0], 今日: [0], 明天: [1], 明日: [1], 后天: [2], 大后天: [3],
  今早: [0, 'morning'], 明早: [1, 'morning'], 今晚: [0, 'evening'], 明晚: [1, 'evening'], 今夜: [0, 'evening'],
};
const WEEKDAYS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, '6': 6, '7': 7 };
const PARTS: Record<string, Part> = {
  凌晨: 'dawn', 早上: 'morning', 早晨: 'morning', 清晨: 'morning', 上午: 'morning', 中午: 'noon',
  午后: 'afternoon', 下午: 'afternoon', 傍晚: 'evening', 晚上: 'evening', 晚间: 'evening', 夜里: 'evening', 夜间: 'evening',
};
/** When a part of day is over: a day-only phrase for today is past after this hour. */
const PART_ENDS: Record<Part, number> = { dawn: 6, morning: 12, noon: 14, afternoon: 18, evening: 24 };

const DATE_RES: [RegExp, (m: RegExpExecArray) => DateTok | null][] = [
  [sticky('(大后天|后天|明天|明日|今天|今日|今早|明早|今晚|明晚|今夜)'), (m) => ({ type: 'rel', days: REL_DAYS[m[1]!]![0], ...(REL_DAYS[m[1]!]![1] ? { part: REL_DAYS[m[1]!]![1] } : {}) })],
  [sticky('(下下|下|本|这|上)?个?(?:周|星期|礼拜)([一二三四五六日天1-7])'), (m) => ({ type: 'week', prefix: m[1] ?? '', weekday: WEEKDAYS[m[2]!]! })],
  [sticky('(\\d{4})\\s*[年/.-]\\s*(\\d{1,2})\\s*[月/.-]\\s*(\\d{1,2})\\s*[日号]?'), (m) => ({ type: 'ymd', year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) })],
  [sticky(`${N}\\s*月\\s*${N}\\s*[日号]?`), (m) => ymd(m[1]!, m[2]!)],
  // 12/8, 12.8, 12-8: not inside a number, a time or a percentage (增长5.2%).
  [sticky('(?<![\\d.:/-])(\\d{1,2})[/.-](\\d{1,2})(?![\\d.%/:-])'), (m) => ymd(m[1]!, m[2]!)],
  [sticky(`${N}\\s*[日号](?!\\s*[日号])`), (m) => (Number.isNaN(num(m[1]!)) ? null : { type: 'dom', day: num(m[1]!) })],
];

function ymd(month: string, day: string): DateTok | null {
  const mo = num(month);
  const d = num(day);
  return Number.isNaN(mo) || Number.isNaN(d) ? null : { type: 'ymd', month: mo, day: d };
}

type Clock = { hour: number; minute: number };

const PART_RE = sticky(`(${Object.keys(PARTS).join('|')})`);
const CLOCK_RES: [RegExp, (m: RegExpExecArray) => Clock | null][] = [
  [sticky('(\\d{1,2})\\s*:\\s*(\\d{2})(?!\\d)'), (m) => ({ hour: Number(m[1]), minute: Number(m[2]) })],
  [
    sticky(`${N}\\s*[点时](?:\\s*(整|半|一刻|三刻|${N}\\s*分?))?`),
    (m) => {
      const hour = num(m[1]!);
      const tail = m[2];
      const minute = !tail || tail === '整' ? 0 : tail === '半' ? 30 : tail === '一刻' ? 15 : tail === '三刻' ? 45 : num(m[3]!);
      return Number.isNaN(hour) || Number.isNaN(minute) ? null : { hour, minute };
    },
  ],
];
const RANGE_SEP = sticky('\\s*(?:-|–|—|~|至|到)\\s*');
/** 下午3-5点: a bare hour before the range separator. */
const BARE_HOUR = sticky(`${N}(?=\\s*(?:-|–|—|~|至|到)\\s*${N}\\s*[点时])`);
const GLUE = sticky('\\s*的?\\s*');

interface Phrase {
  end: number;
  date?: DateTok;
  part?: Part;
  clock?: Clock;
  endPart?: Part;
  endClock?: Clock;
}

function tryList<T>(res: [RegExp, (m: RegExpExecArray) => T | null][], s: string, at: number): { value: T; end: number } | null {
  for (const [re, read] of res) {
    re.lastIndex = at;
    const m = re.exec(s);
    if (m) {
      const value = read(m);
      if (value) return { value, end: re.lastIndex };
    }
  }
  return null;
}

function tryRe(re: RegExp, s: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(s);
}

/** The longest time phrase starting at `at` (positions in the normalised text), or null. */
function phraseAt(s: string, at: number, withDate = true): Phrase | null {
  const p: Phrase = { end: at };
  let pos = at;
  const date = withDate ? tryList(DATE_RES, s, pos) : null;
  if (date) {
    p.date = date.value;
    p.end = pos = date.end;
    if (date.value.type === 'rel' && date.value.part) p.part = date.value.part;
  }
  const glue = (from: number) => (tryRe(GLUE, s, from) ? GLUE.lastIndex : from);
  const part = tryRe(PART_RE, s, glue(pos));
  if (part && !p.part) {
    p.part = PARTS[part[1]!];
    p.end = pos = PART_RE.lastIndex;
  }
  const clockAt = glue(pos);
  const clock = tryList(CLOCK_RES, s, clockAt);
  const bare = clock ? null : tryRe(BARE_HOUR, s, clockAt);
  if (clock || bare) {
    const start = clock ? clock.value : { hour: num(bare![1]!), minute: 0 };
    const afterStart = clock ? clock.end : BARE_HOUR.lastIndex;
    if (!Number.isNaN(start.hour)) {
      p.clock = start;
      p.end = pos = afterStart;
      if (tryRe(RANGE_SEP, s, pos)) {
        const sepEnd = RANGE_SEP.lastIndex;
        const endPart = tryRe(PART_RE, s, sepEnd);
        const endClockAt = endPart ? PART_RE.lastIndex : sepEnd;
        const endClock = tryList(CLOCK_RES, s, endClockAt);
        if (endClock) {
          p.endClock = endClock.value;
          if (endPart) p.endPart = PARTS[endPart[1]!];
          p.end = endClock.end;
        }
      }
      if (bare && !p.endClock) return null;
    }
  }
  return p.date || p.part || p.clock ? p : null;
}

// --- Locating the phrase in a command line --------------------------------------------------------

/** Where the time phrase is in a command line (「约谈 鞍东区 下周二下午3点 事由」 → 「下周二下午3点」), or null. */
export function findWhen(text: string): { index: number; length: number } | null {
  const s = normalise(text);
  let ours: { index: number; length: number } | null = null;
  for (let i = 0; i < s.length && !ours; i++) {
    const p = phraseAt(s, i);
    // A part of day alone (上午) counts only as a word of its own, not inside a reason.
    if (p && (p.date || p.clock || i === 0 || s[i - 1] === ' ')) ours = { index: i, length: p.end - i };
  }
  // A relative date only chrono knows (3天后), with our time after it; not what our grammar reads
  // itself (chrono also takes 上午 for a date).
  const theirs = chronoDates(s).find((c) => (phraseAt(s, c.index)?.end ?? c.index) < c.index + c.length);
  if (theirs && (!ours || theirs.index < ours.index)) {
    let end = theirs.index + theirs.length;
    const tail = phraseAt(s, glueEnd(s, end), false);
    if (tail) end = tail.end;
    else if (ours && ours.index < end) end = Math.max(end, ours.index + ours.length);
    return { index: theirs.index, length: end - theirs.index };
  }
  return ours;
}

/** Locating a phrase needs no clock: any reference day will do. */
const LOCATING = new Date('2026-01-01T00:00:00Z');

const glueEnd = (s: string, at: number) => (tryRe(GLUE, s, at) ? GLUE.lastIndex : at);

/** A date only chrono knows, then our time (「3天后下午3点」): the whole text, or null. */
function chronoPhrase(s: string, ref: Date): { phrase: Phrase; day: Day } | null {
  for (let i = s.length; i > 0; i--) {
    const tail = i < s.length ? phraseAt(s, i, false) : { end: s.length };
    if (!tail || tail.end !== s.length) continue;
    const head = s.slice(0, i).trim();
    const c = chronoDates(head, ref)[0];
    if (c && !c.timed && c.index === 0 && c.length === head.length) return { phrase: tail, day: { y: c.year, m: c.month, d: c.day } };
  }
  return null;
}

/** chrono-node's dates with a certain day (it also finds 「两月」 in 「连续两月末位」: those are dropped). */
function chronoDates(s: string, ref = LOCATING): { index: number; length: number; year: number; month: number; day: number; timed: boolean }[] {
  // chrono counts days in the process's time zone: hand it Beijing's date as a local noon.
  const b = beijingDay(ref);
  return chrono.zh.hans
    .parse(s, new Date(b.y, b.m - 1, b.d, 12), { forwardDate: true })
    .filter((r) => r.start.isCertain('day'))
    .map((r) => {
      const lead = r.text.length - r.text.trimStart().length;
      return { index: r.index + lead, length: r.text.trim().length, year: r.start.get('year')!, month: r.start.get('month')!, day: r.start.get('day')!, timed: r.start.isCertain('hour') };
    });
}

// --- Resolving against the clock -------------------------------------------------------------------

type Day = { y: number; m: number; d: number };

const beijingDay = (t: Date): Day & { weekday: number } => {
  const b = new Date(t.getTime() + BEIJING_MS);
  return { y: b.getUTCFullYear(), m: b.getUTCMonth() + 1, d: b.getUTCDate(), weekday: b.getUTCDay() || 7 };
};
const instant = (day: Day, hour = 0, minute = 0) => new Date(Date.UTC(day.y, day.m - 1, day.d, hour, minute) - BEIJING_MS);
const addDaysTo = (day: Day, n: number): Day => beijingDay(new Date(instant(day).getTime() + n * DAY_MS));
const iso = (day: Day) => `${day.y}-${String(day.m).padStart(2, '0')}-${String(day.d).padStart(2, '0')}`;

function resolveDate(tok: DateTok, ref: Date): Day | string {
  const today = beijingDay(ref);
  switch (tok.type) {
    case 'rel':
      return addDaysTo(today, tok.days);
    case 'week': {
      const thisWeek = tok.weekday - today.weekday;
      const offset =
        tok.prefix === '' ? (thisWeek + 7) % 7 : tok.prefix === '下' ? thisWeek + 7 : tok.prefix === '下下' ? thisWeek + 14 : tok.prefix === '上' ? thisWeek - 7 : thisWeek;
      return addDaysTo(today, offset);
    }
    case 'ymd': {
      const date = resolveDay(tok.year === undefined ? { month: tok.month, day: tok.day } : { year: tok.year, month: tok.month, day: tok.day }, ref);
      if (!date) return `没有${tok.year ? `${tok.year}年` : ''}${tok.month}月${tok.day}日这一天，请检查日期。`;
      const [y, m, d] = date.split('-').map(Number) as [number, number, number];
      return { y, m, d };
    }
    case 'dom': {
      if (tok.day < 1 || tok.day > 31) return `没有${tok.day}号这一天，请检查日期。`;
      for (let k = 0; k < 3; k++) {
        const y = today.y + Math.floor((today.m - 1 + k) / 12);
        const m = ((today.m - 1 + k) % 12) + 1;
        const probe = new Date(Date.UTC(y, m - 1, tok.day));
        if (probe.getUTCMonth() === m - 1 && (k > 0 || tok.day >= today.d)) return { y, m, d: tok.day };
      }
      return `没有${tok.day}号这一天，请检查日期。`;
    }
  }
}

/** 3点 with 下午 → 15; a bare 1–6 → the afternoon; null when the hour does not fit the part of day. */
function hourOf(clock: Clock, part: Part | undefined): number | null {
  const h = clock.hour;
  if (h > 23 || clock.minute > 59) return null;
  switch (part) {
    case 'dawn':
      return h === 12 ? 0 : h <= 6 ? h : null;
    case 'morning':
      return h <= 12 ? h : null;
    case 'noon':
      return h >= 11 && h <= 12 ? h : h >= 1 && h <= 2 ? h + 12 : h >= 13 && h <= 14 ? h : null;
    case 'afternoon':
      return h >= 1 && h <= 11 ? h + 12 : h >= 12 && h <= 19 ? h : null;
    case 'evening':
      return h >= 5 && h <= 11 ? h + 12 : h >= 17 ? h : null;
    default:
      return h >= 1 && h <= 6 ? h + 12 : h;
  }
}

/** Reads a typed time against `ref` (the clock): Beijing time, never in the past. */
export function parseWhen(text: string, ref: Date): When {
  const s = normalise(text).trim().replace(/[。.，,！!]+$/, '');
  if (!s) return { ok: false, message: `请写出时间，${TRY}` };
  const p = phraseAt(s, 0);
  let day: Day | string | null = null;
  let phrase: Phrase | null = null;
  if (p && p.end === s.length) {
    phrase = p;
    day = p.date ? resolveDate(p.date, ref) : beijingDay(ref);
  } else {
    const theirs = chronoPhrase(s, ref);
    if (theirs) ({ phrase, day } = theirs);
  }
  if (!phrase || !day) return { ok: false, message: `没有看懂「${[...text.trim()].slice(0, 30).join('')}」这个时间，${TRY}` };
  if (typeof day === 'string') return { ok: false, message: day };

  const today = beijingDay(ref);
  const pastDay = iso(day) < iso(today);
  if (!phrase.clock) {
    const partOver = phrase.part && iso(day) === iso(today) && beijingHour(ref) >= PART_ENDS[phrase.part];
    if (pastDay || partOver) return { ok: false, message: `该时间已经过去（${formatDay(day)}${phrase.part ? partWord(phrase.part) : ''}），请写以后的时间，${TRY}` };
    return { ok: true, start: instant(day), hasTime: false };
  }
  const hour = hourOf(phrase.clock, phrase.part);
  if (hour === null) return { ok: false, message: `「${s}」的钟点不对，请写成「下午3点」或「15:00」这样的时间。` };
  const start = instant(day, hour, phrase.clock.minute);
  let end: Date | undefined;
  if (phrase.endClock) {
    let endHour = hourOf(phrase.endClock, phrase.endPart ?? phrase.part);
    // 上午11点到1点, 11:00-1:00: the end is in the afternoon.
    if (endHour !== null && endHour <= hour && endHour + 12 > hour && endHour < 12 && !phrase.endPart) endHour += 12;
    if (endHour === null || endHour > 23) return { ok: false, message: `「${s}」的结束时间不对，请写成「15:00-16:30」这样的时间段。` };
    end = instant(day, endHour, phrase.endClock.minute);
    if (end <= start) return { ok: false, message: `结束时间应晚于开始时间，请写成「15:00-16:30」这样的时间段。` };
  }
  if (start <= ref) return { ok: false, message: `该时间已经过去（${formatWhen(start, end)}），请写以后的时间，${TRY}` };
  return { ok: true, start, ...(end ? { end } : {}), hasTime: true };
}

/** A day alone, as leave is typed (下周一, 12月8日, 明天, 3天后), read with the same grammar as meeting times. */
export type DayResult = { ok: true; date: string } | { ok: false; message: string };
const DAY_TRY = '可以写成「12月8日」「明天」「下周一」。';

/** The whole text as a day without a time, against `ref` (the clock); a past day is returned as is. */
export function parseDayOnly(text: string, ref: Date): DayResult {
  const s = normalise(text).trim().replace(/[。.，,！!]+$/, '');
  const shown = [...text.trim()].slice(0, 30).join('');
  const p = s ? phraseAt(s, 0) : null;
  if (p && p.end === s.length && p.date && !p.clock && !p.part) {
    const day = resolveDate(p.date, ref);
    return typeof day === 'string' ? { ok: false, message: day } : { ok: true, date: iso(day) };
  }
  const c = s ? chronoDates(s, ref)[0] : undefined;
  if (c && !c.timed && c.index === 0 && c.length === s.length) return { ok: true, date: iso({ y: c.year, m: c.month, d: c.day }) };
  return { ok: false, message: `没有看懂「${shown}」这个日期，${DAY_TRY}` };
}

/** 2024-01-15, a leap year early in January: a reference day under which every real date resolves (2月29日 too). */
const ANY_DAY = new Date('2024-01-15T04:00:00Z');

/** Whether the text reads as a real day, whatever today is: for the parser, which has no clock. */
export const isDayPhrase = (text: string): boolean => parseDayOnly(text, ANY_DAY).ok;

const beijingHour = (t: Date) => new Date(t.getTime() + BEIJING_MS).getUTCHours();
const PART_WORDS: Record<Part, string> = { dawn: '凌晨', morning: '上午', noon: '中午', afternoon: '下午', evening: '晚上' };
const partWord = (p: Part) => PART_WORDS[p];

// --- Showing a time -------------------------------------------------------------------------------

const WEEKDAY_WORDS = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];
const formatDay = (day: Day) => `${day.y}年${day.m}月${day.d}日（${WEEKDAY_WORDS[beijingDay(instant(day)).weekday]}）`;
const clockOf = (t: Date) => {
  const b = new Date(t.getTime() + BEIJING_MS);
  return `${String(b.getUTCHours()).padStart(2, '0')}:${String(b.getUTCMinutes()).padStart(2, '0')}`;
};

/** 「2026年12月8日（周二）15:00–16:00」; an end on another day is spelled out; the year always shows. */
export function formatWhen(start: Date, end?: Date): string {
  const from = `${formatDay(beijingDay(start))}${clockOf(start)}`;
  if (!end || end.getTime() === start.getTime()) return from;
  const sameDay = iso(beijingDay(start)) === iso(beijingDay(end));
  return `${from}–${sameDay ? '' : formatDay(beijingDay(end))}${clockOf(end)}`;
}
