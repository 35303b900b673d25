// Composition root of the API process: HTTP server with health and metrics, the Feishu intake
// (webhook or long connection), and — without Feishu credentials — the local Feishu sandbox.
import type { FastifyInstance } from 'fastify';
import type { AppContext } from './context.ts';
import { buildServer } from './http/server.ts';
import { databaseCheck, queuesCheck, redisCheck, type Check } from './platform/health.ts';
import { feishuSettings, type FeishuSettings } from './feishu/settings.ts';
import { createEventDispatcher, registerWebhook, startWsClient } from './feishu/inbound/intake.ts';
import { enqueueOutbound } from './outbox/outbox.enqueue.ts';
import { enqueueFollowUps } from './outbox/follow-ups.enqueue.ts';
import { createSandbox, type Sandbox } from './sandbox/sandbox.ts';
import { registerSandboxUi } from './sandbox/ui/ui.ts';
import { sandboxDirectory } from './sandbox-directory.ts';
import { registerAdminQueues } from './http/admin-queues.ts';

export interface RunningApi {
  app: FastifyInstance;
  url: string;
  feishu: FeishuSettings;
  sandbox?: Sandbox;
}

/** Feishu's reachability is reported in /healthz without failing it: the bot keeps its webhook up meanwhile. */
const feishuCheck = (domain: string): Check => async () => {
  const res = await fetch(`${domain}/open-apis/auth/v3/tenant_access_token/internal`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
  return { httpStatus: res.status };
};

export async function startApi(ctx: AppContext, opts: { port?: number; host?: string } = {}): Promise<RunningApi> {
  const port = opts.port ?? ctx.env.PORT;
  // The sandbox shares our port; with port 0 its domain is known only after listen().
  const feishu = feishuSettings(ctx.env, `http://127.0.0.1:${port}`);
  const app = buildServer({
    logger: ctx.logger,
    metrics: ctx.metrics,
    required: {
      database: databaseCheck(ctx.prisma),
      redis: redisCheck(ctx.redis),
      queues: queuesCheck(ctx.queues),
    },
    informational: { feishu: () => feishuCheck(feishu.domain)() },
  });

  let sandbox: Sandbox | undefined;
  if (feishu.mode === 'sandbox') {
    sandbox = createSandbox({ apps: [{ ...feishu, botName: '经济运行调度助手' }], clock: ctx.clock, logger: ctx.logger.child({ module: 'sandbox' }) });
    sandbox.register(app);
    registerSandboxUi(app);
  }

  const dispatcher = createEventDispatcher(
    {
      prisma: ctx.prisma,
      clock: ctx.clock,
      logger: ctx.logger,
      appId: feishu.appId,
      answerWithinMs: ctx.env.CARD_ANSWER_MS,
      afterCommit: async (w) => {
        await enqueueOutbound(ctx.queues, w.outbound);
        await enqueueFollowUps(ctx.prisma, ctx.queues, w.followUps, ctx.clock.now());
      },
    },
    feishu,
  );
  if (feishu.transport === 'webhook') registerWebhook(app, dispatcher, feishu, ctx.logger);
  await registerAdminQueues(app, ctx.queues, ctx.env.ADMIN_TOKEN);

  const address = await app.listen({ port, host: opts.host ?? ctx.env.HOST });
  ctx.shutdown.add('http', () => app.close());
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  if (sandbox) {
    feishu.domain = url;
    sandbox.setPushUrl(`${url}/feishu/events`);
    sandbox.upsertUsers(await sandboxDirectory(ctx.prisma));
    ctx.shutdown.add('sandbox', () => sandbox.close());
    ctx.logger.info({ url }, '[api] Feishu sandbox with the city directory: open it in a browser');
  }
  if (feishu.transport === 'ws') {
    const ws = startWsClient({ ...feishu, logger: ctx.logger }, dispatcher);
    ctx.shutdown.add('feishu-ws', () => ws.close());
  }
  ctx.logger.info({ address, feishu: feishu.mode, transport: feishu.transport }, '[api] listening');
  return { app, url, feishu, sandbox };
}
