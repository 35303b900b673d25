// The use-case contract as a person meets it: a click that takes longer than Feishu waits is answered
// 「已收到，正在处理」 and its card arrives when the work is done — saved once, told once.
import { describe, expect, it } from 'vitest';
import { startTestBot, liaisonOf } from './support/bot.ts';
import { waitUntil } from './support/outbound.ts';

// Every click is "slow": the answer is due after 1 ms.
const bot = await startTestBot({ env: { CARD_ANSWER_MS: '1' } });
const liaison = await liaisonOf(bot, 'songling-county');
const prisma = bot.ctx.prisma;
const cardTitle = (messageId: string) => (bot.sandbox.messages.content(messageId) as { header?: { title?: { content?: string } } } | undefined)?.header?.title?.content;

describe('a card action that outlasts Feishu’s 3 s', () => {
  it('answers 「已收到，正在处理」 at once, then replaces the card with the result, stored once', async () => {
    const said = await bot.sandbox.userSays(liaison.openId, '登记问题');
    const form = await bot.sandbox.messages.waitFor((m) => m.parentId === said.messageId, 10_000);
    const click = {
      openId: liaison.openId,
      messageId: form.messageId,
      value: { a: 'problem.submit', v: 1 },
      tag: 'button',
      name: 'submit',
      formValue: { title: '电力增容审批慢', enterprise: '松岭化工', description: '新建产线等待增容约 3 个月' },
    };
    const answer = await bot.sandbox.clickCard(click);
    expect(answer.toast).toEqual({ type: 'info', content: '已收到，正在处理' });
    await waitUntil(() => cardTitle(form.messageId) === '问题已登记', 'the delayed card update', 10_000);
    expect(await prisma.problem.count({ where: { title: '电力增容审批慢' } })).toBe(1);
    // The card was updated through the callback's delayed-update token, not by a PATCH of a locked card.
    const update = () => prisma.outboundMessage.findFirstOrThrow({ where: { dedupeKey: { startsWith: 'late-' } } });
    expect((await update()).kind).toBe('DELAYED_UPDATE');
    await waitUntil(async () => (await update()).status === 'SENT', 'the delayed update is recorded as sent', 10_000);
  });
});
