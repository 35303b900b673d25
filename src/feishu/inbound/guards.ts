// Feishu edge: checks every push before any handler runs — JSON, signature, decryption (the SDK's
// AESCipher) and the verification token, which the SDK accepts but never compares.
import { createHash, timingSafeEqual } from 'node:crypto';
import * as lark from '@larksuiteoapi/node-sdk';

export type GuardResult =
  | { ok: true; body: Record<string, unknown>; payload: Record<string, unknown> }
  | { ok: false; status: number; reason: string };

export interface GuardConfig {
  encryptKey: string;
  verificationToken: string;
}

const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const header = (h: Record<string, string | string[] | undefined>, k: string) => {
  const v = h[k];
  return Array.isArray(v) ? v[0] : v;
};

export function checkPush(rawBody: string, headers: Record<string, string | string[] | undefined>, cfg: GuardConfig): GuardResult {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { ok: false, status: 400, reason: 'malformed_json' };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ok: false, status: 400, reason: 'not_an_object' };
  const obj = body as Record<string, unknown>;
  if (typeof obj.encrypt !== 'string') return { ok: false, status: 400, reason: 'not_encrypted' };

  const ts = header(headers, 'x-lark-request-timestamp');
  const nonce = header(headers, 'x-lark-request-nonce');
  const sig = header(headers, 'x-lark-signature');
  // Feishu's challenge request may come without signature headers; everything else must be signed.
  let signed = false;
  if (ts && nonce && sig) {
    // The SDK hashes JSON.stringify(parsed body); Feishu sends compact JSON, so both agree.
    const expected = createHash('sha256').update(ts + nonce + cfg.encryptKey).update(JSON.stringify(obj)).digest('hex');
    if (!safeEqual(expected, sig)) return { ok: false, status: 401, reason: 'bad_signature' };
    signed = true;
  }

  let payload: Record<string, unknown>;
  try {
    payload = JSON.parse(new lark.AESCipher(cfg.encryptKey).decrypt(obj.encrypt)) as Record<string, unknown>;
  } catch {
    return { ok: false, status: 400, reason: 'undecryptable' };
  }
  const isChallenge = payload.type === 'url_verification';
  if (!signed && !isChallenge) return { ok: false, status: 401, reason: 'missing_signature' };

  const h = payload.header as Record<string, unknown> | undefined;
  const token = typeof h?.token === 'string' ? h.token : typeof payload.token === 'string' ? payload.token : '';
  if (!safeEqual(token, cfg.verificationToken)) return { ok: false, status: 401, reason: 'bad_verification_token' };
  return { ok: true, body: obj, payload };
}
