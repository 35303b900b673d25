// Checks one unit's card submission for one page of indicators: field errors, and outliers the officer must confirm.
import { FIELD_MAX_LENGTH } from '../../../cards/collection-form.ts';
import { compareDecimals, normaliseDecimal, parseGrowth, parseValue } from './figures.ts';

export interface IndicatorContext {
  indicatorId: string; code: string; name: string; measureUnit: string;
  valueKind: 'CUMULATIVE' | 'CURRENT';
  /** YOY: the growth must agree with the values; COMPARABLE (at comparable prices): it need not; NONE: no growth asked. */
  growthBasis: 'YOY' | 'COMPARABLE' | 'NONE';
  /** Only the growth is reported: no value is asked or stored. */
  growthOnly?: boolean;
  direction: 'HIGHER_IS_BETTER' | 'LOWER_IS_BETTER'; decimals: number;
  /** The previous period's figure in force (value null for a growth-only figure); sameYear says whether it is in the same calendar year (cumulative values restart each January). */
  previous: { periodLabel: string; value: string | null; growthPct: string | null; sameYear: boolean } | null;
  /** The same period a year earlier, for the growth consistency check (null without a stored value). */
  lastYear: { value: string } | null;
  targetGrowthPct: string | null;
  cityAverageGrowthPct: string | null;
  /** Up to 12 recent figures in force, oldest first (for the "far from its history" check). */
  history: { value: string | null; growthPct: string | null }[];
}

export interface RawEntry { value?: string; growth?: string; problems?: string; forecast?: string; measures?: string }

export interface ValidationSettings {
  /** Allowed gap, in percentage points, between the typed growth and the one implied by the values. */
  growthTolerancePp: number;
  /** |growth − mean of history growth| beyond this asks to confirm. */
  outlierGrowthPp: number;
  /** A CURRENT value changing more than this % from the previous one, or a CUMULATIVE month increment this far from the history's, asks to confirm. */
  outlierChangePct: number;
  narrativeMinLength: number;
}

export const DEFAULT_VALIDATION: ValidationSettings = { growthTolerancePp: 1.0, outlierGrowthPp: 15, outlierChangePct: 60, narrativeMinLength: 5 };

export interface FieldError {
  indicatorCode?: string;
  field: 'value' | 'growth' | 'problems' | 'forecast' | 'measures' | 'reason' | 'confirmReason' | 'enterpriseCoverage' | 'keyWork';
  message: string;
}
export interface Outlier { indicatorCode: string; message: string }
export interface ValidFigure { indicatorId: string; code: string; value: string | null; growthPct: string | null; problems: string | null; forecast: string | null; measures: string | null }

export type PageValidation =
  | { ok: true; figures: ValidFigure[]; outliers: Outlier[] }
  | { ok: false; errors: FieldError[]; outliers: Outlier[] };

/** Fewer past figures than this say too little about what is normal. */
const MIN_HISTORY = 3;
const EPSILON = 1e-9;

/** Trimmed text with full-width and no-break spaces made plain; null when nothing is left. */
function cleanText(text: string | undefined): string | null {
  const t = (text ?? '').replace(/[\u3000\u00A0]/g, ' ').trim();
  return t ? t : null;
}

/** Free text longer than its limit: refused whole (never cut), the field and the limit named. */
function tooLong(title: string, text: string | null | undefined, max: number): string | null {
  const n = text ? [...text].length : 0;
  return n > max ? `「${title}」最多 ${max} 字，当前 ${n} 字，请精简后重新提交。` : null;
}

/** Characters that carry meaning: spaces do not make a narrative longer. */
function meaningfulLength(text: string | null): number {
  return text ? [...text.replace(/\s/g, '')].length : 0;
}

function fmt(x: number, places: number): string {
  const s = x.toFixed(places).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

function qty(value: string, unit: string): string {
  const v = normaliseDecimal(value);
  return unit === '%' ? `${v}%` : `${v} ${unit}`;
}

function oneDecimal(x: number): string {
  const s = x.toFixed(1);
  return s === '-0.0' ? '0.0' : s;
}

/** '5' → '5.0' so the typed growth reads like the computed one. */
function withOneDecimal(value: string): string {
  const v = normaliseDecimal(value);
  return v.includes('.') ? v : `${v}.0`;
}

function growthPhrase(growth: string): string {
  const g = normaliseDecimal(growth);
  return g.startsWith('-') ? `同比下降 ${g.slice(1)}%` : `同比增长 ${g}%`;
}

function changePhrase(pct: number): string {
  return pct < 0 ? `下降 ${fmt(-pct, 1)}%` : `增长 ${fmt(pct, 1)}%`;
}

/** Why the growth needs an explanation (below target, or a drop when there is no target), or null. */
function shortfall(ind: IndicatorContext, growth: string): string | null {
  const lowerIsBetter = ind.direction === 'LOWER_IS_BETTER';
  const note = lowerIsBetter ? '（该指标越低越好）' : '';
  if (ind.targetGrowthPct !== null) {
    const c = compareDecimals(growth, ind.targetGrowthPct);
    if (lowerIsBetter ? c <= 0 : c >= 0) return null;
    const side = lowerIsBetter ? '高于' : '低于';
    return `${growthPhrase(growth)}，${side}目标增速 ${normaliseDecimal(ind.targetGrowthPct)}%${note}`;
  }
  // Without a target, only a move in the bad direction needs words.
  const c = compareDecimals(growth, '0');
  if (lowerIsBetter ? c <= 0 : c >= 0) return null;
  return `${growthPhrase(growth)}${note}`;
}

function narrativeErrors(ind: IndicatorContext, why: string, problems: string | null, measures: string | null, min: number): FieldError[] {
  const errors: FieldError[] = [];
  const fields = [
    { field: 'problems' as const, text: problems, title: '困难问题', ask: '存在的困难问题' },
    { field: 'measures' as const, text: measures, title: '措施建议', ask: '拟采取的措施建议' },
  ];
  for (const f of fields) {
    const len = meaningfulLength(f.text);
    if (len >= min) continue;
    const message = len === 0
      ? `${ind.name} ${f.title}：${why}，请填写${f.ask}（至少 ${min} 个字）。`
      : `${ind.name} ${f.title}：${why}，填写的内容过短，请具体说明${f.ask}（至少 ${min} 个字）。`;
    errors.push({ indicatorCode: ind.code, field: f.field, message });
  }
  return errors;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Month increments of a cumulative series; a fall marks January, whose cumulative value is its own increment. */
function increments(values: number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < values.length; i++) {
    const cur = values[i] as number, prev = values[i - 1] as number;
    out.push(cur < prev ? cur : cur - prev);
  }
  return out;
}

/** What is far from the indicator's history, in words; empty when nothing is. */
function outlierReasons(ind: IndicatorContext, value: string | null, growth: string | null, s: ValidationSettings): string[] {
  const reasons: string[] = [];
  const prev = value === null ? null : ind.previous;
  const v = Number(value);
  if (ind.valueKind === 'CURRENT' && prev?.value && Number(prev.value) > 0) {
    const change = (v / Number(prev.value) - 1) * 100;
    if (Math.abs(change) > s.outlierChangePct + EPSILON) {
      reasons.push(`本期 ${qty(value!, ind.measureUnit)}，较上期 ${qty(prev.value, ind.measureUnit)}（${prev.periodLabel}）${changePhrase(change)}`);
    }
  }
  if (ind.valueKind === 'CUMULATIVE' && prev?.value) {
    const past = increments(ind.history.flatMap((h) => (h.value === null ? [] : [Number(h.value)])).filter(Number.isFinite));
    const avg = past.length >= MIN_HISTORY ? mean(past) : 0;
    const increment = prev.sameYear ? v - Number(prev.value) : v;
    if (avg > 0 && increment >= 0) {
      const gap = (increment / avg - 1) * 100;
      if (Math.abs(gap) > s.outlierChangePct + EPSILON) {
        const more = gap > 0 ? `多 ${fmt(gap, 1)}%` : `少 ${fmt(-gap, 1)}%`;
        reasons.push(`本期累计 ${qty(value!, ind.measureUnit)}，当月新增 ${qty(fmt(increment, ind.decimals), ind.measureUnit)}，较近 ${past.length} 个月月均新增 ${qty(fmt(avg, ind.decimals), ind.measureUnit)}${more}`);
      }
    }
  }
  if (growth !== null) {
    const past = ind.history.flatMap((h) => (h.growthPct === null ? [] : [Number(h.growthPct)])).filter(Number.isFinite);
    if (past.length >= MIN_HISTORY) {
      const avg = mean(past);
      const gap = Math.abs(Number(growth) - avg);
      if (gap > s.outlierGrowthPp + EPSILON) {
        reasons.push(`${growthPhrase(growth)}，与近 ${past.length} 期平均增速 ${fmt(avg, 1)}% 相差 ${fmt(gap, 1)} 个百分点`);
      }
    }
  }
  return reasons;
}

export function validatePage(input: {
  indicators: IndicatorContext[];
  entries: Record<string, RawEntry>;
  /** Codes the officer has already been asked about and confirmed, with the reason typed in the card. */
  confirmation?: { codes: string[]; reason: string };
  /** An edit of figures already submitted must give a reason (修改原因). */
  requireReason?: boolean; reason?: string;
  /** The unit-level sections, when this page carries them (checked for length only). */
  sections?: { enterpriseCoverage?: string | null; keyWork?: string | null };
  settings?: Partial<ValidationSettings>;
}): PageValidation {
  const s: ValidationSettings = { ...DEFAULT_VALIDATION, ...input.settings };
  const confirmedCodes = new Set(input.confirmation?.codes ?? []);
  const confirmReason = cleanText(input.confirmation?.reason);
  const errors: FieldError[] = [];
  const figures: ValidFigure[] = [];
  const unconfirmed: Outlier[] = [];
  const confirmed: Outlier[] = [];
  const missingConfirmReason: string[] = [];

  for (const ind of input.indicators) {
    const entry = input.entries[ind.code] ?? {};
    const own: FieldError[] = [];
    const problems = cleanText(entry.problems);
    const forecast = cleanText(entry.forecast);
    const measures = cleanText(entry.measures);
    const narratives = [['problems', '困难问题', problems], ['forecast', '本月预判', forecast], ['measures', '措施建议', measures]] as const;
    for (const [field, title, text] of narratives) {
      const long = tooLong(title, text, FIELD_MAX_LENGTH.narrative);
      if (long) own.push({ indicatorCode: ind.code, field, message: `${ind.name} ${long}` });
    }

    // A growth-only indicator has no value field: whatever an old card sends there is ignored.
    const parsedValue = ind.growthOnly ? null : parseValue(entry.value ?? '', { measureUnit: ind.measureUnit, decimals: ind.decimals, label: `${ind.name} 本期值` });
    if (parsedValue && !parsedValue.ok) own.push({ indicatorCode: ind.code, field: 'value', message: parsedValue.message });
    let growth: string | null = null;
    if (ind.growthBasis !== 'NONE') {
      const parsedGrowth = parseGrowth(entry.growth ?? '', { label: `${ind.name} 同比增长` });
      if (parsedGrowth.ok) growth = parsedGrowth.value;
      else own.push({ indicatorCode: ind.code, field: 'growth', message: parsedGrowth.message });
    }
    const value = parsedValue?.ok ? parsedValue.value : null;

    const prev = ind.previous;
    if (value !== null && ind.valueKind === 'CUMULATIVE' && prev?.sameYear && prev.value !== null && compareDecimals(value, prev.value) < 0) {
      own.push({
        indicatorCode: ind.code, field: 'value',
        message: `${ind.name} 本期值：累计值不能小于上期累计值 ${qty(prev.value, ind.measureUnit)}（${prev.periodLabel}），请核对是否误填了当月值。`,
      });
    }

    // A value already refused would make the growth check repeat the same mistake in other words.
    const valueRefused = own.some((e) => e.field === 'value');
    const lastYear = ind.lastYear ? Number(ind.lastYear.value) : NaN;
    // Only a year-on-year growth follows from the values; one at comparable prices removes the price change.
    if (ind.growthBasis === 'YOY' && value !== null && !valueRefused && growth !== null && lastYear > 0) {
      const implied = (Number(value) / lastYear - 1) * 100;
      if (Math.abs(implied - Number(growth)) > s.growthTolerancePp + EPSILON) {
        own.push({
          indicatorCode: ind.code, field: 'growth',
          message: `${ind.name} 同比增长：按本期值 ${qty(value, ind.measureUnit)}与去年同期值 ${qty(ind.lastYear?.value ?? '', ind.measureUnit)}计算，`
            + `同比增长约 ${oneDecimal(implied)}%，与填写的 ${withOneDecimal(growth)}% 不一致，请核对本期值和同比增长。`,
        });
      }
    }

    if (growth !== null) {
      const why = shortfall(ind, growth);
      if (why) own.push(...narrativeErrors(ind, why, problems, measures, s.narrativeMinLength));
    }

    errors.push(...own);
    if (own.length > 0 || (value === null && !ind.growthOnly)) continue;

    // Only figures without errors are checked against history: a fix may change the picture.
    const reasons = outlierReasons(ind, value, growth, s);
    if (reasons.length > 0) {
      const what = `${ind.name} ${reasons.join('；')}，明显偏离历史水平`;
      if (confirmedCodes.has(ind.code) && confirmReason) {
        confirmed.push({ indicatorCode: ind.code, message: `${what}。确认说明：${confirmReason}` });
      } else {
        if (confirmedCodes.has(ind.code)) missingConfirmReason.push(ind.name);
        unconfirmed.push({ indicatorCode: ind.code, message: `${what}，请核实；如确认无误，请填写说明后再次提交。` });
      }
    }
    figures.push({ indicatorId: ind.indicatorId, code: ind.code, value, growthPct: growth, problems, forecast, measures });
  }

  if (missingConfirmReason.length > 0) {
    errors.push({ field: 'confirmReason', message: `确认说明：未填写。${missingConfirmReason.join('、')} 的数据明显偏离历史水平，如确认无误，请填写说明后再次提交。` });
  }
  const texts = [
    ['reason', '修改原因', input.reason, FIELD_MAX_LENGTH.reason],
    ['confirmReason', '确认说明', input.confirmation?.reason, FIELD_MAX_LENGTH.confirmReason],
    ['enterpriseCoverage', '企业包保', input.sections?.enterpriseCoverage, FIELD_MAX_LENGTH.unitSection],
    ['keyWork', '重点工作', input.sections?.keyWork, FIELD_MAX_LENGTH.unitSection],
  ] as const;
  for (const [field, title, text, max] of texts) {
    const long = tooLong(title, cleanText(text ?? undefined), max);
    if (long) errors.push({ field, message: long });
  }
  if (input.requireReason && !cleanText(input.reason)) {
    errors.push({ field: 'reason', message: '修改原因：未填写。修改已报送的数据须说明原因，请填写修改原因后再次提交。' });
  }

  if (errors.length > 0 || unconfirmed.length > 0) return { ok: false, errors, outliers: unconfirmed };
  return { ok: true, figures, outliers: confirmed };
}
