// The one classifier of Feishu answers (src/feishu/outbound/errors.ts), branch by branch: what the
// outbound worker does with each (HTTP status, body code, headers) Feishu can answer.
import { describe, expect, it } from 'vitest';
import { classifyFeishuError, type Classification, type FeishuAnswer } from '../src/feishu/outbound/errors.ts';
import { Errors, rateLimited, type FeishuApiError } from '../src/sandbox/errors.ts';

type Case = [name: string, answer: FeishuAnswer, expected: Partial<Classification> & { kind: Classification['kind'] }];

const reset = (s: string) => ({ 'x-ogw-ratelimit-reset': s });

const cases: Case[] = [
  // App-level rate limits: wait (Feishu's x-ogw-ratelimit-reset, default 1 s), no attempt used.
  ['HTTP 429 with x-ogw-ratelimit-reset', { httpStatus: 429, code: 99991400, headers: reset('3') }, { kind: 'rate_limited', waitMs: 3_000 }],
  ['HTTP 429 with a fractional reset', { httpStatus: 429, code: 99991400, headers: reset('0.25') }, { kind: 'rate_limited', waitMs: 250 }],
  ['HTTP 429 without the reset header', { httpStatus: 429, code: 99991400 }, { kind: 'rate_limited', waitMs: 1_000 }],
  ['HTTP 429 with an unreadable reset header', { httpStatus: 429, headers: reset('soon') }, { kind: 'rate_limited', waitMs: 1_000 }],
  ['HTTP 429 with a zero reset header', { httpStatus: 429, headers: reset('0') }, { kind: 'rate_limited', waitMs: 1_000 }],
  ['HTTP 429 without a body code', { httpStatus: 429 }, { kind: 'rate_limited', waitMs: 1_000, reason: 'rate limited (HTTP 429)' }],
  ['99991400 on an old API (HTTP 400)', { httpStatus: 400, code: 99991400, headers: reset('2') }, { kind: 'rate_limited', waitMs: 2_000 }],
  ...[11232, 11233, 11247, 1000004, 1000005, 190004, 190005, 190010, 232019].map(
    (code): Case => [`app-level rate code ${code}`, { httpStatus: 400, code }, { kind: 'rate_limited', waitMs: 1_000, reason: `rate limited (${code})` }],
  ),
  ['a rate code answered with HTTP 200', { httpStatus: 200, code: 11232 }, { kind: 'rate_limited', waitMs: 1_000 }],
  // Per receiver: delay this one message (no attempt used), do not stop the queue.
  ['230020 receiver frequency limit', { httpStatus: 400, code: 230020 }, { kind: 'retry', waitMs: 1_000, reason: 'receiver rate limit (230020)' }],
  // Tenant token: refresh and send again.
  ...[99991663, 99991661, 99991668, 99991677, 99991664].map(
    (code): Case => [`token code ${code}`, { httpStatus: 400, code }, { kind: 'token_expired', reason: `tenant token invalid (${code})` }],
  ),
  ['token code with HTTP 401', { httpStatus: 401, code: 99991663 }, { kind: 'token_expired' }],
  // Permanent: nothing changes on a retry.
  ...(
    [
      [230001, 'invalid receiver id'],
      [230002, 'chat not found or bot not in chat'],
      [230006, 'bot ability not activated'],
      [230012, 'not a message sent by the bot'],
      [230013, 'receiver outside the app availability scope'],
      [230017, 'bot is not the chat owner'],
      [230018, 'message recalled'],
      [230023, 'receiver has too many unread urgent messages'],
      [230024, 'urgent quota exhausted'],
      [230025, 'content too long'],
      [230031, 'message too old to update'],
      [230043, 'invalid receiver id'],
      [230099, 'card content error'],
      [99991672, 'app lacks the permission (scope)'],
      [99991401, 'request blocked by IP allow list'],
      [99992402, 'field validation failed'],
      [10014, 'app secret invalid'],
      [10003, 'app id invalid'],
      [300030, 'callback token expired'],
      [300040, 'callback token used up'],
      [10015, 'app secret wrong'],
      [99991403, 'monthly API quota exhausted'],
      [230011, 'message recalled'],
      [230019, 'topic does not exist'],
      [230022, 'content refused as sensitive'],
      [230027, 'lacks the necessary permission'],
      [230028, 'content blocked by the data-loss-prevention audit'],
      [230029, 'user has resigned'],
      [230035, 'no permission to send (muted or blocked)'],
      [230038, 'cross-tenant one-to-one chat not allowed'],
      [230052, 'the group does not allow the bot to buzz'],
      [230053, 'user stopped the bot messages'],
      [230098, 'message folded'],
      [232009, 'chat dissolved'],
    ] as const
  ).map((c): Case => [`permanent code ${c[0]}`, { httpStatus: 400, code: c[0] }, { kind: 'permanent', reason: `${c[1]} (${c[0]})` }]),
  // The card lock (230099 / 11310 "card action is lock"): the card is being clicked; wait a moment, no attempt used.
  ['230099 card action is lock', { httpStatus: 400, code: 230099, msg: 'Failed to create card content, ext=ErrCode: 11310; ErrMsg: card action is lock; ' }, { kind: 'retry', waitMs: 1_000, reason: 'card locked while a click is answered (230099)' }],
  ['11310 as reported by the sender', { httpStatus: 400, code: 11310 }, { kind: 'retry', waitMs: 1_000, reason: 'card locked while a click is answered (11310)' }],
  ['11310 with the lock text', { httpStatus: 400, code: 11310, msg: 'card action is lock' }, { kind: 'retry', waitMs: 1_000 }],
  // The same sub-code for too many elements, and other card errors, stay permanent.
  ['230099 element exceeds the limit', { httpStatus: 400, code: 230099, msg: 'Failed to create card content, ext=ErrCode: 11310; ErrMsg: element exceeds the limit; ' }, { kind: 'permanent', reason: 'card content error (230099)' }],
  ['230099 bad card JSON', { httpStatus: 400, code: 230099, msg: 'Failed to create card content, ext=ErrCode: 200621; ErrMsg: parse card json err; ' }, { kind: 'permanent', reason: 'card content error (230099)' }],
  ['230099 without a msg', { httpStatus: 400, code: 230099 }, { kind: 'permanent', reason: 'card content error (230099)' }],
  ['11310 element exceeds the limit', { httpStatus: 400, code: 11310, msg: 'element exceeds the limit' }, { kind: 'permanent', reason: 'card has more than 200 elements (11310)' }],
  // HTTP 200 with a non-zero code is a failure too (batch_send and other legacy APIs).
  ['HTTP 200 with a permanent code', { httpStatus: 200, code: 10003 }, { kind: 'permanent', reason: 'app id invalid (10003)' }],
  ['HTTP 200 with 230020', { httpStatus: 200, code: 230020 }, { kind: 'retry', waitMs: 1_000 }],
  ['HTTP 200 with an unknown code', { httpStatus: 200, code: 11246 }, { kind: 'retry', reason: 'unexpected answer (HTTP 200, code 11246)' }],
  ['HTTP 200 without a code', { httpStatus: 200 }, { kind: 'retry', reason: 'unexpected answer (HTTP 200, code none)' }],
  // Server trouble: retry with backoff (an attempt is used).
  ['HTTP 500 without a code', { httpStatus: 500 }, { kind: 'retry', reason: 'server error (HTTP 500)' }],
  ['HTTP 500 with 2200', { httpStatus: 500, code: 2200 }, { kind: 'retry', reason: 'server error (HTTP 500, 2200)' }],
  ['HTTP 502 from a proxy', { httpStatus: 502 }, { kind: 'retry' }],
  ['HTTP 503', { httpStatus: 503, code: 1 }, { kind: 'retry' }],
  ['2200 under load with HTTP 400', { httpStatus: 400, code: 2200 }, { kind: 'retry', reason: 'server error (HTTP 400, 2200)' }],
  ['10013 tenant token not issued', { httpStatus: 400, code: 10013 }, { kind: 'retry', reason: 'server error (HTTP 400, 10013)' }],
  ['230049 message still being sent', { httpStatus: 400, code: 230049 }, { kind: 'retry', reason: 'server error (HTTP 400, 230049)' }],
  // No answer at all.
  ['no answer (network error or timeout)', {}, { kind: 'retry', reason: 'no answer (network error or timeout)' }],
  ['no answer, even with a stray code', { code: 230001 }, { kind: 'retry' }],
  // Other 4xx: refused as made, a retry sends the same request again.
  ['HTTP 400 with an unknown code', { httpStatus: 400, code: 230034 }, { kind: 'permanent', reason: 'refused (HTTP 400, 230034)' }],
  ['HTTP 404 resource not found', { httpStatus: 404, code: 99991201 }, { kind: 'permanent', reason: 'refused (HTTP 404, 99991201)' }],
  ['HTTP 403 without a code', { httpStatus: 403 }, { kind: 'permanent', reason: 'refused (HTTP 403)' }],
  ['HTTP 413', { httpStatus: 413 }, { kind: 'permanent' }],
  // Precedence: a known code decides before the HTTP status class.
  ['a permanent code answered with HTTP 500', { httpStatus: 500, code: 230001 }, { kind: 'permanent' }],
  ['a token code answered with HTTP 500', { httpStatus: 500, code: 99991663 }, { kind: 'token_expired' }],
];

describe('classifyFeishuError', () => {
  it.each(cases)('%s', (_name, answer, expected) => {
    const c = classifyFeishuError(answer);
    expect(c).toMatchObject(expected);
    expect(c.reason.length).toBeGreaterThan(0);
    // Only waits carry waitMs; a plain retry uses the job's backoff.
    if (c.kind === 'permanent' || c.kind === 'token_expired') expect(c).not.toHaveProperty('waitMs');
    if (expected.kind === 'retry' && expected.waitMs === undefined) expect(c).not.toHaveProperty('waitMs');
  });

  it('covers every kind', () => {
    const kinds = new Set(cases.map(([, a]) => classifyFeishuError(a).kind));
    expect([...kinds].sort()).toEqual(['permanent', 'rate_limited', 'retry', 'token_expired']);
  });
});

// The sandbox answers with Feishu's codes: each of its errors lands in the branch the real one would.
describe('the sandbox errors, classified', () => {
  const asAnswer = (e: FeishuApiError): FeishuAnswer => ({ httpStatus: e.httpStatus, code: e.code, headers: e.headers, msg: e.message });
  it.each([
    ['rateLimited', rateLimited(50, 2), 'rate_limited'],
    ['receiverRateLimit', Errors.receiverRateLimit(), 'retry'],
    ['invalidToken', Errors.invalidToken(), 'token_expired'],
    ['missingToken', Errors.missingToken(), 'token_expired'],
    ['internal', Errors.internal(), 'retry'],
    ['imInvalidParam', Errors.imInvalidParam(), 'permanent'],
    ['botNotInChat', Errors.botNotInChat(), 'permanent'],
    ['noAvailability', Errors.noAvailability(), 'permanent'],
    ['invalidReceiveId', Errors.invalidReceiveId(), 'permanent'],
    ['tooLong', Errors.tooLong(), 'permanent'],
    ['cardContent', Errors.cardContent(200621, 'parse card json err'), 'permanent'],
    ['cardLocked', Errors.cardLocked(), 'retry'],
    ['tooManyElements', Errors.cardContent(11310, 'element exceeds the limit'), 'permanent'],
    ['editWindowPassed', Errors.editWindowPassed(), 'permanent'],
    ['notSender', Errors.notSender(), 'permanent'],
    ['recalled', Errors.recalled(), 'permanent'],
    ['fieldValidation', Errors.fieldValidation(), 'permanent'],
    ['badTokenType', Errors.badTokenType(), 'permanent'],
    ['notFound', Errors.notFound(), 'permanent'],
    ['cardTokenExpired', Errors.cardTokenExpired(), 'permanent'],
  ] as const)('%s', (_name, err, kind) => {
    const c = classifyFeishuError(asAnswer(err));
    expect(c.kind).toBe(kind);
    if (c.kind === 'rate_limited') expect(c.waitMs).toBe(2_000);
  });
});
