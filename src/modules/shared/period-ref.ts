// Domain: a reporting period as people type it (10月, 2026年1-10月, 三季度), made concrete for a cycle.
import type { Frequency } from '../collection/schedule.ts';

/** A period as typed: a month (1-10月 is the cumulative through October) or a quarter; the year may be left out. */
export type PeriodRef = { text: string; year?: number; month: number } | { text: string; year?: number; quarter: number };

/**
 * The period key a typed period names in a cycle of this frequency, or a Chinese message saying why it
 * names none. Without a year: the latest such period not after `latestKey` (the cycle's latest period),
 * so 12月 asked in January is last December; `thisYear` when the cycle has no period yet.
 */
export function resolvePeriodRef(ref: PeriodRef, frequency: Frequency, latestKey: string | null, thisYear: number): { ok: true; key: string } | { ok: false; message: string } {
  if (frequency === 'WEEKLY') return { ok: false, message: `该指标按周报送，不能按「${ref.text}」查询，请不写期别发送。` };
  let index: number;
  if (frequency === 'MONTHLY') {
    // A quarter of a monthly cycle is its last month (三季度 = 1-9月 for cumulative figures).
    index = 'month' in ref ? ref.month : ref.quarter * 3;
  } else if ('quarter' in ref) {
    index = ref.quarter;
  } else if (ref.month % 3 === 0) {
    index = ref.month / 3;
  } else {
    return { ok: false, message: `该指标按季度报送，「${ref.text}」不是季度末月份。请写「三季度」「1-9月」或「2026年第3季度」。` };
  }
  const fmt = (year: number) => (frequency === 'MONTHLY' ? `${year}-${String(index).padStart(2, '0')}` : `${year}-Q${index}`);
  if (ref.year !== undefined) return { ok: true, key: fmt(ref.year) };
  const year = latestKey ? Number(latestKey.slice(0, 4)) : thisYear;
  // Keys of one frequency compare as strings.
  return { ok: true, key: latestKey && fmt(year) > latestKey ? fmt(year - 1) : fmt(year) };
}
