// Cards: measuring a card as Feishu does. Its 30 KB limit is on the request body, where the card is
// a JSON string inside JSON (every quote and backslash escaped, Chinese as 3 UTF-8 bytes), and style
// tags (<font>, <text_tag>) grow it further on Feishu's side by an undocumented amount (发送消息 doc).
// So cards are kept within a 25 KB budget of escaped content.

/** Feishu's limit on a card request body (发送消息, 更新已发送的消息卡片, 延时更新消息卡片 docs). */
export const FEISHU_CARD_MAX_BYTES = 30 * 1024;
/** What our cards may use, leaving room for the request envelope and the style-tag growth. */
export const CARD_BUDGET_BYTES = 25 * 1024;

/** Bytes of the card as it travels in a send / reply / PATCH body: the escaped `content` string. */
export function cardRequestBytes(card: unknown): number {
  return new TextEncoder().encode(JSON.stringify(JSON.stringify(card))).length;
}
