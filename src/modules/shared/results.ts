// Domain: small helpers every module's use cases share — replies, roles, and lights to evaluate later.
import type { Card } from '../../../cards/card.ts';
import { addFollowUp } from '../../outbox/follow-ups.ts';
import type { Outcome, UseCaseContext } from './outcome.ts';

export const reply = (...cards: Card[]): Outcome => ({ replies: cards });
export { isOrganiser } from './roles.ts';

/** Figures changed: their lights are evaluated by a follow-up job after the commit. */
export async function evaluateLater(ctx: UseCaseContext, e: { periodId: string; indicatorIds?: string[]; unitIds?: string[] }, batch: string): Promise<void> {
  await addFollowUp(ctx.tx, { name: 'lights.evaluate.v1', payload: { ...e, batch }, jobId: `lights-${batch}` });
}
