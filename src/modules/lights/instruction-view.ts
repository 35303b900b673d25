// Lights: what a 批示 card shows a unit — the leader's words, the warning's reasons and the unit's own
// answers so far (收到 / 反馈措施) — built from the rows, for the first send and for every update.
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import { beijingDateTime } from '../../platform/business-time.ts';
import { instructionCard, type InstructionReplyView } from '../../../cards/warning.ts';
import type { Card } from '../../../cards/card.ts';
import { periodLabel } from '../collection/schedule.ts';

type Db = PrismaClient | Tx;

/** An answer as the cards show it. */
export function replyView(r: { kind: 'RECEIVED' | 'MEASURES'; text: string | null; at: Date; unit: { name: string; shortName: string | null }; author: { name: string } }): InstructionReplyView {
  return { unitName: r.unit.shortName ?? r.unit.name, by: r.author.name, at: beijingDateTime(r.at), kind: r.kind, ...(r.text ? { text: r.text } : {}) };
}

export const loadInstruction = (db: Db, instructionId: string) =>
  db.instruction.findUnique({
    where: { id: instructionId },
    include: {
      author: true,
      warning: { include: { indicator: true, unit: true, period: { include: { cycle: true } } } },
      replies: { include: { unit: true, author: true }, orderBy: { at: 'asc' } },
    },
  });
export type LoadedInstruction = NonNullable<Awaited<ReturnType<typeof loadInstruction>>>;

/** The 批示 card for one unit it went to, with that unit's answers; `mayReply: false` shows no buttons. */
export function instructionCardFor(ins: LoadedInstruction, unit: { id: string; name: string }, opts: { mayReply?: boolean } = {}): Card {
  const w = ins.warning;
  return instructionCard({
    leaderName: ins.author.name,
    indicatorName: w.indicator.name,
    unitName: unit.name,
    periodLabel: periodLabel(w.period.cycle.frequency, w.period.periodKey),
    text: ins.text,
    at: beijingDateTime(ins.at),
    reasons: (w.reasons as string[]).join('；'),
    instructionId: ins.id,
    unitId: unit.id,
    replies: ins.replies.filter((r) => r.unitId === unit.id).map(replyView),
    ...(opts.mayReply === false ? { mayReply: false } : {}),
  });
}
