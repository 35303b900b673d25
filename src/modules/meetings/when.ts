// Stand-in until the time parser lands (issue 10): understands only 「12月8日15:00」.
export function parseWhen(text: string, ref: Date): { ok: true; start: Date; end?: Date; hasTime: boolean } | { ok: false; message: string } {
  const m = /(\d{1,2})月(\d{1,2})日\s*(\d{1,2}):(\d{2})/.exec(text);
  if (!m) return { ok: false, message: '没看懂时间，请写成「12月8日15:00」。' };
  const y = Number(new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(ref).slice(0, 4));
  const start = new Date(Date.UTC(y, Number(m[1]) - 1, Number(m[2]), Number(m[3]) - 8, Number(m[4])));
  if (start <= ref) return { ok: false, message: '该时间已经过去，请重新输入' };
  return { ok: true, start, hasTime: true };
}
export function findWhen(text: string): { index: number; length: number } | null {
  const m = /(\d{1,2})月(\d{1,2})日\s*(\d{1,2}):(\d{2})/.exec(text);
  return m ? { index: m.index, length: m[0].length } : null;
}
export function formatWhen(start: Date, end?: Date): string {
  const f = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hour12: false });
  return `${f.format(start)}${end ? `–${end.toISOString().slice(11, 16)}` : ''}`;
}
