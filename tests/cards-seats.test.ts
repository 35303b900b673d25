// The seats card (proposal with prefilled pickers and reasons; what every copy becomes once confirmed), the
// ranking card of 排名, and the route of 确认 — within 25 KB even for a city of 2,000 units.
import { describe, expect, it } from 'vitest';
import { buttonByText, callback, expectValidForFeishu, fieldByName, json, markdownTexts, optionValues } from './support/cards.ts';
import { MAX_RANKING_LINES, MAX_SEAT_OPTIONS, rankingCard, SEATS_CONFIRM, seatsCard, type SeatsView } from '../cards/seats.ts';
import { CARD_BUDGET_BYTES, cardRequestBytes } from '../cards/size.ts';
import { seatRoutes } from '../src/commands/routes/meetings-seats.ts';

const PERIOD = '3f1c2a4e-5b6d-4e7f-8a9b-0c1d2e3f4a5b';
const view = (over: Partial<SeatsView> = {}): SeatsView => ({
  periodId: PERIOD,
  periodLabel: '2026年11月',
  summary: ['综合排名（排名积分法，10 个单位）：第一 高新区，末位 鞍东区'],
  sections: [
    { kind: 'exchange', lines: [{ code: 'high-tech-zone', name: '高新区', reasons: ['综合排名第 1 位', '综合得分 100.0'] }], options: [{ label: '高新区', value: 'high-tech-zone' }, { label: '鞍西区', value: 'anxi-district' }] },
    { kind: 'statement', lines: [{ code: 'andong-district', name: '鞍东区', reasons: ['综合排名第 10 位（末位）'] }], options: [{ label: '鞍东区', value: 'andong-district' }, { label: '云台县', value: 'yuntai-county' }] },
    {
      kind: 'interview',
      lines: [{ code: 'andong-district', name: '鞍东区', reasons: ['综合排名第 10 位（末位）', '规模以上工业增加值连续 3 个月红灯'] }],
      options: [{ label: '鞍东区', value: 'andong-district' }, { label: '青山区', value: 'qingshan-district' }],
    },
  ],
  omitted: 0,
  ...over,
});

describe('the seats card', () => {
  it('shows the proposal with reasons and pickers prefilled; 确认 carries the period and the proposal', () => {
    const c = seatsCard(view({ omitted: 4 }));
    expectValidForFeishu(c);
    const text = markdownTexts(c).join('\n');
    expect(text).toContain('**经验交流席**\n- **高新区**：综合排名第 1 位；综合得分 100.0');
    expect(text).toContain('规模以上工业增加值连续 3 个月红灯');
    expect(text).toContain('另有 4 个单位符合约谈条件');
    expect(fieldByName(c, 'exchange')?.selected_values).toEqual(['high-tech-zone']);
    expect(fieldByName(c, 'interview')?.selected_values).toEqual(['andong-district']);
    expect(optionValues(fieldByName(c, 'statement'))).toEqual(['andong-district', 'yuntai-county']);
    expect(callback(buttonByText(c, '确认'))).toEqual({ a: SEATS_CONFIRM, v: 1, p: PERIOD, e: 'high-tech-zone', s: 'andong-district', i: 'andong-district' });
    expect(json(c)).toContain('确认前不通知任何单位');
  });

  it('once confirmed: no form, who confirmed and when, what was left out, the 约谈 numbers', () => {
    const v = view({ confirmed: { by: '毛刚', at: '2026-12-16 10:05' } });
    v.sections[1]!.lines.push({ code: 'yuntai-county', name: '云台县', reasons: ['综合排名第 9 位'], removed: true });
    v.sections[2]!.lines[0]!.meeting = '约谈编号 12，待安排时间';
    const c = seatsCard(v);
    expectValidForFeishu(c);
    expect(buttonByText(c, '确认')).toBeUndefined();
    const text = json(c);
    expect(text).toContain('已由 毛刚 于 2026-12-16 10:05 确认');
    expect(text).toContain('未采纳：云台县（表态席）');
    expect(text).toContain('约谈编号 12，待安排时间');
  });

  it('stays within 25 KB for 2,000 units: options limited, the longest 约谈 list (20, the most max_units allows) with long reasons', () => {
    const units = Array.from({ length: 2_000 }, (_, i) => ({ label: `压测区经济技术开发区${String(i).padStart(5, '0')}`, value: `bench-close-${String(i).padStart(5, '0')}` }));
    const long = (n: number) => `${'规模以上工业增加值'.repeat(3)}连续 ${n} 个月红灯${'经'.repeat(80)}`;
    const lines = (k: number) => units.slice(0, k).map((u) => ({ code: u.value, name: u.label, reasons: [long(3), long(4), long(5), long(6)], manual: true }));
    const c = seatsCard({
      periodId: PERIOD,
      periodLabel: '2026年11月',
      summary: ['综合排名（排名积分法，2000 个单位）：第一 压测区00001，末位 压测区01999'],
      sections: [
        { kind: 'exchange', lines: lines(3), options: units.slice(0, MAX_SEAT_OPTIONS) },
        { kind: 'statement', lines: lines(3), options: units.slice(-MAX_SEAT_OPTIONS) },
        { kind: 'interview', lines: lines(20), options: units.slice(0, 20) },
      ],
      omitted: 1_980,
    });
    expectValidForFeishu(c);
    expect(cardRequestBytes(c)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
  });
});

describe('the ranking card', () => {
  it('lists places with ties, the change since last month and the revised places', () => {
    const c = rankingCard({
      periodLabel: '2026年11月',
      methodLabel: '排名积分法',
      revised: '2026-12-16 修订',
      lines: [
        { rank: 1, name: '高新区', score: '100.0 分', tied: false, change: 1 },
        { rank: 2, name: '鞍西区', score: '80.0 分', tied: true, change: -1, revisedFrom: 3 },
        { rank: 2, name: '石桥市', score: '80.0 分', tied: true, change: 0 },
        { rank: 4, name: '鞍东区', score: '0.0 分', tied: false, change: null },
      ],
      hidden: 0,
      hiddenAfter: 0,
      indicators: ['规模以上工业增加值：第一 高新区 +10.0%，末位 鞍东区 +2.0%'],
    });
    expectValidForFeishu(c);
    const text = markdownTexts(c).join('\n');
    expect(text).toContain('**第 1** 高新区');
    expect(text).toContain('**并列第 2** 鞍西区');
    expect(text).toContain('↑1');
    expect(text).toContain('↓1');
    expect(text).toContain('修订前第 3 位');
    expect(text).toContain('规模以上工业增加值：第一 高新区');
    expect(json(c)).toContain('已修订');
  });

  it('shows the head and the tail of a 2,000-unit ranking within 25 KB', () => {
    const half = MAX_RANKING_LINES / 2;
    const line = (rank: number) => ({ rank, name: `压测区经济技术开发区${rank}`, score: '55.5 分', tied: true, change: -12, revisedFrom: rank + 3 });
    const c = rankingCard({
      periodLabel: '2026年11月',
      methodLabel: '排名积分法',
      revised: '2026-12-16 修订',
      lines: [...Array.from({ length: half }, (_, i) => line(i + 1)), ...Array.from({ length: half }, (_, i) => line(1981 + i))],
      hidden: 1_960,
      hiddenAfter: half,
      indicators: Array.from({ length: 30 }, (_, i) => `${'规模以上工业增加值'.repeat(2)}${i}：第一 压测区经济技术开发区00001、压测区经济技术开发区00002（并列） +10.0%，末位 压测区经济技术开发区01999 −3.0%`),
    });
    expectValidForFeishu(c);
    expect(json(c)).toContain('中间 1960 个单位略');
    expect(cardRequestBytes(c)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
  });
});

describe('the route of 确认', () => {
  const route = seatRoutes[SEATS_CONFIRM]!;
  it('reads the pickers; a picker left out of the form keeps the proposal shown', () => {
    const value = { a: SEATS_CONFIRM, v: 1, p: PERIOD, e: 'high-tech-zone', s: 'andong-district', i: 'andong-district,qingshan-district' };
    expect(route.toCommand({ value, formValue: { exchange: ['anxi-district'], statement: [], interview: ['andong-district'] } })).toEqual({
      kind: 'seats.confirm', periodId: PERIOD, exchange: ['anxi-district'], statement: [], interview: ['andong-district'],
    });
    expect(route.toCommand({ value, formValue: {} })).toEqual({ kind: 'seats.confirm', periodId: PERIOD, exchange: ['high-tech-zone'], statement: ['andong-district'], interview: ['andong-district', 'qingshan-district'] });
    expect(route.toCommand({ value: { ...value, p: 'nope' }, formValue: {} })).toMatchObject({ kind: 'invalid' });
  });
});
