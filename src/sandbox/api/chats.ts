// Sandbox: im/v1 group chats — create (uuid dedup for 10 h), add, list and remove members (contract §5.4,
// §5.5; Feishu's 获取群成员列表, 将用户或机器人移出群聊). Member calls on an unknown chat answer 232006,
// on a chat the bot is not in 232011.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Errors } from '../errors.ts';
import type { StoredChat } from '../types.ts';
import { feishuRoute, idTypeSchema, parseOr, type ApiContext } from './context.ts';

const CreateQuery = z.object({
  user_id_type: idTypeSchema,
  set_bot_manager: z.string().optional(),
  uuid: z.string().max(50).optional(),
});
const CreateBody = z.looseObject({
  name: z.string().max(60).optional(),
  description: z.string().max(100).optional(),
  owner_id: z.string().optional(),
  user_id_list: z.array(z.string()).max(50).optional(),
  bot_id_list: z.array(z.string()).max(5).optional(),
  chat_mode: z.string().optional(),
  chat_type: z.enum(['private', 'public']).optional(),
});
const MembersParams = z.object({ chat_id: z.string().min(1) });
const MembersQuery = z.object({
  member_id_type: z.enum(['open_id', 'user_id', 'union_id', 'app_id']).default('open_id'),
  succeed_type: z.coerce.number().int().min(0).max(2).default(0),
});
const MembersBody = z.object({ id_list: z.array(z.string()).min(1).max(50) });
const ListMembersQuery = z.object({
  member_id_type: z.enum(['open_id', 'user_id', 'union_id']).default('open_id'),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
  page_token: z.string().regex(/^\d+$/).optional(),
});
const RemoveMembersQuery = z.object({ member_id_type: z.enum(['open_id', 'user_id', 'union_id', 'app_id']).default('open_id') });

export function registerChats(scope: FastifyInstance, ctx: ApiContext): void {
  const { state } = ctx;

  /** A group the calling bot is in, or Feishu's error for the member APIs. */
  const groupOf = (chatId: string, appId: string): StoredChat => {
    const chat = state.chats.get(chatId);
    if (!chat || chat.type !== 'group') throw Errors.chatNotFound();
    if (chat.appId !== appId || !chat.botInChat) throw Errors.chatOperatorNotIn();
    return chat;
  };

  const chatData = (chat: StoredChat, ownerIdType: string, ownerId: string | undefined, chatType: string) => ({
    chat_id: chat.chatId,
    avatar: '',
    name: chat.name,
    description: chat.description,
    i18n_names: {},
    owner_id: ownerId ?? '',
    owner_id_type: ownerId ? ownerIdType : '',
    add_member_permission: 'all_members',
    share_card_permission: 'allowed',
    at_all_permission: 'all_members',
    edit_permission: 'all_members',
    chat_mode: 'group',
    chat_type: chatType,
    chat_tag: 'inner',
    join_message_visibility: 'all_members',
    leave_message_visibility: 'all_members',
    membership_approval: 'no_approval_required',
    moderation_permission: 'all_members',
    external: false,
    tenant_key: state.tenantKey,
  });

  scope.post(
    '/im/v1/chats',
    feishuRoute(ctx, 'im.chat.create', async (req, caller) => {
      const q = parseOr(CreateQuery, req.query, Errors.chatInvalidParam);
      const body = parseOr(CreateBody, req.body, Errors.chatInvalidParam);
      const dedupKey = q.uuid ? `${q.uuid}:${body.owner_id ?? ''}` : undefined;
      const prior = dedupKey ? state.chatDedupLookup(caller.appId, dedupKey) : undefined;
      if (prior && state.chats.has(prior)) {
        ctx.stats.duplicatesSeen++;
        return chatData(state.chats.get(prior)!, q.user_id_type, body.owner_id, body.chat_type ?? 'private');
      }
      const ids = [...(body.user_id_list ?? []), ...(body.owner_id ? [body.owner_id] : [])];
      const members: string[] = [];
      const unknown: string[] = [];
      for (const id of ids) {
        const u = state.findUser(q.user_id_type, id);
        if (u) members.push(u.openId);
        else unknown.push(id);
      }
      if (unknown.length > 0) throw Errors.chatUnavailableIds(unknown.join(','));
      const owner = body.owner_id ? state.findUser(q.user_id_type, body.owner_id) : undefined;
      const chat = state.createChat({
        appId: caller.appId,
        type: 'group',
        name: body.name ?? '',
        description: body.description,
        ownerOpenId: owner?.openId,
        members,
      });
      if (dedupKey) state.chatDedupStore(caller.appId, dedupKey, chat.chatId);
      return chatData(chat, q.user_id_type, body.owner_id, body.chat_type ?? 'private');
    }),
  );

  scope.post(
    '/im/v1/chats/:chat_id/members',
    feishuRoute(ctx, 'im.chatMembers.create', async (req, caller) => {
      const { chat_id } = parseOr(MembersParams, req.params, Errors.chatInvalidParam);
      const q = parseOr(MembersQuery, req.query, Errors.chatInvalidParam);
      const body = parseOr(MembersBody, req.body, Errors.chatInvalidParam);
      const chat = groupOf(chat_id, caller.appId);
      const found: string[] = [];
      const notExisted: string[] = [];
      for (const id of body.id_list) {
        if (q.member_id_type === 'app_id') {
          if (!state.apps.has(id)) notExisted.push(id);
          continue;
        }
        const u = state.findUser(q.member_id_type, id);
        if (u) found.push(u.openId);
        else notExisted.push(id);
      }
      // succeed_type 0 and 2 refuse the whole call on ids that do not exist; 1 adds the valid ones.
      if (notExisted.length > 0 && q.succeed_type !== 1) throw Errors.chatUnavailableIds(notExisted.join(','));
      for (const openId of found) chat.members.add(openId);
      state.emit({ type: 'chat', chatId: chat.chatId });
      return { invalid_id_list: [], not_existed_id_list: notExisted, pending_approval_id_list: [] };
    }),
  );

  scope.get(
    '/im/v1/chats/:chat_id/members',
    feishuRoute(ctx, 'im.chatMembers.get', async (req, caller) => {
      const { chat_id } = parseOr(MembersParams, req.params, Errors.chatInvalidParam);
      const q = parseOr(ListMembersQuery, req.query, Errors.chatInvalidParam);
      const chat = groupOf(chat_id, caller.appId);
      // Bots are not listed (获取群成员列表).
      const all = [...chat.members].map((openId) => state.user(openId)).filter((u) => u !== undefined);
      const from = Number(q.page_token ?? 0);
      const items = all.slice(from, from + q.page_size).map((u) => ({ member_id_type: q.member_id_type, member_id: state.userIdOfType(u, q.member_id_type) ?? u.openId, name: u.name, tenant_key: state.tenantKey }));
      const more = from + q.page_size < all.length;
      return { items, has_more: more, member_total: all.length, ...(more ? { page_token: String(from + q.page_size) } : {}) };
    }),
  );

  scope.delete(
    '/im/v1/chats/:chat_id/members',
    feishuRoute(ctx, 'im.chatMembers.delete', async (req, caller) => {
      const { chat_id } = parseOr(MembersParams, req.params, Errors.chatInvalidParam);
      const q = parseOr(RemoveMembersQuery, req.query, Errors.chatInvalidParam);
      const body = parseOr(MembersBody, req.body, Errors.chatInvalidParam);
      const chat = groupOf(chat_id, caller.appId);
      const invalid: string[] = [];
      for (const id of body.id_list) {
        const u = q.member_id_type === 'app_id' ? undefined : state.findUser(q.member_id_type, id);
        if (u && chat.members.has(u.openId)) chat.members.delete(u.openId);
        else invalid.push(id);
      }
      state.emit({ type: 'chat', chatId: chat.chatId });
      return { invalid_id_list: invalid };
    }),
  );
}
