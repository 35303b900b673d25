// Sandbox UI: date and time formatting. The sandbox's people are Chinese officials, so times are
// shown in China time (Asia/Shanghai) whatever the trainer's machine is set to.

const TZ = 'Asia/Shanghai';
const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'];

const partsFormatter = new Intl.DateTimeFormat('en-CA', {
  timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short', hour12: false,
});

/** @param {number} ms @returns {{ y: number, m: number, d: number, hh: string, mm: string, dayKey: string, weekday: number }} */
export function chinaParts(ms) {
  /** @type {Record<string, string>} */
  const p = {};
  for (const part of partsFormatter.formatToParts(new Date(ms))) p[part.type] = part.value;
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(p.weekday ?? '');
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), hh: p.hour === '24' ? '00' : p.hour ?? '00', mm: p.minute ?? '00', dayKey: `${p.year}-${p.month}-${p.day}`, weekday };
}

/** Difference in calendar days (China time) between two instants. @param {number} a @param {number} b */
function dayDiff(a, b) {
  const pa = chinaParts(a);
  const pb = chinaParts(b);
  return Math.round((Date.UTC(pa.y, pa.m - 1, pa.d) - Date.UTC(pb.y, pb.m - 1, pb.d)) / 86400000);
}

/** Chat-list time: 14:05 today, 昨天, 星期三 this week, else 11月3日 (or 2024年11月3日). @param {number} ms @param {number} [now] */
export function chatListTime(ms, now = Date.now()) {
  if (!Number.isFinite(ms) || ms <= 0) return '';
  const p = chinaParts(ms);
  const diff = dayDiff(now, ms);
  if (diff <= 0) return `${p.hh}:${p.mm}`;
  if (diff === 1) return '昨天';
  if (diff < 7) return WEEKDAYS[p.weekday] ?? '';
  return p.y === chinaParts(now).y ? `${p.m}月${p.d}日` : `${p.y}年${p.m}月${p.d}日`;
}

/** Divider between messages: 今天 14:05 / 昨天 09:30 / 11月3日 16:00. @param {number} ms @param {number} [now] */
export function dividerTime(ms, now = Date.now()) {
  const p = chinaParts(ms);
  const diff = dayDiff(now, ms);
  const time = `${p.hh}:${p.mm}`;
  if (diff <= 0) return time;
  if (diff === 1) return `昨天 ${time}`;
  return p.y === chinaParts(now).y ? `${p.m}月${p.d}日 ${time}` : `${p.y}年${p.m}月${p.d}日 ${time}`;
}

/** @param {number} ms */
export function clockTime(ms) {
  const p = chinaParts(ms);
  return `${p.hh}:${p.mm}`;
}

/** Calendar day heading: 11月24日 星期一 (今天). @param {string} dayKey YYYY-MM-DD @param {number} [now] */
export function dayHeading(dayKey, now = Date.now()) {
  const [y, m, d] = dayKey.split('-').map(Number);
  const weekday = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).getUTCDay();
  const today = chinaParts(now).dayKey;
  const tomorrow = chinaParts(now + 86400000).dayKey;
  const rel = dayKey === today ? '今天' : dayKey === tomorrow ? '明天' : '';
  const year = y !== chinaParts(now).y ? `${y}年` : '';
  return { title: `${year}${m}月${d}日`, weekday: WEEKDAYS[weekday] ?? '', relative: rel };
}

/**
 * Calendar times arrive as ms, seconds, numeric strings, ISO strings or bare dates.
 * @param {unknown} value @returns {{ ms: number, allDay: boolean } | null}
 */
export function parseTime(value) {
  if (typeof value === 'number' && Number.isFinite(value)) return { ms: value < 1e12 ? value * 1000 : value, allDay: false };
  if (typeof value === 'string' && value.trim() !== '') {
    const v = value.trim();
    if (/^\d+$/.test(v)) return parseTime(Number(v));
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return { ms: Date.parse(`${v}T00:00:00+08:00`), allDay: true };
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) return { ms, allDay: false };
  }
  if (typeof value === 'object' && value !== null) {
    // A Feishu time_info object: { timestamp (seconds) } or { date }.
    const t = /** @type {{ timestamp?: unknown, date?: unknown }} */ (value);
    return parseTime(t.timestamp ?? t.date);
  }
  return null;
}
