// Feishu edge: the SDK client used for every outbound call. It has its own token cache (the SDK's default
// is one per process, shared by every client with the same app id), so an expired or revoked tenant token
// can be dropped and fetched again; its logger is our redacting pino logger; every request has a timeout.
import * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../platform/logger.ts';
import { sdkLogger } from './sdk-logger.ts';

export interface FeishuClient {
  sdk: lark.Client;
  /** Forgets the cached tenant token, so the next call fetches a new one (after 99991663 and friends). */
  dropToken(): void;
}

export interface FeishuClientOptions {
  appId: string;
  appSecret: string;
  /** https://open.feishu.cn, https://open.larksuite.com or the sandbox; no trailing slash. */
  domain: string;
  logger: Logger;
  /** Per request; the SDK sets none, and a hung call would hold a worker slot forever. */
  timeoutMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 15_000;

/** The SDK's axios instance (its interceptor unwraps response bodies) with a default timeout. */
function httpWithTimeout(timeoutMs: number): lark.HttpInstance {
  const http = lark.defaultHttpInstance;
  const t = <D>(o?: lark.HttpRequestOptions<D>): lark.HttpRequestOptions<D> => ({ timeout: timeoutMs, ...o });
  // axios' types describe the response object; the interceptor makes it the body, which the SDK expects as R.
  const body = <R>(p: Promise<unknown>) => p as Promise<R>;
  return {
    request: <T, R, D>(o: lark.HttpRequestOptions<D>) => body<R>(http.request<T, unknown, D>(t(o))),
    get: <T, R, D>(url: string, o?: lark.HttpRequestOptions<D>) => body<R>(http.get<T, unknown, D>(url, t(o))),
    delete: <T, R, D>(url: string, o?: lark.HttpRequestOptions<D>) => body<R>(http.delete<T, unknown, D>(url, t(o))),
    head: <T, R, D>(url: string, o?: lark.HttpRequestOptions<D>) => body<R>(http.head<T, unknown, D>(url, t(o))),
    options: <T, R, D>(url: string, o?: lark.HttpRequestOptions<D>) => body<R>(http.options<T, unknown, D>(url, t(o))),
    post: <T, R, D>(url: string, data?: D, o?: lark.HttpRequestOptions<D>) => body<R>(http.post<T, unknown, D>(url, data, t(o))),
    put: <T, R, D>(url: string, data?: D, o?: lark.HttpRequestOptions<D>) => body<R>(http.put<T, unknown, D>(url, data, t(o))),
    patch: <T, R, D>(url: string, data?: D, o?: lark.HttpRequestOptions<D>) => body<R>(http.patch<T, unknown, D>(url, data, t(o))),
  };
}

/** The SDK logs failed requests with their body (`config.data`): message content, names, phone numbers. */
function omitRequestBodies(v: unknown, depth = 0): unknown {
  if (depth > 3 || v === null || typeof v !== 'object') return v;
  // A raw AxiosError (client.request, token failures) also holds the socket: keep what helps.
  if ('isAxiosError' in v && v.isAxiosError === true) {
    const e = v as { message?: unknown; code?: unknown; config?: { method?: unknown; url?: unknown }; response?: { status?: unknown; data?: unknown } };
    return { message: e.message, code: e.code, method: e.config?.method, url: e.config?.url, status: e.response?.status, response: e.response?.data };
  }
  if (Array.isArray(v)) return v.map((x) => omitRequestBodies(x, depth + 1));
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k, k === 'config' && x !== null && typeof x === 'object' ? { ...x, data: '[omitted]' } : omitRequestBodies(x, depth + 1)]),
  );
}

function outboundSdkLogger(logger: Logger) {
  const base = sdkLogger(logger);
  const wrap = (f: (...msg: unknown[]) => void) => (...msg: unknown[]) => f(...msg.map((m) => omitRequestBodies(m)));
  return { error: wrap(base.error), warn: wrap(base.warn), info: wrap(base.info), debug: wrap(base.debug), trace: wrap(base.trace) };
}

export function createFeishuClient(opts: FeishuClientOptions): FeishuClient {
  const cache = new lark.DefaultCache();
  const sdk = new lark.Client({
    appId: opts.appId,
    appSecret: opts.appSecret,
    domain: opts.domain.replace(/\/+$/, ''),
    cache,
    httpInstance: httpWithTimeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    logger: outboundSdkLogger(opts.logger),
    loggerLevel: lark.LoggerLevel.warn,
  });
  // The cache holds only this client's tenant token.
  return { sdk, dropToken: () => cache.values.clear() };
}
