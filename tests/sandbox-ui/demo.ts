// Tests: a demo of the sandbox web UI on a stubbed API with a small sample city — for looking at the
// page without the real sandbox. `npx tsx tests/sandbox-ui/demo.ts` serves it on PORT (default 4310);
// `--screenshot` instead saves screenshots of the main views to .tmp/ and exits.
import Fastify from 'fastify';
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { registerSandboxUi } from '../../src/sandbox/ui/ui.ts';
import { figuresFormCard, meetingCard, rankingCard, receiptCard, warningCard } from './sample-cards.ts';
import { registerStubApi, type StubData } from './stub-api.ts';

const BOT = { kind: 'app' as const, id: 'cli_demo', name: '经济运行调度助手' };
const now = Date.now();
const minutes = (n: number) => now - n * 60_000;
/** A Feishu time_info for an instant. */
const at = (ms: number) => ({ timestamp: String(Math.floor(ms / 1000)), timezone: 'Asia/Shanghai' });

export function demoData(): StubData {
  const people = [
    { openId: 'ou_li', name: '李建国', title: '副市长（分管工业、发展改革）', unitName: '市人民政府' },
    { openId: 'ou_chen', name: '陈静', title: '经济运行例会办公室主任', unitName: '市发展和改革委员会' },
    { openId: 'ou_wang', name: '王丽', title: '综合科科长（联络员）', unitName: '市发展和改革委员会' },
    { openId: 'ou_zhao', name: '赵强', title: '运行监测科副科长（联络员）', unitName: '市工业和信息化局' },
    { openId: 'ou_liu', name: '刘洋', title: '综合统计科科员（联络员）', unitName: '市统计局' },
    { openId: 'ou_sun', name: '孙海燕', title: '财政局副局长', unitName: '市财政局' },
  ];
  return {
    people,
    chats: [
      { chatId: 'oc_p2p_wang', name: '', type: 'p2p', members: ['ou_wang'] },
      { chatId: 'oc_p2p_li', name: '', type: 'p2p', members: ['ou_li'] },
      { chatId: 'oc_p2p_zhao', name: '', type: 'p2p', members: ['ou_zhao'] },
      { chatId: 'oc_group_meeting', name: '【专题会议】规上工业稳增长调度', type: 'group', members: ['ou_li', 'ou_zhao', 'ou_wang', 'ou_chen'] },
    ],
    messages: [
      { messageId: 'om_1', chatId: 'oc_p2p_wang', sender: BOT, msgType: 'text', content: { text: '王丽，您好！10 月经济运行指标报送已开始，请于 11 月 15 日 18:00 前完成报送。' }, createTime: minutes(95), updateTime: minutes(95), urgent: false },
      { messageId: 'om_2', chatId: 'oc_p2p_wang', sender: BOT, msgType: 'interactive', content: figuresFormCard, createTime: minutes(94), updateTime: minutes(94), urgent: false },
      { messageId: 'om_3', chatId: 'oc_p2p_wang', sender: { kind: 'user', id: 'ou_wang', name: '王丽' }, msgType: 'text', content: { text: '上月的数据在哪里可以看到？' }, createTime: minutes(20), updateTime: minutes(20), urgent: false },
      { messageId: 'om_4', chatId: 'oc_p2p_wang', sender: BOT, msgType: 'text', content: { text: '发送「上月数据」即可查看贵单位上月报送的全部指标，也可以在卡片中直接对照上月数值填写。' }, createTime: minutes(20), updateTime: minutes(20), urgent: false },
      { messageId: 'om_5', chatId: 'oc_p2p_li', sender: BOT, msgType: 'interactive', content: rankingCard, createTime: minutes(300), updateTime: minutes(300), urgent: false },
      { messageId: 'om_6', chatId: 'oc_p2p_li', sender: BOT, msgType: 'interactive', content: warningCard, createTime: minutes(12), updateTime: minutes(12), urgent: true },
      { messageId: 'om_7', chatId: 'oc_group_meeting', sender: BOT, msgType: 'interactive', content: meetingCard, createTime: minutes(40), updateTime: minutes(40), urgent: false },
      { messageId: 'om_8', chatId: 'oc_group_meeting', sender: { kind: 'user', id: 'ou_zhao', name: '赵强' }, msgType: 'text', content: { text: '收到，工信局会准备三家企业的情况说明。' }, createTime: minutes(35), updateTime: minutes(35), urgent: false },
      { messageId: 'om_9', chatId: 'oc_p2p_zhao', sender: BOT, msgType: 'interactive', content: receiptCard, createTime: minutes(60 * 26), updateTime: minutes(60 * 26), urgent: false },
    ],
    calendar: {
      ou_li: [
        {
          eventId: 'ev_1',
          summary: '专题会议：规上工业稳增长调度',
          description: '议题：\n1. 工信局汇报规上工业增加值下滑原因\n2. 三家重点企业帮扶措施',
          start: at(new Date(now + 26 * 3600_000).setMinutes(0, 0, 0)),
          end: at(new Date(now + 27.5 * 3600_000).setMinutes(30, 0, 0)),
          location: '市政府 3 号会议室',
          attendees: [
            { openId: 'ou_li', name: '李建国', rsvpStatus: 'accept' },
            { openId: 'ou_zhao', name: '赵强', rsvpStatus: 'accept' },
            { openId: 'ou_wang', name: '王丽', rsvpStatus: 'tentative' },
            { openId: 'ou_chen', name: '陈静' },
          ],
        },
        {
          eventId: 'ev_2',
          summary: '10 月经济运行例会',
          start: at(new Date(now + 3 * 86400_000).setUTCHours(1, 0, 0, 0)),
          end: at(new Date(now + 3 * 86400_000).setUTCHours(3, 30, 0, 0)),
          location: '市政府 1 号会议室',
          attendees: [
            { openId: 'ou_li', name: '李建国' },
            { openId: 'ou_chen', name: '陈静' },
            { openId: 'ou_sun', name: '孙海燕' },
          ],
        },
      ],
    },
  };
}

export async function startDemo(port: number) {
  const app = Fastify({ logger: false });
  registerSandboxUi(app);
  const stub = registerStubApi(app, demoData(), {
    onAction(action) {
      const value = (action.value ?? {}) as { a?: string };
      if (value.a === 'figures.submit') {
        const fv = action.formValue ?? {};
        return {
          toast: { type: 'success', content: '报送成功' },
          card: {
            type: 'raw',
            data: {
              ...receiptCard,
              body: { elements: [{ tag: 'markdown', content: `本月数值：**${String(fv.value)}%** · 趋势：${String(fv.trend ?? '—')}\n截止日期：${String(fv.as_of ?? '—')}` }] },
            },
          },
        };
      }
      if (value.a === 'warning.ack') return { toast: { type: 'info', content: '已确认知悉，预警状态更新为「处理中」' } };
      if (value.a === 'meeting.propose') return { toast: { type: 'success', content: '已发起专题会议，会议群创建中' } };
      return { toast: { type: 'warning', content: '该操作在演示中未实现' } };
    },
    onSay(text, chat, api) {
      setTimeout(() => api.addMessage({ chatId: chat.chatId, sender: BOT, msgType: 'text', content: { text: `收到：「${text}」。（演示环境中机器人只会回声）` } }), 400);
    },
  });
  await app.listen({ port, host: '127.0.0.1' });
  return { app, stub, url: `http://127.0.0.1:${port}/` };
}

async function screenshots(url: string) {
  mkdirSync('.tmp', { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page.on('pageerror', (e) => console.error('pageerror', e));
    await page.goto(url);
    await page.locator('.person-card').first().waitFor();
    await page.screenshot({ path: '.tmp/sandbox-ui-demo-welcome.png' });

    await page.goto(`${url}#person=ou_li&chat=oc_p2p_li`);
    await page.locator('.fc-header--red').waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: '.tmp/sandbox-ui-demo-warning.png' });
    await page.locator('.msg-row.is-urgent').screenshot({ path: '.tmp/sandbox-ui-demo-warning-card.png' });
    await page.locator('.fc-btn', { hasText: '召开专题会议' }).click();
    await page.locator('.modal').waitFor();
    await page.screenshot({ path: '.tmp/sandbox-ui-demo-confirm.png' });
    await page.locator('.modal [data-answer="yes"]').click();
    await page.locator('.toast', { hasText: '已发起专题会议' }).waitFor();
    await page.locator('#person-switcher').click();
    await page.screenshot({ path: '.tmp/sandbox-ui-demo-switcher.png' });
    await page.keyboard.press('Escape');

    await page.goto(`${url}#person=ou_wang&chat=oc_p2p_wang`);
    await page.locator('form.fc-form').waitFor();
    await page.locator('.msg-row', { has: page.locator('form.fc-form') }).screenshot({ path: '.tmp/sandbox-ui-demo-form-card.png' });
    await page.locator('.fc-btn', { hasText: '提交' }).click();
    await page.locator('.toast--error', { hasText: '有必填项未填写' }).waitFor();
    await page.screenshot({ path: '.tmp/sandbox-ui-demo-required.png' });
    await page.locator('input[name="value"]').fill('7.4');
    await page.locator('select[name="trend"]').selectOption('up');
    await page.locator('.fc-btn', { hasText: '提交' }).click();
    await page.locator('.toast--success', { hasText: '报送成功' }).waitFor();
    await page.locator('#composer-input').fill('上月数据');
    await page.keyboard.press('Enter');
    await page.locator('.msg-row', { hasText: '演示环境' }).waitFor();
    await page.screenshot({ path: '.tmp/sandbox-ui-demo-chat.png' });

    await page.goto(`${url}#person=ou_li&chat=oc_group_meeting`);
    await page.locator('.fc-person-list').waitFor();
    await page.screenshot({ path: '.tmp/sandbox-ui-demo-group.png' });

    await page.goto(`${url}#person=ou_li&tab=calendar`);
    await page.locator('.event').first().waitFor();
    await page.screenshot({ path: '.tmp/sandbox-ui-demo-calendar.png' });
  } finally {
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const shoot = process.argv.includes('--screenshot');
  const { app, url, stub } = await startDemo(Number(process.env.PORT ?? (shoot ? 0 : 4310)) || 0);
  const address = app.server.address();
  const realUrl = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}/` : url;
  if (shoot) {
    try {
      await screenshots(realUrl);
    } catch (e) {
      console.error('card callbacks received:', JSON.stringify(stub.actions));
      throw e;
    } finally {
      await app.close();
    }
    console.log('screenshots written to .tmp/sandbox-ui-demo-*.png');
  } else {
    console.log(`sandbox UI demo: ${realUrl}`);
  }
}
