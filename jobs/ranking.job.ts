// Jobs: the month's ranking ('ranking.compute.v1'). At close: rank, propose the seats and the draft 约谈 list,
// send the organisers the seats card. After a revision of a closed period's figures: rank again (the ranking
// and the entries it moved are marked). Idempotent: a re-run ranks the same figures the same way and writes
// nothing; the proposals and the cards are written once per period (their own keys).
import type { JobHandlers } from './catalog.ts';
import type { MeetingJobDeps } from './meetings.job.ts';
import { collectWritten } from '../src/outbox/written.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import { computeRankings, isCloseBatch, rankLater } from '../src/modules/meetings/ranking.ts';
import { enqueueFollowUps } from '../src/outbox/follow-ups.enqueue.ts';
import { proposeSeats, sendSeatsCard } from '../src/modules/meetings/seats.ts';
import { reportLater } from '../src/modules/report/report.service.ts';

export async function runRanking(deps: Pick<MeetingJobDeps, 'prisma' | 'clock' | 'logger' | 'queues'>, p: { periodId: string; batch: string }) {
  const now = deps.clock.now();
  const atClose = isCloseBatch(p.batch);
  const ranked = await computeRankings(deps.prisma, p.periodId, { now, atClose });
  if (!atClose) {
    if (ranked.revised) deps.logger.info({ period: p.periodId, batch: p.batch }, '[ranking] re-ranked after a revision');
    return { ...ranked, proposals: 0, cards: 0 };
  }
  const { result, written } = await collectWritten(() =>
    deps.prisma.$transaction(
      async (tx) => {
        const proposed = await proposeSeats(tx, p.periodId, now);
        // The card goes out with the proposals, once: a re-run finds the proposals and sends nothing more.
        const cards = proposed.created ? await sendSeatsCard(tx, p.periodId, proposed.omitted) : 0;
        // The 专报 is drafted from the ranking and the seats: after them.
        await reportLater(tx, p.periodId, p.batch);
        return { proposals: proposed.created, cards };
      },
      { timeout: 60_000 },
    ),
  );
  await enqueueOutbound(deps.queues, written.outbound);
  await enqueueFollowUps(deps.prisma, deps.queues, written.followUps, now);
  deps.logger.info({ period: p.periodId, ...result }, '[ranking] ranked at close, seats proposed');
  return { ...ranked, ...result };
}

/** From a job (official figures imported): a closed month's figures changed, rank it again. */
export async function rankAgain(deps: Pick<MeetingJobDeps, 'prisma' | 'clock' | 'queues'>, periodId: string, key: string): Promise<void> {
  const id = await rankLater(deps.prisma, periodId, { key, atClose: false });
  if (id) await enqueueFollowUps(deps.prisma, deps.queues, [id], deps.clock.now());
}

export function rankingHandlers(deps: MeetingJobDeps): JobHandlers {
  return { 'ranking.compute.v1': (p) => runRanking(deps, p) };
}
