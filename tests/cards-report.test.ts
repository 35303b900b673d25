// The 专报 cards: the organiser's review card (the month at a glance, each paragraph editable, 保存修改 and
// 发送给领导 carrying the revision shown), the same card once sent (no form), the leaders' summary card; each
// within Feishu's size with the longest text the organiser may save. And the card's clicks as commands.
import { describe, expect, it } from 'vitest';
import { reportReviewCard, reportSummaryCard, MREPORT_SAVE, MREPORT_SEND, type ReportView } from '../cards/report.ts';
import { CARD_BUDGET_BYTES, cardRequestBytes } from '../cards/size.ts';
import { parseCardAction, parseTextCommand } from '../src/commands/parse.ts';
import { draftParagraphs, PARAGRAPH_MAX, REPORT_TEXT_MAX } from '../src/modules/report/narrative.ts';
import { sampleMonth } from './support/report-facts.ts';

const ID = '7d0c1c2e-5b7a-4f7e-9a11-2c3d4e5f6a7b';
const paragraphs = draftParagraphs(sampleMonth()).map(({ title, text }) => ({ title, text }));
const view: ReportView = {
  reportId: ID,
  periodLabel: '2026年10月',
  cityName: '鞍江市',
  revisionNo: 1,
  indicators: [
    { name: '规模以上工业增加值', figure: '1-10月 1,286.43 亿元，同比增长 5.2%', target: '目标 8.0%，低于目标进度 2.8 个百分点', light: 'YELLOW' },
    { name: '社会消费品零售总额', figure: '1-10月 980.50 亿元，同比增长 9.4%', light: 'GREEN' },
  ],
  facts: ['27 个责任单位，已完成报送 25 个，未完成 2 个', '预警：红灯 4 个、黄灯 6 个'],
  paragraphs,
};

type Node = Record<string, unknown>;
function all(n: unknown, tag: string, out: Node[] = []): Node[] {
  if (Array.isArray(n)) n.forEach((x) => all(x, tag, out));
  else if (n && typeof n === 'object') {
    if ((n as Node).tag === tag) out.push(n as Node);
    Object.values(n).forEach((x) => all(x, tag, out));
  }
  return out;
}
const valueOf = (b: Node) => (b.behaviors as { value: Record<string, unknown> }[])[0]!.value;

describe('the review card', () => {
  it('shows the month and each paragraph in an input, prefilled with the draft, within the input limit', () => {
    const c = reportReviewCard(view);
    const s = JSON.stringify(c);
    expect(c.header?.title.content).toBe('2026年10月经济运行专报');
    expect(s).toContain('27 个责任单位，已完成报送 25 个');
    expect(s).toContain('🟡 黄灯');
    const inputs = all(c, 'input');
    expect(inputs.map((i) => (i.label as { content: string }).content)).toEqual(paragraphs.map((p) => p.title));
    expect(inputs.map((i) => i.default_value)).toEqual(paragraphs.map((p) => p.text));
    expect(inputs.every((i) => i.max_length === PARAGRAPH_MAX && i.input_type === 'multiline_text')).toBe(true);
  });

  it('has 保存修改 and 发送给领导, both submitting the form with the report and the revision shown', () => {
    const buttons = all(reportReviewCard({ ...view, revisionNo: 3 }), 'button');
    expect(buttons.map((b) => (b.text as { content: string }).content)).toEqual(['保存修改', '发送给领导']);
    expect(buttons.every((b) => b.form_action_type === 'submit')).toBe(true);
    expect(buttons.map(valueOf)).toEqual([{ a: MREPORT_SAVE, v: 1, r: ID, n: 3 }, { a: MREPORT_SEND, v: 1, r: ID, n: 3 }]);
  });

  it('once sent, says who sent it and when, and offers nothing to click', () => {
    const c = reportReviewCard({ ...view, revisionNo: 2, sent: { by: '钱晓岚', at: '2026-12-16 10:05', leaders: 5 } });
    const s = JSON.stringify(c);
    expect(s).toContain('已由 **钱晓岚** 于 2026-12-16 10:05 发送给 5 位领导（第 2 稿');
    expect(all(c, 'button')).toHaveLength(0);
    expect(all(c, 'input')).toHaveLength(0);
  });

  it('stays within the card budget with the longest text the organiser may save', () => {
    const per = Math.floor(REPORT_TEXT_MAX / paragraphs.length);
    const longest = paragraphs.map((p) => ({ ...p, text: '鞍'.repeat(Math.min(per, PARAGRAPH_MAX)) }));
    expect(cardRequestBytes(reportReviewCard({ ...view, paragraphs: longest }))).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    expect(cardRequestBytes(reportReviewCard({ ...view, paragraphs: longest, sent: { by: '钱晓岚', at: '2026-12-16 10:05', leaders: 5 } }))).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
  });
});

describe('the leaders’ summary card', () => {
  it('gives the summary, the indicators with their lights and names the Word file', () => {
    const c = reportSummaryCard({ ...view, summary: paragraphs[0]!.text, fileName: '鞍江市经济运行专报（2026年10月）.docx' });
    const s = JSON.stringify(c);
    expect(c.header?.title.content).toBe('2026年10月经济运行专报');
    expect(s).toContain(paragraphs[0]!.text);
    expect(s).toContain('规模以上工业增加值**：1-10月 1,286.43 亿元，同比增长 5.2%，目标 8.0%，低于目标进度 2.8 个百分点');
    expect(s).toContain('鞍江市经济运行专报（2026年10月）.docx');
    expect(all(c, 'button')).toHaveLength(0);
  });
});

describe('commands', () => {
  it.each([
    ['专报', { kind: 'mreport.review' }],
    ['专报 2026-11', { kind: 'mreport.review', period: '2026-11' }],
    ['专报 2026年11月', { kind: 'mreport.review', period: '2026-11' }],
  ])('%s', (text, cmd) => expect(parseTextCommand(text)).toEqual(cmd));

  it('answers a wrong period with an example', () => {
    expect(parseTextCommand('专报 十一月')).toMatchObject({ kind: 'usage', message: expect.stringContaining('专报 2026-11') });
    expect(parseTextCommand('专报 2026-Q4')).toMatchObject({ kind: 'usage' });
  });

  it('reads the edited paragraphs by position; an untouched field is left out', () => {
    expect(parseCardAction({ value: { a: MREPORT_SEND, v: 1, r: ID, n: 2 }, formValue: { p0: '改后的总体情况', p3: '排名段落' } })).toEqual({
      kind: 'mreport.send',
      reportId: ID,
      revisionNo: 2,
      texts: { 0: '改后的总体情况', 3: '排名段落' },
    });
    expect(parseCardAction({ value: { a: MREPORT_SAVE, v: 1, r: 'not-a-report', n: 2 }, formValue: {} })).toMatchObject({ kind: 'invalid' });
  });
});
