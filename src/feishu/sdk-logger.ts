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

export function sdkLogger(logger: Logger) {
  const child = logger.child({ module: 'feishu-sdk' });
  const at = (level: 'error' | 'warn' | 'info' | 'debug' | 'trace') => (...msg: unknown[]) => {
    child[level]({ sdk: scrub(msg) }, '[feishu-sdk]');
  };
  return { error: at('error'), warn: at('warn'), info: at('debug'), debug: at('trace'), trace: at('trace') };
}
