// Feishu edge: the SDK's logger routed through our redacting pino logger. The SDK logs the app secret
// when a token request fails, so its arguments are scrubbed before they reach pino.
import type { Logger } from '../platform/logger.ts';

const SECRET_KEYS = /^(app_secret|appSecret|AppSecret|tenant_access_token|app_access_token|encrypt_key|encryptKey|authorization|Authorization)$/;

function scrub(v: unknown, depth = 0): unknown {
  if (depth > 4 || v === null || typeof v !== 'object') {
    return typeof v === 'string' ? v.replace(/("?(?:app_secret|AppSecret|appSecret)"?\s*[:=]\s*"?)[^",}\s]+/g, '$1[redacted]').replace(/Bearer [\w.-]+/g, 'Bearer [redacted]') : v;
  }
  if (Array.isArray(v)) return v.map((x) => scrub(x, depth + 1));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : scrub(x, depth + 1)]));
}

interface FailedRequest {
  method: string;
  path: string;
  status: number;
  code?: unknown;
  msg?: unknown;
  logId?: unknown;
}

/** The HTTP failure an SDK log line reports (an axios error somewhere in its nested arguments), if any. */
function failedRequest(v: unknown, depth = 0): FailedRequest | null {
  if (depth > 4 || v === null || typeof v !== 'object') return null;
  if (Array.isArray(v)) {
    for (const x of v) {
      const f = failedRequest(x, depth + 1);
      if (f) return f;
    }
    return null;
  }
  const o = v as { config?: { method?: unknown; url?: unknown }; response?: { status?: unknown; data?: { code?: unknown; msg?: unknown; error?: { log_id?: unknown } } } };
  if (typeof o.response?.status !== 'number' || typeof o.config?.url !== 'string') return null;
  const data = o.response.data;
  return {
    method: String(o.config.method ?? '').toUpperCase(),
    path: o.config.url.replace(/^https?:\/\/[^/]+/, '').split('?')[0]!,
    status: o.response.status,
    ...(data?.code !== undefined ? { code: data.code } : {}),
    ...(data?.msg !== undefined ? { msg: data.msg } : {}),
    ...(data?.error?.log_id !== undefined ? { logId: data.error.log_id } : {}),
  };
}

export function sdkLogger(logger: Logger) {
  const child = logger.child({ module: 'feishu-sdk' });
  const at = (level: 'error' | 'warn' | 'info' | 'debug' | 'trace') => (...msg: unknown[]) => {
    const failed = level === 'error' ? failedRequest(msg) : null;
    if (failed) {
      // The SDK also throws it to our caller, which retries or reports it: one short line here, not the
      // whole request; a rate limit waited out (429) is routine.
      child[failed.status === 429 ? 'debug' : 'warn']({ request: scrub(failed) }, '[feishu-sdk] request failed');
      return;
    }
    child[level]({ sdk: scrub(msg) }, '[feishu-sdk]');
  };
  return { error: at('error'), warn: at('warn'), info: at('debug'), debug: at('trace'), trace: at('trace') };
}
