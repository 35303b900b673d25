// Cards: the month's ranking and what it proposes — the seats of the monthly 例会 (经验交流席, 表态席) and the
// draft 约谈 list, for the organisers to confirm or edit (pickers prefilled with the proposal, reasons
// shown); what every organiser's copy becomes once confirmed; and the ranking card of 「排名」.
import { z } from 'zod';
import { button, card, column, columnSet, escapeMd, form, hr, markdown, multiSelectStatic, note, type Card, type CardElement, type SelectOption } from './card.ts';

export const SEATS_CONFIRM = 'seats.confirm';
export const SEAT_FIELDS = { exchange: 'exchange', statement: 'statement', interview: 'interview' } as const;
/** 确认 on the seats card; e/s/i: the proposal as shown (comma-separated unit codes), used for a picker the form leaves out. */
export const SeatsConfirmValue = z.object({ a: z.literal(SEATS_CONFIRM), v: z.literal(1), p: z.string().min(1), e: z.string().optional(), s: z.string().optional(), i: z.string().optional() });
const codes = z.array(z.string().max(64)).max(60).optional();
export const SeatsFormValue = z.object({ [SEAT_FIELDS.exchange]: codes, [SEAT_FIELDS.statement]: codes, [SEAT_FIELDS.interview]: codes });

/** Options per picker: the proposal plus the best / worst units of the ranking, never the whole city. */
export const MAX_SEAT_OPTIONS = 20;
/** Reasons shown per unit, and their length: the card stays small with the longest list. */
const MAX_REASONS = 2;
const MAX_REASON_CHARS = 40;

export type SeatKindWord = 'exchange' | 'statement' | 'interview';
export const SEAT_WORDS: Record<SeatKindWord, string> = { exchange: '经验交流席', statement: '表态席', interview: '约谈名单' };

export interface SeatLine {
  code: string;
  name: string;
  reasons: string[];
  /** Added by an organiser. */
  manual?: boolean;
  /** Confirmed card: 已确认 / 已移出. */
  removed?: boolean;
  /** Confirmed 约谈 line: 「约谈编号 12，待安排时间」. */
  meeting?: string;
}

export interface SeatSection {
  kind: SeatKindWord;
  lines: SeatLine[];
  options: SelectOption[];
}

export interface SeatsView {
  periodId: string;
  /** 2026年11月 */
  periodLabel: string;
  /** 「综合排名（积分法）：第一 高新区，末位 鞍东区」 */
  summary: string[];
  sections: SeatSection[];
  /** Units that met a 约谈 condition beyond the list's length. */
  omitted: number;
  /** Set once an organiser confirmed: who and when. */
  confirmed?: { by: string; at: string };
}

const clip = (s: string, max: number) => ([...s].length <= max ? s : `${[...s].slice(0, max - 1).join('')}…`);
const reasonText = (l: SeatLine) => l.reasons.slice(0, MAX_REASONS).map((r) => escapeMd(clip(r, MAX_REASON_CHARS))).join('；');

function sectionLines(s: SeatSection, confirmed: boolean): string {
  const live = s.lines.filter((l) => !l.removed);
  if (!live.length) return confirmed ? '（无）' : '（无建议，可在下方选择）';
  return live
    .map((l) => `- **${escapeMd(l.name)}**${l.manual ? '（例会办公室添加）' : ''}${l.reasons.length ? `：${reasonText(l)}` : ''}${l.meeting ? `\u3000<font color="orange">${escapeMd(l.meeting)}</font>` : ''}`)
    .join('\n');
}

/** The proposal to confirm (a form with three pickers), or what every organiser's copy becomes once confirmed. */
export function seatsCard(view: SeatsView): Card {
  const confirmed = view.confirmed !== undefined;
  const elements: CardElement[] = [];
  if (view.summary.length) elements.push(markdown(view.summary.map(escapeMd).join('\n')));
  for (const s of view.sections) {
    const title = s.kind === 'interview' ? (confirmed ? '约谈名单' : '约谈名单（草案）') : SEAT_WORDS[s.kind];
    let body = sectionLines(s, confirmed);
    if (s.kind === 'interview' && view.omitted > 0 && !confirmed) body += `\n另有 ${view.omitted} 个单位符合约谈条件，未列入草案（可在下方添加）。`;
    elements.push(markdown(`**${title}**\n${body}`));
  }
  if (confirmed) {
    const removed = view.sections.flatMap((s) => s.lines.filter((l) => l.removed).map((l) => `${escapeMd(l.name)}（${SEAT_WORDS[s.kind]}）`));
    if (removed.length) elements.push(markdown(`<font color="grey">未采纳：${removed.join('、')}</font>`));
    elements.push(note(`已由 ${view.confirmed!.by} 于 ${view.confirmed!.at} 确认。例会将按确认的席位安排发言；约谈名单中的单位已生成待安排的约谈，请在约谈卡片上设定时间。`));
  } else {
    const proposed = (k: SeatKindWord) => view.sections.find((s) => s.kind === k)?.lines.filter((l) => !l.removed).map((l) => l.code) ?? [];
    const picker = (s: SeatSection) =>
      multiSelectStatic({ name: SEAT_FIELDS[s.kind], options: s.options, required: false, selectedValues: proposed(s.kind), width: 'fill', placeholder: `选择${SEAT_WORDS[s.kind]}单位` });
    const fields: CardElement[] = [];
    for (const s of view.sections) fields.push(markdown(`**${SEAT_WORDS[s.kind]}**`), picker(s));
    fields.push(
      columnSet(
        [
          column(
            [
              button({
                name: 'seats_confirm',
                label: '确认',
                type: 'primary_filled',
                submit: true,
                value: { a: SEATS_CONFIRM, v: 1, p: view.periodId, e: proposed('exchange').join(','), s: proposed('statement').join(','), i: proposed('interview').join(',') },
              }),
            ],
            { width: 'auto' },
          ),
        ],
        { flexMode: 'flow' },
      ),
    );
    elements.push(hr(), form('seats_form', fields), note('以上为系统按本月排名提出的建议，可增删后确认。确认前不通知任何单位；确认后，约谈名单中的每个单位生成一个待安排的约谈。'));
  }
  return card({
    title: `${view.periodLabel}例会席位和约谈名单`,
    subtitle: confirmed ? '已确认' : '请确认或修改',
    template: confirmed ? 'green' : 'orange',
    summary: `${view.periodLabel}例会席位和约谈名单${confirmed ? '已确认' : '待确认'}`,
    tags: [{ text: confirmed ? '已确认' : '待确认', color: confirmed ? 'green' : 'orange' }],
    elements,
  });
}

// ───────────── 排名 ─────────────

export interface RankingLine {
  rank: number;
  name: string;
  /** 「92.50 分」「+12.3%」 */
  score: string;
  tied: boolean;
  /** Places gained since last month (negative: lost); null: not ranked last month. */
  change: number | null;
  /** The rank before a revised figure moved it. */
  revisedFrom?: number;
}

export interface RankingView {
  periodLabel: string;
  /** 「排名积分法」「对标目标进度法」 */
  methodLabel: string;
  /** 「2026年12月10日 修订」 when a revised figure re-ranked it. */
  revised?: string;
  lines: RankingLine[];
  /** Units not listed (a long ranking shows its head and tail). */
  hidden: number;
  /** Where the hidden ones sit: after this many lines. */
  hiddenAfter: number;
  /** One line per indicator: 「规上工业增加值：第一 高新区 +12.3%，末位 鞍东区 +1.2%」. */
  indicators: string[];
}

/** The most lines a ranking card lists; a longer ranking shows its head and tail. */
export const MAX_RANKING_LINES = 40;
const MAX_INDICATOR_LINES = 20;

function changeWords(c: number | null): string {
  if (c === null) return '<font color="grey">新</font>';
  if (c > 0) return `<font color="green">↑${c}</font>`;
  if (c < 0) return `<font color="red">↓${-c}</font>`;
  return '<font color="grey">—</font>';
}

export function rankingCard(view: RankingView): Card {
  const line = (l: RankingLine) =>
    `**${l.tied ? `并列第 ${l.rank}` : `第 ${l.rank}`}** ${escapeMd(l.name)}\u3000${escapeMd(l.score)}\u3000${changeWords(l.change)}${l.revisedFrom !== undefined ? `\u3000<font color="orange">修订前第 ${l.revisedFrom} 位</font>` : ''}`;
  const rows = view.lines.map(line);
  if (view.hidden > 0) rows.splice(view.hiddenAfter, 0, `……（中间 ${view.hidden} 个单位略）`);
  const elements: CardElement[] = [markdown(rows.length ? rows.join('\n') : '本期没有可排名的数据。')];
  if (view.indicators.length) {
    const shown = view.indicators.slice(0, MAX_INDICATOR_LINES).map(escapeMd);
    elements.push(hr(), markdown(`**分项指标**\n${shown.map((s) => `- ${s}`).join('\n')}`));
  }
  elements.push(note(`${view.methodLabel}。箭头为较上月名次变化；并列者名次相同，下一名次顺延。${view.revised ? `数据修订后已重新排名（${view.revised}）。` : ''}`));
  return card({
    title: `${view.periodLabel}综合排名`,
    subtitle: view.revised ? '已按修订数据重新排名' : view.methodLabel,
    template: 'indigo',
    summary: `${view.periodLabel}综合排名`,
    ...(view.revised ? { tags: [{ text: '已修订', color: 'orange' }] } : {}),
    elements,
  });
}
