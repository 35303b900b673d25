// Sandbox: im/v1 messages — send, reply, get, recall, card PATCH, urgent — and message/v4/batch_send
// (contract §2). Checks run in the order a bot would meet them on real Feishu.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CARD_MAX_BYTES, TEXT_MAX_BYTES, cardKind, checkRequestSize, downgradeError, isDowngrade, parseCardContent, parseJsonObject } from '../cards.ts';
import { Errors, FeishuApiError } from '../errors.ts';
import { newBatchId, newThreadId } from '../ids.ts';
import type { SandboxState } from '../state.ts';
import type { StoredChat, StoredMessage } from '../types.ts';
import { checkReceiverLimit, feishuRoute, idTypeSchema, parseOr, requestBodyBytes, type ApiContext, type Caller } from './context.ts';

const EDIT_WINDOW_MS = 14 * 24 * 60 * 60 * 1000;
const MSG_TYPES = ['text', 'post', 'image', 'file', 'audio', 'media', 'sticker', 'interactive', 'share_chat', 'share_user', 'system'] as const;

const SendQuery = z.object({ receive_id_type: z.enum(['open_id', 'user_id', 'union_id', 'email', 'chat_id']) });
const SendBody = z.object({
  receive_id: z.string().min(1),
  msg_type: z.enum(MSG_TYPES),
  content: z.string(),
  uuid: z.string().max(50).optional(),
});
const ReplyBody = z.object({
  msg_type: z.enum(MSG_TYPES),
  content: z.string(),
  reply_in_thread: z.boolean().optional(),
  uuid: z.string().max(50).optional(),
});
const MessageParams = z.object({ message_id: z.string().min(1) });
const PatchBody = z.object({ content: z.string() });
const UrgentQuery = z.object({ user_id_type: idTypeSchema });
const UrgentBody = z.object({ user_id_list: z.array(z.string()).min(1).max(200) });
const BatchBody = z.object({
  msg_type: z.enum(['text', 'image', 'post', 'share_chat', 'interactive']),
  content: z.record(z.string(), z.unknown()).optional(),
  card: z.record(z.string(), z.unknown()).optional(),
  department_ids: z.array(z.string()).max(200).optional(),
  open_ids: z.array(z.string()).max(200).optional(),
  user_ids: z.array(z.string()).max(200).optional(),
  union_ids: z.array(z.string()).max(200).optional(),
});

export function messageData(state: SandboxState, msg: StoredMessage): Record<string, unknown> {
  const data: Record<string, unknown> = {
    message_id: msg.messageId,
    msg_type: msg.msgType,
    create_time: String(msg.createTime),
    update_time: String(msg.updateTime),
    deleted: msg.deleted,
    updated: msg.updated,
    chat_id: msg.chatId,
    sender:
      msg.sender.kind === 'app'
        ? { id: msg.sender.id, id_type: 'app_id', sender_type: 'app', tenant_key: state.tenantKey }
        : { id: msg.sender.id, id_type: 'open_id', sender_type: 'user', tenant_key: state.tenantKey },
    body: { content: msg.content },
    mentions: msg.mentions.map((m) => ({ key: m.key, id: m.openId, id_type: 'open_id', name: m.name, tenant_key: state.tenantKey })),
  };
  if (msg.rootId) data.root_id = msg.rootId;
  if (msg.parentId) data.parent_id = msg.parentId;
  if (msg.threadId) data.thread_id = msg.threadId;
  return data;
}

/**
 * Validates the content string for its msg_type (size limits → 230025, bad JSON → 230001/230099).
 * Feishu counts the request body (the content escaped inside it): `requestBytes`, by default the
 * escaped content alone.
 */
export function checkContent(state: SandboxState, appId: string, msgType: string, content: string, requestBytes = Buffer.byteLength(JSON.stringify(content))): void {
  if (msgType === 'interactive') {
    parseCardContent(content, requestBytes);
    return;
  }
  if (msgType === 'text') checkRequestSize(requestBytes, TEXT_MAX_BYTES);
  if (msgType === 'post') checkRequestSize(requestBytes, CARD_MAX_BYTES);
  const parsed = parseJsonObject(content);
  if (!parsed) throw Errors.imInvalidParam('content is not a JSON object serialized to a string');
  switch (msgType) {
    case 'text':
      if (typeof parsed.text !== 'string') throw Errors.imInvalidParam('text content needs a "text" string');
      return;
    case 'image': {
      const f = typeof parsed.image_key === 'string' ? state.files.get(parsed.image_key) : undefined;
      if (!f) throw Errors.imInvalidParam('invalid image_key');
      if (f.appId !== appId) throw Errors.notResourceOwner();
      return;
    }
    case 'file':
    case 'audio':
    case 'media': {
      const f = typeof parsed.file_key === 'string' ? state.files.get(parsed.file_key) : undefined;
      if (!f) throw Errors.imInvalidParam('invalid file_key');
      if (f.appId !== appId) throw Errors.notResourceOwner();
      return;
    }
    default:
      return;
  }
}

/** The chat a send lands in; p2p chats are opened on first contact. */
function resolveReceiver(ctx: ApiContext, appId: string, idType: string, id: string): StoredChat {
  if (idType === 'chat_id') {
    const chat = ctx.state.chats.get(id);
    if (!chat) throw Errors.invalidReceiveId(`chat ${id} not found`);
    if (chat.appId !== appId || !chat.botInChat) throw Errors.botNotInChat();
    return chat;
  }
  const user = ctx.state.findUser(idType, id);
  if (!user) throw idType === 'open_id' && id.startsWith('ou_') ? Errors.noAvailability() : Errors.invalidReceiveId();
  return ctx.state.p2pChat(appId, user.openId);
}

function appMessage(ctx: ApiContext, caller: Caller, messageId: string): StoredMessage {
  const msg = ctx.state.messages.get(messageId);
  if (!msg) throw Errors.imInvalidParam(`message ${messageId} not found`);
  const chat = ctx.state.chats.get(msg.chatId);
  if (!chat || chat.appId !== caller.appId) throw Errors.imInvalidParam(`message ${messageId} not found`);
  return msg;
}

/** Returns the message an earlier request with this uuid produced (uuid idempotency, 1 h). */
function dedup(ctx: ApiContext, caller: Caller, uuid: string | undefined): StoredMessage | undefined {
  if (!uuid) return undefined;
  const id = ctx.state.sendDedupLookup(caller.appId, uuid);
  const msg = id ? ctx.state.messages.get(id) : undefined;
  if (msg) ctx.stats.duplicatesSeen++;
  return msg;
}

/** Send and reply alike: content and receiver checks, store, remember the uuid. */
function storeAppMessage(
  ctx: ApiContext,
  caller: Caller,
  chatId: string,
  body: { msg_type: string; content: string; uuid?: string },
  thread: { parentId?: string; rootId?: string; threadId?: string },
  requestBytes: number,
) {
  const { state } = ctx;
  checkContent(state, caller.appId, body.msg_type, body.content, requestBytes);
  checkReceiverLimit(ctx, chatId);
  const msg = state.addMessage({
    chatId,
    msgType: body.msg_type,
    content: body.content,
    sender: { kind: 'app', id: caller.appId },
    uuid: body.uuid,
    ...thread,
    mentions: [],
  });
  ctx.stats.sent++;
  if (body.uuid) state.sendDedupStore(caller.appId, body.uuid, msg.messageId);
  return messageData(state, msg);
}

export function registerMessages(scope: FastifyInstance, ctx: ApiContext): void {
  const { state } = ctx;

  scope.post(
    '/im/v1/messages',
    feishuRoute(
      ctx,
      'im.message.create',
      async (req, caller) => {
        const q = parseOr(SendQuery, req.query);
        const body = parseOr(SendBody, req.body);
        const prior = dedup(ctx, caller, body.uuid);
        if (prior) return messageData(state, prior);
        const chat = resolveReceiver(ctx, caller.appId, q.receive_id_type, body.receive_id);
        return storeAppMessage(ctx, caller, chat.chatId, body, {}, requestBodyBytes(req));
      },
      { receiverFault: true },
    ),
  );

  scope.post(
    '/im/v1/messages/:message_id/reply',
    feishuRoute(
      ctx,
      'im.message.reply',
      async (req, caller) => {
        const { message_id } = parseOr(MessageParams, req.params);
        const body = parseOr(ReplyBody, req.body);
        const prior = dedup(ctx, caller, body.uuid);
        if (prior) return messageData(state, prior);
        const parent = appMessage(ctx, caller, message_id);
        if (parent.deleted) throw Errors.recalled();
        const chat = state.chats.get(parent.chatId)!;
        if (!chat.botInChat) throw Errors.botNotInChat();
        return storeAppMessage(ctx, caller, chat.chatId, body, {
          parentId: parent.messageId,
          rootId: parent.rootId ?? parent.messageId,
          threadId: body.reply_in_thread ? (parent.threadId ?? newThreadId()) : parent.threadId,
        }, requestBodyBytes(req));
      },
      { receiverFault: true },
    ),
  );

  scope.get(
    '/im/v1/messages/:message_id',
    feishuRoute(ctx, 'im.message.get', async (req, caller) => {
      const { message_id } = parseOr(MessageParams, req.params);
      const msg = appMessage(ctx, caller, message_id);
      return { items: [messageData(state, msg)] };
    }),
  );

  scope.delete(
    '/im/v1/messages/:message_id',
    feishuRoute(ctx, 'im.message.delete', async (req, caller) => {
      const { message_id } = parseOr(MessageParams, req.params);
      const msg = appMessage(ctx, caller, message_id);
      if (msg.sender.kind !== 'app' || msg.sender.id !== caller.appId) throw Errors.noPermission('only the sender can recall');
      if (msg.deleted) throw Errors.recalled();
      msg.deleted = true;
      msg.updateTime = state.now();
      state.emit({ type: 'update', chatId: msg.chatId, messageId: msg.messageId });
      return undefined;
    }),
  );

  scope.patch(
    '/im/v1/messages/:message_id',
    feishuRoute(
      ctx,
      'im.message.patch',
      async (req, caller) => {
        const { message_id } = parseOr(MessageParams, req.params);
        const body = parseOr(PatchBody, req.body);
        const msg = appMessage(ctx, caller, message_id);
        if (msg.deleted) throw Errors.recalled();
        if (msg.sender.kind !== 'app' || msg.sender.id !== caller.appId) throw Errors.noPermission('the message was not sent by this app');
        if (msg.msgType !== 'interactive') throw Errors.imInvalidParam('only interactive (card) messages can be patched');
        if (state.now() - msg.createTime > EDIT_WINDOW_MS) throw Errors.editWindowPassed();
        if (!ctx.windows.patch.tryAcquire(msg.messageId, ctx.limits().perMessagePatchPerSecond).ok) {
          ctx.stats.receiverLimited++;
          throw Errors.receiverRateLimit();
        }
        const next = parseCardContent(body.content, requestBodyBytes(req));
        const current = parseJsonObject(msg.content);
        if (isDowngrade(current, next)) throw downgradeError();
        // A JSON 2.0 card is locked while a click on it is being answered (发送消息 doc, 230099 / 11310).
        if (current && cardKind(current) === 'v2' && state.isCardLocked(msg.messageId)) throw Errors.cardLocked();
        state.updateMessageContent(msg, body.content);
        ctx.stats.patched++;
        return {};
      },
      { okMsg: 'ok' },
    ),
  );

  for (const kind of ['app', 'sms', 'phone'] as const) {
    scope.patch(
      `/im/v1/messages/:message_id/urgent_${kind}`,
      feishuRoute(ctx, `im.message.urgent_${kind}`, async (req, caller) => {
        const { message_id } = parseOr(MessageParams, req.params);
        const q = parseOr(UrgentQuery, req.query);
        const body = parseOr(UrgentBody, req.body);
        const msg = appMessage(ctx, caller, message_id);
        if (msg.sender.kind !== 'app' || msg.sender.id !== caller.appId) throw Errors.notSender();
        if (msg.deleted) throw Errors.recalled();
        const chat = state.chats.get(msg.chatId)!;
        const invalid: string[] = [];
        const valid: string[] = [];
        for (const id of body.user_id_list) {
          const u = state.findUser(q.user_id_type, id);
          if (u && chat.members.has(u.openId)) valid.push(u.openId);
          else invalid.push(id);
        }
        if (valid.length === 0) throw Errors.imInvalidParam('no user in user_id_list is in the chat of the message');
        for (const id of valid) if (!msg.urgent[kind].includes(id)) msg.urgent[kind].push(id);
        ctx.stats.urgent++;
        state.emit({ type: 'update', chatId: msg.chatId, messageId: msg.messageId });
        return { invalid_user_id_list: invalid };
      }),
    );
  }

  // Batch send answers HTTP 200 even on errors (contract §2.5): the SDK does not throw on them.
  scope.post(
    '/message/v4/batch_send/',
    feishuRoute(ctx, 'message.batch_send', async (req, caller) => {
      const res = BatchBody.safeParse(req.body ?? {});
      if (!res.success) throw new FeishuApiError(200, 10003, 'invalid param');
      const body = res.data;
      const payload = body.msg_type === 'interactive' ? body.card : body.content;
      if (!payload) throw new FeishuApiError(200, 10003, `invalid param, ${body.msg_type === 'interactive' ? 'card' : 'content'} is required`);
      const content = JSON.stringify(body.msg_type === 'post' && 'post' in payload ? payload.post : payload);
      try {
        checkContent(state, caller.appId, body.msg_type, content, requestBodyBytes(req));
      } catch (e) {
        if (e instanceof FeishuApiError) throw new FeishuApiError(200, 11246, `invalid content: ${e.message}`);
        throw e;
      }
      const batchId = newBatchId();
      const invalid = { open_ids: [] as string[], user_ids: [] as string[], union_ids: [] as string[] };
      const targets = new Set<string>();
      for (const [field, idType] of [['open_ids', 'open_id'], ['user_ids', 'user_id'], ['union_ids', 'union_id']] as const) {
        for (const id of body[field] ?? []) {
          const u = state.findUser(idType, id);
          if (u) targets.add(u.openId);
          else invalid[field].push(id);
        }
      }
      for (const openId of targets) {
        const chat = state.p2pChat(caller.appId, openId);
        state.addMessage({ chatId: chat.chatId, msgType: body.msg_type, content, sender: { kind: 'app', id: caller.appId }, mentions: [], batchId });
        ctx.stats.sent++;
      }
      return {
        message_id: batchId,
        invalid_department_ids: body.department_ids ?? [],
        invalid_open_ids: invalid.open_ids,
        invalid_user_ids: invalid.user_ids,
        invalid_union_ids: invalid.union_ids,
      };
    }),
  );
}
