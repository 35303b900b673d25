// Feishu edge: checks every push before any handler runs — signature over the raw bytes (before any
// parsing), JSON, decryption (the SDK's AESCipher) and the verification token, which the SDK accepts
// but never compares. A stranger's body costs one hash, never a parse.
import { createHash, timingSafeEqual } from 'node:crypto';
import * as lark from '@larksuiteoapi/node-sdk';

export type GuardResult =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; status: number; reason: string };

export interface GuardConfig {
  encryptKey: string;
  verificationToken: string;
}

/**
 * Largest unsigned body we parse at all. Only Feishu's url_verification may come unsigned
 * (contract §4.1, UNCONFIRMED whether it is signed): `{"encrypt":"…"}` of a challenge, a few hundred bytes.
 */
export const UNSIGNED_MAX_BYTES = 2 * 1024;

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const header = (h: Record<string, string | string[] | undefined>, k: string) => {
  const v = h[k];
  return Array.isArray(v) ? v[0] : v;
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON.parse that never throws (bad syntax, absurd nesting): undefined instead. */
function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function checkPush(rawBody: string, headers: Record<string, string | string[] | undefined>, cfg: GuardConfig): GuardResult {
  const ts = header(headers, 'x-lark-request-timestamp');
  const nonce = header(headers, 'x-lark-request-nonce');
  const sig = header(headers, 'x-lark-signature');
  const signed = Boolean(ts && nonce && sig);
  if (signed) {
    // Feishu signs the bytes it sends (receive-and-handle-callbacks doc): hash them as received.
    const expected = createHash('sha256').update(ts! + nonce! + cfg.encryptKey).update(rawBody).digest('hex');
    if (!safeEqual(expected, sig!)) return { ok: false, status: 401, reason: 'bad_signature' };
  } else if (Buffer.byteLength(rawBody) > UNSIGNED_MAX_BYTES) {
    return { ok: false, status: 401, reason: 'missing_signature' };
  }

  const body = parseObject(rawBody);
  if (!body) return { ok: false, status: 400, reason: 'malformed_json' };
  if (typeof body.encrypt !== 'string') return { ok: false, status: 400, reason: 'not_encrypted' };

  let payload: Record<string, unknown> | undefined;
  try {
    payload = parseObject(new lark.AESCipher(cfg.encryptKey).decrypt(body.encrypt));
  } catch {
    payload = undefined;
  }
  if (!payload) return { ok: false, status: 400, reason: 'undecryptable' };
  if (!signed && payload.type !== 'url_verification') return { ok: false, status: 401, reason: 'missing_signature' };

  const h = payload.header as Record<string, unknown> | undefined;
  const token = typeof h?.token === 'string' ? h.token : typeof payload.token === 'string' ? payload.token : '';
  if (!safeEqual(token, cfg.verificationToken)) return { ok: false, status: 401, reason: 'bad_verification_token' };
  return { ok: true, payload };
}
