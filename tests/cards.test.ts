// Cards: what an official sees, and the values the bot will get back.
import { describe, expect, it } from 'vitest';
import { helpCard } from '../cards/help.ts';
import { problemFormCard, problemReceiptCard, ProblemFormValue, PROBLEM_SUBMIT } from '../cards/problem-form.ts';
import { escapeMd } from '../cards/card.ts';

const texts = (card: unknown) => JSON.stringify(card);

describe('help card', () => {
  it('greets a known person and lists the commands in Chinese', () => {
    const c = helpCard({ name: '王晓东' });
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
