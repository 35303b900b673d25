// Sandbox: what people do in the Feishu client — write to the bot, click cards — turned into the
// pushes Feishu would make (im.message.receive_v1, card.action.trigger; contract §3.2, §4.7).
import { CARD_MAX_BYTES, checkCard, cardKind, isObject, parseJsonObject } from './cards.ts';
import { CallbackErrors, FeishuApiError } from './errors.ts';
import { feishuFileTypeOf } from './fileTypes.ts';
import { newFileKey } from './ids.ts';
import type { Pusher } from './push.ts';
import type { SandboxState } from './state.ts';
import type {
  CardActionInput,
  CardActionResult,
  Mention,
  SandboxApp,
  SandboxStats,
  StoredChat,
  StoredMessage,
  UserFileInput,
  UserFileResult,
  UserMessageResult,
} from './types.ts';

/** Largest file a person can send in the sandbox (the bot's own uploads are capped at 30 MB too). */
export const USER_FILE_MAX_BYTES = 30 * 1024 * 1024;

const TOAST_TYPES = new Set(['info', 'success', 'error', 'warning']);
const TIMEZONE_TAGS = new Set(['button', 'date_picker', 'picker_time', 'picker_datetime']);

/** The callback value on the card that contains every key of `wanted` (the first one, in card order). */
export function valueOnCard(content: string, wanted: Record<string, unknown>): Record<string, unknown> | undefined {
  let card: unknown;
  try {
    card = JSON.parse(content);
  } catch {
    return undefined;
  }
  const matches = (v: Record<string, unknown>) => Object.entries(wanted).every(([k, x]) => JSON.stringify(v[k]) === JSON.stringify(x));
  const walk = (node: unknown): Record<string, unknown> | undefined => {
    if (Array.isArray(node)) {
      for (const x of node) {
        const hit = walk(x);
        if (hit) return hit;
      }
      return undefined;
    }
    if (!isObject(node)) return undefined;
    if (Array.isArray(node.behaviors)) {
      for (const b of node.behaviors) if (isObject(b) && b.type === 'callback' && isObject(b.value) && matches(b.value)) return b.value;
    }
    for (const v of Object.values(node)) {
      const hit = walk(v);
      if (hit) return hit;
    }
    return undefined;
  };
  return walk(card);
}

/** A user-side request the sandbox refuses (unknown person, chat not theirs, …). */
export class SimulationError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export interface SimulatorDeps {
  state: SandboxState;
  pusher: Pusher;
  stats: SandboxStats;
  groupMessages: () => 'at_only' | 'all';
}

export class Simulator {
  constructor(private readonly deps: SimulatorDeps) {}

  private get state(): SandboxState {
    return this.deps.state;
  }

  /** The chat a person writes in: the given group (they must be in it), else their p2p chat with the app. */
  private chatFor(openId: string, opts: { chatId?: string; appId?: string }): { app: SandboxApp & { botOpenId: string }; chat: StoredChat } {
    const user = this.state.user(openId);
    if (!user) throw new SimulationError(404, `unknown person ${openId}`);
    const app = opts.appId ? this.state.apps.get(opts.appId) : this.state.defaultApp();
    if (!app) throw new SimulationError(404, `unknown app ${opts.appId}`);
    if (!opts.chatId) return { app, chat: this.state.p2pChat(app.appId, openId) };
    const found = this.state.chats.get(opts.chatId);
    if (!found) throw new SimulationError(404, `unknown chat ${opts.chatId}`);
    if (!found.members.has(openId)) throw new SimulationError(403, `${openId} is not a member of ${opts.chatId}`);
    return { app, chat: found };
  }

  /** A person writes text to the bot (p2p when no chatId) — stored, then pushed as im.message.receive_v1. */
  async userSays(openId: string, text: string, opts: { chatId?: string; appId?: string } = {}): Promise<UserMessageResult> {
    const { app, chat } = this.chatFor(openId, opts);
    const { text: body, mentions } = chat.type === 'group' ? this.extractMentions(text, app.botName, app.botOpenId) : { text, mentions: [] };
    const msg = this.state.addMessage({
      chatId: chat.chatId,
      msgType: 'text',
      content: JSON.stringify({ text: body }),
      sender: { kind: 'user', id: openId },
      mentions,
    });
    return this.deliver(app, chat, msg);
  }

  /**
   * A person sends a file (p2p when no chatId): stored under a new file_key, a `file` message
   * `{"file_key","file_name"}` created and pushed like text. A file cannot @ the bot, so in groups it
   * reaches the bot only with groupMessages 'all' (Feishu: scope im:message.group_msg).
   */
  async userSendsFile(openId: string, file: UserFileInput, opts: { chatId?: string; appId?: string } = {}): Promise<UserFileResult> {
    const { app, chat } = this.chatFor(openId, opts);
    const fileName = file.fileName.trim();
    if (!fileName) throw new SimulationError(400, '缺少文件名');
    const data = Buffer.from(file.bytes);
    if (data.length === 0) throw new SimulationError(400, '不能发送空文件');
    if (data.length > USER_FILE_MAX_BYTES) throw new SimulationError(413, `文件超过 ${USER_FILE_MAX_BYTES / 1024 / 1024} MB，沙箱不接收`);
    const fileKey = newFileKey();
    this.state.files.set(fileKey, {
      key: fileKey,
      kind: 'file',
      appId: app.appId,
      fileType: feishuFileTypeOf(fileName),
      fileName,
      size: data.length,
      createTime: this.state.now(),
      data,
      contentType: file.contentType,
      uploaderOpenId: openId,
    });
    const msg = this.state.addMessage({
      chatId: chat.chatId,
      msgType: 'file',
      content: JSON.stringify({ file_key: fileKey, file_name: fileName }),
      sender: { kind: 'user', id: openId },
      mentions: [],
    });
    const res = await this.deliver(app, chat, msg);
    return { ...res, fileKey, fileName, size: data.length };
  }

  /** Pushes a stored user message as im.message.receive_v1, unless the group's scope keeps it from the bot. */
  private async deliver(app: SandboxApp & { botOpenId: string }, chat: StoredChat, msg: StoredMessage): Promise<UserMessageResult> {
    const mentionsBot = msg.mentions.some((m) => m.openId === app.botOpenId);
    if (chat.type === 'group' && (!chat.botInChat || (this.deps.groupMessages() === 'at_only' && !mentionsBot))) {
      return { messageId: msg.messageId, chatId: chat.chatId, pushStatus: 'skipped' };
    }
    const pushed = await this.deps.pusher.pushEvent(app.appId, 'im.message.receive_v1', this.receiveEvent(msg, chat));
    const first = pushed.attempts[0];
    return {
      messageId: msg.messageId,
      chatId: chat.chatId,
      eventId: pushed.eventId,
      pushStatus: first?.error === 'no push url' ? 'not_configured' : first?.ok ? 'delivered' : 'failed',
      httpStatus: first?.status,
    };
  }

  /** `@bot`, `@<bot name>` and `@<person name>` become `@_user_N` placeholders with mentions[], as Feishu sends. */
  private extractMentions(text: string, botName: string, botOpenId: string): { text: string; mentions: Mention[] } {
    const mentions: Mention[] = [];
    const people = [...this.state.users.values()];
    const out = text.replace(/@(\S+)/g, (whole, name: string) => {
      let target: { openId: string; name: string } | undefined;
      if (name.toLowerCase() === 'bot' || name === botName) target = { openId: botOpenId, name: botName };
      else {
        const p = people.find((u) => u.name === name);
        if (p) target = { openId: p.openId, name: p.name };
      }
      if (!target) return whole;
      const key = `@_user_${mentions.length + 1}`;
      mentions.push({ key, openId: target.openId, name: target.name });
      return key;
    });
    return { text: out, mentions };
  }

  private idsOf(openId: string): Record<string, string> {
    const u = this.state.user(openId);
    const ids: Record<string, string> = { open_id: openId };
    if (u?.unionId) ids.union_id = u.unionId;
    if (u?.userId) ids.user_id = u.userId;
    return ids;
  }

  private receiveEvent(msg: StoredMessage, chat: StoredChat): Record<string, unknown> {
    const senderIds = this.idsOf(msg.sender.id);
    const message: Record<string, unknown> = {
      message_id: msg.messageId,
      create_time: String(msg.createTime),
      update_time: String(msg.updateTime),
      chat_id: chat.chatId,
      chat_type: chat.type,
      message_type: msg.msgType,
      content: msg.content,
    };
    if (msg.rootId) message.root_id = msg.rootId;
    if (msg.parentId) message.parent_id = msg.parentId;
    if (msg.mentions.length > 0) {
      message.mentions = msg.mentions.map((m) => {
        const botApp = [...this.state.apps.values()].find((a) => a.botOpenId === m.openId);
        return {
          key: m.key,
          id: botApp ? { open_id: m.openId, union_id: '', user_id: '' } : this.idsOf(m.openId),
          name: m.name,
          tenant_key: this.state.tenantKey,
        };
      });
    }
    return {
      sender: { sender_id: senderIds, sender_type: 'user', tenant_key: this.state.tenantKey },
      message,
    };
  }

  /** A person interacts with a card: card.action.trigger is pushed and the bot's answer applied. */
  async clickCard(input: CardActionInput): Promise<CardActionResult> {
    const msg = this.state.messages.get(input.messageId);
    if (!msg || msg.deleted) throw new SimulationError(404, `unknown message ${input.messageId}`);
    if (msg.msgType !== 'interactive' || msg.sender.kind !== 'app') throw new SimulationError(400, `${input.messageId} is not a card sent by the bot`);
    const chat = this.state.chats.get(msg.chatId);
    const user = this.state.user(input.openId);
    if (!user) throw new SimulationError(404, `unknown person ${input.openId}`);
    if (!chat?.members.has(input.openId)) throw new SimulationError(403, `${input.openId} cannot see ${input.messageId}`);
    const app = this.state.apps.get(msg.sender.id);
    if (!app) throw new SimulationError(500, `card sent by unknown app ${msg.sender.id}`);

    const cardToken = this.state.mintCardToken(app.appId, msg.messageId, input.openId);
    const tag = input.tag ?? 'button';
    const action: Record<string, unknown> = { tag };
    // Feishu sends the value that is on the card: a value given here picks the card's own (with its render id).
    if (input.value !== undefined) action.value = valueOnCard(msg.content, input.value) ?? input.value;
    if (input.name !== undefined) action.name = input.name;
    if (input.formValue !== undefined) action.form_value = input.formValue;
    if (input.option !== undefined) action.option = input.option;
    if (input.options !== undefined) action.options = input.options;
    if (input.inputValue !== undefined) action.input_value = input.inputValue;
    if (input.checked !== undefined) action.checked = input.checked;
    if (TIMEZONE_TAGS.has(tag)) action.timezone = 'Asia/Shanghai';

    const operator: Record<string, unknown> = { tenant_key: this.state.tenantKey, open_id: user.openId, union_id: user.unionId };
    if (user.userId) operator.user_id = user.userId;
    const event = {
      operator,
      token: cardToken.token,
      action,
      host: 'im_message',
      context: { open_message_id: msg.messageId, open_chat_id: msg.chatId },
    };
    // Card callbacks carry create_time in microseconds (contract §3.2).
    const env = this.deps.pusher.envelope(app, 'card.action.trigger', event, String(this.state.now() * 1000));
    const eventId = (env.header as { event_id: string }).event_id;

    this.deps.stats.pushes.cardActions++;
    // Feishu locks the card until the bot's answer is applied: a PATCH meanwhile gets 230099 / 11310.
    const release = this.state.lockCard(msg.messageId);
    try {
      return await this.answerClick(msg, env, eventId, cardToken.token, app.appId);
    } finally {
      release();
    }
  }

  /** Sends the callback and applies the answer (toast, card) as the Feishu client would. */
  private async answerClick(msg: StoredMessage, env: Record<string, unknown>, eventId: string, token: string, appId: string): Promise<CardActionResult> {
    const res = await this.deps.pusher.send(appId, env);
    const base = { eventId, token };
    const fail = (e: { code: number; msg: string }, detail?: string): CardActionResult => {
      this.deps.stats.pushes.cardActionErrors++;
      return { ...base, error: { code: e.code, msg: detail ? `${e.msg}: ${detail}` : e.msg } };
    };
    if (!res) return fail(CallbackErrors.noUrl);
    if (res.kind === 'timeout') return fail(CallbackErrors.timeout);
    if (res.kind !== 'response') return fail(CallbackErrors.connect, res.message);
    if (res.status !== 200) return fail(CallbackErrors.httpStatus, `HTTP ${res.status}`);
    // UNCONFIRMED which code Feishu shows for an oversized answer: the card in it is refused as a bad card.
    if (Buffer.byteLength(res.text) > CARD_MAX_BYTES) return fail(CallbackErrors.badCard, `response of ${Buffer.byteLength(res.text)} bytes exceeds 30 KB`);

    // The SDK answers `undefined` handler results with an empty body: Feishu treats it as `{}`.
    let answer: unknown = {};
    if (res.text.trim() !== '') {
      try {
        answer = JSON.parse(res.text);
      } catch {
        return fail(CallbackErrors.badBody, 'not JSON');
      }
    }
    if (!isObject(answer)) return fail(CallbackErrors.badBody, 'not a JSON object');

    const result: CardActionResult = { ...base };
    if (answer.toast !== undefined) {
      const toast = answer.toast;
      if (!isObject(toast) || typeof toast.type !== 'string' || !TOAST_TYPES.has(toast.type)) {
        return fail(CallbackErrors.badBody, 'toast.type must be info, success, error or warning');
      }
      if (toast.content !== undefined && typeof toast.content !== 'string') return fail(CallbackErrors.badBody, 'toast.content must be a string');
      result.toast = toast as CardActionResult['toast'];
    }
    if (answer.card !== undefined) {
      const card = answer.card;
      if (!isObject(card) || (card.type !== 'raw' && card.type !== 'template') || !isObject(card.data)) {
        return fail(CallbackErrors.badCard, 'card.type must be raw or template with an object data');
      }
      let next: Record<string, unknown>;
      try {
        next = card.type === 'raw' ? checkCard(card.data) : checkCard({ type: 'template', data: card.data });
      } catch (e) {
        return fail(CallbackErrors.badCard, e instanceof FeishuApiError ? e.message : String(e));
      }
      const old = parseJsonObject(msg.content);
      if (old && cardKind(old) === 'v2' && cardKind(next) === 'v1') return fail(CallbackErrors.downgrade);
      // Applied after any delayed update made while the callback was open: Feishu says such an update "may be reverted".
      this.state.updateMessageContent(msg, JSON.stringify(next));
      result.card = { type: card.type, data: card.data };
    }
    return result;
  }
}
