// Collection cards: what liaisons, heads and the meeting office see, the values the bot gets back, and Feishu's limits.
import { describe, expect, it } from 'vitest';
import { escapeMd } from '../cards/card.ts';
import { allTagged, buttonByText, buttons, bytes, byTag, callback, countElements, expectValidForFeishu, inputByLabel, inputs, interactiveNames, json, labelOf } from './support/cards.ts';
import {
  collectionFormCard, CollectionActionValue, EDIT_APPROVE, EDIT_REJECT, FIELD_MAX_LENGTH, fieldNames, MAX_INDICATORS_PER_PAGE,
  indicatorBytes, paginate, readReportForm, REPORT_EDIT, REPORT_NUDGE, REPORT_OPEN, REPORT_SUBMIT, ReportFormValue, ReportSubmitValue, UNIT_FIELDS,
  type CollectionFormView, type FormIndicatorRow,
} from '../cards/collection-form.ts';
import {
  collectionReceiptCard, coverStartCard, escalationCard, extensionCard, leaveCard, reminderCard, unitStatusCard, type CollectionReceiptView,
} from '../cards/collection-status.ts';
import {
  editRequestCard, MAX_LISTED_UNITS, MAX_NUDGE_ROWS, noticeCard, nudgeSentCard, progressCard, schedulePreviewCard, type ProgressUnit,
} from '../cards/collection-admin.ts';

// ───────────── collection form ─────────────

const gdp: FormIndicatorRow = {
  code: 'GDP', name: '地区生产总值', measureUnit: '亿元', valueKind: 'CUMULATIVE', growthBasis: 'YOY',
  last: '上期 1,234.5 亿元 · 同比 +6.2%', target: '目标 +8.0%', cityAverage: '全市平均 +5.1%',
  entered: {}, errors: [],
};
const power: FormIndicatorRow = {
  code: 'POWER', name: '全社会用电量', measureUnit: '万千瓦时', valueKind: 'CURRENT', growthBasis: 'NONE',
  last: null, target: null, cityAverage: null, entered: {}, errors: [],
};
const baseView: CollectionFormView = {
  reportId: 'rep_1', page: 1, pageCount: 1, cycleName: '月度经济运行报送', periodLabel: '2026年11月', unitName: '安东区',
  dueText: '12月15日（周二）18:00 前', mode: 'new', indicators: [gdp, power], unitSections: { }, messages: [], needsConfirmation: false,
};
const formCard = (over: Partial<CollectionFormView> = {}) => collectionFormCard({ ...baseView, ...over });

describe('collection form card', () => {
  it('has the cycle and period as title, the unit as subtitle, and says what to fill and by when', () => {
    const c = formCard();
    expect(c.header?.title.content).toBe('月度经济运行报送 · 2026年11月');
    expect(c.header?.subtitle?.content).toBe('安东区');
    expect(c.header?.template).toBe('blue');
    expect(json(c.body)).toContain('请填写本单位 2026年11月 的指标数据，12月15日（周二）18:00 前提交。');
    expectValidForFeishu(c);
  });

  it('shows each indicator with its unit, the last period, the target and the city average beside the inputs', () => {
    const c = formCard();
    const body = json(c.body);
    expect(body).toContain('**1. 地区生产总值**（亿元，累计值）');
    expect(body).toContain('上期 1,234.5 亿元 · 同比 +6.2%\u3000目标 +8.0%\u3000全市平均 +5.1%');
    expect(body).toContain('**2. 全社会用电量**（万千瓦时，当期值）');
    expect(inputByLabel(c, '本期值（亿元）')?.name).toBe('v_0');
    expect(inputByLabel(c, '本期值（万千瓦时）')?.name).toBe('v_1');
    // No growth input for an indicator without a year-on-year basis.
    expect(inputs(c).filter((e) => labelOf(e) === '同比增速（%）').map((e) => e.name)).toEqual(['g_0']);
    expect(inputByLabel(c, '本期值（亿元）')?.max_length).toBe(FIELD_MAX_LENGTH.value);
  });

  it('keeps the narrative in a folded panel, opened when something is typed or needs fixing', () => {
    const panels = byTag(formCard(), 'collapsible_panel');
    expect(panels).toHaveLength(2);
    expect(panels.every((p) => p.expanded === false)).toBe(true);
    const narrative = allTagged(panels[0]).filter((e) => e.tag === 'input');
    expect(narrative.map(labelOf)).toEqual(['困难问题', '本月预判', '措施建议']);
    expect(narrative.every((e) => e.input_type === 'multiline_text' && e.max_length === FIELD_MAX_LENGTH.narrative)).toBe(true);

    const typed = byTag(formCard({ indicators: [{ ...gdp, entered: { forecast: '预计回升' } }, { ...power, errors: ['全社会用电量 本期值：未填写，请填写数字（单位：万千瓦时）。'] }] }), 'collapsible_panel');
    expect(typed.map((p) => p.expanded)).toEqual([true, true]);
  });

  it('puts back what was typed, and shows the errors in red under their indicator with a red tag', () => {
    const c = formCard({
      indicators: [{ ...gdp, entered: { value: '1234.5', growth: '6', problems: '订单减少', measures: '加快项目入库' }, errors: ['地区生产总值 同比增长：与填写的 6.0% 不一致，请核对本期值和同比增长。'] }, power],
      messages: ['有 1 项需要修改，请查看标红的说明。'],
    });
    expect(inputByLabel(c, '本期值（亿元）')?.default_value).toBe('1234.5');
    expect(inputByLabel(c, '同比增速（%）')?.default_value).toBe('6');
    expect(inputByLabel(c, '困难问题')?.default_value).toBe('订单减少');
    const body = json(c.body);
    expect(body).toContain("<font color='red'>地区生产总值 同比增长：与填写的 6.0% 不一致，请核对本期值和同比增长。</font>");
    expect(body).toContain("<font color='red'>有 1 项需要修改，请查看标红的说明。</font>");
    expect(c.header?.text_tag_list?.[0]).toMatchObject({ text: { content: '1 处需修改' }, color: 'red' });
    // The error sits between the indicator's inputs and the next indicator.
    expect(body.indexOf('不一致')).toBeGreaterThan(body.indexOf('"g_0"'));
    expect(body.indexOf('不一致')).toBeLessThan(body.indexOf('"v_1"'));
    expectValidForFeishu(c);
  });

  it('submits with the report id and page, and the form values parse back through the exported names', () => {
    const c = formCard({ page: 2, pageCount: 3 });
    const submit = buttonByText(c, '提交')!;
    expect(submit.form_action_type).toBe('submit');
    // The page's indicator codes in field order: the edge decodes the fields into entries by code.
    expect(callback(submit)).toEqual({ a: REPORT_SUBMIT, v: 1, r: 'rep_1', p: 2, i: 'GDP,POWER' });
    expect(ReportSubmitValue.parse(callback(submit))).toEqual({ a: REPORT_SUBMIT, v: 1, r: 'rep_1', p: 2, i: 'GDP,POWER' });
    expect(c.header?.subtitle?.content).toBe('安东区 · 第 2/3 页');
    expect(json(c.body)).toContain('每页分别提交');

    const names = fieldNames(['GDP', 'POWER']);
    expect(names.GDP).toEqual({ value: 'v_0', growth: 'g_0', problems: 'p_0', forecast: 'f_0', measures: 'm_0' });
    const cardNames = inputs(c).map((e) => e.name);
    for (const n of [names.GDP!.value, names.GDP!.growth, names.GDP!.problems, names.POWER!.value, names.POWER!.measures]) expect(cardNames).toContain(n);
    expect(cardNames).toContain(UNIT_FIELDS.enterpriseCoverage);
    expect(cardNames).toContain(UNIT_FIELDS.keyWork);

    expect(ReportFormValue.parse({ v_0: '1234.5', g_0: '', p_1: '无' })).toEqual({ v_0: '1234.5', g_0: '', p_1: '无' });
    expect(readReportForm({ v_0: '1234.5', g_0: '', p_1: '无', f_1: '回升', [UNIT_FIELDS.enterpriseCoverage]: '走访' }, ['GDP', 'POWER'])).toEqual({
      entries: { GDP: { value: '1234.5', growth: '' }, POWER: { problems: '无', outlook: '回升' } }, sections: { enterpriseCoverage: '走访' },
    });
    expect(ReportFormValue.safeParse({ v_0: 12 }).success).toBe(false);
  });

  it('asks for the unit sections only on the page that carries them', () => {
    const last = formCard({ unitSections: { enterpriseCoverage: '走访企业 12 家', keyWork: '' } });
    expect(inputByLabel(last, '企业包保')?.default_value).toBe('走访企业 12 家');
    expect(inputByLabel(last, '重点工作')).toBeDefined();
    const first = formCard({ unitSections: null });
    expect(inputByLabel(first, '企业包保')).toBeUndefined();
    expect(inputByLabel(first, '重点工作')).toBeUndefined();
  });

  it('asks for a reason on an edit, and says where a late edit goes', () => {
    const edit = formCard({ mode: 'edit', reason: '统计局更正' });
    expect(edit.header?.template).toBe('wathet');
    expect(inputByLabel(edit, '修改原因（必填）')).toMatchObject({ name: UNIT_FIELDS.reason, required: true, default_value: '统计局更正' });
    expect(buttonByText(edit, '提交修改')).toBeDefined();
    expect(inputByLabel(formCard(), '修改原因（必填）')).toBeUndefined();

    const late = formCard({ mode: 'late-edit' });
    expect(late.header?.template).toBe('orange');
    expect(inputByLabel(late, '修改原因（必填）')?.required).toBe(true);
    expect(buttonByText(late, '提交修改申请')).toBeDefined();
    expect(json(late.body)).toContain('2026年11月 的报送已截止。修改将提交例会办公室审批，批准后生效');
    expectValidForFeishu(late);
  });

  it('on the confirmation round shows why each figure is unusual and confirms with c = 1', () => {
    const c = formCard({
      needsConfirmation: true, confirmReason: '重大项目入库',
      indicators: [{ ...gdp, outlier: '地区生产总值 同比增长 30%，与近 12 期平均增速 6.1% 相差 23.9 个百分点，明显偏离历史水平' }, power],
    });
    expect(json(c.body)).toContain("<font color='orange'>请核实：地区生产总值 同比增长 30%");
    // Not required by the client: an officer who corrects the figure instead submits without a reason (issue 12).
    const reasonInput = inputByLabel(c, '确认说明：数据偏离历史水平的原因（改正数据后无需填写）');
    expect(reasonInput).toMatchObject({ name: UNIT_FIELDS.confirmReason, default_value: '重大项目入库' });
    expect(reasonInput).not.toHaveProperty('required');
    const submit = buttonByText(c, '确认并提交');
    expect(callback(submit)).toEqual({ a: REPORT_SUBMIT, v: 1, r: 'rep_1', p: 1, c: '1', i: 'GDP,POWER' });
    expect(ReportSubmitValue.parse(callback(submit)).c).toBe('1');
  });

  it('shows when the organiser fills in on behalf of someone', () => {
    const c = formCard({ onBehalfOf: '安东区 张三' });
    expect(json(c.body)).toContain('您正在代 安东区 张三 填报。');
    expect(c.header?.text_tag_list?.map((t) => t.text.content)).toContain('代填报');
  });

  it('escapes names and typed messages, so they cannot mention everyone or format text', () => {
    const c = formCard({ indicators: [{ ...gdp, name: '**GDP**<at id=all></at>', errors: ['[点我](https://x)'] }], messages: ['<at id=all></at>'] });
    const body = json(c.body);
    expect(body).not.toContain('<at id=all>');
    expect(body).toContain(escapeMd('**GDP**'));
    expect(body).toContain(escapeMd('[点我](https://x)'));
  });
});

describe('growth-only and comparable-price indicators on the form', () => {
  const countyVa: FormIndicatorRow = {
    code: 'CVA', name: '规上工业增加值', measureUnit: '亿元', valueKind: 'CUMULATIVE', growthBasis: 'COMPARABLE', growthOnly: true,
    last: '上期同比 +6.1%', target: '目标 +6.5%', cityAverage: '上期平均 +5.4%', entered: {}, errors: [],
  };

  it('asks a growth-only indicator for 增速 alone, with the last growth, the target and the average in growth terms', () => {
    const c = formCard({ indicators: [countyVa, gdp] });
    const body = json(c.body);
    expect(body).toContain('**1. 规上工业增加值**（只报增速，可比价，累计）');
    expect(body).toContain('上期同比 +6.1%\u3000目标 +6.5%\u3000上期平均 +5.4%');
    // The first indicator has a growth input and no value input; the second both.
    expect(inputs(c).filter((e) => /^[vg]_\d$/.test(String(e.name))).map((e) => e.name)).toEqual(['g_0', 'v_1', 'g_1']);
    expect(inputByLabel(c, '同比增速（%，按可比价计算）')?.name).toBe('g_0');
    expect(inputByLabel(c, '本期值（亿元）')?.name).toBe('v_1');
    // Its growth sits on its own, not in a two-column row with a missing value.
    expect(allTagged(c.body).filter((e) => e.tag === 'column_set')).toHaveLength(1);
    expect(readReportForm({ g_0: '7.2', v_1: '1234.5', g_1: '6' }, ['CVA', 'GDP']).entries).toEqual({ CVA: { growth: '7.2' }, GDP: { value: '1234.5', growth: '6' } });
    expectValidForFeishu(c);
  });

  it('says a comparable-price growth is at comparable prices beside the value', () => {
    const c = formCard({ indicators: [{ ...gdp, growthBasis: 'COMPARABLE' }] });
    expect(json(c.body)).toContain('**1. 地区生产总值**（亿元，累计值，可比价）');
    expect(inputByLabel(c, '本期值（亿元）')?.name).toBe('v_0');
    expect(inputByLabel(c, '同比增速（%，按可比价计算）')?.name).toBe('g_0');
  });
});

describe('pagination of the collection form', () => {
  it('balances pages and keeps every row once, in order', () => {
    expect(paginate([1, 2, 3, 4, 5, 6, 7], 4)).toEqual([[1, 2, 3, 4], [5, 6, 7]]);
    expect(paginate([1, 2, 3, 4, 5], 4)).toEqual([[1, 2, 3], [4, 5]]);
    expect(paginate([1, 2, 3], 4)).toEqual([[1, 2, 3]]);
    expect(paginate([], 4)).toEqual([[]]);
    const sixty = Array.from({ length: 60 }, (_, i) => i);
    const pages = paginate(sixty);
    expect(pages.flat()).toEqual(sixty);
    expect(pages.every((p) => p.length <= MAX_INDICATORS_PER_PAGE)).toBe(true);
  });

  it('keeps five short indicators on one page, and pages further only when stored texts are long', () => {
    const five = [0, 1, 2, 3, 4];
    expect(paginate(five, undefined, () => indicatorBytes(0))).toEqual([five]);
    const long = paginate(five, undefined, (i) => indicatorBytes(i < 3 ? 3 * FIELD_MAX_LENGTH.narrative : 0));
    expect(long.flat()).toEqual(five);
    expect(long.length).toBeGreaterThan(1);
  });

  it('uses the server limits as the inputs\' max_length, and never shows a refused over-long text in full', () => {
    expect(FIELD_MAX_LENGTH).toMatchObject({ narrative: 500, unitSection: 1000, reason: 200, confirmReason: 200 });
    const c = formCard({
      mode: 'edit', reason: '因'.repeat(5000), unitSections: { keyWork: '重'.repeat(5000) },
      indicators: [{ ...gdp, entered: { value: '1', problems: '难'.repeat(10_000) } }],
    });
    expect(inputByLabel(c, '困难问题')?.default_value).toHaveLength(FIELD_MAX_LENGTH.narrative);
    expect(inputByLabel(c, '重点工作')).toMatchObject({ max_length: FIELD_MAX_LENGTH.unitSection, default_value: '重'.repeat(FIELD_MAX_LENGTH.unitSection) });
    expect(inputByLabel(c, '修改原因（必填）')).toMatchObject({ max_length: FIELD_MAX_LENGTH.reason, default_value: '因'.repeat(FIELD_MAX_LENGTH.reason) });
    expectValidForFeishu(c);
  });

  it('keeps every page of 60 indicators under 30 KB (target 25 KB) and 200 elements in the worst case (every text at its limit), names unique', () => {
    const fill = (n: number) => '经'.repeat(n); // 3 bytes each in UTF-8, like any Chinese text
    const rows: FormIndicatorRow[] = Array.from({ length: 60 }, (_, i) => ({
      code: `IND_${i}`, name: fill(20), measureUnit: '万千瓦时', valueKind: 'CUMULATIVE', growthBasis: 'YOY',
      last: '上期 1,234,567.8 万千瓦时 · 同比 +16.2%', target: '目标 +8.0%', cityAverage: '全市平均 +5.1%',
      entered: {
        value: '9'.repeat(FIELD_MAX_LENGTH.value), growth: '9'.repeat(FIELD_MAX_LENGTH.growth),
        problems: fill(FIELD_MAX_LENGTH.narrative), forecast: fill(FIELD_MAX_LENGTH.narrative), measures: fill(FIELD_MAX_LENGTH.narrative),
      },
      errors: [fill(100), fill(100)],
    }));
    // Stored narratives at their limit page further: every page within the budget.
    const pages = paginate(rows, undefined, (r) => indicatorBytes([r.entered.problems, r.entered.forecast, r.entered.measures].join('').length));
    expect(pages.flat()).toEqual(rows);
    expect(pages.length).toBeGreaterThan(Math.ceil(60 / MAX_INDICATORS_PER_PAGE));
    pages.forEach((indicators, i) => {
      const view: CollectionFormView = {
        ...baseView, reportId: 'rep_0123456789abcdefghijklmn', page: i + 1, pageCount: pages.length, cycleName: fill(12), unitName: fill(20),
        dueText: '已延期至 12月18日（周五）18:00 前', mode: 'late-edit', indicators,
        unitSections: i === pages.length - 1 ? { enterpriseCoverage: fill(FIELD_MAX_LENGTH.unitSection), keyWork: fill(FIELD_MAX_LENGTH.unitSection) } : null,
        messages: [fill(60), fill(60)], reason: fill(FIELD_MAX_LENGTH.reason), confirmReason: fill(FIELD_MAX_LENGTH.confirmReason),
        needsConfirmation: true, onBehalfOf: fill(10),
      };
      const c = collectionFormCard(view);
      expect(bytes(c)).toBeLessThan(25 * 1024);
      expect(countElements(c)).toBeLessThan(200);
      const names = interactiveNames(c);
      expect(new Set(names).size).toBe(names.length);
      expectValidForFeishu(c);
      // Even with an outlier on every indicator as well, Feishu's hard limit holds.
      const outliers = collectionFormCard({ ...view, indicators: indicators.map((r) => ({ ...r, outlier: fill(150) })) });
      expect(bytes(outliers)).toBeLessThan(30 * 1024);
    });
  });
});

describe('collection callback values', () => {
  it('parses every action by its name and rejects a wrong version or a missing id', () => {
    const ok = [
      { a: REPORT_SUBMIT, v: 1, r: 'rep_1', p: 1 },
      { a: REPORT_EDIT, v: 1, r: 'rep_1', p: 2 },
      { a: REPORT_OPEN, v: 1, r: 'rep_1' },
      { a: REPORT_NUDGE, v: 1, r: 'rep_1' },
      { a: EDIT_APPROVE, v: 1, e: 'er_1' },
      { a: EDIT_REJECT, v: 1, e: 'er_1' },
    ];
    for (const value of ok) expect(CollectionActionValue.parse(value)).toEqual(value);
    expect(CollectionActionValue.safeParse({ a: REPORT_OPEN, v: 2, r: 'rep_1' }).success).toBe(false);
    expect(CollectionActionValue.safeParse({ a: EDIT_APPROVE, v: 1 }).success).toBe(false);
    expect(CollectionActionValue.safeParse({ a: REPORT_SUBMIT, v: 1, r: 'rep_1', p: 1, c: 'yes' }).success).toBe(false);
  });
});

// ───────────── what the liaison sees ─────────────

const receipt: CollectionReceiptView = {
  reportId: 'rep_1', page: 1, pageCount: 1, cycleName: '月度经济运行报送', periodLabel: '2026年11月', unitName: '安东区',
  submittedBy: '张三', submittedAt: '12月10日 09:30', revisionNo: 1,
  figures: [
    { name: '地区生产总值', value: '1,234.5 亿元', growth: '+6.2%' },
    { name: '全社会用电量', value: '8,600 万千瓦时', growth: null, changed: '原 8,500 → 8,600' },
  ],
  pendingPages: 0, editable: true,
};

describe('receipt card', () => {
  it('confirms in green and lists the figures as submitted', () => {
    const c = collectionReceiptCard(receipt);
    expect(c.header?.title.content).toBe('已提交');
    expect(c.header?.template).toBe('green');
    const body = json(c.body);
    expect(body).toContain('**地区生产总值**：1,234.5 亿元，同比 +6.2%');
    expect(body).toContain('**全社会用电量**：8,600 万千瓦时');
    expect(body).toContain('原 8,500 → 8,600');
    expect(body).toContain('**提交人**：张三\u3000**时间**：12月10日 09:30');
    expectValidForFeishu(c);
  });

  it('offers an edit while the period is open', () => {
    const c = collectionReceiptCard(receipt);
    expect(callback(buttonByText(c, '修改'))).toEqual({ a: REPORT_EDIT, v: 1, r: 'rep_1', p: 1 });
    expect(json(c.body)).toContain('截止前如需修改');
  });

  it('after the close, says an edit needs the office approval and the same button opens the late-edit form', () => {
    const c = collectionReceiptCard({ ...receipt, editable: false, revisionNo: 2, lateEditNote: '您的修改申请已提交，等待审批。' });
    expect(buttonByText(c, '修改')).toBeUndefined();
    expect(callback(buttonByText(c, '申请修改'))).toEqual({ a: REPORT_EDIT, v: 1, r: 'rep_1', p: 1 });
    const body = json(c.body);
    expect(body).toContain('本期报送已截止。如需修改，须经例会办公室审批');
    expect(body).toContain('您的修改申请已提交，等待审批。');
    expect(c.header?.text_tag_list?.[0]?.text.content).toBe('第 2 版');
  });

  it('says how many pages are left and continues with the next one', () => {
    const c = collectionReceiptCard({ ...receipt, page: 1, pageCount: 3, pendingPages: 2 });
    expect(json(c.body)).toContain('还有 2 页未填写');
    expect(json(c.body)).toContain('第 1/3 页的数据已提交');
    expect(callback(buttonByText(c, '继续填写'))).toEqual({ a: REPORT_OPEN, v: 1, r: 'rep_1' });
    expect(buttonByText(collectionReceiptCard(receipt), '继续填写')).toBeUndefined();
  });
});

describe('reminder card', () => {
  const base = { reportId: 'rep_1', cycleName: '月度经济运行报送', periodLabel: '2026年11月', unitName: '安东区', dueText: '12月15日（周二）18:00 前', missing: ['地区生产总值', '固定资产投资'], recipientRole: 'liaison' as const };

  it.each([
    ['open', '请填报', '本单位 2026年11月 的报送已开始，请于 12月15日（周二）18:00 前提交。'],
    ['reminder', '报送提醒', '尚未填报 2 项：地区生产总值、固定资产投资'],
    ['due-today', '今天截止', '的报送今天截止'],
    ['overdue', '报送已逾期', '已过截止时间，请尽快提交'],
  ] as const)('%s: says what is due and has a 立即填报 button', (kind, title, text) => {
    const c = reminderCard({ ...base, kind });
    expect(c.header?.title.content).toBe(`${title}：月度经济运行报送 · 2026年11月`);
    expect(c.header?.template).not.toBe('red');
    expect(json(c.body)).toContain(text);
    expect(callback(buttonByText(c, '立即填报'))).toEqual({ a: REPORT_OPEN, v: 1, r: 'rep_1' });
    expectValidForFeishu(c);
  });

  it('tells the backup they are covering for the liaison on leave', () => {
    const c = reminderCard({ ...base, kind: 'reminder', recipientRole: 'backup' });
    expect(json(c.body)).toContain('安东区 联络员休假期间，由您作为备用联络员代为报送。');
    expect(json(reminderCard({ ...base, kind: 'reminder' }).body)).not.toContain('备用联络员');
  });

  it('shortens a long list of missing indicators', () => {
    const missing = Array.from({ length: 30 }, (_, i) => `指标${i + 1}`);
    const body = json(reminderCard({ ...base, kind: 'reminder', missing }).body);
    expect(body).toContain('指标10 等 30 项');
    expect(body).not.toContain('指标11');
  });
});

describe('escalation card', () => {
  const base = { cycleName: '月度经济运行报送', periodLabel: '2026年11月', dueText: '12月15日（周二）18:00' };

  it('asks the unit head to push the liaison', () => {
    const c = escalationCard({ ...base, to: 'head', units: [{ unitName: '安东区', liaisonName: '张三', missing: 3, daysLate: 1 }] });
    const body = json(c.body);
    expect(body).toContain('本单位 2026年11月 报送已逾期 1 个工作日，请督促联络员尽快提交');
    expect(body).toContain('**联络员**：张三');
    expect(body).toContain('3 项指标');
    expect(c.header?.subtitle?.content).toBe('安东区');
    expect(c.header?.template).not.toBe('red');
    expectValidForFeishu(c);
  });

  it('lists the late units for a leader, the latest first, and summarises a long list', () => {
    const units = Array.from({ length: 45 }, (_, i) => ({ unitName: `单位${i}`, liaisonName: i === 0 ? null : `联络员${i}`, missing: 2, daysLate: i === 7 ? 9 : 1 }));
    const c = escalationCard({ ...base, to: 'leader', units });
    const body = json(c.body);
    expect(body).toContain('以下 45 个单位 2026年11月 报送已逾期');
    expect(body.indexOf('**单位7**')).toBeLessThan(body.indexOf('**单位0**'));
    expect(body).toContain('**单位7**：逾期 9 个工作日，2 项未报送，联络员 联络员7');
    expect(body).toContain("<font color='orange'>未指定联络员</font>");
    expect(body).toContain('另有 5 个单位逾期未报送');
    expectValidForFeishu(c);
    expect(json(escalationCard({ ...base, to: 'organiser', units }).body)).toContain('发送「报送情况」');
  });
});

describe('unit status card', () => {
  const period = { cycleName: '月度经济运行报送', periodLabel: '2026年11月', dueText: '12月15日（周二）18:00 前', total: 5 };

  it('shows each period in words, never a red light for not reported', () => {
    const c = unitStatusCard({
      unitName: '安东区',
      onLeave: '张三 12月10日至12月20日休假，由 李四 代报',
      periods: [
        { ...period, status: 'not-reported', submitted: 0, reportId: 'rep_1' },
        { ...period, periodLabel: '2026年10月', status: 'submitted', submitted: 5, lastSubmittedAt: '11月12日 10:00', reportId: 'rep_0' },
        { ...period, periodLabel: '2026年9月', status: 'late', submitted: 2, reportId: 'rep_9' },
        { ...period, periodLabel: '2026年12月', status: 'not-open', submitted: 0 },
      ],
    });
    const body = json(c.body);
    expect(body).toContain("<font color='grey'>未报送 0/5 项</font>");
    expect(body).toContain("<font color='green'>已报送 5/5 项</font>");
    expect(body).toContain("<font color='orange'>已逾期，已报送 2/5 项</font>");
    expect(body).toContain('尚未开始');
    expect(body).toContain('最近提交：11月12日 10:00');
    expect(body).toContain('**休假安排**：张三 12月10日至12月20日休假，由 李四 代报');
    expect(body).not.toMatch(/color='red'|红灯|🔴/);
    expect(c.header?.template).not.toBe('red');
    expect(callback(buttonByText(c, '去填报'))).toEqual({ a: REPORT_OPEN, v: 1, r: 'rep_1' });
    expect(callback(buttonByText(c, '查看'))).toEqual({ a: REPORT_OPEN, v: 1, r: 'rep_0' });
    expect(buttons(c)).toHaveLength(3);
    expectValidForFeishu(c);
  });

  it('says when there is nothing to report', () => {
    expect(json(unitStatusCard({ unitName: '安东区', periods: [] }).body)).toContain('目前没有需要本单位报送的周期');
  });
});

describe('leave and extension cards', () => {
  it('confirms the leave and names the backup', () => {
    const c = leaveCard({ personName: '张三', from: '12月10日', to: '12月20日', backupName: '李四', unitName: '安东区' });
    expect(c.header?.template).toBe('green');
    expect(json(c.body)).toContain('已登记 张三 的休假：12月10日 至 12月20日。');
    expect(json(c.body)).toContain('备用联络员 **李四**');
    expectValidForFeishu(c);
  });

  it('tells the backup liaison on the first day that the unit is theirs to report for (issue 12)', () => {
    const c = coverStartCard({ backupName: '李四', liaisonName: '张三', unitName: '安东区', from: '12月7日（周一）', to: '12月9日（周三）' });
    expect(c.header?.title.content).toBe('开始代为报送');
    expect(json(c.body)).toContain('安东区 联络员 **张三** 休假（12月7日（周一） 至 12月9日（周三））');
    expect(json(c.body)).toContain('由您作为备用联络员代为报送');
    expect(json(c.body)).toContain('发送「报送」可获取本单位当前的填报卡片');
    expectValidForFeishu(c);
  });

  it('warns when nobody covers', () => {
    const c = leaveCard({ personName: '张三', from: '12月10日', to: '12月20日', backupName: null, unitName: '安东区' });
    expect(c.header?.template).toBe('orange');
    expect(json(c.body)).toContain('尚未指定备用联络员，休假期间无人代为报送');
    expect(c.header?.text_tag_list?.[0]?.text.content).toBe('无备用联络员');
  });

  it('confirms an extension with the old and new due time and who granted it', () => {
    const c = extensionCard({ unitName: '安东区', periodLabel: '2026年11月', oldDue: '12月15日（周二）18:00', newDue: '12月18日（周五）18:00', grantedBy: '王主任' });
    const body = json(c.body);
    expect(body).toContain('**原截止**：12月15日（周二）18:00');
    expect(body).toContain('**延期至**：12月18日（周五）18:00');
    expect(body).toContain('**批准人**：王主任');
    expectValidForFeishu(c);
  });
});

// ───────────── what the organiser sees ─────────────

describe('progress card', () => {
  const base = { cycleName: '月度经济运行报送', periodLabel: '2026年11月', dueText: '12月15日（周二）18:00 前', exportHint: true };
  const units: ProgressUnit[] = [
    { reportId: 'r_a', unitName: '铁东区', status: 'submitted', submittedAt: '12月10日 09:30', liaisonName: '赵六' },
    { reportId: 'r_b', unitName: '安东区', status: 'late', liaisonName: '张三' },
    { reportId: 'r_c', unitName: '铁西区', status: 'partly', liaisonName: '李四' },
    { reportId: 'r_d', unitName: '立山区', status: 'missing', liaisonName: null, dueText: '已延期至 12月18日（周五）18:00 前' },
  ];
  const counts = { submitted: 1, partly: 1, missing: 1, late: 1, total: 4 };

  it('shows the counts at the top, the units still to chase first with a 催报 button, and how to export', () => {
    const c = progressCard({ ...base, counts, units });
    const stats = (c.body.elements[1] as { tag: string; columns: unknown[] });
    expect(stats.tag).toBe('column_set');
    const statTexts = allTagged(stats).filter((e) => e.tag === 'markdown').map((e) => e.content);
    expect(statTexts).toEqual(['**1**', "<font color='grey'>已报送</font>", '**1**', "<font color='grey'>部分报送</font>", '**1**', "<font color='grey'>未报送</font>", '**1**', "<font color='grey'>逾期</font>"]);
    const body = json(c.body);
    expect(body.indexOf('安东区')).toBeLessThan(body.indexOf('立山区'));
    expect(body.indexOf('立山区')).toBeLessThan(body.indexOf('铁西区'));
    expect(body.indexOf('铁西区')).toBeLessThan(body.indexOf('铁东区'));
    expect(body).toContain('未指定联络员 · 已延期至 12月18日（周五）18:00 前');
    expect(buttons(c).map((b) => callback(b))).toEqual([{ a: REPORT_NUDGE, v: 1, r: 'r_b' }, { a: REPORT_NUDGE, v: 1, r: 'r_d' }]);
    expect(buttons(c).every((b) => labelOf(b) === '催报')).toBe(true);
    expect(body).toContain('发送「导出 2026-11」获取 Excel');
    expect(body).toContain('**部分报送**：铁西区');
    expect(body).not.toContain('未列催报按钮');
    expect(body).toContain('铁东区（12月10日 09:30）');
    expectValidForFeishu(c);
  });

  it('stays within the limits for 2,000 units and summarises the rest', () => {
    const many: ProgressUnit[] = Array.from({ length: 2000 }, (_, i) => ({
      reportId: `rep_${i}`, unitName: `第${i}号责任单位`, status: i < 100 ? 'late' : i < 300 ? 'missing' : i < 400 ? 'partly' : 'submitted',
      submittedAt: '12月10日 09:30', liaisonName: `联络员${i}`,
    }));
    const c = progressCard({ ...base, counts: { submitted: 1600, partly: 100, missing: 200, late: 100, total: 2000 }, units: many });
    expectValidForFeishu(c);
    const body = json(c.body);
    expect(new Set(body.match(/第\d+号责任单位/g)).size).toBe(MAX_LISTED_UNITS);
    expect(buttons(c)).toHaveLength(MAX_NUDGE_ROWS);
    expect(body).toContain('其余逾期、未报送单位');
    expect(body).toContain('未列催报按钮');
    expect(body).toContain('另有 1600 个单位已提交');
    expect(body).toContain(`另有 ${400 - MAX_LISTED_UNITS} 个单位尚未完成报送`);
  });

  it('is green and says so when every unit has submitted', () => {
    const c = progressCard({ ...base, exportHint: false, counts: { submitted: 1, partly: 0, missing: 0, late: 0, total: 1 }, units: [units[0]!] });
    expect(c.header?.template).toBe('green');
    expect(json(c.body)).toContain('全部单位已报送');
    expect(buttons(c)).toHaveLength(0);
    expect(json(c.body)).not.toContain('导出');
  });
});

describe('schedule preview, edit request and notices', () => {
  it('previews the schedule and says nothing was sent', () => {
    const c = schedulePreviewCard({ cycleName: '月度经济运行报送', periodLabel: '2026年11月', lines: ['12月1日（周二）09:00 发送填报卡片', '12月15日（周二）18:00 截止'] });
    expect(json(c.body)).toContain('- 12月1日（周二）09:00 发送填报卡片');
    expect(json(c.body)).toContain('尚未发送任何消息');
    expectValidForFeishu(c);
  });

  const request = {
    editRequestId: 'er_1', unitName: '安东区', periodLabel: '2026年11月', requestedBy: '张三', requestedAt: '12月20日 10:00',
    reason: '统计局更正', changes: [{ name: '地区生产总值', from: '1,200.0 亿元', to: '1,234.5 亿元' }],
  };

  it('asks the office to approve or reject a late edit, showing what changes', () => {
    const c = editRequestCard({ ...request, status: 'pending' });
    expect(c.header?.template).toBe('orange');
    const body = json(c.body);
    expect(body).toContain('**修改原因**：统计局更正');
    expect(body).toContain('**地区生产总值**：1,200.0 亿元 → 1,234.5 亿元');
    expect(callback(buttonByText(c, '批准'))).toEqual({ a: EDIT_APPROVE, v: 1, e: 'er_1' });
    expect(callback(buttonByText(c, '驳回'))).toEqual({ a: EDIT_REJECT, v: 1, e: 'er_1' });
    expectValidForFeishu(c);
  });

  it('after the decision shows the outcome and no buttons', () => {
    const approved = editRequestCard({ ...request, status: 'approved', decidedBy: '王主任' });
    expect(buttons(approved)).toHaveLength(0);
    expect(json(approved.body)).toContain('已由 王主任 批准，修改已生效。');
    expect(approved.header?.template).toBe('green');
    const rejected = editRequestCard({ ...request, status: 'rejected', decidedBy: '王主任' });
    expect(buttons(rejected)).toHaveLength(0);
    expect(json(rejected.body)).toContain('已由 王主任 驳回，原数据保持不变。');
  });

  it('confirms a nudge and shows notices as plain words', () => {
    expect(json(nudgeSentCard({ unitName: '安东区', recipientName: '张三', recipientRole: 'liaison' }).body)).toContain('已向 安东区 联络员 张三 发送催报');
    const n = noticeCard('已保存', ['名称：**安东区**'], 'green');
    expect(n.header?.template).toBe('green');
    expect(json(n.body)).toContain(escapeMd('**安东区**'));
    expectValidForFeishu(n);
  });
});
