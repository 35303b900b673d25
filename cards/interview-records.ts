// Cards: 约谈记录 — the 约谈 archive of a unit (or of all units), newest first. Long texts are cut and the
// list stops while the card is within its size budget; the Excel export (导出约谈记录) has everything.
import { card, collapsiblePanel, escapeMd, markdown, note, type Card, type CardElement } from './card.ts';
import { CARD_BUDGET_BYTES, cardRequestBytes } from './size.ts';
import { MAX_SHOWN_OUTCOMES, type RecordView } from './meeting-record.ts';

/** The most records one card lists (the newest); more are in the export. */
export const MAX_LISTED_RECORDS = 10;
/** Characters of commitments and outcomes shown per record in the list. */
const CUT = 200;

const cut = (s: string, n = CUT) => ([...s].length > n ? `${[...s].slice(0, n).join('')}…` : s);
const field = (label: string, value: string) => `**${label}**：${escapeMd(value)}`;

export interface InterviewRecordsView {
  /** The unit asked for, or absent for all units. */
  unitName?: string;
  records: RecordView[];
  /** How many records there are in all (records holds the newest of them). */
  total: number;
}

function recordPanel(r: RecordView, expanded: boolean): CardElement {
  const lines = [
    field('被约谈人', r.interviewee),
    field('约谈人', r.interviewers),
    field('约谈时间', r.heldLabel),
    ...(r.reasons.length ? [field('约谈事由', cut(r.reasons.join('；')))] : []),
    ...(r.warnings.length ? [field('关联预警', cut(r.warnings.join('；')))] : []),
    ...(r.rankingNote ? [field('排名情况', r.rankingNote)] : []),
    field('表态/承诺', cut(r.commitments)),
    field('跟踪日期', r.followUpLabel ?? '未设'),
    r.outcomes.length ? `**落实情况**\n${r.outcomes.slice(-MAX_SHOWN_OUTCOMES).map((o) => `- ${escapeMd(`${o.at} ${o.met}：${cut(o.outcome)}`)}`).join('\n')}` : field('落实情况', r.followUpLabel ? '待跟踪' : '—'),
  ];
  const state = r.outcomes.length ? r.outcomes[r.outcomes.length - 1]!.met : r.followUpLabel ? '待跟踪' : '已归档';
  return collapsiblePanel({ title: `${r.heldDate} ${r.unitName} · ${r.interviewee} · ${state}`, expanded, elements: [markdown(lines.join('\n'))] });
}

export function interviewRecordsCard(view: InterviewRecordsView): Card {
  const scope = view.unitName ?? '全部单位';
  const build = (records: RecordView[]) => {
    const more = view.total - records.length;
    const hint = view.unitName ? `导出约谈记录 ${view.unitName}` : '导出约谈记录';
    return card({
      title: `约谈记录：${scope}`,
      subtitle: view.total ? `共 ${view.total} 条，按约谈时间由近及远` : '暂无记录',
      template: 'orange',
      elements: view.total
        ? [
            ...records.map((r, i) => recordPanel(r, i === 0)),
            note(more > 0 ? `另有 ${more} 条较早的记录未显示。发送「${hint}」获取全部记录的 Excel 文件。` : `发送「${hint}」获取 Excel 文件。`),
          ]
        : [markdown(`${escapeMd(scope)}暂无约谈记录。约谈结束后，组织者填写的约谈记录会归入档案。`)],
    });
  };
  let records = view.records.slice(0, MAX_LISTED_RECORDS);
  let c = build(records);
  // Long texts in many records: fewer records rather than a card Feishu refuses.
  while (records.length > 1 && cardRequestBytes(c) > CARD_BUDGET_BYTES) {
    records = records.slice(0, -1);
    c = build(records);
  }
  return c;
}
