// Jobs: meeting-sync — the Feishu calendar event and the group chat of a meeting follow its row
// (src/modules/meetings/meeting-sync.ts). A failure throws: BullMQ retries and the sync continues where
// it stopped. The chat messages it wrote are delivered through the outbox.
import { UnrecoverableError } from 'bullmq';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import { FeishuCallError } from '../src/feishu/outbound/sender.ts';
import { classifyFeishuError } from '../src/feishu/outbound/errors.ts';
import { syncMeeting, type SyncResult } from '../src/modules/meetings/meeting-sync.ts';
import { feishuMeetingPort } from '../src/feishu/calendar.ts';
import type { JobHandlers, JobPayload } from './catalog.ts';
import type { MeetingJobDeps } from './meetings.job.ts';

/** Feishu's rate limits (50/s per API) answer within a second: wait in the job rather than use an attempt. */
const RATE_LIMITED_TRIES = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function meetingSyncHandlers(deps: MeetingJobDeps): JobHandlers {
  // One port per worker: the primary calendar id is asked once.
  const port = feishuMeetingPort(deps.feishu);

  async function run(p: JobPayload<'meeting.sync.v1'>): Promise<SyncResult> {
    for (let tries = 1; ; tries++) {
      try {
        return await syncMeeting({ prisma: deps.prisma }, port, p);
      } catch (err) {
        if (!(err instanceof FeishuCallError)) throw err;
        const c = classifyFeishuError(err);
        // The sync is idempotent: running it again after the wait continues where it stopped.
        if (c.kind === 'rate_limited' && tries < RATE_LIMITED_TRIES) {
          await sleep(c.waitMs);
          continue;
        }
        deps.logger.warn({ meetingId: p.meetingId, version: p.version, code: err.code, logId: err.logId, kind: c.kind, reason: c.reason }, '[meetings] calendar sync failed');
        if (c.kind === 'token_expired') deps.feishu.dropToken();
        // A refusal repeats on every attempt: stop (the log says why); everything else is retried.
        if (c.kind === 'permanent') throw new UnrecoverableError(`${err.message} (${c.reason})`);
        throw err;
      }
    }
  }

  return {
    'meeting.sync.v1': async (p) => {
      const r = await run(p);
      if ('outbound' in r) {
        await enqueueOutbound(deps.queues, r.outbound);
        deps.logger.info({ meetingId: p.meetingId, version: p.version, done: r.done, added: r.added, removed: r.removed, posted: r.outbound.length }, '[meetings] calendar synced');
      }
      return { done: r.done };
    },
  };
}
