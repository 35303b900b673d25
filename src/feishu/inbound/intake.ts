// Feishu edge: intake of events and card callbacks through the SDK's EventDispatcher, by webhook
// (POST /feishu/events, one URL for both) or by long connection (WSClient), chosen by FEISHU_TRANSPORT.
import * as lark from '@larksuiteoapi/node-sdk';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../platform/logger.ts';
import { sdkLogger } from '../sdk-logger.ts';
import { checkPush, type GuardConfig } from './guards.ts';
import { onCardAction, onMessage, type HandlerDeps } from './handlers.ts';

export const HANDLED_EVENTS = ['im.message.receive_v1', 'card.action.trigger'] as const;

export function createEventDispatcher(deps: HandlerDeps, cfg: GuardConfig): lark.EventDispatcher {
  return new lark.EventDispatcher({
    encryptKey: cfg.encryptKey,
    verificationToken: cfg.verificationToken,
    logger: sdkLogger(deps.logger),
    loggerLevel: lark.LoggerLevel.warn,
  }).register<{
    'im.message.receive_v1': (data: unknown) => Promise<void>;
    'card.action.trigger': (data: unknown) => Promise<unknown>;
  }>({
    'im.message.receive_v1': (data) => onMessage(deps, data),
    'card.action.trigger': (data) => onCardAction(deps, data),
  });
}

/**
 * Largest push we read. Card callbacks carry the form's values: a collection form has up to ~40
 * inputs of ≤ 1000 characters (3 bytes each in UTF-8) ≈ 120 KB, and AES + base64 grow it by 4/3
 * ≈ 160 KB. 256 KiB leaves margin; anything larger is not Feishu (413 before it is read whole).
 */
export const PUSH_BODY_LIMIT = 256 * 1024;

/** POST /feishu/events: our checks first (a refused push runs no handler), then the SDK's dispatcher. */
export function registerWebhook(app: FastifyInstance, dispatcher: lark.EventDispatcher, cfg: GuardConfig, logger: Logger): void {
  const log = logger.child({ module: 'inbound' });
  app.register(async (scope) => {
    // Keep the body as text, whatever the content type: the signature is computed over it, and
    // fastify must never parse a stranger's JSON.
    const asText = (_req: unknown, body: string, done: (err: null, body: string) => void) => done(null, body);
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: PUSH_BODY_LIMIT }, asText);

    scope.setErrorHandler((err: { statusCode?: number; code?: string }, req, reply) => {
      const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
      if (status === 500) {
        log.error({ err, ip: req.ip }, '[inbound] push failed');
        return reply.code(500).send({ code: 500, msg: 'internal error' });
      }
      const reason = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'body_too_large' : (err.code ?? 'bad_request');
      log.warn({ reason, ip: req.ip }, '[inbound] push refused');
      return reply.code(status).send({ code: status, msg: reason });
    });

    scope.post('/feishu/events', async (req, reply) => {
      const raw = typeof req.body === 'string' ? req.body : '';
      const guard = checkPush(raw, req.headers, cfg);
      if (!guard.ok) {
        log.warn({ reason: guard.reason, ip: req.ip }, '[inbound] push refused');
        return reply.code(guard.status).send({ code: guard.status, msg: guard.reason });
      }
      const { payload } = guard;
      if (payload.type === 'url_verification') return reply.send({ challenge: payload.challenge });
      const eventType = (payload.header as { event_type?: string } | undefined)?.event_type;
      if (!eventType || !(HANDLED_EVENTS as readonly string[]).includes(eventType)) {
        log.info({ eventType: eventType ?? null }, '[inbound] event type not handled; ignored');
        return reply.send({});
      }
      // Verified and decrypted above: the SDK's own check would hash JSON.stringify(body) instead of
      // the raw bytes (refusing a signed body that is not compact JSON), so it is skipped.
      const result: unknown = await dispatcher.invoke(Object.assign(Object.create({ headers: req.headers }), payload), { needCheck: false });
      return reply.type('application/json').send(result ?? {});
    });
  });
}

/** Long-connection mode: Feishu pushes over a WebSocket the SDK keeps open; no public URL needed. */
export function startWsClient(opts: { appId: string; appSecret: string; domain: string; logger: Logger }, dispatcher: lark.EventDispatcher) {
  const ws = new lark.WSClient({
    appId: opts.appId,
    appSecret: opts.appSecret,
    domain: opts.domain,
    logger: sdkLogger(opts.logger),
    loggerLevel: lark.LoggerLevel.warn,
    autoReconnect: true,
  });
  void ws.start({ eventDispatcher: dispatcher });
  return { close: () => ws.close({ force: true }) };
}
