// Tests: the sandbox web UI end to end in Debian's Chromium — the page served by registerSandboxUi,
// the JSON API stubbed (one person, one chat, one card with a form): choose the person, open the
// chat, check the required-field guard, fill the form, submit, see the toast and the updated card,
// and write to the bot with the reply arriving over Server-Sent Events.
// Needs /usr/bin/chromium: npm test and .ci/run install Debian's chromium when it is missing.
import Fastify, { type FastifyInstance } from 'fastify';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSandboxUi } from '../../src/sandbox/ui/ui.ts';
import { registerStubApi, type StubApi, type StubData } from './stub-api.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = path.resolve(import.meta.dirname, '../../.tmp/sandbox-ui.png');
const BOT = { kind: 'app' as const, id: 'cli_test', name: '经济运行调度助手' };
const pt = (content: string) => ({ tag: 'plain_text', content });

const formCard = {
  schema: '2.0',
  header: { title: pt('【数据报送】10 月固定资产投资'), template: 'blue' },
  body: {
    elements: [
      {
        tag: 'form',
        name: 'indicator_form',
        elements: [
          { tag: 'input', name: 'value', required: true, label: pt('本月数值'), placeholder: pt('请输入数值') },
          { tag: 'button', name: 'submit_btn', type: 'primary_filled', form_action_type: 'submit', text: pt('提交'), behaviors: [{ type: 'callback', value: { a: 'figures.submit', requestId: 'R1' } }] },
        ],
      },
    ],
  },
};

function minimalData(): StubData {
  const now = Date.now();
  return {
    people: [{ openId: 'ou_wang', name: '王丽', title: '联络员', unitName: '市发展和改革委员会' }],
    chats: [{ chatId: 'oc_p2p', name: '', type: 'p2p', members: ['ou_wang'] }],
    messages: [{ messageId: 'om_card', chatId: 'oc_p2p', sender: BOT, msgType: 'interactive', content: formCard, createTime: now - 60_000, updateTime: now - 60_000, urgent: true }],
  };
}

describe('sandbox UI in Chromium', () => {
  let app: FastifyInstance;
  let stub: StubApi;
  let browser: Browser;
  let page: Page;
  let baseUrl: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = Fastify({ logger: false });
    registerSandboxUi(app);
    stub = registerStubApi(app, minimalData(), {
      onAction: (action) => ({
        toast: { type: 'success', content: '已提交' },
        card: {
          type: 'raw',
          data: { schema: '2.0', header: { title: pt('报送成功'), template: 'green' }, body: { elements: [{ tag: 'markdown', content: `已收到 **${String(action.formValue?.value)}**` }] } },
        },
      }),
      // The bot answers a little later, so only the live stream can bring the reply to the page.
      onSay: (text, chat, api) => setTimeout(() => api.addMessage({ chatId: chat.chatId, sender: BOT, msgType: 'text', content: { text: `收到：${text}` } }), 300),
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('serves the page and its modules with the right content types, and refuses traversal', async () => {
    const index = await app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.body).toContain('飞书本地沙箱');
    const js = await app.inject({ method: 'GET', url: '/sandbox/ui/card-render.js' });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const css = await app.inject({ method: 'GET', url: '/sandbox/ui/style.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    for (const url of ['/sandbox/ui/../ui.ts', '/sandbox/ui/%2e%2e/ui.ts', '/sandbox/ui/card-render.d.ts', '/sandbox/ui/missing.js']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
  });

  it('chooses a person, opens the chat, submits the form and shows the toast and the updated card', async () => {
    await page.goto(baseUrl);
    await page.locator('.person-card', { hasText: '王丽' }).click();
    await page.locator('#identity-name', { hasText: '王丽' }).waitFor();
    await page.locator('.chat-item', { hasText: '经济运行调度助手' }).click();

    const card = page.locator('.msg-row[data-message-id="om_card"]');
    await card.locator('.fc-header--blue', { hasText: '【数据报送】10 月固定资产投资' }).waitFor();
    expect(await card.locator('.urgent-badge').textContent()).toContain('加急');

    // Required field empty: Feishu's message, and nothing is sent.
    await card.getByRole('button', { name: '提交' }).click();
    await page.locator('.toast--error', { hasText: '有必填项未填写' }).waitFor();
    expect(stub.actions).toHaveLength(0);

    await card.locator('input[name="value"]').fill('123.4');
    await card.getByRole('button', { name: '提交' }).click();
    await page.locator('.toast--success', { hasText: '已提交' }).waitFor();
    await card.locator('.fc-header--green', { hasText: '报送成功' }).waitFor();
    expect(await card.locator('.fc-markdown').innerHTML()).toContain('已收到 <strong>123.4</strong>');

    expect(stub.actions).toEqual([
      { openId: 'ou_wang', messageId: 'om_card', tag: 'button', name: 'submit_btn', value: { a: 'figures.submit', requestId: 'R1' }, formValue: { value: '123.4' } },
    ]);

    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.waitForTimeout(250); // let the toast finish fading in
    await page.screenshot({ path: SCREENSHOT });
    expect(pageErrors).toEqual([]);
  }, 60_000);

  it('sends typed text to the bot and shows the reply pushed over the live stream', async () => {
    await page.locator('#composer-input').fill('本月进度');
    await page.keyboard.press('Enter');
    await page.locator('.msg-row.is-self', { hasText: '本月进度' }).waitFor();
    await page.locator('.msg-row', { hasText: '收到：本月进度' }).waitFor();
    expect(stub.data.messages.filter((m) => m.sender.kind === 'user').map((m) => m.content)).toEqual([{ text: '本月进度' }]);
    expect(pageErrors).toEqual([]);
  }, 30_000);
});
