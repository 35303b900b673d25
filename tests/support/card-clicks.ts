// Card clicks through the use-case contract without Feishu: the raw value and form are parsed at the edge
// (parseCardAction) and run by dispatchCardAction in one transaction; what the transaction wrote for
// delivery is kept, so a test can read the rows a click produced.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../src/platform/prisma.ts';
import type { Clock } from '../../src/platform/clock.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { parseCardAction, CARD_EXPIRED } from '../../src/commands/parse.ts';
import { dispatchCardAction } from '../../src/commands/dispatch.ts';
import type { RunDeps } from '../../src/commands/run.ts';
import type { Outcome } from '../../src/modules/shared/outcome.ts';

export interface Clicked extends Outcome {
  /** Outbox rows the click's transaction wrote (none for a replay). */
  outbound: string[];
  replayed: boolean;
}

export function cardClicks(prisma: PrismaClient, clock: Clock) {
  let last: string[] = [];
  const deps: RunDeps = { prisma, clock, logger: createLogger({ level: 'silent' }), afterCommit: async (w) => void (last = [...w.outbound]) };
  return {
    /** One delivery of a click; the same `key` is Feishu redelivering it (or a double click on one rendering). */
    async click(openId: string, value: Record<string, unknown>, opts: { formValue?: Record<string, unknown>; key?: string; messageId?: string } = {}): Promise<Clicked> {
      const cmd = parseCardAction({ value, ...(opts.formValue ? { formValue: opts.formValue } : {}) });
      // As the webhook answers an action that is not ours.
      if (!cmd) return { toast: { type: 'warning', content: CARD_EXPIRED }, outbound: [], replayed: false };
      const key = opts.key ?? `test-${randomUUID()}`;
      last = [];
      const ran = await dispatchCardAction(deps, { openId, messageId: opts.messageId ?? `om_${key}`, key }, cmd);
      return { ...ran.outcome, outbound: ran.replayed ? [] : last, replayed: ran.replayed };
    },
  };
}
