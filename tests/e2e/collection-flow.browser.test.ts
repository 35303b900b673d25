// The monthly collection card in a real browser against the real bot in sandbox mode: the period opens
// as the worker would open it, the liaison officer of 青山区 finds the card in the chat with the bot,
// submits a figure typed in words and sees it refused in red, then fills every indicator, submits, and
// sees the toast and the receipt that replaced the form; the figures are in PostgreSQL.
// Debian's Chromium, driven by playwright-core.
import type { Browser } from 'playwright-core';
import { launchChromium, pageErrors, sandboxPage, screenshots, signInAs } from '../support/browser.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { collectionHandlers, runPlan } from '../../jobs/collection.job.ts';
import { fixedClock } from '../../src/platform/clock.ts';
import { assignedIndicators } from '../../src/modules/collection/collection.repo.ts';
import { liaisonOf, startTestBot } from '../support/bot.ts';

const shot = screenshots('collection-flow');

// Tuesday 2026-12-01, 09:30 in Beijing: the November figures of the monthly cycle are open.
const clock = fixedClock('2026-12-01T01:30:00Z');
const bot = await startTestBot({ clock });
const { prisma } = bot.ctx;
const deps = { prisma, clock, logger: bot.ctx.logger, queues: bot.ctx.queues };
const liaison = await liaisonOf(bot, 'qingshan-district');
const unit = await prisma.unit.findUniqueOrThrow({ where: { code: 'qingshan-district' } });
let browser: Browser | undefined;
afterAll(() => browser?.close());

/** Plausible cumulative figures in 亿元, growth above every target so no narrative is asked for. */
const valueAt = (i: number) => `${1200 + i * 150}.5`;
const growthAt = (i: number) => (9.5 + i / 10).toFixed(1);

describe('a liaison officer fills the monthly collection card in the browser', () => {
  it('is refused a figure in words, then submits every indicator and sees the toast and the receipt', async () => {
    await runPlan(deps, 'monthly');
    const period = await prisma.reportingPeriod.findFirstOrThrow({ where: { periodKey: '2026-11', cycle: { code: 'monthly' } } });
    await collectionHandlers(deps)['collection.open.v1']({ periodId: period.id });
    const report = await prisma.unitReport.findUniqueOrThrow({ where: { periodId_unitId: { periodId: period.id, unitId: unit.id } } });
    expect(report.status).toBe('PENDING');

    browser = await launchChromium();
    const page = await sandboxPage(browser, 1400);
    const errors = pageErrors(page);
    // The browser's today is the bot's today (timers keep running), so the chat shows 09:30, not 昨天.
    await page.clock.setFixedTime(clock.now());

    await signInAs(page, bot.url, liaison.name);
    await page.locator('.chat-item', { hasText: '经济运行调度助手' }).first().click();

    const cardRow = page.locator('.msg-row', { has: page.locator('.fc-header', { hasText: '2026年11月' }) }).filter({ has: page.locator('form') });
    await cardRow.first().waitFor({ timeout: 15_000 });
    // The same message, whatever card it shows after the update.
    const card = page.locator(`.msg-row[data-message-id="${await cardRow.first().getAttribute('data-message-id')}"]`);
    await expect(card.locator('.fc-header').innerText()).resolves.toContain('青山区');

    // The indicators on this card, in the order the card lists them.
    const cycle = await prisma.reportingCycle.findUniqueOrThrow({ where: { code: 'monthly' } });
    const cardText = await card.innerText();
    const indicators = (await assignedIndicators(prisma, cycle.id, unit.id)).filter((ind) => cardText.includes(`. ${ind.name}`));
    expect(indicators.length).toBeGreaterThan(0);
    const values = card.getByLabel(/^本期值/);
    const growths = card.getByLabel(/^同比增速/);
    // The district's levels come with their year-on-year growth; its growth-only indicator (服务业生产指数,
    // listed last) has a growth input and no value input.
    const levels = indicators.filter((ind) => !ind.growthOnly);
    expect(levels.every((ind) => ind.growthBasis === 'YOY')).toBe(true);
    expect(indicators.slice(0, levels.length)).toEqual(levels);
    expect(levels.length).toBeLessThan(indicators.length);
    expect(await values.count()).toBe(levels.length);
    expect(await growths.count()).toBe(indicators.length);
    // The labels name the form fields the bot reads (v_<i>, g_<i> by position).
    for (let i = 0; i < indicators.length; i++) {
      if (i < levels.length) expect(await values.nth(i).getAttribute('name')).toBe(`v_${i}`);
      expect(await growths.nth(i).getAttribute('name')).toBe(`g_${i}`);
    }

    // First try: the first figure typed in words.
    for (let i = 0; i < indicators.length; i++) {
      if (i < levels.length) await values.nth(i).fill(i === 0 ? '一千' : valueAt(i));
      await growths.nth(i).fill(growthAt(i));
    }
    await card.getByRole('button', { name: '提交' }).click();
    const warning = page.locator('.toast--warning', { hasText: '未保存：有 1 处需要修改' });
    await warning.waitFor({ timeout: 10_000 });
    const complaint = card.locator('.fc-color--red', { hasText: indicators[0]!.name });
    await complaint.first().waitFor();
    expect(await complaint.first().innerText()).toMatch(/本期值.*一千.*不是有效的数字/);
    await expect(card.locator('.fc-header').innerText()).resolves.toContain('1 处需修改');
    // What was typed is kept in the re-rendered form.
    expect(await values.nth(0).inputValue()).toBe('一千');
    expect(await prisma.submission.count({ where: { periodId: period.id, unitId: unit.id } })).toBe(0);

    // Second try, once the warning has gone: every indicator filled with numbers.
    await warning.waitFor({ state: 'detached', timeout: 10_000 });
    for (let i = 0; i < indicators.length; i++) {
      if (i < levels.length) await values.nth(i).fill(valueAt(i));
      await growths.nth(i).fill(growthAt(i));
    }
    await card.getByRole('button', { name: '提交' }).click();
    await page.locator('.toast--success', { hasText: '已提交' }).waitFor({ timeout: 10_000 });
    await card.locator('.fc-header--green', { hasText: '已提交' }).waitFor();
    expect(await card.locator('form').count()).toBe(0);
    const receipt = await card.innerText();
    // '地区生产总值：1,200.50 亿元，同比 +9.5%'
    for (const [i, ind] of indicators.entries()) {
      if (ind.growthOnly) {
        expect(receipt).toContain(`${ind.name}：同比 +${growthAt(i)}%（可比价）`);
        continue;
      }
      const figure = Number(valueAt(i)).toLocaleString('en-US', { minimumFractionDigits: ind.decimals, maximumFractionDigits: ind.decimals });
      expect(receipt).toContain(`${ind.name}：${figure} ${ind.measureUnit}，同比 +${growthAt(i)}%`);
    }
    expect(receipt).toContain(liaison.name);

    const revisions = await prisma.submissionRevision.findMany({
      where: { submission: { periodId: period.id, unitId: unit.id } },
      include: { submission: true },
    });
    const stored = new Map(revisions.map((r) => [r.submission.indicatorId, [String(r.value), r.growthPct === null ? null : String(r.growthPct), r.revisionNo]]));
    expect(stored).toEqual(new Map(indicators.map((ind, i) => [ind.id, [ind.growthOnly ? 'null' : valueAt(i), growthAt(i), 1]])));
    expect((await prisma.unitReport.findUniqueOrThrow({ where: { id: report.id } })).status).toBe('SUBMITTED');
    // Opened by hand and by the worker's own plan, the period still sent the liaison one card.
    expect(bot.sandbox.messages.toUser(liaison.openId).filter((m) => m.msgType === 'interactive').map((m) => m.messageId)).toEqual([
      await card.getAttribute('data-message-id'),
    ]);

    await page.screenshot({ path: shot('submitted'), animations: 'disabled' });
    expect(errors).toEqual([]);

    // Two edits on the same receipt, each changing one figure: both kept, in order, nothing reverted
    // (the second 修改 was once answered with the first edit's form, which put the old figures back).
    const edit = async (i: number, to: string, reason: string) => {
      await card.getByRole('button', { name: '修改' }).click();
      await card.getByLabel(/^修改原因/).waitFor({ timeout: 10_000 });
      await values.nth(i).fill(to);
      await card.getByLabel(/^修改原因/).fill(reason);
      await card.getByRole('button', { name: '提交' }).click();
      await page.locator('.toast--success', { hasText: '修改已保存' }).last().waitFor({ timeout: 10_000 });
      await card.locator('.fc-header--green').waitFor();
    };
    await edit(0, '1250.5', '统计口径调整');
    await page.locator('.toast--success').last().waitFor({ state: 'detached', timeout: 10_000 });
    await edit(1, '1380.5', '补报一家企业');
    const history = async (indicatorId: string) =>
      (await prisma.submissionRevision.findMany({ where: { submission: { periodId: period.id, unitId: unit.id, indicatorId } }, orderBy: { revisionNo: 'asc' } })).map((r) => String(r.value));
    expect(await history(indicators[0]!.id)).toEqual([valueAt(0), '1250.5']);
    expect(await history(indicators[1]!.id)).toEqual([valueAt(1), '1380.5']);
    const twice = await card.innerText();
    expect(twice).toContain('1,250.50');
    expect(twice).toContain('1,380.50');
    await page.screenshot({ path: shot('edited-twice'), animations: 'disabled' });
    expect(errors).toEqual([]);
  }, 90_000);
});
