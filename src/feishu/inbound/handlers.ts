// Feishu edge: the two entry points registered on the SDK's EventDispatcher. Parse (zod), key the
// delivery, turn it into a command, run it (src/commands/run.ts claims the key in the command's own
// transaction, so a redelivery gets the stored answer). Card callbacks answer within Feishu's 3 s.
import { createHash } from 'node:crypto';
import type { Prisma } from '../../generated/prisma/client.ts';
import type { Logger } from '../../platform/logger.ts';
import { dispatchCardAction, dispatchMessage, type DispatchDeps } from '../../commands/dispatch.ts';
import { parseCardAction, parseTextCommand } from '../../commands/parse.ts';
import type { Outcome } from '../../modules/shared/outcome.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import { collectWritten } from '../../outbox/written.ts';
import { card, markdown } from '../../../cards/card.ts';
import { RENDER_KEY, stampRender } from '../../../cards/render.ts';
import { CardActionTrigger, MessageReceiveV1 } from './schemas.ts';

export interface HandlerDeps extends DispatchDeps {
  logger: Logger;
  /** The bot's own app id: messages it sent itself are not commands. */
  appId: string;
  /** How long a card callback may work before it answers 「已收到，正在处理」 (Feishu waits 3 s). */
  answerWithinMs?: number;
}

/** The callback response on the wire (card JSON 2.0 answers as `raw`). */
export interface CardResponse {
  toast?: Outcome['toast'];
  card?: { type: 'raw'; data: unknown };
}

export const ANSWER_WITHIN_MS = 2_500;
const BUSY = '系统繁忙，未能保存，请稍后重试。';

export function messageText(msg: MessageReceiveV1['message']): string | null {
  if (msg.message_type !== 'text') return null;
  try {
    const c = JSON.parse(msg.content) as { text?: unknown };
    return typeof c.text === 'string' ? c.text : null;
  } catch {
    return null;
  }
}

/** A file message: its key and name, for the official-figure import. */
export function fileOf(msg: MessageReceiveV1['message']): { fileKey: string; fileName: string } | null {
  if (msg.message_type !== 'file') return null;
  try {
    const c = JSON.parse(msg.content) as { file_key?: unknown; file_name?: unknown };
    return typeof c.file_key === 'string' ? { fileKey: c.file_key, fileName: typeof c.file_name === 'string' ? c.file_name : '未命名文件' } : null;
  } catch {
    return null;
  }
}

export async function onMessage(deps: HandlerDeps, data: unknown): Promise<void> {
  const parsed = MessageReceiveV1.safeParse(data);
  if (!parsed.success) {
    deps.logger.warn({ issues: parsed.error.issues.slice(0, 3) }, '[inbound] message ignored: unexpected shape');
    return;
  }
  const { sender, message } = parsed.data;
  if (sender.sender_type !== 'user') return;
  // In a group the bot answers only when mentioned.
  if (message.chat_type === 'group' && !(message.mentions ?? []).length) return;
  // Feishu's docs: de-duplicate messages by message_id (not event_id).
  const key = `msg-${message.message_id}`;
  const log = deps.logger.child({ eventId: parsed.data.event_id, messageId: message.message_id, operator: sender.sender_id.open_id });
  const text = messageText(message);
  const file = fileOf(message);
  const cmd = file ? ({ kind: 'official.import', ...file } as const) : text === null ? { kind: 'help' as const } : parseTextCommand(text);
  // A failure throws: Feishu redelivers, and the key was not claimed (the transaction rolled back).
  const ran = await dispatchMessage(deps, { openId: sender.sender_id.open_id, messageId: message.message_id, chatId: message.chat_id, key }, cmd);
  log.info({ command: cmd.kind, replayed: ran.replayed }, '[inbound] message handled');
}

const toResponse = (o: Outcome, renderId: string): CardResponse => ({
  ...(o.toast ? { toast: o.toast } : {}),
  ...(o.card ? { card: { type: 'raw', data: stampRender(o.card, renderId) } } : {}),
});

/**
 * The delivery key of a click: message + operator + the action as sent (its value, which carries the
 * card rendering's id, and the form). A double click on one rendering, or Feishu redelivering the
 * callback, gives the same key; a click on a later rendering never does. A card sent before render ids
 * existed has none: its event id keys it, so two distinct clicks are never merged.
 */
export function clickKey(p: CardActionTrigger): string {
  const { action, context, operator } = p;
  const rendered = typeof action.value[RENDER_KEY] === 'string';
  const fingerprint = createHash('sha1')
    .update(JSON.stringify([action.value, action.form_value ?? null, action.option ?? null, action.input_value ?? null, rendered ? null : p.event_id]))
    .digest('hex')
    .slice(0, 20);
  return `card-${context.open_message_id}-${operator.open_id}-${fingerprint}`;
}

export async function onCardAction(deps: HandlerDeps, data: unknown): Promise<CardResponse> {
  const parsed = CardActionTrigger.safeParse(data);
  if (!parsed.success) {
    deps.logger.warn({ issues: parsed.error.issues.slice(0, 3) }, '[inbound] card action with unexpected shape');
    return { toast: { type: 'error', content: '无法识别这次操作，请刷新卡片后重试。' } };
  }
  const p = parsed.data;
  const { operator, action, context } = p;
  const cmd = parseCardAction({ value: action.value, formValue: action.form_value ?? undefined });
  if (!cmd) return { toast: { type: 'warning', content: '这张卡片已过期或无法操作，请重新获取。' } };
  const key = clickKey(p);
  // The answer's card is a new rendering: its id comes from this delivery.
  const renderId = createHash('sha1').update(key).digest('hex').slice(0, 12);
  const log = deps.logger.child({ eventId: p.event_id, messageId: context.open_message_id, operator: operator.open_id, action: action.value.a });
  const origin = { openId: operator.open_id, messageId: context.open_message_id, ...(context.open_chat_id ? { chatId: context.open_chat_id } : {}), key };

  const run = dispatchCardAction(deps, origin, cmd);
  const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), deps.answerWithinMs ?? ANSWER_WITHIN_MS).unref());
  try {
    const first = await Promise.race([run, timer]);
    if (first !== 'late') {
      log.info({ command: cmd.kind, toast: first.outcome.toast?.type, replayed: first.replayed }, '[inbound] card action handled');
      return toResponse(first.outcome, renderId);
    }
  } catch (err) {
    log.error({ err }, '[inbound] card action failed');
    return { toast: { type: 'error', content: BUSY } };
  }
  // Not done within the deadline: answer now, and update the card (or say it failed) when it is.
  log.warn({ command: cmd.kind }, '[inbound] card action slow; answering before it is done');
  void run.then(
    (ran) => (ran.outcome.card ? lateCard(deps, origin, p.token, stampRender(ran.outcome.card, renderId)) : undefined),
    (err: unknown) => {
      log.error({ err }, '[inbound] card action failed after the answer');
      return lateFailure(deps, origin);
    },
  ).catch((err: unknown) => log.error({ err }, '[inbound] could not send the late answer'));
  return { toast: { type: 'info', content: '已收到，正在处理' } };
}

/** The card of an answer that came too late for the callback: the delayed update (token), else a PATCH. */
async function lateCard(deps: HandlerDeps, origin: { messageId: string; key: string }, token: string | undefined, content: unknown): Promise<void> {
  const { written } = await collectWritten(() =>
    token
      ? addOutbound(deps.prisma, { kind: 'DELAYED_UPDATE', dedupeKey: `late-${origin.key}`, content: { token, card: content } as Prisma.InputJsonValue })
      : addOutbound(deps.prisma, { kind: 'UPDATE_CARD', dedupeKey: `late-${origin.key}`, targetMessageId: origin.messageId, content: content as Prisma.InputJsonValue }),
  );
  await deps.afterCommit(written);
}

async function lateFailure(deps: HandlerDeps, origin: { openId: string; key: string }): Promise<void> {
  const notice = card({ title: '未能保存', template: 'orange', elements: [markdown(`刚才的操作${BUSY.replace('系统繁忙，', '因系统繁忙')}`)] });
  const { written } = await collectWritten(() =>
    addOutbound(deps.prisma, { kind: 'SEND', dedupeKey: `failed-${origin.key}`, receiveIdType: 'open_id', receiveId: origin.openId, msgType: 'interactive', content: notice as unknown as Prisma.InputJsonValue }),
  );
  await deps.afterCommit(written);
}
