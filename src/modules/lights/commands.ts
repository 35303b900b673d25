// Lights: the handlers behind 为什么 and the leaders' actions on a warning card (meetings are in meetings/).
import type { LightsCard, LightsMessage } from '../../commands/command.ts';
import type { HandlerTable } from '../shared/outcome.ts';
import { reply } from '../shared/results.ts';
import { acknowledgeWarning, assignFromWarning, instructOnWarning, openWarning } from './warning-actions.ts';
import { whyLight } from './why-light.ts';
import { replyToInstruction } from './instruction-replies.ts';

export const lightsMessages: HandlerTable<LightsMessage> = {
  'light.why': async (cmd, ctx) => reply(await whyLight(ctx.tx, cmd, ctx.now)),
};

export const lightsCards: HandlerTable<LightsCard> = {
  'warning.open': openWarning,
  'warning.ack': acknowledgeWarning,
  'warning.instruct': instructOnWarning,
  'warning.assign': assignFromWarning,
  'instruction.reply': replyToInstruction,
};
