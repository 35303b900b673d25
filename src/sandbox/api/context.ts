// Sandbox: what every open-api route shares — the Feishu response envelope, the token check, fault
// injection, per-app rate limits and zod parsing with Feishu-shaped errors.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { Errors, rateLimited, type FeishuApiError } from '../errors.ts';
import type { FaultInjector } from '../faults.ts';
import type { SlidingWindow } from '../limits.ts';
import type { SandboxState } from '../state.ts';
import type { SandboxLimits, SandboxStats } from '../types.ts';

/** Bytes of each JSON request body as received (Feishu's size limits count the request body). */
const bodyBytes = new WeakMap<object, number>();
export const rememberBodyBytes = (req: object, bytes: number) => bodyBytes.set(req, bytes);
/** The request body's size; the compact re-serialisation when it was not recorded. */
export const requestBodyBytes = (req: FastifyRequest): number => bodyBytes.get(req) ?? Buffer.byteLength(JSON.stringify(req.body ?? {}));

export const TOKEN_REISSUE_MARGIN_MS = 30 * 60 * 1000;

/** tenant_access_token bookkeeping. Lifetimes run on real time because the SDK caches tokens by Date.now(). */
export class TokenStore {
  private readonly tokens = new Map<string, { appId: string; expiresAt: number }>();
  private readonly current = new Map<string, string>();

  constructor(private readonly ttlSeconds: () => number) {}

  /** Same token while ≥ 30 min remain, a new one (old still valid) otherwise — as documented. */
  issue(appId: string, newToken: () => string): { token: string; expire: number } {
    const now = Date.now();
    const cur = this.current.get(appId);
    const rec = cur ? this.tokens.get(cur) : undefined;
    if (cur && rec && rec.expiresAt - now >= TOKEN_REISSUE_MARGIN_MS) {
      return { token: cur, expire: Math.floor((rec.expiresAt - now) / 1000) };
    }
    const token = newToken();
    const ttl = this.ttlSeconds();
    this.tokens.set(token, { appId, expiresAt: now + ttl * 1000 });
    this.current.set(appId, token);
    return { token, expire: ttl };
  }

  appOf(token: string): string | undefined {
    const rec = this.tokens.get(token);
    if (!rec) return undefined;
    if (rec.expiresAt <= Date.now()) {
      this.tokens.delete(token);
      return undefined;
    }
    return rec.appId;
  }

  /** Invalidates every issued token (the SDK will then see 99991663 until its cache is cleared). */
  revokeAll(): void {
    this.tokens.clear();
    this.current.clear();
  }
}

export interface Windows {
  second: SlidingWindow;
  minute: SlidingWindow;
  receiver: SlidingWindow;
  patch: SlidingWindow;
}

export interface ApiContext {
  state: SandboxState;
  stats: SandboxStats;
  limits: () => SandboxLimits;
  faults: FaultInjector;
  windows: Windows;
  tokens: TokenStore;
  logger: Logger;
}

export interface Caller {
  appId: string;
}

/** A download answer: raw bytes with their headers instead of the JSON envelope. */
export class BinaryResponse {
  constructor(
    readonly body: Buffer,
    readonly headers: Record<string, string>,
  ) {}
}

export type RouteHandler = (req: FastifyRequest, caller: Caller) => Promise<Record<string, unknown> | BinaryResponse | undefined>;

export interface RouteOptions {
  /** Feishu's per-receiver / per-message checks live in handlers; this toggles the 230020 fault. */
  receiverFault?: boolean;
  /** The success `msg` text (Feishu uses "success" or "ok" depending on the API). */
  okMsg?: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function bump(map: Record<string, number>, key: string | number): void {
  const k = String(key);
  map[k] = (map[k] ?? 0) + 1;
}

/** Bearer token → calling app, or the Feishu error for a missing/invalid token. */
export function authenticate(ctx: ApiContext, req: FastifyRequest): Caller {
  const header = req.headers.authorization;
  if (!header || header.trim() === '') throw Errors.missingToken();
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!m) throw Errors.missingToken();
  const token = m[1]!;
  if (!token.startsWith('t-') && !token.startsWith('u-')) throw Errors.badTokenType();
  const appId = ctx.tokens.appOf(token);
  if (!appId) throw Errors.invalidToken();
  return { appId };
}

/** Wraps a handler with auth, faults and the per-app/per-API rate limits; answers Feishu's envelope. */
export function feishuRoute(ctx: ApiContext, routeId: string, handler: RouteHandler, opts: RouteOptions = {}) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const caller = authenticate(ctx, req);
    if (ctx.faults.latencyMs > 0) await sleep(ctx.faults.latencyMs);
    const forced = ctx.faults.takeForced(routeId);
    if (forced && !forced.afterCommit) {
      ctx.stats.faultsInjected++;
      throw Errors.internal('forced failure');
    }
    if (ctx.faults.roll('rate5xx')) {
      ctx.stats.faultsInjected++;
      throw Errors.internal();
    }
    if (ctx.faults.roll('rate429')) {
      ctx.stats.faultsInjected++;
      ctx.stats.rateLimited++;
      throw rateLimited(ctx.limits().appPerSecond, 1);
    }
    const key = `${caller.appId}:${routeId}`;
    const limits = ctx.limits();
    const perSecond = ctx.windows.second.tryAcquire(key, limits.appPerSecond);
    if (!perSecond.ok) {
      ctx.stats.rateLimited++;
      throw rateLimited(limits.appPerSecond, Math.ceil(perSecond.retryAfterMs / 1000));
    }
    const perMinute = ctx.windows.minute.tryAcquire(key, limits.appPerMinute);
    if (!perMinute.ok) {
      ctx.stats.rateLimited++;
      throw rateLimited(limits.appPerMinute, Math.ceil(perMinute.retryAfterMs / 1000));
    }
    if (opts.receiverFault && ctx.faults.roll('rate230020')) {
      ctx.stats.faultsInjected++;
      ctx.stats.receiverLimited++;
      throw Errors.receiverRateLimit();
    }
    const data = await handler(req, caller);
    // Drawn even when forced, so a forced failure does not shift the seeded faults.
    const lost = ctx.faults.roll('rate5xxAfterCommit');
    if (forced?.afterCommit || lost) {
      ctx.stats.faultsInjected++;
      throw Errors.internal('the request may have taken effect');
    }
    if (data instanceof BinaryResponse) return reply.headers(data.headers).send(data.body);
    return reply.send(data === undefined ? { code: 0, msg: opts.okMsg ?? 'success' } : { code: 0, msg: opts.okMsg ?? 'success', data });
  };
}

/** zod parse with Feishu's "field validation failed" shape on error. */
export function parseOr<T extends z.ZodType>(
  schema: T,
  value: unknown,
  toError: (detail: string) => FeishuApiError = Errors.fieldValidation,
): z.infer<T> {
  const res = schema.safeParse(value ?? {});
  if (res.success) return res.data;
  const detail = res.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  throw toError(detail);
}

/** Per receiver (user or group) 5/s, Feishu's 230020. */
export function checkReceiverLimit(ctx: ApiContext, chatId: string): void {
  const r = ctx.windows.receiver.tryAcquire(chatId, ctx.limits().perReceiverPerSecond);
  if (!r.ok) {
    ctx.stats.receiverLimited++;
    throw Errors.receiverRateLimit();
  }
}

export const idTypeSchema = z.enum(['open_id', 'user_id', 'union_id']).default('open_id');
