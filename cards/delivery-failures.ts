// Card: messages the bot could not deliver (permanent Feishu errors), for the meeting office.
import { card, escapeMd, markdown, type Card } from './card.ts';

export interface DeliveryFailureView {
  receiver: string;
  what: string;
  reason: string;
  at: string;
}

export function deliveryFailuresCard(items: DeliveryFailureView[], total: number): Card {
  if (!items.length) {
    return card({ title: '消息送达情况', template: 'green', elements: [markdown('近期没有发送失败的消息。')] });
  }
  return card({
    title: '发送失败的消息',
    subtitle: `共 ${total} 条，显示最近 ${items.length} 条`,
    template: 'orange',
    summary: `发送失败的消息 ${total} 条`,
    elements: [
      markdown(items.map((i) => `- **${escapeMd(i.receiver)}** · ${i.what} · ${i.at}\n  原因：${escapeMd(i.reason)}`).join('\n')),
      markdown("<font color='grey'>这些消息飞书已拒收，不会自动重试。请核对人员的飞书账号、应用可用范围或机器人是否在群内。</font>"),
    ],
  });
}
