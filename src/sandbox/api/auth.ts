// Sandbox: POST /open-apis/auth/v3/tenant_access_token/internal (contract §1). Token and expire are
// top-level fields, not under `data` — the SDK reads them there.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Errors } from '../errors.ts';
import { newTenantToken } from '../ids.ts';
import { parseOr, type ApiContext } from './context.ts';

const TokenBody = z.object({ app_id: z.string().min(1), app_secret: z.string().min(1) });

export function registerAuth(scope: FastifyInstance, ctx: ApiContext): void {
  scope.post('/auth/v3/tenant_access_token/internal', async (req, reply) => {
    const body = parseOr(TokenBody, req.body, Errors.invalidParam);
    const app = ctx.state.apps.get(body.app_id);
    if (!app) throw Errors.invalidParam('app_id not found');
    if (app.appSecret !== body.app_secret) throw Errors.appSecretInvalid();
    const { token, expire } = ctx.tokens.issue(app.appId, newTenantToken);
    return reply.send({ code: 0, msg: 'ok', tenant_access_token: token, expire });
  });
}
