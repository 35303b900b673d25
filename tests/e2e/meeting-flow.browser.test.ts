// Scheduling a 约谈 in a real browser against the real bot in sandbox mode: the organiser types the command
// as people do, reads the time the bot understood (with its weekday), confirms on the card; the district
// head finds the invitation in the chat and the event in the calendar tab, and answers 参加.
// Debian's Chromium, driven by playwright-core.
import type { Browser, Page } from 'playwright-core';
import { launchChromium, pageErrors, sandboxPage, screenshots, signInAs } from '../support/browser.ts';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestBot, settle } from '../support/bot.ts';
import { fixedClock } from '../../src/platform/clock.ts';

const shot = screenshots('meeting');

// Thursday 2026-12-03, 10:00 Beijing: 下周二 is 2026-12-08.
const clock = fixedClock('2026-12-03T02:00:00Z');
const bot = await startTestBot({ clock });
const { prisma } = bot.ctx;
const roleOf = async (unit: string, role: 'HEAD' | 'ORGANISER') =>
  (await prisma.unitRole.findFirstOrThrow({ where: { role, unit: { code: unit } }, include: { person: true }, orderBy: { person: { code: 'asc' } } })).person;
let browser: Browser | undefined;
afterAll(() => browser?.close());

async function actAs(page: Page, name: string) {
  await signInAs(page, bot.url, name);
}

describe('an organiser schedules a 约谈 in the browser', () => {
  it('types the command, confirms the card, and the district head is invited and answers', async () => {
    const organiser = await roleOf('meeting-office', 'ORGANISER');
    const head = await roleOf('andong-district', 'HEAD');
    browser = await launchChromium();
    const page = await sandboxPage(browser);
    const errors = pageErrors(page);

    await actAs(page, organiser.name);
    await page.locator('.chat-item', { hasText: '经济运行调度助手' }).first().click();
    await page.locator('#composer-input').fill('约谈 鞍东区 下周二下午3点 规上工业增加值连续两月末位');
    await page.keyboard.press('Enter');
    const formRow = page.locator('.msg-row', { has: page.locator('.fc-header', { hasText: '安排约谈' }) });
    await formRow.waitFor({ timeout: 15_000 });
    const card = page.locator(`.msg-row[data-message-id="${await formRow.getAttribute('data-message-id')}"]`);
    expect(await card.innerText()).toContain('2026年12月8日（周二）15:00');
    await page.screenshot({ path: shot('card') });
    await card.getByRole('button', { name: '确认安排' }).click();
    await page.locator('.toast--success', { hasText: '已安排' }).waitFor({ timeout: 10_000 });
    await card.locator('.fc-header', { hasText: '约谈已安排' }).waitFor();
    await page.screenshot({ path: shot('scheduled') });

    const m = await prisma.meeting.findFirstOrThrow({ where: { title: '鞍东区约谈' } });
    expect(m.status).toBe('SCHEDULED');
    await settle(bot.ctx);

    await actAs(page, head.name);
    await page.locator('.chat-item', { hasText: '经济运行调度助手' }).first().click();
    const inviteRow = page.locator('.msg-row', { hasText: '鞍东区约谈' }).last();
    await inviteRow.waitFor({ timeout: 15_000 });
    expect(await inviteRow.innerText()).toContain('约谈对象');
    await inviteRow.getByRole('button', { name: '参加' }).click();
    await page.locator('.toast', { hasText: '参加' }).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: shot('invitation') });
    expect((await prisma.meetingAttendee.findFirstOrThrow({ where: { meetingId: m.id, personId: head.id } })).rsvp).toBe('ACCEPTED');

    await page.locator('[data-tab="calendar"]').first().click();
    await page.locator('#agenda', { hasText: '鞍东区约谈' }).waitFor({ timeout: 15_000 });
    await page.screenshot({ path: shot('calendar') });
    expect(errors).toEqual([]);
  }, 90_000);
});
