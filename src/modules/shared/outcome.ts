// Domain: the one contract of a use case. A handler gets its typed command and a context holding the
// command's transaction, and returns an Outcome. Everything it writes — domain rows, outbound messages
// (addOutbound), follow-up jobs (addFollowUp) — goes through ctx.tx, so it all commits or none of it
// does; the runner (src/commands/run.ts) claims the delivery's idempotency key in that same transaction.
import type { Card } from '../../../cards/card.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Tx } from '../../platform/prisma.ts';
import type { Actor } from '../people/people.service.ts';

export type Toast = { type: 'info' | 'success' | 'warning' | 'error'; content: string };

/** What the person who acted is answered. */
export interface Outcome {
  /** Card actions: the toast. */
  toast?: Toast;
  /** Card actions: the card that replaces the one acted on (never PATCH it while answering: Feishu locks it). */
  card?: Card;
  /** Chat commands: reply cards, in order. */
  replies?: Card[];
  /** Chat commands: a file sent to the chat. */
  file?: { fileName: string; bytes: Buffer };
}

/** Where a command came from, for replies and idempotency keys. */
export interface Origin {
  openId: string;
  messageId: string;
  chatId?: string;
  /** The delivery's idempotency key: the same for Feishu's redeliveries and double clicks on one card render. */
  key: string;
}

export interface UseCaseContext {
  tx: Tx;
  clock: Clock;
  /** The clock read once at the start: one instant for the whole command. */
  now: Date;
  actor: Actor;
  origin: Origin;
}

export type UseCase<C> = (cmd: C, ctx: UseCaseContext) => Promise<Outcome>;

/** A module's handlers, one per command kind. */
export type HandlerTable<C extends { kind: string }> = { [K in C['kind']]: UseCase<Extract<C, { kind: K }>> };

export const toast = (type: Toast['type'], content: string): Outcome => ({ toast: { type, content } });
