// Meetings: a meeting waiting for a time (PROPOSED: asked for by a leader on a warning, or on the 约谈
// list confirmed at close) is offered to every organiser as the scheduling card, prefilled.
import type { Tx } from '../../platform/prisma.ts';
import { offerMeeting } from './scheduling.ts';

/** Sends each organiser the scheduling card of this PROPOSED meeting (once per meeting and organiser). */
export async function offerToOrganisers(tx: Tx, meetingId: string, _at: { now: Date; by: string }): Promise<void> {
  await offerMeeting(tx, meetingId);
}
