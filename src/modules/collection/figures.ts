// Numbers as liaison officers type them: parsed into exact decimal strings, refused with a fix-it message.

export type ParsedNumber = { ok: true; value: string } | { ok: false; message: string };

/** Decimal(20,4) holds at most 16 integer digits. */
const MAX_INTEGER_DIGITS = 16;
const MAX_GROWTH_ABS = 1000;
const GROWTH_DECIMALS = 2;

/** Units that are powers of ten of one another; used to tell the officer how to convert. */
const UNIT_FAMILIES: { base: string; exponents: Record<string, number> }[] = [
  { base: '元', exponents: { 元: 0, 万元: 4, 亿元: 8 } },
  { base: '千瓦时', exponents: { 千瓦时: 0, 万千瓦时: 4, 亿千瓦时: 8 } },
  { base: '人', exponents: { 人: 0, 万人: 4 } },
  { base: '吨', exponents: { 吨: 0, 万吨: 4 } },
];

// Read after a leading '同比'; longest first so '负增长' wins over '增长' and '增速' over '增'.
const GROWTH_NEUTRAL = ['增速', '增幅'];
const GROWTH_DOWN = ['负增长', '下降', '回落', '减少', '降低', '下滑', '减', '降'];
const GROWTH_UP = ['增长', '增加', '上升', '提高', '上涨', '增'];

// ───────────── exact decimal strings ─────────────

interface Dec { negative: boolean; int: string; frac: string }

function toText(d: Dec): string {
  const int = d.int.replace(/^0+(?=\d)/, '') || '0';
  const frac = d.frac.replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return d.negative && /[1-9]/.test(body) ? `-${body}` : body;
}

/** Parses a plain or exponent decimal string such as '1234.5000', '-0.5' or '1e-5' (as Prisma may print it). */
function readDecimal(text: string): Dec | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text.trim());
  if (!m || (!m[2] && !m[3])) return null;
  return shift({ negative: m[1] === '-', int: m[2] || '0', frac: m[3] ?? '' }, Number(m[4] ?? 0));
}

/** Multiplies by 10^places by moving the decimal point: exact. */
function shift(d: Dec, places: number): Dec {
  const digits = d.int + d.frac;
  let point = d.int.length + places;
  let all = digits;
  if (point < 0) { all = '0'.repeat(-point) + all; point = 0; }
  if (point > all.length) all = all + '0'.repeat(point - all.length);
  return { negative: d.negative, int: all.slice(0, point) || '0', frac: all.slice(point) };
}

/** Rounds half away from zero to `places` decimals. */
function roundDec(d: Dec, places: number): Dec {
  if (d.frac.length <= places) return d;
  const keep = d.int + d.frac.slice(0, places);
  let digits = keep;
  if (Number(d.frac[places]) >= 5) {
    const chars = keep.split('');
    let i = chars.length - 1;
    while (i >= 0 && chars[i] === '9') { chars[i] = '0'; i--; }
    if (i < 0) chars.unshift('1'); else chars[i] = String(Number(chars[i]) + 1);
    digits = chars.join('');
  }
  const intLen = digits.length - places;
  return { negative: d.negative, int: digits.slice(0, intLen), frac: digits.slice(intLen) };
}

/** Normalised form of a decimal string ('1234.5000' → '1234.5'), or the input unchanged when it is not one. */
export function normaliseDecimal(text: string): string {
  const d = readDecimal(text);
  return d ? toText(d) : text.trim();
}

/** Exact comparison of two decimal strings: negative, zero or positive like a sort comparator. */
export function compareDecimals(a: string, b: string): number {
  const x = readDecimal(normaliseDecimal(a));
  const y = readDecimal(normaliseDecimal(b));
  if (!x || !y) return Math.sign(Number(a) - Number(b));
  const xs = toText(x), ys = toText(y);
  const xNeg = xs.startsWith('-'), yNeg = ys.startsWith('-');
  if (xNeg !== yNeg) return xNeg ? -1 : 1;
  const sign = xNeg ? -1 : 1;
  const [xi = '', xf = ''] = xs.replace('-', '').split('.');
  const [yi = '', yf = ''] = ys.replace('-', '').split('.');
  if (xi.length !== yi.length) return sign * (xi.length - yi.length);
  const width = Math.max(xf.length, yf.length);
  const xd = xi + xf.padEnd(width, '0'), yd = yi + yf.padEnd(width, '0');
  return xd === yd ? 0 : sign * (xd < yd ? -1 : 1);
}

// ───────────── scanning what was typed ─────────────

/** Full-width forms, other minus signs, IME full stops and all spaces out of the way. */
function normaliseTyped(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/[\u2212\u2013]/g, '-')
    // A Chinese IME in Chinese-punctuation mode types '。' for '.'.
    .replace(/(\d)。(?=\d)/g, '$1.')
    .replace(/。$/, '')
    .replace(/\s+/g, '');
}

type Scan =
  | { kind: 'empty' }
  | { kind: 'number'; dec: Dec; rest: string }
  | { kind: 'bad'; why: Why };
type Why = 'letters' | 'dots' | 'commas' | 'other';

/** Splits a leading number from what follows it; letters after the number are left to the caller (a unit may have them). */
function scan(text: string): Scan {
  if (!text) return { kind: 'empty' };
  const m = /^([+-]?)([\d,]*)(?:\.(\d*))?(.*)$/s.exec(text);
  const [, sign = '', intPart = '', fracPart, rest = ''] = m ?? [];
  const hasDigits = /\d/.test(intPart) || /\d/.test(fracPart ?? '');
  if (!hasDigits) return { kind: 'bad', why: /[a-z]/i.test(text) ? 'letters' : 'other' };
  if (/^\.\d/.test(rest) || (fracPart !== undefined && rest.startsWith('.'))) return { kind: 'bad', why: 'dots' };
  if (rest.startsWith(',') || (intPart.includes(',') && !/^\d{1,3}(,\d{3})+$/.test(intPart))) return { kind: 'bad', why: 'commas' };
  if (/\d/.test(rest)) return { kind: 'bad', why: 'other' };
  return { kind: 'number', dec: { negative: sign === '-', int: intPart.replaceAll(',', '') || '0', frac: fracPart ?? '' }, rest };
}

/** The unit typed after the number, read in the measure unit's family: '万' next to 亿元 means 万元. */
function resolveUnit(typed: string, measureUnit: string): { unit: string; exponent: number; target: number } | null {
  for (const family of UNIT_FAMILIES) {
    const target = family.exponents[measureUnit];
    if (target === undefined) continue;
    const unit = typed in family.exponents ? typed : typed + family.base;
    const exponent = family.exponents[unit];
    return exponent === undefined ? null : { unit, exponent, target };
  }
  return null;
}

function unitText(unit: string): string {
  return `（单位：${unit}）`;
}

function roundingHint(dec: Dec, places: number): string {
  return toText(roundDec(dec, places));
}

function badMessage(why: Why, label: string, shown: string, unit: string): string {
  switch (why) {
    case 'letters': return `${label}：填写的“${shown}”含有字母，请只填写数字${unitText(unit)}。`;
    case 'dots': return `${label}：填写的“${shown}”有多个小数点，请只保留一个小数点。`;
    case 'commas': return `${label}：填写的“${shown}”千分位逗号位置不对，请去掉逗号，或每三位加一个逗号，如 1,234.5。`;
    case 'other': return `${label}：填写的“${shown}”不是有效的数字，请只填写数字${unitText(unit)}，如 120.5。`;
  }
}

function decimalsMessage(label: string, shown: string, dec: Dec, places: number): string {
  const rule = places === 0 ? '只能填写整数' : `最多保留 ${places} 位小数`;
  return `${label}：填写的“${shown}”小数位数过多，${rule}，请四舍五入后填写，如 ${roundingHint(dec, places)}。`;
}

// ───────────── public parsers ─────────────

/**
 * A value in the indicator's measure unit: '1,234.5', full-width digits, spaces, '−3.2', a trailing unit equal to
 * the measure unit. Refuses letters, two dots, another unit (with the conversion), a '%' on a non-percent unit and
 * more decimals than allowed.
 */
export function parseValue(raw: string, opts: { measureUnit: string; decimals: number; label: string }): ParsedNumber {
  const { label, decimals } = opts;
  const unit = normaliseTyped(opts.measureUnit);
  const shown = raw.trim();
  const s = scan(normaliseTyped(raw));
  if (s.kind === 'empty') return { ok: false, message: `${label}：未填写，请填写数字${unitText(unit)}。` };
  if (s.kind === 'bad') return { ok: false, message: badMessage(s.why, label, shown, unit) };
  const { dec, rest } = s;
  if (rest && rest.toLowerCase() !== unit.toLowerCase()) {
    if (/[a-z]/i.test(rest)) return { ok: false, message: badMessage('letters', label, shown, unit) };
    if (rest === '%') {
      return { ok: false, message: `${label}：填写的“${shown}”带有百分号，但本项以${unit}为单位，请填写数值本身；增速请填在同比增长一栏。` };
    }
    const typed = resolveUnit(rest, unit);
    if (!typed) return { ok: false, message: `${label}：填写的“${shown}”单位不对，本项以${unit}为单位，请只填写数字${unitText(unit)}。` };
    if (typed.unit !== unit) {
      const converted = shift(dec, typed.exponent - typed.target);
      const exact = toText(converted);
      const rounded = converted.frac.replace(/0+$/, '').length > decimals ? `，保留 ${decimals} 位小数即 ${roundingHint(converted, decimals)}` : '';
      return {
        ok: false,
        message: `${label}：填写的“${shown}”单位是${typed.unit}，本项以${unit}为单位，请换算后只填写数字：${toText(dec)}${typed.unit} = ${exact}${unit}${rounded}。`,
      };
    }
  }
  const value: Dec = { ...dec, frac: dec.frac.replace(/0+$/, '') };
  if (value.frac.length > decimals) return { ok: false, message: decimalsMessage(label, shown, value, decimals) };
  if (value.int.replace(/^0+/, '').length > MAX_INTEGER_DIGITS) {
    return { ok: false, message: `${label}：填写的“${shown}”数值过大，请核对是否多填了数字，或单位是否应为${unit}。` };
  }
  return { ok: true, value: toText(value) };
}

/** Growth in percent: '3.2', '３．２％', '增长3.2%' → '3.2'; '下降1.5%', '回落1.5' → '-1.5'; '持平' → '0'. */
export function parseGrowth(raw: string, opts: { label: string }): ParsedNumber {
  const { label } = opts;
  const shown = raw.trim();
  const fix = '请填写百分比数字，如 3.2，下降填 -1.5';
  let text = normaliseTyped(raw);
  if (text.startsWith('同比')) text = text.slice(2);
  if (text === '持平') return { ok: true, value: '0' };
  let word: 'up' | 'down' | null = null;
  const neutral = GROWTH_NEUTRAL.find((w) => text.startsWith(w));
  const down = neutral ? undefined : GROWTH_DOWN.find((w) => text.startsWith(w));
  const up = neutral || down ? undefined : GROWTH_UP.find((w) => text.startsWith(w));
  if (down) word = 'down';
  else if (up) word = 'up';
  text = text.slice((neutral ?? down ?? up ?? '').length);
  const s = scan(text);
  if (s.kind === 'empty') {
    return { ok: false, message: shown ? `${label}：填写的“${shown}”缺少数字，${fix}。` : `${label}：未填写，${fix}。` };
  }
  if (s.kind === 'bad') {
    const msg = s.why === 'letters' ? `${label}：填写的“${shown}”含有字母，${fix}。`
      : s.why === 'other' ? `${label}：填写的“${shown}”不是有效的增速，${fix}。`
        : badMessage(s.why, label, shown, '%');
    return { ok: false, message: msg };
  }
  const { dec, rest } = s;
  if ((word && text.startsWith('-')) || (word === 'down' && text.startsWith('+'))) {
    return { ok: false, message: `${label}：填写的“${shown}”既有文字又有正负号，意思不明确，${fix}。` };
  }
  if (rest && rest !== '%') {
    return { ok: false, message: `${label}：填写的“${shown}”不是增速百分比，${fix}。` };
  }
  const value: Dec = { ...dec, negative: word === 'down' ? true : dec.negative, frac: dec.frac.replace(/0+$/, '') };
  if (value.frac.length > GROWTH_DECIMALS) return { ok: false, message: decimalsMessage(label, shown, value, GROWTH_DECIMALS) };
  const text2 = toText(value);
  if (Math.abs(Number(text2)) > MAX_GROWTH_ABS) {
    return { ok: false, message: `${label}：填写的“${shown}”超出合理范围（-1000% 至 1000%），请核对是否把本期值填进了增速栏。` };
  }
  return { ok: true, value: text2 };
}
