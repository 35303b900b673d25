// Sandbox: the /open-apis scope — body parsers, Feishu error envelope, x-tt-logid, 404 → 99991201.
// Everything is encapsulated so mounting the sandbox on the bot's fastify app changes nothing else.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Errors, FeishuApiError } from '../errors.ts';
import { newLogId } from '../ids.ts';
import { boundaryOf, parseMultipart } from '../multipart.ts';
import { registerAuth } from './auth.ts';
import { registerCalendar } from './calendar.ts';
import { registerCardUpdate } from './cardUpdate.ts';
import { registerChats } from './chats.ts';
import { registerContact } from './contact.ts';
import { bump, rememberBodyBytes, type ApiContext } from './context.ts';
import { FILE_MAX_BYTES, registerFiles } from './files.ts';
import { registerMessages } from './messages.ts';
import { registerResources } from './resources.ts';

const JSON_BODY_LIMIT = 4 * 1024 * 1024;
const LOG_ID = Symbol('sandboxLogId');

type WithLogId = FastifyRequest & { [LOG_ID]?: string };

function logIdOf(req: FastifyRequest): string {
  const r = req as WithLogId;
  r[LOG_ID] ??= newLogId();
  return r[LOG_ID];
}

function sendError(req: FastifyRequest, reply: FastifyReply, ctx: ApiContext, e: FeishuApiError): FastifyReply {
  const logId = logIdOf(req);
  bump(ctx.stats.byCode, e.code);
  reply.status(e.httpStatus).headers(e.headers);
  return reply.send({
    code: e.code,
    msg: e.message,
    error: {
      log_id: logId,
      troubleshooter: `排查建议查看（Troubleshooting suggestions）： https://open.feishu.cn/search?from=openapi&log_id=${logId}&code=${e.code}`,
    },
  });
}

export function openApiPlugin(ctx: ApiContext) {
  return async (scope: FastifyInstance): Promise<void> => {
    // Our own parsers: empty JSON bodies are `{}` (SDK PATCH/DELETE calls), and bad JSON is a Feishu error.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: JSON_BODY_LIMIT }, (req, body, done) => {
      const text = String(body);
      rememberBodyBytes(req, Buffer.byteLength(text));
      if (text.trim() === '') return done(null, {});
      try {
        done(null, JSON.parse(text));
      } catch {
        done(Errors.fieldValidation('request body is not valid JSON'), undefined);
      }
    });
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: FILE_MAX_BYTES + 1024 * 1024 }, (req, body, done) => {
      const boundary = boundaryOf(req.headers['content-type']);
      if (!boundary) return done(Errors.fileInvalidParam('multipart boundary missing'), undefined);
      done(null, parseMultipart(body as Buffer, boundary));
    });
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: JSON_BODY_LIMIT }, (_req, body, done) => done(null, body));

    scope.addHook('onRequest', async () => {
      ctx.stats.requests++;
    });
    scope.addHook('onSend', async (req, reply, payload) => {
      reply.header('x-tt-logid', logIdOf(req));
      return payload;
    });
    scope.addHook('onResponse', async (_req, reply) => {
      bump(ctx.stats.byStatus, reply.statusCode);
    });

    scope.setErrorHandler((error: FastifyError | FeishuApiError, req, reply) => {
      if (error instanceof FeishuApiError) return sendError(req, reply, ctx, error);
      const status = (error as FastifyError).statusCode;
      if (status !== undefined && status >= 400 && status < 500) {
        return sendError(req, reply, ctx, Errors.fieldValidation(error.message));
      }
      ctx.logger.error({ err: error, url: req.url }, 'sandbox open-api handler failed');
      return sendError(req, reply, ctx, Errors.internal());
    });
    scope.setNotFoundHandler((req, reply) => sendError(req, reply, ctx, Errors.notFound()));

    registerAuth(scope, ctx);
    registerMessages(scope, ctx);
    registerChats(scope, ctx);
    registerCalendar(scope, ctx);
    registerContact(scope, ctx);
    registerFiles(scope, ctx);
    registerResources(scope, ctx);
    registerCardUpdate(scope, ctx);
  };
}
