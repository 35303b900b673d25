// Sandbox: the in-memory world of the fake Feishu tenant — directory, chats, messages, calendar,
// uploads, card tokens, idempotency keys — and a change feed for the browser page.
import { EventEmitter } from 'node:events';
import type { Clock } from '../platform/clock.ts';
import * as ids from './ids.ts';
import type {
  CardToken,
  ChatType,
  DirectoryUser,
  SandboxApp,
  StoredChat,
  StoredEvent,
  StoredFile,
  StoredMessage,
} from './types.ts';

export type ChangeEvent =
  | { type: 'message' | 'update'; chatId: string; messageId: string }
  | { type: 'chat'; chatId: string }
  | { type: 'calendar'; eventId: string; openIds: string[] };

interface UserRecord extends DirectoryUser {
  unionId: string;
}

interface DedupEntry<T> {
  value: T;
  at: number;
}

export const UUID_WINDOW_MS = 60 * 60 * 1000;
export const CHAT_UUID_WINDOW_MS = 10 * 60 * 60 * 1000;
export const CARD_TOKEN_TTL_MS = 30 * 60 * 1000;
export const CARD_TOKEN_USES = 2;

export class SandboxState {
  readonly apps = new Map<string, SandboxApp & { botOpenId: string }>();
  readonly users = new Map<string, UserRecord>();
  readonly chats = new Map<string, StoredChat>();
  readonly messages = new Map<string, StoredMessage>();
  /** Message ids per chat, in insertion (= time) order. */
  private readonly chatMessages = new Map<string, string[]>();
  private readonly p2pChats = new Map<string, string>();
  readonly events = new Map<string, StoredEvent>();
  readonly calendars = new Map<string, string>(); // appId → primary calendar id
  readonly files = new Map<string, StoredFile>();
  readonly cardTokens = new Map<string, CardToken>();
  private readonly sendDedup = new Map<string, DedupEntry<string>>();
  private readonly chatDedup = new Map<string, DedupEntry<string>>();
  private readonly eventKeys = new Map<string, string>();
  readonly changes = new EventEmitter();

  constructor(
    private readonly clock: Clock,
    readonly tenantKey: string,
  ) {
    this.changes.setMaxListeners(0);
  }

  now(): number {
    return this.clock.now().getTime();
  }

  emit(change: ChangeEvent): void {
    this.changes.emit('change', change);
  }

  // --- apps & directory ---------------------------------------------------------------------------

  addApp(app: SandboxApp): void {
    this.apps.set(app.appId, { ...app, botOpenId: ids.derivedId('ou_', `bot:${app.appId}`) });
  }

  defaultApp(): SandboxApp & { botOpenId: string } {
    const first = this.apps.values().next();
    if (first.done) throw new Error('sandbox has no app');
    return first.value;
  }

  upsertUsers(users: DirectoryUser[]): void {
    for (const u of users) {
      this.users.set(u.openId, { ...u, unionId: u.unionId ?? ids.derivedId('on_', `user:${u.openId}`) });
    }
  }

  user(openId: string): UserRecord | undefined {
    return this.users.get(openId);
  }

  /** Resolves a user by the id type Feishu APIs accept. */
  findUser(idType: string, id: string): UserRecord | undefined {
    switch (idType) {
      case 'open_id':
        return this.users.get(id);
      case 'user_id':
        return [...this.users.values()].find((u) => u.userId === id);
      case 'union_id':
        return [...this.users.values()].find((u) => u.unionId === id);
      case 'email':
        return [...this.users.values()].find((u) => u.email !== undefined && u.email === id);
      default:
        return undefined;
    }
  }

  userIdOfType(u: UserRecord, idType: string): string | undefined {
    if (idType === 'user_id') return u.userId;
    if (idType === 'union_id') return u.unionId;
    return u.openId;
  }

  // --- chats -------------------------------------------------------------------------------------

  /** The bot↔user p2p chat, created on first contact like Feishu does. */
  p2pChat(appId: string, openId: string): StoredChat {
    const key = `${appId}:${openId}`;
    const existing = this.p2pChats.get(key);
    if (existing) return this.chats.get(existing)!;
    const chat = this.createChat({ appId, type: 'p2p', name: '', members: [openId] });
    this.p2pChats.set(key, chat.chatId);
    return chat;
  }

  createChat(input: {
    appId: string;
    type: ChatType;
    name: string;
    description?: string;
    ownerOpenId?: string;
    members: string[];
  }): StoredChat {
    const chat: StoredChat = {
      chatId: ids.newChatId(),
      type: input.type,
      appId: input.appId,
      name: input.name,
      description: input.description ?? '',
      ownerOpenId: input.ownerOpenId,
      members: new Set(input.members),
      botInChat: true,
      createTime: this.now(),
    };
    this.chats.set(chat.chatId, chat);
    this.chatMessages.set(chat.chatId, []);
    this.emit({ type: 'chat', chatId: chat.chatId });
    return chat;
  }

  chatsOf(openId: string): StoredChat[] {
    return [...this.chats.values()].filter((c) => c.members.has(openId));
  }

  // --- messages ----------------------------------------------------------------------------------

  addMessage(input: Omit<StoredMessage, 'messageId' | 'createTime' | 'updateTime' | 'updated' | 'deleted' | 'urgent'>): StoredMessage {
    const now = this.now();
    const msg: StoredMessage = {
      ...input,
      messageId: ids.newMessageId(),
      createTime: now,
      updateTime: now,
      updated: false,
      deleted: false,
      urgent: { app: [], sms: [], phone: [] },
    };
    this.messages.set(msg.messageId, msg);
    this.chatMessages.get(msg.chatId)?.push(msg.messageId);
    this.emit({ type: 'message', chatId: msg.chatId, messageId: msg.messageId });
    return msg;
  }

  updateMessageContent(msg: StoredMessage, content: string): void {
    msg.content = content;
    msg.updateTime = this.now();
    msg.updated = true;
    this.emit({ type: 'update', chatId: msg.chatId, messageId: msg.messageId });
  }

  messagesIn(chatId: string): StoredMessage[] {
    return (this.chatMessages.get(chatId) ?? []).map((id) => this.messages.get(id)!);
  }

  lastMessageAt(chatId: string): number | null {
    const list = this.chatMessages.get(chatId);
    const last = list && list.length > 0 ? this.messages.get(list[list.length - 1]!) : undefined;
    return last ? last.createTime : null;
  }

  // --- idempotency -------------------------------------------------------------------------------

  /** The message id a uuid already produced within the last hour (business time), if any. */
  sendDedupLookup(appId: string, uuid: string): string | undefined {
    return this.lookup(this.sendDedup, `${appId}:${uuid}`, UUID_WINDOW_MS);
  }

  sendDedupStore(appId: string, uuid: string, messageId: string): void {
    this.sendDedup.set(`${appId}:${uuid}`, { value: messageId, at: this.now() });
  }

  chatDedupLookup(appId: string, key: string): string | undefined {
    return this.lookup(this.chatDedup, `${appId}:${key}`, CHAT_UUID_WINDOW_MS);
  }

  chatDedupStore(appId: string, key: string, chatId: string): void {
    this.chatDedup.set(`${appId}:${key}`, { value: chatId, at: this.now() });
  }

  /** Calendar idempotency keys are unique per app and calendar, without a documented expiry. */
  eventDedup(appId: string, calendarId: string, key: string): { get(): string | undefined; set(id: string): void } {
    const k = `${appId}:${calendarId}:${key}`;
    return { get: () => this.eventKeys.get(k), set: (id) => void this.eventKeys.set(k, id) };
  }

  private lookup(map: Map<string, DedupEntry<string>>, key: string, windowMs: number): string | undefined {
    const hit = map.get(key);
    if (!hit) return undefined;
    if (this.now() - hit.at >= windowMs) {
      map.delete(key);
      return undefined;
    }
    return hit.value;
  }

  // --- calendar ----------------------------------------------------------------------------------

  primaryCalendar(appId: string): string {
    let id = this.calendars.get(appId);
    if (!id) {
      id = ids.newCalendarId();
      this.calendars.set(appId, id);
    }
    return id;
  }

  /** open_ids a calendar event reaches: user attendees plus members of chat attendees. */
  eventAudience(ev: StoredEvent): string[] {
    const out = new Set<string>();
    for (const a of ev.attendees) {
      if (a.type === 'user' && a.openId) out.add(a.openId);
      if (a.type === 'chat' && a.chatId) for (const m of this.chats.get(a.chatId)?.members ?? []) out.add(m);
    }
    return [...out];
  }

  // --- card tokens -------------------------------------------------------------------------------

  /** Messages with a card callback pushed to the bot and not yet answered (count per message). */
  private readonly cardLocks = new Map<string, number>();

  /** Holds Feishu's lock on a card while a click on it is being answered; returns the release. */
  lockCard(messageId: string): () => void {
    this.cardLocks.set(messageId, (this.cardLocks.get(messageId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.cardLocks.get(messageId) ?? 1) - 1;
      if (n > 0) this.cardLocks.set(messageId, n);
      else this.cardLocks.delete(messageId);
    };
  }

  isCardLocked(messageId: string): boolean {
    return (this.cardLocks.get(messageId) ?? 0) > 0;
  }

  mintCardToken(appId: string, messageId: string, openId: string): CardToken {
    const t: CardToken = {
      token: ids.newCardToken(),
      appId,
      messageId,
      openId,
      expiresAt: this.now() + CARD_TOKEN_TTL_MS,
      usesLeft: CARD_TOKEN_USES,
    };
    this.cardTokens.set(t.token, t);
    return t;
  }
}
