// Sandbox: POST /open-apis/interactive/v1/card/update — the delayed card update with the callback
// token (valid 30 min of business time, 2 uses; contract §3.2, card-components §6).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { checkCard, checkRequestSize, downgradeError, isDowngrade, parseJsonObject } from '../cards.ts';
import { Errors, FeishuApiError } from '../errors.ts';
import { feishuRoute, parseOr, requestBodyBytes, type ApiContext } from './context.ts';

const Body = z.object({ token: z.string().min(1), card: z.record(z.string(), z.unknown()) });

export function registerCardUpdate(scope: FastifyInstance, ctx: ApiContext): void {
  const { state } = ctx;
  scope.post(
    '/interactive/v1/card/update',
    feishuRoute(
      ctx,
      'interactive.card.update',
      async (req, caller) => {
        const body = parseOr(Body, req.body);
        const t = state.cardTokens.get(body.token);
        if (!t || t.appId !== caller.appId) throw Errors.cardTokenInvalid();
        if (state.now() >= t.expiresAt) throw Errors.cardTokenExpired();
        if (t.usesLeft <= 0) throw Errors.cardTokenUsedUp();
        const msg = state.messages.get(t.messageId);
        if (!msg || msg.deleted) throw new FeishuApiError(400, 200000, 'message is recalled');
        const content = JSON.stringify(body.card);
        checkRequestSize(requestBodyBytes(req));
        const card = checkCard(body.card);
        if (isDowngrade(parseJsonObject(msg.content), card)) throw downgradeError();
        t.usesLeft--;
        state.updateMessageContent(msg, content);
        ctx.stats.cardUpdates++;
        return undefined;
      },
      { okMsg: 'ok' },
    ),
  );
}
