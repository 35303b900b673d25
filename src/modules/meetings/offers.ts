// Meetings: a meeting waiting for a time (PROPOSED: asked for by a leader on a warning, or on the 约谈
// list confirmed at close) is offered to every organiser as the scheduling card, prefilled.
import type { Tx } from '../../platform/prisma.ts';

/** Sends each organiser the scheduling card of this PROPOSED meeting (once per meeting and organiser). */
export async function offerToOrganisers(_tx: Tx, _meetingId: string, _at: { now: Date; by: string }): Promise<void> {
  // TODO(issue 10): scheduling card.
}
