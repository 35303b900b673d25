// Lights: the use cases behind 为什么 and the leaders' actions on a warning card.
import type { Prisma } from '../../generated/prisma/client.ts';
import { addOutbound } from '../../outbox/outbox.service.ts';
import type { LightsCard, LightsMessage } from '../../commands/command.ts';
import type { HandlerTable } from '../shared/outcome.ts';
import { svc } from '../shared/legacy-tx.ts';
import { fromAnswer, reply } from '../shared/results.ts';
import { decideMeeting, warningAction, whyLight } from './warnings.service.ts';

export const lightsMessages: HandlerTable<LightsMessage> = {
  'light.why': async (cmd, ctx) => reply(await whyLight(ctx.tx, cmd.indicator, cmd.unit)),
};

export const lightsCards: HandlerTable<LightsCard> = {
  'warning.action': async (cmd, ctx) => {
    const a = await warningAction(svc(ctx), ctx.actor, { kind: cmd.action, warningId: cmd.warningId, ...(cmd.formValue ? { formValue: cmd.formValue } : {}), key: ctx.origin.key });
    if (!cmd.fromDigest || !a.card) return fromAnswer(ctx, a);
    // A digest lists several lights: it stays; 查看 brings the detail as a message of its own.
    if (cmd.action === 'open') {
      await addOutbound(ctx.tx, { kind: 'SEND', dedupeKey: `detail-${ctx.origin.key}`, receiveIdType: 'open_id', receiveId: ctx.origin.openId, msgType: 'interactive', content: a.card as unknown as Prisma.InputJsonValue });
    }
    const { card: _card, ...rest } = a;
    return fromAnswer(ctx, rest);
  },
  'meeting.decide': async (cmd, ctx) => fromAnswer(ctx, await decideMeeting(svc(ctx), ctx.actor, cmd.meetingId, cmd.confirm)),
};
