// Warning and task cards: what a leader, a unit and the meeting office see around a yellow or red light
// (研判 → 预警 → 应策 → 推动 → 问效), the values the bot gets back, and Feishu's limits.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { escapeMd } from '../cards/card.ts';
import { renderCard } from '../src/sandbox/ui/public/card-render.js';
import { json, byTag, buttons, labelOf, inputByLabel, buttonByText, callback, optionValues, markdownTexts, fieldByName, expectValidForFeishu } from './support/cards.ts';
import {
  changeWords, instructionCard, MAX_DIGEST_ITEMS, MAX_UNIT_OPTIONS, MEETING_CONFIRM, MeetingActionValue,
  PickedDate, WARNING_ACK, WARNING_ASSIGN, WARNING_FIELDS, WARNING_INSTRUCT, WARNING_INTERVIEW, WARNING_MEETING, WARNING_OPEN, WarningActionValue,
  WARNING_FIELD_MAX_LENGTH, WarningAssignFormValue, warningCard, warningDigestCard, WarningInstructFormValue, whyCard,
  type DigestItem, type WarningCardView, type WarningDigestView,
} from '../cards/warning.ts';
import {
  bulletinCard, MAX_BULLETIN_UNITS, TASK_CLOSE, TASK_FIELD_MAX_LENGTH, TASK_FIELDS, TASK_OPEN, TASK_PROGRESS, TASK_REQUEST_CLOSE, TASK_RETURN, TaskActionValue, taskCard,
  TaskProgressFormValue, taskReminderCard, TaskReturnFormValue, taskReviewCard, type BulletinView, type TaskView,
} from '../cards/task.ts';

const fill = (n: number) => '经'.repeat(n); // 3 bytes each in UTF-8, like any Chinese text

// ───────────── digest ─────────────

const item = (over: Partial<DigestItem> = {}): DigestItem => ({
  warningId: 'w_1', indicatorName: '规上工业增加值', unitName: '鞍东区', level: 'RED', previousLevel: 'YELLOW',
  value: '123.4 亿元', growth: '+3.2%', reasons: '低于目标进度 4.8 个百分点', ...over,
});
const digest: WarningDigestView = {
  leaderName: '张三', batchLabel: '2026年11月 · 第 2 批',
  items: [
    item({ warningId: 'w_y1', level: 'YELLOW', previousLevel: 'GREEN', indicatorName: '固定资产投资', unitName: '铁西区', growth: '-1.5%', reasons: '同比下降' }),
    item({ warningId: 'w_r1' }),
    item({ warningId: 'w_y2', level: 'YELLOW', previousLevel: 'YELLOW', indicatorName: '社会消费品零售总额', unitName: '立山区' }),
    item({ warningId: 'w_r2', previousLevel: null, indicatorName: '一般公共预算收入', unitName: '千山区' }),
    item({ warningId: 'w_y3', level: 'YELLOW', previousLevel: 'RED', indicatorName: '进出口总额', unitName: '铁东区' }),
  ],
  resolved: [{ indicatorName: '全社会用电量', unitName: '海城市' }],
};

describe('warning digest card', () => {
  it('groups a leader\'s new lights in one card: the count in the title, reds first, each with what changed', () => {
    const c = warningDigestCard(digest);
    expect(c.header?.title.content).toBe('经济运行预警：2 红 3 黄');
    expect(c.header?.subtitle?.content).toBe('2026年11月 · 第 2 批');
    expect(c.header?.template).toBe('red');
    const body = json(c.body);
    expect(body).toContain('张三，您分管领域本批预警 5 项：红色 2 项、黄色 3 项。');
    expect(body).toContain('其中 2 项较上期升级。');
    expect(body).toContain("<font color='red'>**红色预警 2 项**</font>");
    expect(body).toContain("<font color='orange'>**黄色预警 3 项**</font>");
    // Reds (in the caller's order) before yellows.
    const order = ['规上工业增加值', '一般公共预算收入', '固定资产投资', '社会消费品零售总额', '进出口总额'].map((s) => body.indexOf(`**${s} · `));
    expect(order.every((p) => p > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(body).toContain("**规上工业增加值 · 鞍东区**\u3000<font color='red'>由黄转红</font>");
    expect(body).toContain("<font color='red'>新亮红灯</font>");
    expect(body).toContain("<font color='orange'>由绿转黄</font>");
    expect(body).toContain("<font color='orange'>持续黄灯</font>");
    expect(body).toContain("<font color='orange'>由红转黄</font>");
    expect(body).toContain('同比 +3.2%（123.4 亿元）；低于目标进度 4.8 个百分点');
    expect(body).toContain("<font color='green'>**已恢复正常 1 项**</font>：全社会用电量 · 海城市");
    expectValidForFeishu(c);
  });

  it('has 查看 and 已阅 on every item, carrying the warning id', () => {
    const c = warningDigestCard(digest);
    const open = buttons(c).filter((b) => labelOf(b) === '查看').map(callback);
    const ack = buttons(c).filter((b) => labelOf(b) === '已阅').map(callback);
    expect(open).toEqual(['w_r1', 'w_r2', 'w_y1', 'w_y2', 'w_y3'].map((w) => ({ a: WARNING_OPEN, v: 1, w, s: 'digest' })));
    expect(ack).toEqual(['w_r1', 'w_r2', 'w_y1', 'w_y2', 'w_y3'].map((w) => ({ a: WARNING_ACK, v: 1, w, s: 'digest' })));
    for (const v of [...open, ...ack]) expect(WarningActionValue.parse(v)).toEqual(v);
  });

  it('shows yellow as orange, and only-resolved batches in green', () => {
    const yellow = warningDigestCard({ ...digest, items: digest.items.filter((x) => x.level === 'YELLOW') });
    expect(yellow.header?.title.content).toBe('经济运行预警：3 黄');
    expect(yellow.header?.template).toBe('orange');
    const reds = warningDigestCard({ ...digest, items: digest.items.filter((x) => x.level === 'RED'), resolved: [] });
    expect(reds.header?.title.content).toBe('经济运行预警：2 红');
    expect(json(reds.body)).not.toContain('已恢复正常');
    const green = warningDigestCard({ ...digest, items: [] });
    expect(green.header?.title.content).toBe('经济运行预警：1 项恢复正常');
    expect(green.header?.template).toBe('green');
    expect(buttons(green)).toHaveLength(0);
    expectValidForFeishu(green);
  });

  it('marks a repeated unacknowledged red', () => {
    const c = warningDigestCard({ ...digest, items: [item({ repeat: true, previousLevel: 'RED' })] });
    expect(c.header?.text_tag_list?.map((t) => t.text.content)).toEqual(['再次提醒']);
    const body = json(c.body);
    expect(body).toContain('1 项红色预警仍未阅，再次提醒');
    expect(body).toContain("<text_tag color='red'>未阅 · 再次提醒</text_tag>");
    expect(body).toContain('持续红灯');
    expect(renderCard(c)).toContain('未阅 · 再次提醒');
  });

  it('says first when the figures of an official import are incomplete', () => {
    const c = warningDigestCard({ ...digest, notice: '本次导入有 2 行未能导入，数据不完整' });
    expect(markdownTexts(c)[0]).toBe("<font color='orange'>**本次导入有 2 行未能导入，数据不完整**</font>");
    expect(json(warningDigestCard(digest).body)).not.toContain('数据不完整');
    expectValidForFeishu(c);
  });

  it('lists at most 20 items with buttons and summarises the rest, within the limits for 200 items', () => {
    const many = Array.from({ length: 200 }, (_, i) => item({
      // UUID-sized ids, every text long: the worst case for the 30 KB.
      warningId: `0b7c2d4e-5f60-4a1b-9c3d-${String(i).padStart(12, '0')}`, level: i % 3 === 0 ? 'RED' : 'YELLOW', previousLevel: i % 2 ? 'GREEN' : null, repeat: i % 3 === 0,
      indicatorName: fill(15), unitName: `第${i}号${fill(8)}`, value: '1,234,567.8 万千瓦时', growth: '-16.2%', reasons: fill(300),
    }));
    const resolved = Array.from({ length: 200 }, (_, i) => ({ indicatorName: fill(15), unitName: `恢复${i}号${fill(8)}` }));
    const c = warningDigestCard({ leaderName: fill(10), batchLabel: '2026年11月 · 第 12 批', items: many, resolved });
    expectValidForFeishu(c);
    expect(buttons(c)).toHaveLength(MAX_DIGEST_ITEMS * 2);
    expect(c.header?.title.content).toBe('经济运行预警：67 红 133 黄');
    const body = json(c.body);
    // The 20 listed are all red (there are 67 reds).
    expect(buttons(c).every((b) => Number(/-(\d+)$/.exec((callback(b) as { w: string }).w)?.[1]) % 3 === 0)).toBe(true);
    expect(body).toContain('另有 180 项未逐项列出（红 47 项、黄 133 项）');
    expect(body).toContain('等 180 项');
    expect(body).toContain('等 200 项');
    expect(body).toContain('…');
  });

  it('escapes names and reasons so they cannot mention everyone or format text', () => {
    const c = warningDigestCard({ ...digest, leaderName: '<at id=all></at>', items: [item({ indicatorName: '**GDP**', unitName: '[点我](https://x)', reasons: '<at id=all></at>' })] });
    const body = json(c.body);
    expect(body).not.toContain('<at id=all>');
    expect(body).toContain(escapeMd('**GDP**'));
    expect(body).toContain(escapeMd('[点我](https://x)'));
  });

  it('names the change from one light to the next', () => {
    expect(changeWords('YELLOW', 'RED')).toBe('由黄转红');
    expect(changeWords('GREEN', 'RED')).toBe('由绿转红');
    expect(changeWords(null, 'YELLOW')).toBe('新亮黄灯');
    expect(changeWords('RED', 'RED')).toBe('持续红灯');
  });
});

// ───────────── warning detail ─────────────

const trend: WarningCardView['trend'] = Array.from({ length: 12 }, (_, i) => ({
  period: `${i < 1 ? 2025 : 2026}-${String(i < 1 ? 12 : i).padStart(2, '0')}`, growth: i === 4 ? null : 8 - i * 0.5,
}));
const units = [{ code: 'U_ANDONG', name: '鞍东区' }, { code: 'D_INDUSTRY', name: '工信局' }, { code: 'D_DRC', name: '发改委' }];
const wview: WarningCardView = {
  warningId: 'w_1', indicatorName: '规上工业增加值', unitName: '鞍东区', periodLabel: '2026年11月', level: 'RED', status: 'OPEN',
  value: '123.4 亿元', growth: '+3.2%', targetPace: '目标进度 +8.0%', cityAverage: '全市平均 +5.1%',
  reasons: ['低于目标进度 4.8 个百分点', '低于全市平均 1.9 个百分点', '连续 3 个月回落'], vintageLabel: '快报',
  trend, units, instructions: [], tasks: [],
};
const wcard = (over: Partial<WarningCardView> = {}) => warningCard({ ...wview, ...over });

describe('warning card', () => {
  it('is coloured by the light and shows the figures against the target pace and the city average', () => {
    const c = wcard();
    expect(c.header?.title.content).toBe('规上工业增加值 · 鞍东区');
    expect(c.header?.subtitle?.content).toBe('2026年11月 · 快报');
    expect(c.header?.template).toBe('red');
    expect(c.header?.text_tag_list?.map((t) => [t.text.content, t.color])).toEqual([['红色预警', 'red'], ['待阅', 'neutral']]);
    const stats = c.body.elements[0]!;
    expect(stats.tag).toBe('column_set');
    expect(markdownTexts(stats)).toEqual([
      "<font color='red'>**+3.2%**</font>", "<font color='grey'>同比 · 123.4 亿元</font>",
      '**+8.0%**', "<font color='grey'>目标进度</font>",
      '**+5.1%**', "<font color='grey'>全市平均</font>",
    ]);
    const body = json(c.body);
    expect(body).toContain('**预警原因**\\n- 低于目标进度 4.8 个百分点\\n- 低于全市平均 1.9 个百分点\\n- 连续 3 个月回落');
    expect(body).toContain('本期为快报数据，正式数据发布后将重新研判。');
    expectValidForFeishu(c);
  });

  it('shows yellow in orange, and leaves out the target and the average when unknown', () => {
    const c = wcard({ level: 'YELLOW', targetPace: null, cityAverage: null, vintageLabel: '正式数据' });
    expect(c.header?.template).toBe('orange');
    expect(c.header?.text_tag_list?.[0]).toMatchObject({ text: { content: '黄色预警' }, color: 'orange' });
    expect(markdownTexts(c.body.elements[0])).toEqual(["<font color='orange'>**+3.2%**</font>", "<font color='grey'>同比 · 123.4 亿元</font>"]);
    expect(json(c.body)).not.toContain('快报数据');
    expect(wcard({ targetPace: '+8.0%' }).body.elements[0]).toMatchObject({ columns: expect.any(Array) });
    expect(markdownTexts(wcard({ targetPace: '+8.0%', cityAverage: null }).body.elements[0])).toContain("<font color='grey'>目标进度</font>");
  });

  it('draws the last 12 periods as a VChart line, a missing figure as a gap', () => {
    const c = wcard({ trend: [{ period: '2025-10', growth: 9 }, ...trend] });
    const [chart] = byTag(c, 'chart');
    expect(c.body.elements).toContain(chart);
    const spec = chart!.chart_spec as { type: string; xField: string; yField: string; data: { values: { period: string; growth: number | null }[] } };
    expect(spec).toMatchObject({ type: 'line', xField: 'period', yField: 'growth', invalidType: 'break' });
    expect(spec.data.values).toHaveLength(12);
    expect(spec.data.values[0]).toEqual({ period: '2025-12', growth: 8 });
    expect(spec.data.values[4]).toEqual({ period: '2026-04', growth: null });
    expect(JSON.stringify(spec)).not.toMatch(/function|=>/);
    const html = renderCard(c);
    expect(html).toContain('fc-chart-svg');
    expect(html).toContain('近 12 期同比增速（%）');

    const short = wcard({ trend: [{ period: '2026-11', growth: 3.2 }, { period: '2026-10', growth: null }] });
    expect(byTag(short, 'chart')).toHaveLength(0);
    expect(json(short.body)).toContain('历史数据不足，暂无趋势图。');
  });

  it('offers 已阅, 召集专题会 and 约谈, each carrying the warning id', () => {
    const c = wcard();
    expect(callback(buttonByText(c, '已阅'))).toEqual({ a: WARNING_ACK, v: 1, w: 'w_1' });
    expect(callback(buttonByText(c, '召集专题会'))).toEqual({ a: WARNING_MEETING, v: 1, w: 'w_1' });
    expect(callback(buttonByText(c, '约谈'))).toEqual({ a: WARNING_INTERVIEW, v: 1, w: 'w_1' });
  });

  it('has a folded 批示 form: the text and the units it goes to, the warning\'s own unit preselected', () => {
    const c = wcard();
    const forms = byTag(c, 'form');
    expect(forms.map((f) => f.name)).toEqual(['warning_instruct_form', 'warning_assign_form']);
    const [instruct] = forms;
    const [panel] = byTag(instruct, 'collapsible_panel');
    expect(panel).toMatchObject({ expanded: false, header: { title: { content: '批示（送达相关单位）' } } });
    expect(inputByLabel(c, '批示内容')).toMatchObject({ name: WARNING_FIELDS.instruction, required: true, input_type: 'multiline_text', max_length: WARNING_FIELD_MAX_LENGTH.instruction });
    expect(WARNING_FIELD_MAX_LENGTH.instruction).toBe(500);
    const select = byTag(instruct, 'multi_select_static')[0]!;
    expect(select).toMatchObject({ name: WARNING_FIELDS.units, required: true, selected_values: ['U_ANDONG'] });
    expect(optionValues(select)).toEqual(['U_ANDONG', 'D_INDUSTRY', 'D_DRC']);
    expect((select.options as { text: { content: string } }[]).map((o) => o.text.content)).toEqual(['鞍东区', '工信局', '发改委']);
    const submit = buttonByText(instruct, '发送批示')!;
    expect(submit.form_action_type).toBe('submit');
    expect(callback(submit)).toEqual({ a: WARNING_INSTRUCT, v: 1, w: 'w_1' });

    expect(WarningInstructFormValue.parse({ instruction: ' 请鞍东区一周内报送措施 ', units: ['U_ANDONG', 'D_DRC'] }))
      .toEqual({ instruction: '请鞍东区一周内报送措施', units: ['U_ANDONG', 'D_DRC'] });
    expect(WarningInstructFormValue.safeParse({ instruction: '  ', units: ['U_ANDONG'] }).success).toBe(false);
    expect(WarningInstructFormValue.safeParse({ instruction: fill(501), units: [] }).success).toBe(false);
  });

  it('has a folded 交办 form: title, owner unit (select) and due date (date picker)', () => {
    const c = wcard();
    const assign = byTag(c, 'form')[1]!;
    expect(byTag(assign, 'collapsible_panel')[0]).toMatchObject({ expanded: false });
    expect(inputByLabel(c, '事项名称')).toMatchObject({ name: WARNING_FIELDS.title, required: true, max_length: TASK_FIELD_MAX_LENGTH.title });
    expect(TASK_FIELD_MAX_LENGTH.title).toBe(100);
    expect(fieldByName(c, WARNING_FIELDS.unit)).toMatchObject({ tag: 'select_static', required: true, initial_option: 'U_ANDONG' });
    expect(optionValues(fieldByName(c, WARNING_FIELDS.unit))).toEqual(['U_ANDONG', 'D_INDUSTRY', 'D_DRC']);
    expect(fieldByName(c, WARNING_FIELDS.due)).toMatchObject({ tag: 'date_picker', required: true });
    expect(markdownTexts(assign)).toEqual(['**责任单位**', '**完成时限**']);
    expect(callback(buttonByText(assign, '交办'))).toEqual({ a: WARNING_ASSIGN, v: 1, w: 'w_1' });

    expect(WarningAssignFormValue.parse({ title: ' 推动 3 个项目入库 ', unit: 'U_ANDONG', due: '2026-12-31 +0800' }))
      .toEqual({ title: '推动 3 个项目入库', unit: 'U_ANDONG', due: '2026-12-31' });
    expect(WarningAssignFormValue.safeParse({ title: '推动', unit: 'U_ANDONG', due: '2026-02-30 +0800' }).success).toBe(false);
    expect(WarningAssignFormValue.safeParse({ title: '推动', unit: 'U_ANDONG' }).success).toBe(false);
    expect(WarningAssignFormValue.safeParse({ title: '', unit: 'U_ANDONG', due: '2026-12-31 +0800' }).success).toBe(false);
    expect(PickedDate.parse('2028-02-29 +0800')).toBe('2028-02-29');
    expect(PickedDate.safeParse('2027-02-29 +0800').success).toBe(false);
    expect(PickedDate.safeParse('31/12/2026').success).toBe(false);
  });

  it('replaces 已阅 by who read it once acknowledged', () => {
    const c = wcard({ status: 'ACKNOWLEDGED', acknowledgedBy: '张三' });
    expect(buttonByText(c, '已阅')).toBeUndefined();
    expect(json(c.body)).toContain("<font color='grey'>已阅 · 张三</font>");
    expect(c.header?.text_tag_list?.[1]?.text.content).toBe('已阅');
    expect(buttonByText(c, '召集专题会')).toBeDefined();
    const inProgress = wcard({ status: 'IN_PROGRESS' });
    expect(buttonByText(inProgress, '已阅')).toBeUndefined();
    expect(inProgress.header?.text_tag_list?.[1]?.text.content).toBe('处理中');
    expectValidForFeishu(c);
  });

  it('lists past instructions and tasks', () => {
    const c = wcard({
      status: 'IN_PROGRESS', acknowledgedBy: '张三',
      instructions: [{ by: '张三', at: '11月20日 09:30', text: '请鞍东区会同工信局\n一周内报送措施' }],
      tasks: [{ title: '推动 3 个在建项目入库', unitName: '鞍东区', due: '12月31日', state: '办理中' }],
    });
    const body = json(c.body);
    expect(body).toContain('**批示记录**\\n- **张三**（11月20日 09:30）：请鞍东区会同工信局 一周内报送措施');
    expect(body).toContain('**已交办事项**\\n- 推动 3 个在建项目入库 · 鞍东区 · 时限 12月31日 · 办理中');
    expectValidForFeishu(c);
  });

  it('once resolved is green, says so, and offers no actions', () => {
    const c = wcard({ level: 'GREEN', status: 'RESOLVED', reasons: [] });
    expect(c.header?.template).toBe('green');
    expect(c.header?.text_tag_list?.map((t) => t.text.content)).toEqual(['已恢复正常']);
    expect(json(c.body)).toContain('该指标已恢复正常，预警已关闭。');
    expect(buttons(c)).toHaveLength(0);
    expect(byTag(c, 'form')).toHaveLength(0);
    expectValidForFeishu(c);
  });

  it('without units concerned offers no task form', () => {
    const c = wcard({ units: [] });
    expect(byTag(c, 'form').map((f) => f.name)).toEqual(['warning_instruct_form']);
    expect(byTag(c, 'multi_select_static')).toHaveLength(0);
    expect(json(c.body)).toContain('未配置相关单位，暂不能交办。');
    expectValidForFeishu(c);
  });

  it('stays within the limits with many units, reasons and records, and escapes what people typed', () => {
    const many = Array.from({ length: 120 }, (_, i) => ({ code: `unit_code_0123456789_${i}`, name: `第${i}号${fill(10)}` }));
    const c = wcard({
      indicatorName: '**GDP**<at id=all></at>', unitName: fill(20), units: many, reasons: Array.from({ length: 20 }, () => fill(60)),
      instructions: Array.from({ length: 30 }, () => ({ by: fill(5), at: '11月20日 09:30', text: `<at id=all></at>${fill(500)}` })),
      tasks: Array.from({ length: 30 }, () => ({ title: fill(60), unitName: fill(20), due: '12月31日', state: '已逾期' })),
    });
    expectValidForFeishu(c);
    expect(optionValues(fieldByName(c, WARNING_FIELDS.units))).toHaveLength(MAX_UNIT_OPTIONS);
    expect(optionValues(fieldByName(c, WARNING_FIELDS.unit))).toHaveLength(MAX_UNIT_OPTIONS);
    const body = json(c.body);
    expect(body).not.toContain('<at id=all>');
    expect(body).toContain('另有 10 条');
    expect(body).toContain('另有 20 条较早的批示');
    expect(body).toContain('另有 20 项');
  });
});

// ───────────── what a unit receives ─────────────

describe('instruction card', () => {
  const view = {
    leaderName: '张三', indicatorName: '规上工业增加值', unitName: '鞍东区', periodLabel: '2026年11月',
    text: '请会同工信局分析原因\n一周内报送措施', at: '11月20日 09:30', reasons: '低于目标进度 4.8 个百分点',
  };

  it('shows who instructed what, why and when', () => {
    const c = instructionCard(view);
    expect(c.header?.title.content).toBe('领导批示：规上工业增加值');
    expect(c.header?.subtitle?.content).toBe('鞍东区 · 2026年11月');
    expect(c.header?.template).toBe('orange');
    const body = json(c.body);
    expect(body).toContain('分管领导 张三 批示：');
    expect(body).toContain('> 请会同工信局分析原因\\n> 一周内报送措施');
    expect(body).toContain('**事由**：规上工业增加值 2026年11月 预警（低于目标进度 4.8 个百分点）');
    expect(body).toContain('**时间**：11月20日 09:30');
    expect(renderCard(c)).toContain('fc-quote');
    expectValidForFeishu(c);
  });

  it('escapes the instruction text', () => {
    const body = json(instructionCard({ ...view, text: '<at id=all></at> **加粗**', leaderName: '[张三](https://x)' }).body);
    expect(body).not.toContain('<at id=all>');
    expect(body).toContain(escapeMd('**加粗**'));
    expect(body).toContain(escapeMd('[张三](https://x)'));
  });
});

// ───────────── 为什么 ─────────────

describe('why card', () => {
  const view = {
    indicatorName: '规上工业增加值', unitName: '鞍东区', periodLabel: '2026年11月', status: 'LIT' as const, level: 'RED' as const,
    reasons: ['低于目标进度 4.8 个百分点'], vintageLabel: '快报',
    history: [{ period: '2026-08', level: 'GREEN' }, { period: '2026-09', level: 'NOT_REPORTED' }, { period: '2026-10', level: 'YELLOW' }, { period: '2026-11', level: 'RED' }],
  };

  it('gives the light, the rules that fired and the recent lights', () => {
    const c = whyCard(view);
    expect(c.header?.template).toBe('red');
    expect(c.header?.subtitle?.content).toBe('2026年11月 · 红灯');
    const body = json(c.body);
    expect(body).toContain("鞍东区 2026年11月 规上工业增加值：<font color='red'>**红灯**</font><font color='grey'>（快报）</font>");
    expect(body).toContain('**依据**\\n- 低于目标进度 4.8 个百分点');
    expect(body).toContain("2026-08 <font color='green'>绿</font>\u30002026-09 <font color='grey'>未报送</font>\u30002026-10 <font color='orange'>黄</font>\u30002026-11 <font color='red'>红</font>");
    expectValidForFeishu(c);
    expect(whyCard({ ...view, level: 'YELLOW' }).header?.template).toBe('orange');
    expect(json(whyCard({ ...view, level: 'GREEN', reasons: [] }).body)).toContain('各项预警规则均未触发，运行平稳。');
  });

  it('never shows not reported as a light', () => {
    const c = whyCard({ ...view, status: 'NOT_REPORTED', level: 'RED', reasons: ['截止时间 12月15日，尚未报送'], history: [{ period: '2026-11', level: 'NOT_REPORTED' }] });
    expect(c.header?.template).toBe('grey');
    const body = json(c.body);
    expect(body).toContain('鞍东区 2026年11月 规上工业增加值：尚未报送，暂无灯色。');
    expect(body).toContain('**说明**\\n- 截止时间 12月15日，尚未报送');
    expect(body).not.toMatch(/color='(red|orange)'|红灯|黄灯|绿灯/);
    expectValidForFeishu(c);
  });

  it("shows the figures the light judged (a parent's total with the indicator's decimals)", () => {
    const c = whyCard({ ...view, unitName: '鞍江市', figures: '累计 1,369.47 亿元，同比 +5.7%', reasons: ['10 个单位汇总：本期 1,369.47 亿元，同比 +5.7%', '增速 5.7%'] });
    const body = json(c.body);
    expect(body).toContain('**数据**：累计 1,369.47 亿元，同比 +5.7%');
    expect(body.indexOf('**数据**')).toBeLessThan(body.indexOf('**依据**'));
    expectValidForFeishu(c);
  });

  it('says why there is no light, and which periods have one, without calling it 「未报送」', () => {
    const c = whyCard({
      ...view, unitName: '鞍江市', periodLabel: '2026年11月', status: 'NO_LIGHT', figures: '累计 1 亿元，同比 +1.0%', history: [{ period: '2026年10月', level: 'GREEN' }],
      reasons: ['鞍江市 的灯色按 10 个下级单位汇总，2026年11月 尚缺 2 个单位的数据：青山区、松岭县。全部报送后研判。', '有灯色的期别：2026年10月、2026年9月。'],
    });
    expect(c.header?.template).toBe('grey');
    expect(c.header?.subtitle?.content).toBe('2026年11月 · 暂无灯色');
    const body = json(c.body);
    expect(body).toContain('鞍江市 2026年11月 规上工业增加值：暂无灯色。');
    expect(body).toContain('**说明**\\n- 鞍江市 的灯色按 10 个下级单位汇总，2026年11月 尚缺 2 个单位的数据：青山区、松岭县。全部报送后研判。\\n- 有灯色的期别：2026年10月、2026年9月。');
    expect(body).toContain('数据齐全后将自动研判灯色。');
    expect(body).not.toMatch(/未报送|\*\*数据\*\*|红灯|黄灯|绿灯/);
    expectValidForFeishu(c);
  });
});

// ───────────── callback values ─────────────

describe('warning and task callback values', () => {
  it('parses every action by its name and rejects a wrong version or a missing id', () => {
    for (const a of [WARNING_ACK, WARNING_INSTRUCT, WARNING_MEETING, WARNING_INTERVIEW, WARNING_ASSIGN, WARNING_OPEN]) {
      expect(WarningActionValue.parse({ a, v: 1, w: 'w_1' })).toEqual({ a, v: 1, w: 'w_1' });
      expect(WarningActionValue.safeParse({ a, v: 2, w: 'w_1' }).success).toBe(false);
      expect(WarningActionValue.safeParse({ a, v: 1 }).success).toBe(false);
    }
    for (const a of [TASK_PROGRESS, TASK_REQUEST_CLOSE, TASK_CLOSE, TASK_RETURN, TASK_OPEN]) {
      expect(TaskActionValue.parse({ a, v: 1, t: 't_1' })).toEqual({ a, v: 1, t: 't_1' });
      expect(TaskActionValue.safeParse({ a, v: 1, t: '' }).success).toBe(false);
    }
    expect(MeetingActionValue.safeParse({ a: MEETING_CONFIRM, v: 1, w: 'w_1' }).success).toBe(false);
    expect(TaskActionValue.safeParse({ a: 'task.delete', v: 1, t: 't_1' }).success).toBe(false);
  });
});

// ───────────── tasks ─────────────

const task: TaskView = {
  taskId: 't_1', title: '推动 3 个在建项目月底前入库', description: '重点推进鞍钢配套产业园 3 个项目', source: '来自预警：规上工业增加值 · 鞍东区',
  unitName: '鞍东区', assignedBy: '张三', due: '12月31日', daysLeft: 5, state: 'IN_PROGRESS', progress: 60,
  updates: [{ at: '12月1日', by: '李四', progress: 25, note: '已完成选址' }, { at: '12月10日', by: '李四', progress: 60, note: null }],
};

describe('task card', () => {
  it('shows the task, where it came from, the time left and the record, with a progress form', () => {
    const c = taskCard(task);
    expect(c.header?.title.content).toBe('交办事项：推动 3 个在建项目月底前入库');
    expect(c.header?.subtitle?.content).toBe('鞍东区');
    expect(c.header?.template).toBe('blue');
    const body = json(c.body);
    expect(body).toContain('来自预警：规上工业增加值 · 鞍东区');
    expect(body).toContain('**交办人**：张三');
    expect(body).toContain('**完成时限**：12月31日（还剩 5 天）');
    expect(body).toContain('**办理进度**：60%');
    expect(body).toContain('**事项要求**：重点推进鞍钢配套产业园 3 个项目');
    expect(body).toContain('- 12月1日 李四：25% · 已完成选址\\n- 12月10日 李四：60%');

    const progress = fieldByName(c, TASK_FIELDS.progress)!;
    expect(progress).toMatchObject({ tag: 'select_static', required: true, initial_option: '50' });
    expect(optionValues(progress)).toEqual(['0', '25', '50', '75', '100']);
    expect(inputByLabel(c, '办理情况')).toMatchObject({ name: TASK_FIELDS.note, max_length: TASK_FIELD_MAX_LENGTH.note });
    expect(TASK_FIELD_MAX_LENGTH.note).toBe(500);
    const update = buttonByText(c, '更新进度')!;
    expect(update.form_action_type).toBe('submit');
    expect(callback(update)).toEqual({ a: TASK_PROGRESS, v: 1, t: 't_1' });
    const close = buttonByText(c, '申请销号')!;
    expect(close.form_action_type).toBe('submit');
    expect(callback(close)).toEqual({ a: TASK_REQUEST_CLOSE, v: 1, t: 't_1' });
    expect(close.confirm).toMatchObject({ title: { content: '申请销号' } });
    expectValidForFeishu(c);

    expect(TaskProgressFormValue.parse({ progress: '75', note: ' 已开工 ' })).toEqual({ progress: 75, note: '已开工' });
    expect(TaskProgressFormValue.parse({ progress: '100' })).toEqual({ progress: 100, note: '' });
    expect(TaskProgressFormValue.safeParse({ progress: '60' }).success).toBe(false);
    expect(TaskProgressFormValue.safeParse({ progress: '50', note: fill(500) }).success).toBe(true);
    expect(TaskProgressFormValue.safeParse({ progress: '50', note: fill(501) }).error?.issues[0]?.message).toBe('「办理情况」最多 500 字，当前 501 字，请精简后重新提交');
  });

  it('shows overdue in orange words, never red', () => {
    const c = taskCard({ ...task, daysLeft: -3 });
    expect(json(c.body)).toContain("<font color='orange'>已逾期 3 天</font>");
    expect(c.header?.template).toBe('orange');
    expect(c.header?.text_tag_list?.[0]).toMatchObject({ text: { content: '已逾期' }, color: 'orange' });
    expect(json(c)).not.toMatch(/color='red'|"red"/);
    expect(json(taskCard({ ...task, daysLeft: 0 }).body)).toContain("<font color='orange'>今天到期</font>");
    expect(json(taskCard({ ...task, daysLeft: 1 }).body)).toContain('（明天到期）');
  });

  it('when returned shows the reason and still takes progress', () => {
    const c = taskCard({ ...task, state: 'RETURNED', returnReason: '缺少入库佐证材料' });
    expect(json(c.body)).toContain("<font color='orange'>**退回原因**：缺少入库佐证材料</font>");
    expect(c.header?.text_tag_list?.map((t) => t.text.content)).toEqual(['已退回']);
    expect(buttonByText(c, '更新进度')).toBeDefined();
  });

  it('once submitted for close-out or closed takes no more input', () => {
    const waiting = taskCard({ ...task, state: 'AWAITING_CLOSE', progress: 100, daysLeft: -2 });
    expect(buttons(waiting)).toHaveLength(0);
    expect(json(waiting.body)).toContain('已申请销号，等待例会办公室审核。');
    expect(json(waiting.body)).not.toContain('已逾期');
    const done = taskCard({ ...task, state: 'DONE', progress: 100 });
    expect(done.header?.template).toBe('green');
    expect(buttons(done)).toHaveLength(0);
    expect(json(done.body)).toContain('该事项已销号。');
    expectValidForFeishu(done);
  });

  it('keeps the latest records and escapes what people typed, within the limits', () => {
    const c = taskCard({
      ...task, title: fill(60), description: `<at id=all></at>${fill(1000)}`, source: fill(60),
      updates: Array.from({ length: 40 }, (_, i) => ({ at: `12月${i}日`, by: fill(5), progress: 50, note: `**${fill(300)}**` })),
    });
    expectValidForFeishu(c);
    const body = json(c.body);
    expect(body).not.toContain('<at id=all>');
    expect(body).toContain('另有 35 条较早的记录');
    expect(body).toContain('12月39日');
    expect(body).not.toContain('12月34日');
  });
});

describe('task review card', () => {
  const review = { ...task, state: 'AWAITING_CLOSE' as const, progress: 100, requestedBy: '李四', daysLeft: -2 };

  it('asks the organiser to close out or return with a reason', () => {
    const c = taskReviewCard(review);
    expect(c.header?.title.content).toBe('销号审核：推动 3 个在建项目月底前入库');
    expect(c.header?.template).toBe('orange');
    expect(c.header?.text_tag_list?.[0]?.text.content).toBe('待审核');
    const body = json(c.body);
    expect(body).toContain("鞍东区 申请销号，<font color='orange'>逾期 2 天</font>。**申请人**：李四");
    expect(body).toContain('**办理进度**：100%');
    const close = buttonByText(c, '销号')!;
    expect(callback(close)).toEqual({ a: TASK_CLOSE, v: 1, t: 't_1' });
    expect(close.form_action_type).toBeUndefined();
    expect(close.confirm).toBeDefined();
    const [form] = byTag(c, 'form');
    expect(inputByLabel(c, '退回原因')).toMatchObject({ name: TASK_FIELDS.reason, required: true, max_length: TASK_FIELD_MAX_LENGTH.reason });
    expect(TASK_FIELD_MAX_LENGTH.reason).toBe(200);
    const ret = buttonByText(form, '退回')!;
    expect(ret.form_action_type).toBe('submit');
    expect(callback(ret)).toEqual({ a: TASK_RETURN, v: 1, t: 't_1' });
    expectValidForFeishu(c);

    expect(TaskReturnFormValue.parse({ reason: ' 缺少佐证材料 ' })).toEqual({ reason: '缺少佐证材料' });
    expect(TaskReturnFormValue.safeParse({ reason: ' ' }).success).toBe(false);
    expect(TaskReturnFormValue.safeParse({}).success).toBe(false);
  });

  it('after the decision shows the outcome and no buttons', () => {
    const done = taskReviewCard({ ...review, state: 'DONE' });
    expect(done.header?.template).toBe('green');
    expect(buttons(done)).toHaveLength(0);
    expect(json(done.body)).toContain('已销号。');
    const returned = taskReviewCard({ ...review, state: 'RETURNED', returnReason: '缺少佐证材料' });
    expect(buttons(returned)).toHaveLength(0);
    expect(json(returned.body)).toContain('已退回，待责任单位补充后重新申请。');
    expect(json(returned.body)).toContain('缺少佐证材料');
  });
});

describe('task reminder card', () => {
  const base = { taskId: 't_1', title: '推动 3 个在建项目月底前入库', unitName: '鞍东区', due: '12月31日' };

  it.each([
    ['before', 3, '交办事项即将到期', 'wathet', '「推动 3 个在建项目月底前入库」将于 12月31日 到期（还剩 3 天），请抓紧办理。'],
    ['due', 0, '交办事项今天到期', 'orange', '今天到期（12月31日），请尽快办结。'],
    ['overdue', -4, '交办事项已逾期', 'orange', "已过完成时限 12月31日，<font color='orange'>已逾期 4 天</font>"],
  ] as const)('%s: says how long is left and links to the task', (kind, daysLeft, title, template, text) => {
    const c = taskReminderCard({ ...base, kind, daysLeft });
    expect(c.header?.title.content).toBe(title);
    expect(c.header?.template).toBe(template);
    expect(json(c.body)).toContain(text);
    expect(callback(buttonByText(c, '更新进度'))).toEqual({ a: TASK_OPEN, v: 1, t: 't_1' });
    // 申请销号 needs 100 % and a note, on the task card that 更新进度 brings.
    expect(buttonByText(c, '申请销号')).toBeUndefined();
    expectValidForFeishu(c);
  });
});

// ───────────── 问效 bulletin ─────────────

const bulletin: BulletinView = {
  monthLabel: '2026年11月',
  openWarnings: {
    red: 2, yellow: 3,
    items: [
      { indicatorName: '规上工业增加值', unitName: '鞍东区', level: 'RED', since: '2026年9月' },
      { indicatorName: '固定资产投资', unitName: '铁西区', level: 'YELLOW', since: '2026年10月' },
      { indicatorName: '一般公共预算收入', unitName: '千山区', level: 'RED', since: '2026年11月' },
      { indicatorName: '社会消费品零售总额', unitName: '立山区', level: 'YELLOW', since: '2026年11月' },
      { indicatorName: '进出口总额', unitName: '铁东区', level: 'YELLOW', since: '2026年11月' },
    ],
  },
  tasksByState: { open: 2, inProgress: 5, awaitingClose: 1, done: 12, overdue: 3 },
  overdueByUnit: [{ unitName: '铁西区', count: 1, oldestDue: '11月30日' }, { unitName: '鞍东区', count: 2, oldestDue: '11月15日' }],
};

describe('bulletin card', () => {
  it('puts the decision-ready counts first, then the open reds and the overdue units', () => {
    const c = bulletinCard(bulletin);
    expect(c.header?.title.content).toBe('2026年11月 问效通报');
    expect(c.header?.subtitle?.content).toBe('未解除预警 2 红 3 黄 · 逾期事项 3 项');
    const stats = c.body.elements[0]!;
    expect(stats.tag).toBe('column_set');
    expect(markdownTexts(stats)).toEqual([
      "<font color='red'>**2**</font>", "<font color='grey'>红色预警</font>",
      "<font color='orange'>**3**</font>", "<font color='grey'>黄色预警</font>",
      "<font color='orange'>**3**</font>", "<font color='grey'>逾期事项</font>",
      '**12**', "<font color='grey'>已销号</font>",
    ]);
    const body = json(c.body);
    expect(body).toContain("交办事项 20 项：待办理 2、办理中 5、待销号 1、已销号 12（销号率 60%）；其中<font color='orange'>逾期 3 项</font>。");
    expect(body).toContain("<font color='red'>**未解除的红色预警 2 项**</font>\\n- 规上工业增加值 · 鞍东区<font color='grey'>（自 2026年9月）</font>\\n- 一般公共预算收入 · 千山区");
    expect(body).toContain("<font color='orange'>**黄色预警 3 项**</font>：固定资产投资 · 铁西区、社会消费品零售总额 · 立山区、进出口总额 · 铁东区");
    // The unit with most overdue tasks first.
    expect(body).toContain('- **鞍东区**：2 项，最早 11月15日 到期\\n- **铁西区**：1 项，最早 11月30日 到期');
    expect(buttons(c)).toHaveLength(0);
    expectValidForFeishu(c);
  });

  it('says so when nothing is open or overdue', () => {
    const c = bulletinCard({ monthLabel: '2026年11月', openWarnings: { red: 0, yellow: 0, items: [] }, tasksByState: { open: 0, inProgress: 0, awaitingClose: 0, done: 0, overdue: 0 }, overdueByUnit: [] });
    const body = json(c.body);
    expect(body).toContain('目前没有未解除的黄色、红色预警。');
    expect(body).toContain('本月没有交办事项。');
    expect(body).toContain('本月没有逾期事项。');
    expect(markdownTexts(c.body.elements[0])[0]).toBe('**0**');
  });

  it('stays within the limits for 100 overdue units and hundreds of open warnings', () => {
    const items = Array.from({ length: 400 }, (_, i) => ({ indicatorName: fill(15), unitName: `第${i}号${fill(10)}`, level: i % 2 ? 'YELLOW' as const : 'RED' as const, since: '2026年9月' }));
    const overdueByUnit = Array.from({ length: 100 }, (_, i) => ({ unitName: `单位${i}${fill(15)}`, count: (i % 7) + 1, oldestDue: '10月15日' }));
    const c = bulletinCard({ ...bulletin, openWarnings: { red: 200, yellow: 200, items }, overdueByUnit });
    expectValidForFeishu(c);
    const body = json(c.body);
    expect(body.match(/- \*\*单位\d+/g)).toHaveLength(MAX_BULLETIN_UNITS);
    const rest = [...overdueByUnit].sort((a, b) => b.count - a.count).slice(MAX_BULLETIN_UNITS);
    expect(body).toContain(`另有 70 个单位共 ${rest.reduce((n, u) => n + u.count, 0)} 项逾期`);
    expect(body).toContain('- 另有 170 项');
    expect(body).toContain('等 200 项');
    expect(body).toContain('逾期事项（按单位，100 个单位）');
  });
});

// ───────────── hygiene ─────────────

describe('card sources', () => {
  it('never read the clock: times arrive pre-formatted', () => {
    for (const f of ['cards/warning.ts', 'cards/task.ts']) {
      const src = readFileSync(new URL(`../${f}`, import.meta.url), 'utf8');
      expect(src, f).not.toMatch(/new Date\(\s*\)|Date\.now\(/);
    }
  });
});
