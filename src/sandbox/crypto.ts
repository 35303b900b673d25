// Sandbox: Feishu's push encryption (contract §4.2) and request signature (§4.3).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

function keyOf(encryptKey: string): Buffer {
  return createHash('sha256').update(encryptKey, 'utf8').digest();
}

/** AES-256-CBC, PKCS7, key = sha256(encryptKey), output base64(iv ‖ ciphertext). */
export function encryptPayload(encryptKey: string, plaintext: string, iv: Buffer = randomBytes(16)): string {
  const cipher = createCipheriv('aes-256-cbc', keyOf(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

export function decryptPayload(encryptKey: string, encrypted: string): string {
  const buf = Buffer.from(encrypted, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', keyOf(encryptKey), buf.subarray(0, 16));
  return Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]).toString('utf8');
}

/** X-Lark-Signature = sha256hex(timestamp + nonce + encryptKey + rawBody). */
export function signBody(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey).update(rawBody).digest('hex');
}

export interface SignedPush {
  body: string;
  headers: Record<string, string>;
}

/**
 * Encrypts a JSON payload and signs it exactly like Feishu: compact `{"encrypt":"…"}` body, signature
 * over those bytes (the bot verifies the raw body, so any formatting would do; Feishu's is compact).
 */
export function sealPush(encryptKey: string, payload: unknown, timestampSeconds: number): SignedPush {
  const body = JSON.stringify({ encrypt: encryptPayload(encryptKey, JSON.stringify(payload)) });
  const timestamp = String(timestampSeconds);
  const nonce = randomBytes(8).toString('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': signBody(timestamp, nonce, encryptKey, body),
    },
  };
}
