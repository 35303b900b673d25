// Closing (or reopening) a period the way an organiser does it in the sandbox: types 关闭报送 <周期> <期别>,
// waits for the confirmation card the bot answers with, and clicks its 确认关闭.
import type { CardActionResult } from '../../src/sandbox/types.ts';
import type { TestBot } from './bot.ts';
import { buttonByText, callback } from './cards.ts';

export interface PeriodChangeOptions {
  /** The cycle as typed (its name or code); the demo city's monthly report by default. */
  cycle?: string;
  action?: 'close' | 'reopen';
  timeoutMs?: number;
}

export interface PeriodChanged {
  /** The answer to the 确认 click (toast and the card in place of the confirmation). */
  click: CardActionResult;
  /** The confirmation card as it was shown (its JSON text), before the click. */
  confirmation: string;
}

/**
 * `await closePeriodAsOrganiser(bot, organiser.openId, '2026-11')` closes the monthly 2026-11 as an
 * organiser would (command, confirmation card, 确认关闭); `{ action: 'reopen' }` reopens it likewise.
 */
export async function closePeriodAsOrganiser(bot: TestBot, openId: string, period: string, opts: PeriodChangeOptions = {}): Promise<PeriodChanged> {
  const action = opts.action ?? 'close';
  const command = action === 'close' ? '关闭报送' : '重新开放';
  const confirm = action === 'close' ? '确认关闭' : '确认重新开放';
  const seen = new Set(bot.sandbox.messages.all().map((m) => m.messageId));
  await bot.sandbox.userSays(openId, `${command} ${opts.cycle ?? '月度经济运行报送'} ${period}`);
  const mine = (id: string) => bot.sandbox.messages.toUser(openId).some((x) => x.messageId === id);
  const card = await bot.sandbox.messages.waitFor((m) => m.msgType === 'interactive' && !seen.has(m.messageId) && mine(m.messageId) && (m.content.includes(confirm) || m.content.includes('没有')), opts.timeoutMs ?? 15_000);
  // The click replaces the card in place: keep what it showed before.
  const confirmation = card.content;
  const value = callback(buttonByText(JSON.parse(confirmation), confirm)) as Record<string, unknown> | undefined;
  if (!value) throw new Error(`no 「${confirm}」 button in the answer to 「${command} ${period}」: ${confirmation.slice(0, 400)}`);
  const click = await bot.sandbox.clickCard({ openId, messageId: card.messageId, value });
  return { click, confirmation };
}
