// Meeting times as organisers type them, read against a fixed clock: Friday 2026-12-04, 10:00 Beijing.
import { describe, expect, it } from 'vitest';
import { findWhen, formatWhen, parseWhen, WHEN_EXAMPLES } from '../src/modules/meetings/when.ts';

const REF = new Date('2026-12-04T10:00:00+08:00');

/** What a phrase means, shown the way the scheduling card shows it; '日' = a day without a time. */
function read(text: string, ref = REF): string {
  const r = parseWhen(text, ref);
  if (!r.ok) return `✗ ${r.message}`;
  return r.hasTime ? formatWhen(r.start, r.end) : `${formatWhen(r.start).slice(0, -5)} 日`;
}

describe('parseWhen: phrases as typed', () => {
  it.each([
    // Weeks start on Monday: today is Friday the 4th, next week runs Monday 7th – Sunday 13th.
    ['下周二下午3点', '2026年12月8日（周二）15:00'],
    ['下周二 15:30', '2026年12月8日（周二）15:30'],
    ['下个星期二上午十点', '2026年12月8日（周二）10:00'],
    ['下周二的下午三点一刻', '2026年12月8日（周二）15:15'],
    ['下周五', '2026年12月11日（周五） 日'],
    ['下下周一上午10点', '2026年12月14日（周一）10:00'],
    // A weekday alone is the next one, today included; 本周/这周 is this week's.
    ['周五下午3点', '2026年12月4日（周五）15:00'],
    ['周一', '2026年12月7日（周一） 日'],
    ['星期三', '2026年12月9日（周三） 日'],
    ['礼拜三上午9点', '2026年12月9日（周三）09:00'],
    ['周日下午两点', '2026年12月6日（周日）14:00'],
    ['星期天', '2026年12月6日（周日） 日'],
    ['本周六上午', '2026年12月5日（周六） 日'],
    // A day and a part of day, without a clock time: the card asks for the time.
    ['周五下午', '2026年12月4日（周五） 日'],
    ['今天下午', '2026年12月4日（周五） 日'],
    ['12月8日下午', '2026年12月8日（周二） 日'],
    ['中午', '2026年12月4日（周五） 日'],
    ['晚上', '2026年12月4日（周五） 日'],
    // Parts of day and Chinese numerals.
    ['下午3点', '2026年12月4日（周五）15:00'],
    ['明天上午九点半', '2026年12月5日（周六）09:30'],
    ['十二点', '2026年12月4日（周五）12:00'],
    ['中午十二点', '2026年12月4日（周五）12:00'],
    ['中午1点', '2026年12月4日（周五）13:00'],
    ['今晚8点', '2026年12月4日（周五）20:00'],
    ['明晚七点', '2026年12月5日（周六）19:00'],
    ['明早9点', '2026年12月5日（周六）09:00'],
    ['下午3点整', '2026年12月4日（周五）15:00'],
    ['十点零五', '2026年12月4日（周五）10:05'],
    ['10点05分', '2026年12月4日（周五）10:05'],
    ['下午15点', '2026年12月4日（周五）15:00'],
    // A bare hour 1–6 is an afternoon meeting, 7–12 as written.
    ['3点', '2026年12月4日（周五）15:00'],
    ['6点', '2026年12月4日（周五）18:00'],
    ['12:00', '2026年12月4日（周五）12:00'],
    // Relative days.
    ['明天', '2026年12月5日（周六） 日'],
    ['后天10点', '2026年12月6日（周日）10:00'],
    ['大后天', '2026年12月7日（周一） 日'],
    // Dates as written, in figures or in words, full-width as typed on a phone.
    ['12月8日15:00', '2026年12月8日（周二）15:00'],
    ['12月8日 15:00', '2026年12月8日（周二）15:00'],
    ['12月8日下午三点', '2026年12月8日（周二）15:00'],
    ['12月8号下午3点', '2026年12月8日（周二）15:00'],
    ['12月31日 下午 3点', '2026年12月31日（周四）15:00'],
    ['十二月八日', '2026年12月8日（周二） 日'],
    ['12/8 15:00', '2026年12月8日（周二）15:00'],
    ['12.8 15:00', '2026年12月8日（周二）15:00'],
    ['2026-12-08 15:00', '2026年12月8日（周二）15:00'],
    ['2026年12月8日下午3点', '2026年12月8日（周二）15:00'],
    ['１２月８日１５：００', '2026年12月8日（周二）15:00'],
    ['8号', '2026年12月8日（周二） 日'],
    // The year rolls forward for a date long past this year; a month rolls for a day-of-month past.
    ['1月5日', '2027年1月5日（周二） 日'],
    ['1月5日上午9点', '2027年1月5日（周二）09:00'],
    ['2027年1月5日 9:00', '2027年1月5日（周二）09:00'],
    ['3号', '2027年1月3日（周日） 日'],
    // Ranges: the end on the same day, its part of day inherited.
    ['15:00-16:30', '2026年12月4日（周五）15:00–16:30'],
    ['12月8日15:00-16:30', '2026年12月8日（周二）15:00–16:30'],
    ['15:00～16:30', '2026年12月4日（周五）15:00–16:30'],
    ['15:00至16:30', '2026年12月4日（周五）15:00–16:30'],
    ['下午3点到4点半', '2026年12月4日（周五）15:00–16:30'],
    ['下午三点到四点半', '2026年12月4日（周五）15:00–16:30'],
    ['下午3-5点', '2026年12月4日（周五）15:00–17:00'],
    ['上午11点到1点', '2026年12月4日（周五）11:00–13:00'],
    ['下周二上午9:00-11:30', '2026年12月8日（周二）09:00–11:30'],
    // Relative dates only chrono-node knows, with our time after them.
    ['3天后', '2026年12月7日（周一） 日'],
    ['三天后 15:00', '2026年12月7日（周一）15:00'],
    ['两天后下午3点', '2026年12月6日（周日）15:00'],
  ])('%s → %s', (text, shown) => {
    expect(read(text)).toBe(shown);
  });
});

describe('parseWhen: what it refuses, and says why', () => {
  it.each([
    // Past times are refused, never moved to another day.
    ['9点半', '该时间已经过去（2026年12月4日（周五）09:30）'],
    ['上午九点半', '该时间已经过去'],
    ['9:00-11:30', '该时间已经过去'],
    ['12月3日', '该时间已经过去（2026年12月3日（周四））'],
    ['12月3日15:00', '该时间已经过去'],
    ['这周四', '该时间已经过去'],
    ['上周五', '该时间已经过去'],
    // Impossible dates and clock times.
    ['2月30日', '没有2月30日这一天'],
    ['13月1日', '没有13月1日这一天'],
    ['25:00', '钟点不对'],
    ['上午15点', '钟点不对'],
    ['晚上12点', '钟点不对'],
    ['15:00-14:00', '结束时间应晚于开始时间'],
    // Not a time at all, or only half of one: examples to copy.
    ['asdf', '没有看懂「asdf」这个时间，可以写成「下周二下午3点」「12月8日15:00」'],
    ['下周', '没有看懂「下周」'],
    ['12月8日15:00 开会', '没有看懂'],
    ['', '请写出时间'],
  ])('%j → %s', (text, says) => {
    expect(read(text)).toMatch(/^✗ /);
    expect(read(text)).toContain(says);
  });

  it('refuses an afternoon of today once it is over, and accepts it while it lasts', () => {
    expect(read('今天下午', new Date('2026-12-04T18:30:00+08:00'))).toContain('该时间已经过去（2026年12月4日（周五）下午）');
    expect(read('今天下午', new Date('2026-12-04T17:30:00+08:00'))).toBe('2026年12月4日（周五） 日');
  });

  it('counts days in Beijing, whatever the UTC date (01:00 on the 5th is still 17:00 UTC on the 4th)', () => {
    const early = new Date('2026-12-05T01:00:00+08:00');
    expect(read('明天', early)).toBe('2026年12月6日（周日） 日');
    expect(read('3天后上午10点', early)).toBe('2026年12月8日（周二）10:00');
    expect(read('下周二下午3点', early)).toBe('2026年12月8日（周二）15:00');
  });

  it('gives instants in Beijing time and the day at 00:00 when there is no time', () => {
    const r = parseWhen('下周二下午3点', REF);
    expect(r).toEqual({ ok: true, start: new Date('2026-12-08T07:00:00Z'), hasTime: true });
    const d = parseWhen('周五下午', REF);
    expect(d).toEqual({ ok: true, start: new Date('2026-12-03T16:00:00Z'), hasTime: false });
    const range = parseWhen('12月8日15:00-16:30', REF);
    expect(range.ok && range.end?.toISOString()).toBe('2026-12-08T08:30:00.000Z');
  });

  it('reads every help example', () => {
    for (const e of WHEN_EXAMPLES) expect(parseWhen(e, REF).ok, e).toBe(true);
  });
});

describe('findWhen: the time phrase inside a command line', () => {
  const found = (line: string) => {
    const w = findWhen(line);
    return w ? [line.slice(0, w.index).trim(), line.slice(w.index, w.index + w.length), line.slice(w.index + w.length).trim()] : null;
  };

  it.each([
    ['鞍东区 下周二下午3点 规上工业增加值连续两月末位', ['鞍东区', '下周二下午3点', '规上工业增加值连续两月末位']],
    ['鞍东区 12月8日15:00', ['鞍东区', '12月8日15:00', '']],
    ['鞍东区下周二下午3点', ['鞍东区', '下周二下午3点', '']],
    ['工业运行 12月10日15:00 鞍东区 市经信局', ['工业运行', '12月10日15:00', '鞍东区 市经信局']],
    ['工业运行 12月10日 15:00-16:30 鞍东区', ['工业运行', '12月10日 15:00-16:30', '鞍东区']],
    ['青山区 周五下午 增速低于全市5.2个百分点', ['青山区', '周五下午', '增速低于全市5.2个百分点']],
    ['鞍西区 三天后上午10点 复产情况', ['鞍西区', '三天后上午10点', '复产情况']],
    ['１２月８日　１５：００', ['', '１２月８日　１５：００', '']],
    ['鞍东区 下午 用电量下降', ['鞍东区', '下午', '用电量下降']],
  ])('%s', (line, parts) => {
    expect(found(line)).toEqual(parts);
  });

  it.each([['鞍东区 规上工业增加值连续两月末位'], ['工业运行 增长5.2%'], ['鞍东区上午'], ['']])('finds no time in %j', (line) => {
    expect(findWhen(line)).toBeNull();
  });
});

describe('formatWhen', () => {
  it('spells out the date with its weekday and the year, and the end', () => {
    expect(formatWhen(new Date('2026-12-08T07:00:00Z'), new Date('2026-12-08T08:00:00Z'))).toBe('2026年12月8日（周二）15:00–16:00');
    expect(formatWhen(new Date('2027-01-05T01:00:00Z'))).toBe('2027年1月5日（周二）09:00');
    expect(formatWhen(new Date('2026-12-08T15:30:00Z'), new Date('2026-12-08T17:00:00Z'))).toBe('2026年12月8日（周二）23:30–2026年12月9日（周三）01:00');
    expect(formatWhen(new Date('2026-12-07T16:00:00Z'), new Date('2026-12-07T16:00:00Z'))).toBe('2026年12月8日（周二）00:00');
  });
});
