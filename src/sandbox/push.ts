// Sandbox: pushing to the bot's webhook exactly as Feishu does (contract §4): v2 envelope, AES
// encryption, X-Lark-* signature, 3 s deadline, and for events at-least-once re-pushes with the
// same event_id on the redelivery schedule.
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.ts';
import { sealPush } from './crypto.ts';
import { newEventId } from './ids.ts';
import type { SandboxState } from './state.ts';
import type { PushAttempt, PushedEvent, SandboxApp, SandboxStats } from './types.ts';

export const FEISHU_REDELIVERY_SCHEDULE = [15_000, 5 * 60_000, 60 * 60_000, 6 * 60 * 60_000];

export type PostResult =
  | { kind: 'response'; status: number; text: string; durationMs: number }
  | { kind: 'timeout' | 'connect'; message: string; durationMs: number };

export interface PusherDeps {
  state: SandboxState;
  stats: SandboxStats;
  logger: Logger;
  clock: Clock;
  timeoutMs: number;
  schedule: () => number[];
  pushUrlFor: (appId: string) => string | undefined;
}

interface EventRecord extends PushedEvent {
  timer?: NodeJS.Timeout;
  retriesDone: number;
}

/** POSTs a body with a hard deadline covering connect, headers and body (Feishu's 3 s rule). */
export async function postWithDeadline(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<PostResult> {
  const started = Date.now();
  try {
    const res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    const text = await res.text();
    return { kind: 'response', status: res.status, text, durationMs: Date.now() - started };
  } catch (e) {
    const durationMs = Date.now() - started;
    const name = (e as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout', message: 'timed out', durationMs };
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    return { kind: 'connect', message: cause?.code ?? cause?.message ?? String(e), durationMs };
  }
}

export class Pusher {
  private readonly events = new Map<string, EventRecord>();
  private closed = false;

  constructor(private readonly deps: PusherDeps) {}

  private app(appId?: string): SandboxApp {
    const app = appId ? this.deps.state.apps.get(appId) : this.deps.state.defaultApp();
    if (!app) throw new Error(`unknown app ${appId}`);
    return app;
  }

  envelope(app: SandboxApp, eventType: string, event: Record<string, unknown>, createTime: string): Record<string, unknown> {
    return {
      schema: '2.0',
      header: {
        event_id: newEventId(),
        event_type: eventType,
        create_time: createTime,
        token: app.verificationToken,
        app_id: app.appId,
        tenant_key: this.deps.state.tenantKey,
      },
      event,
    };
  }

  /** Encrypts, signs and POSTs one payload to the app's push URL. */
  async send(appId: string, payload: unknown): Promise<PostResult | undefined> {
    const app = this.app(appId);
    const url = this.deps.pushUrlFor(app.appId);
    if (!url) return undefined;
    const sealed = sealPush(app.encryptKey, payload, Math.floor(this.deps.clock.now().getTime() / 1000));
    return postWithDeadline(url, sealed.body, sealed.headers, this.deps.timeoutMs);
  }

  /** Pushes an event; failures are re-pushed later with the same event_id. Resolves after the first attempt. */
  async pushEvent(appId: string, eventType: string, event: Record<string, unknown>): Promise<PushedEvent> {
    const app = this.app(appId);
    const env = this.envelope(app, eventType, event, String(this.deps.clock.now().getTime()));
    const header = env.header as { event_id: string };
    const rec: EventRecord = {
      eventId: header.event_id,
      eventType,
      appId: app.appId,
      envelope: env,
      attempts: [],
      delivered: false,
      pendingRetries: 0,
      retriesDone: 0,
    };
    this.events.set(rec.eventId, rec);
    this.deps.stats.pushes.events++;
    await this.attempt(rec);
    return this.snapshot(rec);
  }

  /** Pushes the same event again now (a duplicate delivery, as Feishu's at-least-once allows). */
  async redeliver(eventId: string): Promise<PushAttempt> {
    const rec = this.events.get(eventId);
    if (!rec) throw new Error(`unknown event ${eventId}`);
    this.deps.stats.pushes.redeliveries++;
    return this.attempt(rec);
  }

  event(eventId: string): PushedEvent | undefined {
    const rec = this.events.get(eventId);
    return rec ? this.snapshot(rec) : undefined;
  }

  allEvents(): PushedEvent[] {
    return [...this.events.values()].map((r) => this.snapshot(r));
  }

  private snapshot(rec: EventRecord): PushedEvent {
    return {
      eventId: rec.eventId,
      eventType: rec.eventType,
      appId: rec.appId,
      envelope: rec.envelope,
      attempts: [...rec.attempts],
      delivered: rec.delivered,
      pendingRetries: rec.timer ? 1 : 0,
    };
  }

  private async attempt(rec: EventRecord): Promise<PushAttempt> {
    const at = this.deps.clock.now().getTime();
    const res = await this.send(rec.appId, rec.envelope);
    const attempt: PushAttempt =
      res === undefined
        ? { at, ok: false, error: 'no push url', durationMs: 0 }
        : res.kind === 'response'
          ? { at, ok: res.status === 200, status: res.status, durationMs: res.durationMs }
          : { at, ok: false, error: res.kind === 'timeout' ? 'timeout' : `connect: ${res.message}`, durationMs: res.durationMs };
    rec.attempts.push(attempt);
    this.deps.stats.pushes.attempts++;
    if (attempt.ok) {
      if (!rec.delivered) this.deps.stats.pushes.delivered++;
      rec.delivered = true;
      if (rec.timer) {
        clearTimeout(rec.timer);
        rec.timer = undefined;
      }
    } else {
      this.deps.stats.pushes.failedAttempts++;
      this.deps.logger.debug({ eventId: rec.eventId, attempt }, 'sandbox push failed');
      if (!rec.delivered) this.scheduleRetry(rec);
    }
    return attempt;
  }

  private scheduleRetry(rec: EventRecord): void {
    const schedule = this.deps.schedule();
    if (this.closed || rec.timer || rec.retriesDone >= schedule.length) return;
    const delay = schedule[rec.retriesDone]!;
    rec.retriesDone++;
    rec.timer = setTimeout(() => {
      rec.timer = undefined;
      if (rec.delivered || this.closed) return;
      this.deps.stats.pushes.redeliveries++;
      void this.attempt(rec);
    }, delay);
  }

  /** Sends an arbitrary body with arbitrary headers (malformed or badly signed requests in tests). */
  async pushRaw(body: string, headers: Record<string, string>, appId?: string): Promise<{ status: number; body: string } | { error: string }> {
    const url = this.deps.pushUrlFor(this.app(appId).appId);
    if (!url) return { error: 'no push url' };
    const res = await postWithDeadline(url, body, headers, this.deps.timeoutMs);
    return res.kind === 'response' ? { status: res.status, body: res.text } : { error: res.kind };
  }

  /** Sends the url_verification challenge Feishu sends when a request URL is saved. */
  async verifyUrl(appId?: string): Promise<{ ok: boolean; challenge: string; response?: string }> {
    const app = this.app(appId);
    const challenge = newEventId();
    const res = await this.send(app.appId, { challenge, token: app.verificationToken, type: 'url_verification' });
    if (!res || res.kind !== 'response') return { ok: false, challenge };
    let echoed: unknown;
    try {
      echoed = (JSON.parse(res.text) as { challenge?: unknown }).challenge;
    } catch {
      echoed = undefined;
    }
    return { ok: res.status === 200 && echoed === challenge, challenge, response: res.text };
  }

  close(): void {
    this.closed = true;
    for (const rec of this.events.values()) {
      if (rec.timer) clearTimeout(rec.timer);
      rec.timer = undefined;
    }
  }
}
