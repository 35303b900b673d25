// The organiser's month end in a real browser against the real bot in sandbox mode: the organiser closes
// November on the confirmation card, reviews the drafted 经济运行专报 and presses 发送给领导; the vice-mayor
// finds the summary card and the Word file in the chat, then asks 为什么 about the city's own light.
// Debian's Chromium, driven by playwright-core.
import type { Browser, Page } from 'playwright-core';
import { launchChromium, pageErrors, sandboxPage, screenshots, signInAs } from '../support/browser.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestBot, settle } from '../support/bot.ts';
import { monthWithFigures } from '../support/months.ts';
import { fixedClock } from '../../src/platform/clock.ts';

const shot = screenshots('report');

// Wednesday 2026-12-16, 10:00 Beijing: November's report was due yesterday.
const clock = fixedClock('2026-12-16T02:00:00Z');
const bot = await startTestBot({ clock });
const { prisma } = bot.ctx;
const NOV: Record<string, number> = { 'andong-district': 2, 'anxi-district': 9, 'linjiang-district': 7, 'hewan-district': 7, 'qingshan-district': 6, 'songling-county': 5, 'baishi-county': 4, 'yuntai-county': 3, 'shiqiao-city': 8, 'high-tech-zone': 10 };
let browser: Browser | undefined;
afterAll(() => browser?.close());

async function actAs(page: Page, name: string) {
  await signInAs(page, bot.url, name);
  await page.locator('.chat-item', { hasText: '经济运行调度助手' }).first().click();
}
const say = async (page: Page, text: string) => {
  await page.locator('#composer-input').fill(text);
  await page.keyboard.press('Enter');
};
const cardRow = (page: Page, header: string) => page.locator('.msg-row', { has: page.locator('.fc-header', { hasText: header }) }).last();

describe('the month end in the browser', () => {
  it('closes November on the confirmation card, sends the 专报, and the vice-mayor reads it and asks 为什么 about the city', async () => {
    await monthWithFigures(prisma, clock, '2026-10', { ...NOV, 'anxi-district': 11 }, 'CLOSED');
    await monthWithFigures(prisma, clock, '2026-11', NOV);
    const organiser = (await prisma.unitRole.findFirstOrThrow({ where: { role: 'ORGANISER' }, include: { person: true }, orderBy: { person: { code: 'asc' } } })).person;
    const vice = await prisma.person.findUniqueOrThrow({ where: { code: 'zhao-mingyuan' } });
    browser = await launchChromium();
    const page = await sandboxPage(browser);
    const errors = pageErrors(page);

    // The organiser: 关闭报送 answers with a confirmation card; nothing closes before 确认关闭.
    await actAs(page, organiser.name);
    await say(page, '关闭报送 月度经济运行报送 2026-11');
    const confirm = cardRow(page, '关闭报送');
    await confirm.getByRole('button', { name: '确认关闭' }).waitFor({ timeout: 15_000 });
    expect(await confirm.innerText()).toContain('2026年11月');
    await page.screenshot({ path: shot('close-confirm') });
    await confirm.getByRole('button', { name: '确认关闭' }).click();
    await page.locator('.toast--success').first().waitFor({ timeout: 10_000 });
    expect((await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2026-11', cycle: { code: 'monthly' } } })).status).toBe('CLOSED');

    // The drafted report reaches the organiser for review; 发送给领导 sends it.
    const review = cardRow(page, '2026年11月经济运行专报');
    await review.waitFor({ timeout: 30_000 });
    expect(await review.innerText()).toContain('10 个责任单位，已完成报送 10 个');
    const paragraphs = await review.locator('textarea').evaluateAll((els) => els.map((e) => (e as HTMLTextAreaElement).value).join('\n'));
    expect(paragraphs).toContain('1-11月，全市规模以上工业增加值');
    await page.screenshot({ path: shot('review') });
    await review.getByRole('button', { name: '发送给领导' }).click();
    await page.locator('.toast--success').last().waitFor({ timeout: 10_000 });
    await settle(bot.ctx);

    // The vice-mayor: the summary card and the Word file, then 为什么 on the city's own light.
    await actAs(page, vice.name);
    await cardRow(page, '2026年11月经济运行专报').waitFor({ timeout: 15_000 });
    await page.locator('.msg-row', { hasText: '.docx' }).last().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: shot('vice-mayor') });
    await say(page, '为什么 规上工业增加值 鞍江市 11月');
    const why = cardRow(page, '规模以上工业增加值 · 鞍江市');
    await why.waitFor({ timeout: 15_000 });
    const whyText = await why.innerText();
    // The same +6.0% as the 专报: both weight the districts by the base their reported growth implies.
    expect(whyText).toContain('10 个单位汇总：本期 1,000.00 亿元，同比 +6.0%');
    expect(whyText).not.toContain('不报送');
    expect(whyText).not.toContain('同级单位不足');
    await page.screenshot({ path: shot('why-city') });
    expect(errors).toEqual([]);
  }, 120_000);
});
