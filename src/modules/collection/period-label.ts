// Domain: the period labels bureaus print (2017年1-3月, 1-3月, 2017年3月, 2017-03, 一季度, 上半年) and the
// period key they name for an indicator's cycle. Pure.
import type { Frequency, ValueKind } from '../../generated/prisma/client.ts';

/** Months `from`–`to` of `year` (null: the label gave none). */
export interface PeriodSpan {
  year: number | null;
  from: number;
  to: number;
  /** month: a single month (3月); span: months added up (1-3月, 上半年); quarter: 一季度. */
  kind: 'month' | 'span' | 'quarter';
}

const CN_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4 };
const DASH = '[-—–~～至到]';

function clean(raw: string): string {
  return raw.normalize('NFKC').replace(/\s+/g, '').replace(/(累计|止)$/u, '').replace(/月份$/u, '月');
}

function month(n: number): number | null {
  return Number.isInteger(n) && n >= 1 && n <= 12 ? n : null;
}

/** Reads one label as a whole; null when it is not a period label. */
export function parsePeriodLabel(raw: string): PeriodSpan | null {
  const t = clean(raw);
  if (!t) return null;
  const yearOf = (y: string | undefined) => (y ? Number(y) : null);
  let m = new RegExp(`^(?:(\\d{4})年)?(\\d{1,2})月?${DASH}(\\d{1,2})月$`, 'u').exec(t);
  if (m) {
    const from = month(Number(m[2]));
    const to = month(Number(m[3]));
    return from && to && from <= to ? { year: yearOf(m[1]), from, to, kind: from === to ? 'month' : 'span' } : null;
  }
  m = /^(?:(\d{4})年)?(\d{1,2})月$/u.exec(t) ?? /^(\d{4})[-/.](\d{1,2})$/u.exec(t) ?? /^(\d{4})(\d{2})$/u.exec(t);
  if (m) {
    const to = month(Number(m[2]));
    return to ? { year: yearOf(m[1]), from: to, to, kind: 'month' } : null;
  }
  m = /^(?:(\d{4})年)?第?([一二三四1-4])季度?$/u.exec(t) ?? /^(\d{4})-?Q([1-4])$/iu.exec(t);
  if (m) {
    const q = CN_DIGITS[m[2]!] ?? Number(m[2]);
    return { year: yearOf(m[1]), from: q * 3 - 2, to: q * 3, kind: 'quarter' };
  }
  m = /^(?:(\d{4})年)?(上半年|前三季度|全年)$/u.exec(t);
  if (m) return { year: yearOf(m[1]), from: 1, to: m[2] === '上半年' ? 6 : m[2] === '前三季度' ? 9 : 12, kind: 'span' };
  return null;
}

const IN_TEXT = new RegExp(
  [`\\d{4}年\\d{1,2}月?${DASH}\\d{1,2}月`, '\\d{4}年第?[一二三四1-4]季度', '\\d{4}年(?:上半年|前三季度|全年)', '\\d{4}年\\d{1,2}月'].join('|'),
  'u',
);

/** The period a title names ('鞍江市2017年1-3月主要经济指标' → 2017年1-3月), and the year alone otherwise. */
export function periodInText(raw: string): { label: string | null; year: number | null } {
  const t = raw.normalize('NFKC').replace(/\s+/g, '');
  const m = IN_TEXT.exec(t);
  if (m) return { label: m[0], year: Number(m[0].slice(0, 4)) };
  const y = /(\d{4})年/u.exec(t);
  return { label: null, year: y ? Number(y[1]) : null };
}

/**
 * The period key a span names for an indicator's cycle, or why it names none. A cumulative span (1-3月)
 * is no month's own figure, so it fits only a cumulative indicator; 4-6月 fits only a quarter.
 */
export function periodKeyOf(
  span: PeriodSpan,
  cycle: { frequency: Frequency },
  indicator: { valueKind: ValueKind },
  year: number,
): { key: string } | { error: string } {
  const y = span.year ?? year;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (cycle.frequency === 'MONTHLY') {
    if (span.kind === 'month') return { key: `${y}-${pad(span.to)}` };
    if (span.from === 1 && indicator.valueKind === 'CUMULATIVE') return { key: `${y}-${pad(span.to)}` };
    return { error: `是 ${span.from}-${span.to} 月的合计数，该指标按${indicator.valueKind === 'CUMULATIVE' ? '1月起累计' : '当月'}报送，请提供${indicator.valueKind === 'CUMULATIVE' ? `1-${span.to}月累计数` : `${span.to}月当月数`}` };
  }
  if (cycle.frequency === 'QUARTERLY') {
    if (span.to % 3 !== 0) return { error: `${span.to} 月不是季末，该指标按季度报送` };
    const q = span.to / 3;
    const quarterOnly = span.kind === 'quarter' || (span.from === span.to - 2 && span.kind === 'span');
    if (indicator.valueKind === 'CURRENT' && span.kind !== 'month' && !quarterOnly) return { error: `是 ${span.from}-${span.to} 月的合计数，该指标按当季报送，请提供第${q}季度数` };
    return { key: `${y}-Q${q}` };
  }
  return { error: '按周报送的指标请在期别中写明周次（如 2026-W48）' };
}
