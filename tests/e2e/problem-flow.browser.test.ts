// The whole flow in a real browser against the real bot in sandbox mode: a liaison officer of the demo
// city opens a chat with the bot, asks for the problem form, fills it, submits, and sees the toast and
// the receipt card that replaced the form. Debian's Chromium, driven by playwright-core.
import type { Browser } from 'playwright-core';
import { launchChromium, pageErrors, sandboxPage, screenshots, signInAs } from '../support/browser.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { liaisonOf, startTestBot } from '../support/bot.ts';

const shot = screenshots('problem-flow');

const bot = await startTestBot();
const liaison = await liaisonOf(bot, 'qingshan-district');
const unit = await bot.ctx.prisma.unit.findUniqueOrThrow({ where: { code: 'qingshan-district' } });
let browser: Browser | undefined;
afterAll(() => browser?.close());

describe('a liaison officer registers a problem in the browser', () => {
  it('asks the bot, fills the card, submits, and sees the toast and the receipt', async () => {
    browser = await launchChromium();
    const page = await sandboxPage(browser, 860);
    const errors = pageErrors(page);

    await signInAs(page, bot.url, liaison.name);
    await page.locator('.chat-item', { hasText: '经济运行调度助手' }).first().click();

    await page.locator('#composer-input').fill('登记问题');
    await page.keyboard.press('Enter');
    const formRow = page.locator('.msg-row', { has: page.locator('.fc-header', { hasText: '登记困难问题' }) });
    await formRow.waitFor({ timeout: 15_000 });
    // The same message, whatever card it shows after the update.
    const form = page.locator(`.msg-row[data-message-id="${await formRow.getAttribute('data-message-id')}"]`);
    await form.locator('input[name="title"]').fill('物流成本上升');
    await form.locator('input[name="enterprise"]').fill('青山物流园');
    await form.locator('textarea[name="description"]').fill('油价上涨，园区企业运输成本同比增加 15%');
    await form.getByRole('button', { name: '提交' }).click();

    await page.locator('.toast--success', { hasText: '已登记，台账编号' }).waitFor({ timeout: 10_000 });
    await form.locator('.fc-header--green', { hasText: '问题已登记' }).waitFor();
    expect(await form.innerText()).toContain('物流成本上升');

    const stored = await bot.ctx.prisma.problem.findMany({ where: { unitId: unit.id } });
    expect(stored.map((p) => [p.title, p.enterprise])).toEqual([['物流成本上升', '青山物流园']]);

    await page.screenshot({ path: shot('submitted') });
    expect(errors).toEqual([]);
  }, 60_000);
});
