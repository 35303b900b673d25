// Feishu edge: ONE classifier of Feishu answers. (HTTP status, body code) → what the outbound worker does.
// Feishu answers some failures with HTTP 200 and a non-zero code: that is a failure too.

export type Classification =
  | { kind: 'retry'; waitMs?: number; reason: string }
  | { kind: 'rate_limited'; waitMs: number; reason: string }
  | { kind: 'token_expired'; reason: string }
  | { kind: 'permanent'; reason: string };

export interface FeishuAnswer {
  /** Undefined for a network error or timeout (no answer). */
  httpStatus?: number;
  code?: number;
  headers?: Record<string, string | undefined>;
  /** Feishu's msg: only read for 230099, whose msg carries the card error's own code. */
  msg?: string;
}

/**
 * A JSON 2.0 card is locked while one of its callbacks is being answered: updating it then fails with
 * 230099 and "ext=ErrCode: 11310; ErrMsg: card action is lock" (发送消息 doc, 230099 子错误码). The
 * same 11310 also means "element exceeds the limit" (> 200 elements), so the text decides.
 */
const CARD_LOCK = /card action is lock/i;
const SUB_CODE = /ErrCode:\s*(\d+)/;

/** The card error's own code inside a 230099 answer, when Feishu gives one. */
export function cardSubCode(msg: string | undefined): number | undefined {
  const m = msg ? SUB_CODE.exec(msg) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * The card lock: retried after a short wait. The sender reports it as code 11310 (the sub-code), so it
 * is recognised even where only the code is passed on; a bare 11310 without a msg is the lock.
 * UNCONFIRMED: whether Feishu ever answers 11310 as the top-level code.
 */
export function isCardLocked(code: number | undefined, msg: string | undefined): boolean {
  if (code === 230099) return cardSubCode(msg) === 11310 && CARD_LOCK.test(msg ?? '');
  if (code === 11310) return msg === undefined || msg === '' || CARD_LOCK.test(msg);
  return false;
}
/** Feishu answers the callback within 3 s, which ends the lock: wait a second, without using an attempt. */
const CARD_LOCK_WAIT_MS = 1_000;

/** App-level rate limits: wait x-ogw-ratelimit-reset seconds (Feishu's advice), default 1 s. */
const RATE_LIMITED = new Set([99991400, 11232, 11233, 11247, 1000004, 1000005, 190004, 190005, 190010, 232019]);
/** Per receiver / per message limits (5 QPS): a short delay, no need to stop the whole queue. */
const RECEIVER_LIMITED = new Set([230020]);
const TOKEN_INVALID = new Set([99991663, 99991661, 99991668, 99991677, 99991664]);
/** Transient platform trouble: 2200 internal error under load, 10013 token not issued, 230049 message being sent. */
const TRANSIENT = new Set([2200, 10013, 230049]);
/** Nothing will change on a retry: bad content, no permission, receiver gone, message not editable. */
const PERMANENT: Record<number, string> = {
  230001: 'invalid receiver id',
  230002: 'chat not found or bot not in chat',
  230006: 'bot ability not activated',
  230012: 'not a message sent by the bot',
  230013: 'receiver outside the app availability scope',
  230017: 'bot is not the chat owner',
  230018: 'message recalled',
  230023: 'receiver has too many unread urgent messages',
  230024: 'urgent quota exhausted',
  230025: 'content too long',
  230031: 'message too old to update',
  230043: 'invalid receiver id',
  230099: 'card content error',
  11310: 'card has more than 200 elements',
  99991672: 'app lacks the permission (scope)',
  99991401: 'request blocked by IP allow list',
  99992402: 'field validation failed',
  10014: 'app secret invalid',
  10003: 'app id invalid',
  300030: 'callback token expired',
  300040: 'callback token used up',
  // The same kind as any other 4xx, with a reason the organisers can act on (contract §2.1, §2.4).
  10015: 'app secret wrong',
  99991403: 'monthly API quota exhausted',
  230011: 'message recalled',
  230019: 'topic does not exist',
  230022: 'content refused as sensitive',
  230027: 'lacks the necessary permission',
  230028: 'content blocked by the data-loss-prevention audit',
  230029: 'user has resigned',
  230035: 'no permission to send (muted or blocked)',
  230038: 'cross-tenant one-to-one chat not allowed',
  230052: 'the group does not allow the bot to buzz',
  230053: 'user stopped the bot messages',
  230098: 'message folded',
  232009: 'chat dissolved',
};

function resetMs(headers?: Record<string, string | undefined>): number {
  const s = Number(headers?.['x-ogw-ratelimit-reset']);
  return Number.isFinite(s) && s > 0 ? Math.ceil(s * 1000) : 1_000;
}

export function classifyFeishuError(a: FeishuAnswer): Classification {
  const { httpStatus, code } = a;
  if (httpStatus === undefined) return { kind: 'retry', reason: 'no answer (network error or timeout)' };
  if (code !== undefined && RATE_LIMITED.has(code)) return { kind: 'rate_limited', waitMs: resetMs(a.headers), reason: `rate limited (${code})` };
  if (httpStatus === 429) return { kind: 'rate_limited', waitMs: resetMs(a.headers), reason: 'rate limited (HTTP 429)' };
  if (isCardLocked(code, a.msg)) return { kind: 'retry', waitMs: CARD_LOCK_WAIT_MS, reason: `card locked while a click is answered (${code})` };
  if (code !== undefined && RECEIVER_LIMITED.has(code)) return { kind: 'retry', waitMs: 1_000, reason: `receiver rate limit (${code})` };
  if (code !== undefined && TOKEN_INVALID.has(code)) return { kind: 'token_expired', reason: `tenant token invalid (${code})` };
  if (code !== undefined && PERMANENT[code]) return { kind: 'permanent', reason: `${PERMANENT[code]} (${code})` };
  if (httpStatus >= 500 || (code !== undefined && TRANSIENT.has(code))) return { kind: 'retry', reason: `server error (HTTP ${httpStatus}${code ? `, ${code}` : ''})` };
  // Other 4xx answers are requests Feishu refuses as made: retrying sends the same request again.
  if (httpStatus >= 400) return { kind: 'permanent', reason: `refused (HTTP ${httpStatus}${code ? `, ${code}` : ''})` };
  return { kind: 'retry', reason: `unexpected answer (HTTP ${httpStatus}, code ${code ?? 'none'})` };
}
