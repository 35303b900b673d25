// Sandbox: the local Feishu. createSandbox() builds the fake tenant and mounts Feishu's open-api
// routes (/open-apis/**) and the browser page's API (/sandbox/api/**) on a fastify app — the bot's
// own (one PORT for both) or a standalone one (benches).
import type { ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { systemClock } from '../platform/clock.ts';
import { TokenStore, type ApiContext } from './api/context.ts';
import { openApiPlugin } from './api/openapi.ts';
import { uiPlugin } from './api/ui.ts';
import { parseJsonObject } from './cards.ts';
import { FaultInjector } from './faults.ts';
import { SlidingWindow } from './limits.ts';
import { FEISHU_REDELIVERY_SCHEDULE, Pusher } from './push.ts';
import { Simulator } from './simulator.ts';
import { SandboxState, type ChangeEvent } from './state.ts';
import type {
  CardActionInput,
  CardActionResult,
  DirectoryUser,
  FaultConfig,
  PushAttempt,
  PushedEvent,
  SandboxLimits,
  SandboxOptions,
  SandboxStats,
  StoredChat,
  StoredEvent,
  StoredFile,
  StoredMessage,
  UserFileInput,
  UserFileResult,
  UserMessageResult,
} from './types.ts';

export * from './types.ts';
export { decryptPayload, encryptPayload, sealPush, signBody } from './crypto.ts';
export { FEISHU_REDELIVERY_SCHEDULE } from './push.ts';

export const DEFAULT_LIMITS: SandboxLimits = {
  appPerSecond: 50,
  appPerMinute: 1000,
  perReceiverPerSecond: 5,
  perMessagePatchPerSecond: 5,
};

export interface MessageInspector {
  all(): StoredMessage[];
  get(messageId: string): StoredMessage | undefined;
  inChat(chatId: string): StoredMessage[];
  /** What the bot sent to a person in their p2p chat. */
  toUser(openId: string, appId?: string): StoredMessage[];
  /** The parsed content (for interactive: the card JSON). */
  content(messageId: string): Record<string, unknown> | undefined;
  last(predicate?: (m: StoredMessage) => boolean): StoredMessage | undefined;
  /** Resolves with the first stored message matching, now or when one is stored/updated. */
  waitFor(predicate: (m: StoredMessage) => boolean, timeoutMs?: number): Promise<StoredMessage>;
}

export interface Sandbox {
  register(app: FastifyInstance): void;
  listen(port?: number, host?: string): Promise<{ port: number; url: string }>;
  close(): Promise<void>;
  /** Base URL of the standalone server (the SDK's `domain`), once listening. */
  readonly url: string | undefined;
  setPushUrl(url: string | undefined): void;
  upsertUsers(users: DirectoryUser[]): void;
  setLimits(limits: Partial<SandboxLimits>): void;
  setRedeliverySchedule(scheduleMs: number[]): void;
  setFaults(faults: Partial<FaultConfig>): FaultConfig;
  faults(): FaultConfig;
  /** The route's next call(s) fail with HTTP 500 (afterCommit: after taking effect, the answer lost). Route ids: feishuRoute's. */
  failNext(route: string, opts?: { afterCommit?: boolean; times?: number }): void;
  stats(): SandboxStats;
  resetStats(): void;
  /** Invalidates all tenant tokens (the SDK then gets 99991663 until it refetches). */
  revokeTokens(): void;
  readonly messages: MessageInspector;
  readonly chats: { all(): StoredChat[]; get(chatId: string): StoredChat | undefined; p2p(openId: string, appId?: string): StoredChat | undefined };
  readonly calendar: { events(): StoredEvent[]; eventsOf(openId: string): StoredEvent[] };
  readonly files: { all(): StoredFile[]; get(fileKey: string): StoredFile | undefined };
  userSays(openId: string, text: string, opts?: { chatId?: string; appId?: string }): Promise<UserMessageResult>;
  /** A person sends a file to the bot (p2p when no chatId); pushed as im.message.receive_v1 with message_type 'file'. */
  userSendsFile(openId: string, file: UserFileInput, opts?: { chatId?: string; appId?: string }): Promise<UserFileResult>;
  clickCard(input: CardActionInput): Promise<CardActionResult>;
  pushEvent(eventType: string, event: Record<string, unknown>, appId?: string): Promise<PushedEvent>;
  pushRaw(body: string, headers: Record<string, string>, appId?: string): Promise<{ status: number; body: string } | { error: string }>;
  redeliver(eventId: string): Promise<PushAttempt>;
  pushedEvents(): PushedEvent[];
  pushedEvent(eventId: string): PushedEvent | undefined;
  verifyUrl(appId?: string): Promise<{ ok: boolean; challenge: string; response?: string }>;
  onChange(listener: (change: ChangeEvent) => void): () => void;
  /** Escape hatch for tests that need to arrange unusual state. */
  readonly state: SandboxState;
}

function emptyStats(): SandboxStats {
  return {
    requests: 0,
    sent: 0,
    duplicatesSeen: 0,
    byStatus: {},
    byCode: {},
    rateLimited: 0,
    receiverLimited: 0,
    faultsInjected: 0,
    patched: 0,
    urgent: 0,
    cardUpdates: 0,
    pushes: { events: 0, attempts: 0, delivered: 0, failedAttempts: 0, redeliveries: 0, cardActions: 0, cardActionErrors: 0 },
  };
}

export function createSandbox(opts: SandboxOptions): Sandbox {
  if (opts.apps.length === 0) throw new Error('createSandbox: at least one app is required');
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? pino({ level: 'silent' });
  const state = new SandboxState(clock, opts.tenantKey ?? 'sandbox_tenant');
  for (const app of opts.apps) state.addApp(app);
  state.upsertUsers(opts.directory?.users ?? []);

  let limits: SandboxLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  let schedule = [...(opts.redeliverySchedule ?? FEISHU_REDELIVERY_SCHEDULE)];
  let pushUrl = opts.pushUrl;
  // One object for the sandbox's life: modules keep a reference, resetStats() clears it in place.
  const stats = emptyStats();
  const faults = new FaultInjector();
  const tokens = new TokenStore(() => opts.tokenTtlSeconds ?? 7200);
  const streams = new Set<ServerResponse>();
  let standalone: FastifyInstance | undefined;
  let url: string | undefined;

  const pusher = new Pusher({
    state,
    stats: stats,
    logger,
    clock,
    timeoutMs: opts.pushTimeoutMs ?? 3000,
    schedule: () => schedule,
    pushUrlFor: (appId) => state.apps.get(appId)?.pushUrl ?? pushUrl,
  });
  const simulator = new Simulator({ state, pusher, stats: stats, groupMessages: () => opts.groupMessages ?? 'at_only' });
  const ctx: ApiContext = {
    state,
    stats: stats,
    limits: () => limits,
    faults,
    windows: {
      second: new SlidingWindow(1000),
      minute: new SlidingWindow(60_000),
      receiver: new SlidingWindow(1000),
      patch: new SlidingWindow(1000),
    },
    tokens,
    logger,
  };

  const endStreams = () => {
    for (const res of streams) res.end();
    streams.clear();
  };

  const register = (app: FastifyInstance): void => {
    void app.register(async (root) => {
      root.addHook('preClose', async () => endStreams());
      await root.register(openApiPlugin(ctx), { prefix: '/open-apis' });
      await root.register(uiPlugin({ state, simulator, faults, stats: () => structuredClone(stats), pushUrl: () => pushUrl, streams }), {
        prefix: '/sandbox/api',
      });
    });
  };

  const messages: MessageInspector = {
    all: () => [...state.messages.values()],
    get: (id) => state.messages.get(id),
    inChat: (chatId) => state.messagesIn(chatId),
    toUser: (openId, appId) => {
      const app = appId ?? state.defaultApp().appId;
      const chat = [...state.chats.values()].find((c) => c.type === 'p2p' && c.appId === app && c.members.has(openId));
      return chat ? state.messagesIn(chat.chatId).filter((m) => m.sender.kind === 'app') : [];
    },
    content: (id) => {
      const m = state.messages.get(id);
      return m ? parseJsonObject(m.content) : undefined;
    },
    last: (predicate) => [...state.messages.values()].reverse().find((m) => (predicate ? predicate(m) : true)),
    waitFor: (predicate, timeoutMs = 5000) =>
      new Promise<StoredMessage>((resolve, reject) => {
        const existing = [...state.messages.values()].find(predicate);
        if (existing) return resolve(existing);
        const onChange = (c: ChangeEvent) => {
          if (c.type !== 'message' && c.type !== 'update') return;
          const m = state.messages.get(c.messageId);
          if (m && predicate(m)) {
            cleanup();
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`sandbox: no matching message within ${timeoutMs} ms`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          state.changes.off('change', onChange);
        };
        state.changes.on('change', onChange);
      }),
  };

  return {
    register,
    async listen(port = 0, host = '127.0.0.1') {
      if (standalone) throw new Error('sandbox is already listening');
      standalone = Fastify({ logger: false });
      register(standalone);
      await standalone.listen({ port, host });
      const addr = standalone.server.address();
      const actual = typeof addr === 'object' && addr ? addr.port : port;
      url = `http://${host}:${actual}`;
      return { port: actual, url };
    },
    async close() {
      pusher.close();
      endStreams();
      if (standalone) await standalone.close();
      standalone = undefined;
    },
    get url() {
      return url;
    },
    setPushUrl: (u) => {
      pushUrl = u;
    },
    upsertUsers: (users) => state.upsertUsers(users),
    setLimits: (l) => {
      limits = { ...limits, ...l };
    },
    setRedeliverySchedule: (s) => {
      schedule = [...s];
    },
    setFaults: (f) => faults.set(f),
    faults: () => faults.get(),
    failNext: (route, o) => faults.failNext(route, o),
    stats: () => structuredClone(stats),
    resetStats: () => {
      Object.assign(stats, emptyStats());
    },
    revokeTokens: () => tokens.revokeAll(),
    messages,
    chats: {
      all: () => [...state.chats.values()],
      get: (id) => state.chats.get(id),
      p2p: (openId, appId) =>
        [...state.chats.values()].find((c) => c.type === 'p2p' && c.appId === (appId ?? state.defaultApp().appId) && c.members.has(openId)),
    },
    calendar: {
      events: () => [...state.events.values()],
      eventsOf: (openId) => [...state.events.values()].filter((ev) => !ev.deleted && state.eventAudience(ev).includes(openId)),
    },
    files: { all: () => [...state.files.values()], get: (key) => state.files.get(key) },
    userSays: (openId, text, o) => simulator.userSays(openId, text, o),
    userSendsFile: (openId, file, o) => simulator.userSendsFile(openId, file, o),
    clickCard: (input) => simulator.clickCard(input),
    pushEvent: (eventType, event, appId) => pusher.pushEvent(appId ?? state.defaultApp().appId, eventType, event),
    pushRaw: (body, headers, appId) => pusher.pushRaw(body, headers, appId),
    redeliver: (eventId) => pusher.redeliver(eventId),
    pushedEvents: () => pusher.allEvents(),
    pushedEvent: (id) => pusher.event(id),
    verifyUrl: (appId) => pusher.verifyUrl(appId),
    onChange: (listener) => {
      state.changes.on('change', listener);
      return () => state.changes.off('change', listener);
    },
    state,
  };
}
