// Cards: what an official sees, and the values the bot will get back.
import { describe, expect, it } from 'vitest';
import { COMMANDS, helpCard, LEADER_COMMANDS, LIAISON_COMMANDS, MEETING_COMMANDS, ORGANISER_COMMANDS, UNIT_COMMANDS } from '../cards/help.ts';
import { CARD_BUDGET_BYTES, cardRequestBytes } from '../cards/size.ts';
import { parseTextCommand } from '../src/commands/parse.ts';
import { parseWhen } from '../src/modules/meetings/when.ts';
import { checkCard } from '../src/sandbox/cards.ts';
import { problemFormCard, problemReceiptCard, ProblemFormValue, PROBLEM_SUBMIT } from '../cards/problem-form.ts';
import { escapeMd } from '../cards/card.ts';

const texts = (card: unknown) => JSON.stringify(card);

describe('help card', () => {
  it('greets a known person and lists the commands in Chinese', () => {
    const c = helpCard({ name: '王晓东', liaison: true });
    expect(c.schema).toBe('2.0');
    expect(c.header?.template).toBe('blue');
    expect(texts(c)).toContain('王晓东，您好！');
    expect(texts(c)).toContain('**登记问题**');
  });

  it('says which text was not understood', () => {
    expect(texts(helpCard({ name: '王晓东', unknownText: '查一下GDP' }))).toContain('没有识别「查一下GDP」这条指令');
  });

  it('shows what the person typed as text, never as card markup (no live @all, links or styles)', () => {
    const c = helpCard({ name: '王晓东', unknownText: '<at id=all></at> [点我](https://e.cn) **粗体**' });
    const intro = (c.body.elements[0] as unknown as { content: string }).content;
    expect(intro).not.toMatch(/<at|\[点我\]\(|\*\*粗体/);
    expect(intro).toContain(escapeMd('<at id=all></at>'));
    expect(intro).toContain(escapeMd('[点我](https://e.cn)'));
  });
});

describe('help card: what organisers see', () => {
  const official = texts(helpCard({ name: '李明', organiser: false }));
  const organiser = texts(helpCard({ name: '王晓东', organiser: true }));

  it('lists the meeting commands to organisers, with how to write a time', () => {
    for (const c of ['**约谈 鞍东区 下周二下午3点 [事由]**', '**专题会 工业运行 12月10日15:00 [鞍东区 市经信局]**', '**例会 12月15日上午9点**', '**改期 编号 12月9日15:00**', '**取消 编号 [原因]**', '**约谈记录 [单位]**', '**导出约谈记录 [单位]**', '**排名 [2026-11]**']) {
      expect(organiser).toContain(c);
    }
    expect(organiser).toContain('查看近期全部会议及编号');
    expect(organiser).toContain('「明天上午九点半」');
    expect(organiser).toContain('**催报 单位名称**');
  });

  it("shows others only what they may use: their meetings, not the office's commands", () => {
    expect(official).toContain('**会议**：查看您近期要参加的会议');
    for (const c of ['约谈 鞍东区', '专题会', '改期', '取消', '约谈记录', '排名', '催报', '关闭报送', '发送失败', '导入统计部门']) expect(official).not.toContain(c);
    expect(texts(helpCard({ name: '李明' }))).toBe(official);
  });

  it('stays a valid card well within the size budget', () => {
    const c = helpCard({ name: '王晓东', organiser: true, unknownText: '经'.repeat(100) });
    expect(() => checkCard(c)).not.toThrow();
    expect(cardRequestBytes(c)).toBeLessThan(CARD_BUDGET_BYTES / 2);
  });

  // What the card tells people to type is what the bot understands (optional parts with and without).
  const typed = (text: string) => {
    const filled = text.replace('编号', '12').replace('单位名称', '鞍东区').replace('[周期] [期别]', 'monthly 2026-11');
    return [filled.replace(/[[\]]/g, ''), filled.replace(/\s*\[[^\]]*\]/g, '')];
  };
  it.each([...COMMANDS, ...UNIT_COMMANDS, ...LIAISON_COMMANDS, ...LEADER_COMMANDS, ...ORGANISER_COMMANDS, ...MEETING_COMMANDS].flatMap((c) => typed(c.text)))('%s is understood', (text) => {
    const cmd = parseTextCommand(text);
    expect(cmd).not.toHaveProperty('unknownText');
    expect(cmd.kind).not.toBe('usage');
    if ('whenText' in cmd) expect(parseWhen(cmd.whenText, new Date('2026-12-04T10:00:00+08:00')).ok).toBe(true);
  });
});

describe('help card: each role sees its own commands (issue 12)', () => {
  const liaison = texts(helpCard({ name: '李明', liaison: true }));
  const backup = texts(helpCard({ name: '周红', backup: true }));
  const head = texts(helpCard({ name: '孟秋松', head: true }));
  const leader = texts(helpCard({ name: '赵明远', leader: true }));
  const organiser = texts(helpCard({ name: '王晓东', organiser: true }));
  const office = ['催报', '关闭报送', '发送失败', '**问题台账**', '约谈 鞍东区', '专题会', '改期'];

  it('shows a liaison the unit commands and leave, and no organiser commands', () => {
    for (const c of ['**报送**', '**状态**', '**登记问题**', '**请假 12月3日 至 12月5日**', '**取消请假**']) expect(liaison).toContain(c);
    for (const c of [...office, '排名']) expect(liaison).not.toContain(c);
  });

  it('shows a backup and a head the unit commands without leave', () => {
    for (const t of [backup, head]) {
      expect(t).toContain('**报送**');
      expect(t).not.toContain('请假');
      for (const c of office) expect(t).not.toContain(c);
    }
    expect(backup).toContain('**备用联络员**');
    expect(head).toContain('**单位主要负责人**');
  });

  it('shows a leader the lights, the ranking and the archive, and nothing to report', () => {
    for (const c of ['**为什么 规上工业增加值 鞍东区 [10月]**', '**排名 [2026-11]**', '**约谈记录 [单位]**']) expect(leader).toContain(c);
    for (const c of ['**报送**', '请假', ...office]) expect(leader).not.toContain(c);
  });

  it('shows organisers the office and meeting commands, 问题台账 among them, each once', () => {
    for (const c of ['**问题台账**', '**关闭报送 [周期] [期别]**', '**约谈 鞍东区 下周二下午3点 [事由]**']) expect(organiser).toContain(c);
    expect(organiser).not.toContain('请假');
    const both = texts(helpCard({ name: '王晓东', organiser: true, leader: true }));
    expect(both.split('**约谈记录 [单位]**').length - 1).toBe(1);
  });
});

describe('problem form card', () => {
  const c = problemFormCard({ unitName: '高新区' });
  const form = c.body.elements.find((e) => e.tag === 'form') as unknown as { name: string; elements: Record<string, unknown>[] };

  it('is a form whose every input has a card-wide unique name and a submit button carrying the action', () => {
    expect(form.name).toBe('problem_form');
    const names = form.elements.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    const submit = form.elements.find((e) => e.tag === 'button')!;
    expect(submit.form_action_type).toBe('submit');
    expect(submit.behaviors).toEqual([{ type: 'callback', value: { a: PROBLEM_SUBMIT, v: 1 } }]);
    expect(form.elements.filter((e) => e.required).map((e) => e.name)).toEqual(['title', 'description']);
  });

  it('stays under Feishu 30 KB card limit', () => {
    expect(Buffer.byteLength(JSON.stringify(c))).toBeLessThan(30 * 1024);
  });

  it('validates the submitted values with Chinese messages', () => {
    expect(ProblemFormValue.safeParse({ title: '  用工缺口  ', description: '缺少技工 200 人' }).data).toEqual({
      title: '用工缺口', enterprise: '', description: '缺少技工 200 人',
    });
    const empty = ProblemFormValue.safeParse({ title: '   ', description: 'x' });
    expect(empty.error?.issues[0]?.message).toBe('请填写问题标题');
    const missing = ProblemFormValue.safeParse({ title: '用工' });
    expect(missing.error?.issues[0]?.message).toBe('请填写问题描述');
  });
});

describe('problem receipt card', () => {
  it('shows the ledger number and escapes user text', () => {
    const c = problemReceiptCard({
      number: '问题-20261123-ABC123', title: '**加粗**<at id=all></at>', enterprise: '', unitName: '高新区', reporterName: '李娜', reportedAt: '2026-11-23 09:30',
    });
    expect(c.header?.template).toBe('green');
    expect(c.header?.subtitle?.content).toBe('台账编号 问题-20261123-ABC123');
    const body = texts(c.body);
    expect(body).not.toContain('<at id=all>');
    expect(body).toContain(escapeMd('**加粗**'));
  });
});

describe('delivery failures card', () => {
  it('says there is nothing when nothing failed', async () => {
    const { deliveryFailuresCard } = await import('../cards/delivery-failures.ts');
    expect(texts(deliveryFailuresCard([], 0))).toContain('近期没有发送失败的消息');
  });

  it('lists each failure with receiver, kind, time and reason, and how to fix it', async () => {
    const { deliveryFailuresCard } = await import('../cards/delivery-failures.ts');
    const c = deliveryFailuresCard([{ receiver: '宋平琳', what: '消息', reason: 'user gone (230013)', at: '2026-11-23 09:00' }], 3);
    expect(c.header?.subtitle?.content).toBe('共 3 条，显示最近 1 条');
    expect(texts(c.body)).toContain('**宋平琳** · 消息 · 2026-11-23 09:00');
    expect(texts(c.body)).toContain('应用可用范围');
  });
});
