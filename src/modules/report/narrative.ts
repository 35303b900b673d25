// Domain: the 专报's paragraphs drafted from the month's facts, in the register of the city's own
// reports (「1-10月，全市规模以上工业增加值同比增长 5.2%，低于目标进度 2.8 个百分点…」). Pure and
// deterministic: the same facts give the same words, and every number in them is one of the facts.
import { formatValue } from '../collection/collection.repo.ts';
import { spanLabel, previousMonthKey, type IndicatorFacts, type MonthFacts, type ProblemFacts } from './facts.ts';

export interface Paragraph {
  key: string;
  title: string;
  text: string;
}

/** Feishu's input holds at most 1,000 characters: a paragraph the organiser edits must fit. */
export const PARAGRAPH_MAX = 1000;
/** The whole text, so that the review card holding it stays within Feishu's card size. */
export const REPORT_TEXT_MAX = 6000;
/** The drafted lists of problems and measures (room is left for the organiser's own words). */
const LIST_MAX = 600;
const ITEM_MAX = 90;

const pct = (x: number) => `${Math.abs(x).toFixed(1)}%`;
const pts = (x: number) => `${Math.abs(x).toFixed(1)} 个百分点`;
const clip = (s: string, max: number) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return [...t].length <= max ? t : `${[...t].slice(0, max - 1).join('')}…`;
};
const LIGHT_WORD = { RED: '红灯', YELLOW: '黄灯', GREEN: '绿灯' } as const;

/** 「同比增长 5.2%」「同比下降 1.5%」「与上年同期持平」. */
export function growthPhrase(g: number): string {
  if (Math.round(g * 10) === 0) return '与上年同期持平';
  return g > 0 ? `同比增长 ${pct(g)}` : `同比下降 ${pct(g)}`;
}

/** 「高于目标进度 1.2 个百分点」「低于目标进度 2.8 个百分点」「与目标进度持平」 (rounded as printed). */
export function targetPhrase(g: number, target: number): string {
  const gap = Math.round(g * 10) / 10 - Math.round(target * 10) / 10;
  if (Math.round(gap * 10) === 0) return '与目标进度持平';
  return gap > 0 ? `高于目标进度 ${pts(gap)}` : `低于目标进度 ${pts(gap)}`;
}

/** 「比1-10月提高 0.3 个百分点」「比1-10月回落 0.3 个百分点」「与1-10月持平」. */
export function trendPhrase(g: number, previous: number, previousLabel: string): string {
  const d = Math.round(g * 10) / 10 - Math.round(previous * 10) / 10;
  if (Math.round(d * 10) === 0) return `增速与${previousLabel}持平`;
  return d > 0 ? `增速比${previousLabel}提高 ${pts(d)}` : `增速比${previousLabel}回落 ${pts(d)}`;
}

/** 「高新区（10.0%）」, or with the value for an indicator judged by its value (「高新区（12.50 万人）」). */
const unitList = (us: { unit: string; growthPct: number }[], ind: IndicatorFacts) =>
  us.map((u) => `${u.unit}（${ind.yoy ? `${u.growthPct.toFixed(1)}%` : `${formatValue(String(u.growthPct), ind.decimals)} ${ind.measureUnit}`}）`).join('、');

/** One indicator's paragraph. */
export function indicatorParagraph(ind: IndicatorFacts, periodKey: string): string {
  const span = spanLabel(periodKey, ind.cumulative);
  const c = ind.city;
  const parts: string[] = [];
  if (c.value === null) {
    parts.push(`${span}，全市${ind.name}${c.missing ? `尚有 ${c.missing} 个区县（单位）未报送，暂无全市汇总数` : '暂无全市数据'}`);
  } else {
    let first = `${span}，全市${ind.name}${ind.cumulative ? '累计完成' : '完成'} ${formatValue(String(c.value), ind.decimals)} ${ind.measureUnit}`;
    if (ind.yoy && c.growthPct !== null) {
      first += `，${growthPhrase(c.growthPct)}`;
      if (ind.targetPct !== null) first += `，${targetPhrase(c.growthPct, ind.targetPct)}`;
      const prevKey = previousMonthKey(periodKey);
      if (prevKey && ind.previousGrowthPct !== null) first += `，${trendPhrase(c.growthPct, ind.previousGrowthPct, spanLabel(prevKey, ind.cumulative))}`;
    }
    parts.push(first);
  }
  if (ind.best.length && ind.regions >= 2) {
    const wording = ind.yoy ? '增速' : '完成值';
    let s = `分区县看，${wording}居前的是${unitList(ind.best, ind)}`;
    if (ind.worst.length) s += `，居后的是${unitList(ind.worst, ind)}`;
    parts.push(s);
  }
  const { red, yellow } = ind.lights;
  if (red || yellow) parts.push(`共有 ${red} 个单位亮红灯、${yellow} 个单位亮黄灯`);
  return `${parts.join('；')}。`;
}

function summaryParagraph(f: MonthFacts): string {
  const judged = f.indicators.filter((i) => i.yoy && i.city.growthPct !== null && i.targetPct !== null);
  const ahead = judged.filter((i) => (i.direction === 'LOWER_IS_BETTER' ? i.city.growthPct! <= i.targetPct! : i.city.growthPct! >= i.targetPct!));
  const behind = judged.filter((i) => !ahead.includes(i));
  const growing = f.indicators.filter((i) => i.yoy && i.city.growthPct !== null && i.city.growthPct > 0).length;
  const withGrowth = f.indicators.filter((i) => i.yoy && i.city.growthPct !== null).length;
  const s: string[] = [];
  s.push(`${f.periodLabel}，全市 ${f.units.total} 个责任单位中 ${f.units.submitted} 个已完成报送${f.units.missing ? `，${f.units.missing} 个未完成` : ''}`);
  if (withGrowth) s.push(`纳入监测的 ${f.indicators.length} 项主要指标中，${growing} 项同比增长`);
  if (judged.length) {
    s.push(
      behind.length
        ? `${ahead.length} 项达到目标进度，${behind.length} 项低于目标进度（${behind.map((i) => i.name).join('、')}）`
        : `${judged.length} 项均达到目标进度`,
    );
  }
  s.push(`各项指标共亮红灯 ${f.warnings.red} 个、黄灯 ${f.warnings.yellow} 个`);
  return `${s.join('；')}。`;
}

function rankingParagraph(f: MonthFacts): string | null {
  const r = f.ranking;
  if (!r || !r.entries.length) return null;
  const method = r.method === 'target_pace' ? '目标进度法' : '积分法';
  const head = r.entries.filter((e) => e.rank <= 3).map((e) => e.unit);
  const tail = r.entries.filter((e) => e.rank > Math.max(3, r.total - 3)).map((e) => e.unit);
  let s = `按综合排名（${method}），${r.total} 个区县中居前三位的是${head.join('、')}`;
  if (tail.length) s += `，居后三位的是${tail.join('、')}`;
  s += '。';
  const seats = f.seats;
  if (seats && (seats.exchange.length || seats.statement.length)) {
    const state = seats.confirmed ? '已确认' : '建议';
    const bits: string[] = [];
    if (seats.exchange.length) bits.push(`${seats.exchange.join('、')}在经验交流席发言`);
    if (seats.statement.length) bits.push(`${seats.statement.join('、')}在表态席发言`);
    s += `例会席位${state}：${bits.join('，')}。`;
    if (seats.interview.length) s += `约谈名单${state}：${seats.interview.join('、')}。`;
  }
  return s;
}

function listParagraph(items: ProblemFacts[], field: 'problems' | 'measures', total: number): string | null {
  const withText = items.filter((p) => p[field]);
  if (!withText.length) return null;
  const lead = field === 'problems' ? '各单位反映的主要困难和问题' : '各单位提出的主要措施和建议';
  const lines: string[] = [];
  let used = lead.length + 20;
  for (const [i, p] of withText.entries()) {
    const mark = p.light ? `，${LIGHT_WORD[p.light]}` : '';
    const line = `（${i + 1}）${p.unit}（${p.indicator}${mark}）：${clip(p[field]!, ITEM_MAX)}`;
    if (used + line.length > LIST_MAX - 40) break;
    lines.push(line);
    used += line.length + 1;
  }
  // Only the most urgent few fit: say so, with how many the units wrote (problems or measures).
  const more = total > items.length || lines.length < withText.length ? `（各单位共填报 ${total} 条，以下摘录 ${lines.length} 条，亮灯指标在前）` : '';
  return `${lead}${more}：${lines.join('；')}。`;
}

function warningsParagraph(f: MonthFacts): string {
  const w = f.warnings;
  const t = f.tasks;
  const unread = w.red + w.yellow - w.acknowledged;
  const taskTotal = t.open + t.inProgress + t.awaitingClose + t.done;
  let s = `本月预警：红灯 ${w.red} 个、黄灯 ${w.yellow} 个，领导已阅 ${w.acknowledged} 个${unread > 0 ? `、未阅 ${unread} 个` : ''}。`;
  // Tasks are counted to date, not for the month alone: say so, and how many the month added.
  s += taskTotal
    ? `截至目前，交办事项累计 ${taskTotal} 项（本月新交办 ${t.assignedInMonth} 项），其中待办理 ${t.open} 项、办理中 ${t.inProgress} 项、待销号 ${t.awaitingClose} 项、已销号 ${t.done} 项${t.overdue ? `，逾期未完成 ${t.overdue} 项` : ''}。`
    : '目前暂无交办事项。';
  return s;
}

/** The draft: summary, one paragraph per indicator, ranking and seats, problems, measures, warnings and tasks. */
export function draftParagraphs(f: MonthFacts): Paragraph[] {
  const out: Paragraph[] = [{ key: 'summary', title: '总体情况', text: summaryParagraph(f) }];
  for (const ind of f.indicators) out.push({ key: `ind-${ind.code}`, title: ind.name, text: indicatorParagraph(ind, f.periodKey) });
  const ranking = rankingParagraph(f);
  if (ranking) out.push({ key: 'ranking', title: '综合排名和例会席位', text: ranking });
  const problems = listParagraph(f.problems, 'problems', f.problemCount);
  if (problems) out.push({ key: 'problems', title: '主要困难和问题', text: problems });
  const measures = listParagraph(f.problems, 'measures', f.problemCount);
  if (measures) out.push({ key: 'measures', title: '主要措施和建议', text: measures });
  out.push({ key: 'warnings', title: '预警和交办事项', text: warningsParagraph(f) });
  return out.map((p) => ({ ...p, text: clip(p.text, PARAGRAPH_MAX) }));
}
