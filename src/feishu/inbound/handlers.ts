// Feishu edge: the two entry points registered on the SDK's EventDispatcher. Parse (zod), de-duplicate
// at the door (Redis), turn into a command, dispatch. Card callbacks answer within 3 s.
import { createHash } from 'node:crypto';
import type { Logger } from '../../platform/logger.ts';
import type { Dedup } from '../../platform/dedup.ts';
import { dispatchCardAction, dispatchMessage, type DispatchDeps } from '../../commands/dispatch.ts';
import { parseCardAction, parseTextCommand } from '../../commands/parse.ts';
import type { CardOutcome } from '../../commands/command.ts';
import { CardActionTrigger, MessageReceiveV1 } from './schemas.ts';

export interface HandlerDeps extends DispatchDeps {
  dedup: Dedup;
  logger: Logger;
  /** The bot's own app id: messages it sent itself are not commands. */
  appId: string;
}

export interface CardResponse {
  toast: CardOutcome['toast'];
  card?: { type: 'raw'; data: unknown };
}

const toResponse = (o: CardOutcome): CardResponse => ({ toast: o.toast, ...(o.card ? { card: { type: 'raw', data: o.card } } : {}) });

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
  if (!(await deps.dedup.claim(key))) {
    log.info('[inbound] duplicate message ignored');
    return;
  }
  try {
    const text = messageText(message);
    const file = fileOf(message);
    const cmd = file ? ({ kind: 'official.import', ...file } as const) : text === null ? { kind: 'help' as const } : parseTextCommand(text);
    await dispatchMessage(deps, { openId: sender.sender_id.open_id, messageId: message.message_id, chatId: message.chat_id, key }, cmd);
    log.info({ command: cmd.kind }, '[inbound] message handled');
  } catch (err) {
    // Let Feishu's redelivery try again.
    await deps.dedup.release(key);
    throw err;
  }
}

export async function onCardAction(deps: HandlerDeps, data: unknown): Promise<CardResponse> {
  const parsed = CardActionTrigger.safeParse(data);
  if (!parsed.success) {
    deps.logger.warn({ issues: parsed.error.issues.slice(0, 3) }, '[inbound] card action with unexpected shape');
    return { toast: { type: 'error', content: '无法识别这次操作，请刷新卡片后重试。' } };
  }
  const { operator, action, context } = parsed.data;
  const cmd = parseCardAction({ value: action.value, formValue: action.form_value ?? undefined });
  if (!cmd) return { toast: { type: 'warning', content: '这张卡片已过期或无法操作，请重新获取。' } };
  // A double click or a replayed callback carries the same message, operator and action.
  const fingerprint = createHash('sha1').update(JSON.stringify([action.value, action.form_value ?? null, action.option ?? null, action.input_value ?? null])).digest('hex').slice(0, 16);
  const key = `card-${context.open_message_id}-${operator.open_id}-${fingerprint}`;
  const log = deps.logger.child({ eventId: parsed.data.event_id, messageId: context.open_message_id, operator: operator.open_id, action: action.value.a });
  if (!(await deps.dedup.claim(key))) {
    log.info('[inbound] duplicate card action');
    return (await deps.dedup.recall<CardResponse>(key)) ?? { toast: { type: 'info', content: '正在处理，请稍候' } };
  }
  try {
    const outcome = toResponse(
      await dispatchCardAction(deps, { openId: operator.open_id, messageId: context.open_message_id, chatId: context.open_chat_id, key }, cmd),
    );
    if (cmd.kind === 'invalid') await deps.dedup.release(key);
    else await deps.dedup.remember(key, outcome);
    log.info({ command: cmd.kind, toast: outcome.toast.type }, '[inbound] card action handled');
    return outcome;
  } catch (err) {
    await deps.dedup.release(key);
    log.error({ err }, '[inbound] card action failed');
    return { toast: { type: 'error', content: '系统繁忙，未能保存，请稍后重试。' } };
  }
}
