// Platform: per-receiver pacing in Redis. Feishu allows 5 messages a second to one user or chat (and 5
// PATCHes a second to one card), counted in a sliding second, and answers 230020 beyond that. BullMQ's
// limiter is per queue, so the outbound job asks here first: "go" or "your turn is in N ms".
//
// Two sorted sets per receiver, scored in ms of Redis's clock: `sent` (calls of the last window) and
// `plan` (turns given to deferred jobs, by job). A call goes ahead only while the last window holds
// fewer than the limit. A deferred job gets the earliest turn at which calls and earlier turns together
// stay within the limit in every window, so a burst to one chat comes back spread out instead of waking
// all at once (each wake-up takes a slot of the queue's limiter). Newcomers wait behind turns already
// given; a job woken late (a busy queue) goes if the window allows, else it gets a new turn.
//
// Not used for the app-wide rate: a second limiter at the same rate as BullMQ's would defer the jobs
// BullMQ just admitted, and their turns would come while BullMQ's window is spent (see src/worker.ts).
import type { Redis } from './redis.ts';

export interface Turn {
  /** 0: go now (the call is counted); otherwise how many ms to wait (the turn is kept for the job). */
  waitMs: number;
  /** The counted call, to hand back with release() when the job does not call after all. */
  slot?: string;
}

export interface Pace {
  take(key: string, member: string): Promise<Turn>;
  release(key: string, slot: string): Promise<void>;
  /** Re-dates a counted call to now, once Feishu has answered it (see SETTLE). */
  settle(key: string, slot: string): Promise<void>;
}

/** A job woken up to this much before its turn counts as on time (delayed jobs are not exact). */
const SLACK_MS = 100;

// KEYS sent, plan; ARGV limit, windowMs, member (the job), slackMs. Returns { waitMs, slot }.
const TAKE = `
local sent, plan = KEYS[1], KEYS[2]
local limit, window, member, slack = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', sent, '-inf', now - window)
redis.call('ZREMRANGEBYSCORE', plan, '-inf', now - window)
local function go()
  local slot = member .. '@' .. now
  redis.call('ZADD', sent, now, slot)
  redis.call('PEXPIRE', sent, window)
  return { 0, slot }
end
local recent = redis.call('ZCARD', sent)
local mine = redis.call('ZSCORE', plan, member)
if mine then
  mine = tonumber(mine)
  if mine > now + slack then return { mine - now, '' } end
  redis.call('ZREM', plan, member)
  if recent < limit then return go() end
end
local queued = redis.call('ZCARD', plan)
if recent + queued < limit then return go() end
local times = {}
for _, key in ipairs({ sent, plan }) do
  local flat = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  for i = 2, #flat, 2 do times[#times + 1] = tonumber(flat[i]) end
end
table.sort(times)
local n = #times
local at = math.max(now, times[n - limit + 1] + window, times[n])
redis.call('ZADD', plan, at, member)
redis.call('PEXPIRE', plan, at - now + window)
return { at - now, '' }
`;

// A call is counted when its turn is given, but Feishu counts it when it arrives, which under load can be
// a few hundred ms later; a fast call after a slow one then lands inside Feishu's second. Re-dating the
// slot to when the answer came back bounds the arrival from above, so the window holds whatever the latency.
// KEYS sent; ARGV slot, windowMs.
const SETTLE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if redis.call('ZADD', KEYS[1], 'XX', now, ARGV[1]) then redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2])) end
return 1
`;

export function createPace(redis: Redis, opts: { prefix: string; limit: number; windowMs: number }): Pace {
  const keys = (key: string) => [`${opts.prefix}:${key}:sent`, `${opts.prefix}:${key}:plan`] as const;
  return {
    async take(key, member) {
      const [sent, plan] = keys(key);
      const res = await redis.eval(TAKE, 2, sent, plan, opts.limit, opts.windowMs, member, SLACK_MS);
      const [wait, slot] = Array.isArray(res) ? res : [];
      const waitMs = Math.max(0, Number(wait ?? 0));
      return waitMs === 0 && typeof slot === 'string' && slot ? { waitMs, slot } : { waitMs };
    },
    async release(key, slot) {
      await redis.zrem(keys(key)[0], slot);
    },
    async settle(key, slot) {
      await redis.eval(SETTLE, 1, keys(key)[0], slot, opts.windowMs);
    },
  };
}

/** Feishu's receiver window is one second; ours a little longer, as our clock and Feishu's are not one. */
export const RECEIVER_WINDOW_MS = 1_100;

/** Feishu's 5 per second to one user, chat or card. */
export function receiverPace(redis: Redis, opts: { prefix: string; perSecond: number }): Pace {
  return createPace(redis, { prefix: `${opts.prefix}:pace`, limit: opts.perSecond, windowMs: RECEIVER_WINDOW_MS });
}
