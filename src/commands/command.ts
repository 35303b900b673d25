// Commands: what a chat message or a card action means, independent of Feishu's wire shapes.
import type { ProblemForm } from '../../cards/problem-form.ts';

export type MessageCommand =
  | { kind: 'help'; unknownText?: string }
  | { kind: 'whoami' }
  | { kind: 'problem.open' }
  /** Organisers: messages Feishu refused for good. */
  | { kind: 'outbound.failed' };

export type CardCommand =
  | { kind: 'problem.submit'; form: ProblemForm }
  /** The action was understood but its input is wrong: answer with this toast and change nothing. */
  | { kind: 'invalid'; message: string };

/** Where a command came from, for replies, de-duplication and idempotency keys. */
export interface Origin {
  openId: string;
  messageId: string;
  chatId?: string;
  /** Stable key of this delivery: the same for Feishu's redeliveries and double clicks. */
  key: string;
}

export type Toast = { type: 'info' | 'success' | 'warning' | 'error'; content: string };

export interface CardOutcome {
  toast: Toast;
  /** A replacement for the card that was acted on. */
  card?: unknown;
}
