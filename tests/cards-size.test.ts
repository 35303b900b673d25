// Cards stay within 25 KB of content, measured as Feishu counts it (the card escaped inside the
// request body; cards/size.ts), in the worst case of the free-text limits (collection: FIELD_MAX_LENGTH;
// warnings: 1000 characters for 批示 and reasons, above their real limits).
import { describe, expect, it } from 'vitest';
import { collectionFormCard, FIELD_MAX_LENGTH, indicatorBytes, MAX_INDICATORS_PER_PAGE, paginate, type CollectionFormView, type FormIndicatorRow } from '../cards/collection-form.ts';
import { CARD_BUDGET_BYTES, cardRequestBytes } from '../cards/size.ts';
import { instructionCard, MAX_UNIT_OPTIONS, warningCard, type WarningCardView } from '../cards/warning.ts';
import { checkCard } from '../src/sandbox/cards.ts';

const LONG_TEXT_MAX = 1000;
const fill = (n: number) => '经'.repeat(n); // 3 bytes each in UTF-8, like any Chinese text

describe('cardRequestBytes', () => {
  it('counts the card as escaped into the request body', () => {
    const c = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: '"经' }] } };
    expect(cardRequestBytes(c)).toBe(Buffer.byteLength(JSON.stringify({ content: JSON.stringify(c) })) - '{"content":}'.length);
    expect(cardRequestBytes(c)).toBeGreaterThan(Buffer.byteLength(JSON.stringify(c)));
  });
});

describe('worst-case collection form (every text at its limit)', () => {
  const row = (i: number): FormIndicatorRow => ({
    code: `IND_${i}`, name: fill(20), measureUnit: '万千瓦时', valueKind: 'CUMULATIVE', growthBasis: 'YOY',
    last: '上期 1,234,567.8 万千瓦时 · 同比 +16.2%', target: '目标 +8.0%', cityAverage: '全市平均 +5.1%',
    entered: {
      value: '9'.repeat(FIELD_MAX_LENGTH.value), growth: '9'.repeat(FIELD_MAX_LENGTH.growth),
      problems: fill(FIELD_MAX_LENGTH.narrative), forecast: fill(FIELD_MAX_LENGTH.narrative), measures: fill(FIELD_MAX_LENGTH.narrative),
    },
    errors: [fill(100), fill(100)],
  });
  const rows = Array.from({ length: 12 }, (_, i) => row(i));
  // The domain's pager, with the stored texts' lengths (form-cards.ts pages the same way).
  const pages = paginate(rows, undefined, (r) => indicatorBytes([r.entered.problems, r.entered.forecast, r.entered.measures].join('').length));
  const view = (indicators: FormIndicatorRow[], i: number): CollectionFormView => ({
    reportId: 'rep_0123456789abcdefghijklmn', page: i + 1, pageCount: pages.length, cycleName: fill(12), periodLabel: '2026年11月', unitName: fill(20),
    dueText: '已延期至 12月18日（周五）18:00 前', mode: 'late-edit', indicators,
    unitSections: i === pages.length - 1 ? { enterpriseCoverage: fill(FIELD_MAX_LENGTH.unitSection), keyWork: fill(FIELD_MAX_LENGTH.unitSection) } : null,
    messages: [fill(60), fill(60)], reason: fill(FIELD_MAX_LENGTH.reason), confirmReason: fill(FIELD_MAX_LENGTH.confirmReason), needsConfirmation: true, onBehalfOf: fill(10),
  });

  it('pages further so that every page, the last with both unit sections, stays within 25 KB as Feishu counts it', () => {
    expect(pages.length).toBeGreaterThan(Math.ceil(rows.length / MAX_INDICATORS_PER_PAGE));
    pages.forEach((indicators, i) => {
      const c = collectionFormCard(view(indicators, i));
      expect(() => checkCard(c)).not.toThrow();
      expect(cardRequestBytes(c)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
    });
  });

  it('keeps five indicators with short texts on one page', () => {
    const short = rows.slice(0, 5).map((r) => ({ ...r, entered: { value: '1234.5', growth: '6.2' } }));
    expect(paginate(short, undefined, () => indicatorBytes(0))).toEqual([short]);
    expect(cardRequestBytes(collectionFormCard(view(short, 0)))).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
  });
});

describe('worst-case warning cards', () => {
  const wview: WarningCardView = {
    warningId: '0b7c2d4e-5f60-4a1b-9c3d-000000000001', indicatorName: fill(20), unitName: fill(20), periodLabel: '2026年11月',
    level: 'RED', status: 'IN_PROGRESS', value: '1,234,567.8 万千瓦时', growth: '-16.2%', targetPace: '目标进度 +8.0%', cityAverage: '全市平均 +5.1%',
    // Reasons are the rules' own sentences (not free text): long ones, ten of them.
    reasons: Array.from({ length: 10 }, () => fill(100)), vintageLabel: '正式数据',
    trend: Array.from({ length: 12 }, (_, i) => ({ period: `2026-${String(i + 1).padStart(2, '0')}`, growth: -16.2 + i })),
    units: Array.from({ length: MAX_UNIT_OPTIONS + 5 }, (_, i) => ({ code: `U_${i}`, name: fill(10) })), acknowledgedBy: fill(10),
    instructions: Array.from({ length: 12 }, () => ({ by: fill(10), at: '2026-12-01 09:00', text: fill(LONG_TEXT_MAX) })),
    tasks: Array.from({ length: 12 }, () => ({ title: fill(60), unitName: fill(20), due: '2026-12-31', state: '进行中' })),
  };

  it('keeps the warning card with every text at its longest within 25 KB', () => {
    const c = warningCard(wview);
    expect(() => checkCard(c)).not.toThrow();
    expect(cardRequestBytes(c)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
  });

  it('keeps the 批示 card within 25 KB', () => {
    const c = instructionCard({ leaderName: fill(10), indicatorName: fill(20), unitName: fill(20), periodLabel: '2026年11月', text: fill(LONG_TEXT_MAX), at: '2026-12-01 09:00', reasons: fill(LONG_TEXT_MAX) });
    expect(() => checkCard(c)).not.toThrow();
    expect(cardRequestBytes(c)).toBeLessThanOrEqual(CARD_BUDGET_BYTES);
  });
});
