// The sandbox refuses the cards Feishu refuses — on send, reply, PATCH, delayed update and callback
// answers — with Feishu's codes, and refuses a PATCH while a click on the card is being answered.
import type * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { FeishuClient } from '../../src/feishu/client.ts';
import { classifyFeishuError } from '../../src/feishu/outbound/errors.ts';
import { FeishuCallError, sendOutbound } from '../../src/feishu/outbound/sender.ts';
import type { Sandbox } from '../../src/sandbox/sandbox.ts';
import { ALICE, failure, newDispatcher, startReceiver, startSandbox, v2Card, type Receiver } from './helpers.ts';

let sandbox: Sandbox | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await sandbox?.close();
  await receiver?.close();
  sandbox = undefined;
  receiver = undefined;
});

async function setup(onClick: (d: Record<string, unknown>) => unknown = () => ({})) {
  receiver = await startReceiver(newDispatcher().register({ 'card.action.trigger': onClick } as never));
  const started = await startSandbox({ pushUrl: receiver.url });
  sandbox = started.sandbox;
  return started;
}

const send = (client: lark.Client, card: unknown) =>
  client.im.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: ALICE, msg_type: 'interactive', content: JSON.stringify(card) } });

const body = (...elements: unknown[]) => ({ schema: '2.0', config: { update_multi: true }, body: { elements } });
const md = (content = 'x') => ({ tag: 'markdown', content });
const submit = (name = 'submit') => ({ tag: 'button', name, form_action_type: 'submit', text: { tag: 'plain_text', content: '提交' } });
const input = (name?: string) => ({ tag: 'input', ...(name ? { name } : {}) });
const form = (...elements: unknown[]) => ({ tag: 'form', name: 'f', elements });
const columns = (...elements: unknown[]) => ({ tag: 'column_set', columns: [{ tag: 'column', elements }] });
/** `levels` containers nested inside each other around a markdown. */
const nested = (levels: number): unknown => (levels === 0 ? md() : columns(nested(levels - 1)));

describe('card rules on send', () => {
  it.each([
    ['an unknown tag', body({ tag: 'markdwn', content: 'x' }), 200621, 'unknown tag "markdwn"'],
    ['an unknown property', body({ tag: 'markdown', content: 'x', colour: 'red' }), 200621, 'unknown property "colour"'],
    ['an unknown property in the header', { ...body(md()), header: { title: { tag: 'plain_text', content: 'x' }, color: 'red' } }, 200621, 'unknown property "color" in header'],
    ['an invalid header template', { ...body(md()), header: { title: { tag: 'plain_text', content: 'x' }, template: 'pink' } }, 200621, 'invalid header template'],
    ['an invalid text_tag colour', { ...body(md()), header: { title: { tag: 'plain_text', content: 'x' }, text_tag_list: [{ tag: 'text_tag', text: { tag: 'plain_text', content: 't' }, color: 'pink' }] } }, 200621, 'text_tag color'],
    ['a JSON 1.0 tag', body({ tag: 'note', elements: [] }), 200861, 'unsupported tag note'],
    ['a form inside a column', body(columns(form(input('a'), submit()))), 200621, 'form must be placed directly in body.elements'],
    ['a form without a submit button', body(form(input('a'))), 200621, 'form without a submit button'],
    ['a form field without a name', body(form(input(), submit())), 200621, 'input in a form without a name'],
    ['two fields with the same name', body(form(input('a'), input('a'), submit())), 200621, 'name "a" is not unique'],
    ['the same name in two forms', body(form(input('a'), submit('s1')), { ...form(input('a'), submit('s2')), name: 'g' }), 200621, 'name "a" is not unique'],
    ['a form holding a table', body(form({ tag: 'table', columns: [], rows: [] }, submit())), 200621, 'table must be placed directly'],
    ['a form holding a chart', body(form({ tag: 'chart', chart_spec: {} }, submit())), 200621, 'a form cannot hold a chart'],
    ['a submit button outside a form', body(submit()), 200621, 'form button (form_action_type) outside a form'],
    ['a multi-select outside a form', body({ tag: 'multi_select_static', name: 'm', options: [] }), 200621, 'works only inside a form'],
    ['containers nested 6 levels deep', body(nested(6)), 200621, 'nested deeper than 5 levels'],
    ['more than 200 elements', body(...Array.from({ length: 201 }, () => md())), 11310, 'element exceeds the limit'],
  ])('refuses %s', async (_name, card, subCode, text) => {
    const { client } = await setup();
    const err = await failure(send(client, card));
    expect(err.status).toBe(400);
    expect(err.data.code).toBe(230099);
    expect(err.data.msg).toContain(`ErrCode: ${subCode}`);
    expect(err.data.msg).toContain(text);
    expect(sandbox!.messages.all()).toHaveLength(0);
  });

  it('accepts containers nested 5 levels deep, a form with its fields, and callback values of any shape', async () => {
    const { client } = await setup();
    const card = body(nested(5), form(input('a'), columns({ ...submit(), behaviors: [{ type: 'callback', value: { tag: 'anything', x: 1 } }] })));
    expect((await send(client, card)).code).toBe(0);
  });

  it('counts the request body as Feishu does: the card escaped inside it', async () => {
    const { client } = await setup();
    // 10 K quotes: 20 KB as card JSON (\"), 40 KB once escaped again into the request's content string (\\\").
    const quotes = body(md('"'.repeat(10 * 1024)));
    expect(Buffer.byteLength(JSON.stringify(quotes))).toBeLessThan(30 * 1024);
    const err = await failure(send(client, quotes));
    expect(err.data.code).toBe(230025);
    expect((await send(client, body(md('"'.repeat(7 * 1024))))).code).toBe(0);
  });
});

describe('card rules on updates', () => {
  it('applies the same rules to reply, PATCH and the delayed update', async () => {
    let token = '';
    const { client, sandbox: sb } = await setup((d) => {
      token = String(d.token);
      return {};
    });
    const id = (await send(client, v2Card('原卡片'))).data!.message_id!;
    const bad = body(form(input('a')));
    const reply = await failure(client.im.message.reply({ path: { message_id: id }, data: { msg_type: 'interactive', content: JSON.stringify(bad) } }));
    expect(reply.data.code).toBe(230099);
    const patch = await failure(client.im.message.patch({ path: { message_id: id }, data: { content: JSON.stringify(bad) } }));
    expect(patch.data.code).toBe(230099);
    const big = await failure(client.im.message.patch({ path: { message_id: id }, data: { content: JSON.stringify(body(md('"'.repeat(10 * 1024)))) } }));
    expect(big.data.code).toBe(230025);

    await sb.clickCard({ openId: ALICE, messageId: id, value: { op: 'x' } });
    const update = (card: unknown) => client.request({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token, card } });
    await expect(update(bad)).rejects.toMatchObject({ response: { data: { code: 230099 } } });
    await expect(update(body(md('经'.repeat(11 * 1024))))).rejects.toMatchObject({ response: { data: { code: 230025 } } });
    expect(sb.messages.content(id)).toEqual(v2Card('原卡片'));
  });

  it('refuses a card in a callback answer that breaks the rules (200673)', async () => {
    const { client, sandbox: sb } = await setup(() => ({ card: { type: 'raw', data: body({ tag: 'markdown', content: 'x', colour: 'red' }) } }));
    const id = (await send(client, v2Card('原卡片'))).data!.message_id!;
    const res = await sb.clickCard({ openId: ALICE, messageId: id, value: { op: 'x' } });
    expect(res.error?.code).toBe(200673);
    expect(res.error?.msg).toContain('unknown property "colour"');
    expect(sb.messages.content(id)).toEqual(v2Card('原卡片'));
  });
});

describe("Feishu's card lock", () => {
  it('refuses a PATCH of a card while a click on it is being answered (230099 / 11310), and the bot retries it', async () => {
    let during: unknown;
    const bot: { client?: lark.Client } = {};
    let messageId = '';
    const started = await setup(async () => {
      during = await sendOutbound({ sdk: bot.client! } as FeishuClient, 'row-1', { kind: 'UPDATE_CARD', targetMessageId: messageId, content: v2Card('并行更新') }).catch((e: unknown) => e);
      return { toast: { type: 'success', content: '已处理' } };
    });
    const { client } = started;
    bot.client = client;
    messageId = (await send(client, v2Card('原卡片'))).data!.message_id!;

    const res = await started.sandbox.clickCard({ openId: ALICE, messageId, value: { op: 'x' } });
    expect(res.toast?.content).toBe('已处理');
    expect(during).toBeInstanceOf(FeishuCallError);
    const err = during as FeishuCallError;
    expect(err.msg).toContain('ErrCode: 11310; ErrMsg: card action is lock');
    expect(err.code).toBe(230099);
    // What the outbound job does with it (it classifies the whole error, text included): wait a moment and send again.
    expect(classifyFeishuError(err)).toMatchObject({ kind: 'retry', waitMs: 1_000 });
    expect(started.sandbox.messages.content(messageId)).toEqual(v2Card('原卡片'));

    // Once the answer is in, the card takes the update.
    const after = await client.im.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(v2Card('稍后更新')) } });
    expect(after.code).toBe(0);
    expect(started.sandbox.messages.content(messageId)).toEqual(v2Card('稍后更新'));
  });
});
