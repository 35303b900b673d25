// Numbers as a leader reads them: a value with the indicator's own decimals, a growth rate with one.

const grouped = new Map<number, Intl.NumberFormat>();
const plain = new Map<number, Intl.NumberFormat>();

function formatter(cache: Map<number, Intl.NumberFormat>, decimals: number, useGrouping: boolean): Intl.NumberFormat {
  const d = Math.max(0, Math.min(4, Math.trunc(decimals)));
  let f = cache.get(d);
  if (!f) cache.set(d, (f = new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d, useGrouping })));
  return f;
}

/** '14,095,656' (decimals 0), '1,234.5' (decimals 1): exactly the indicator's decimals, never '-0'. */
export function formatValue(v: string | number, decimals: number): string {
  const s = formatter(grouped, decimals, true).format(Number(v));
  return /^-[0.,]+$/.test(s) ? s.slice(1) : s;
}

/** As formatValue without thousands separators, for an input a person edits and sends back: '14095656.0'. */
export function plainValue(v: string | number, decimals: number): string {
  const s = formatter(plain, decimals, false).format(Number(v));
  return /^-[0.]+$/.test(s) ? s.slice(1) : s;
}

/** '+3.2%', '-0.4%', '0.0%'. */
export const formatGrowth = (g: string | number | null): string | null => {
  if (g === null) return null;
  const s = Number(g).toFixed(1);
  const zero = /^-?0\.0$/.test(s);
  return zero ? '0.0%' : `${Number(g) > 0 ? '+' : ''}${s}%`;
};
