// HTTP edge: the fastify app with /healthz and /metrics. Feishu intake and the sandbox register onto it.
import { STATUS_CODES } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '../platform/logger.ts';
import { healthReport, type Check } from '../platform/health.ts';
import type { Metrics } from '../platform/metrics.ts';

export interface ServerDeps {
  logger: Logger;
  metrics: Metrics;
  /** Checks that make /healthz answer 503 when down. */
  required: Record<string, Check>;
  /** Checks reported in the body without failing the probe (Feishu reachability). */
  informational?: Record<string, Check>;
}

export function buildServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger.child({ module: 'http' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 2 * 1024 * 1024,
  }) as unknown as FastifyInstance;

  // Never echo an internal error to the caller (it may name files, queries or secrets): log it, answer
  // a generic message. 4xx errors from fastify itself (bad content type, body too large) keep theirs.
  app.setErrorHandler((err: { statusCode?: number; code?: string; message?: string }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) {
      req.log.error({ err, url: req.url }, '[http] request failed');
      return reply.code(500).send({ statusCode: 500, error: 'Internal Server Error', message: 'internal error' });
    }
    req.log.warn({ reason: err.code ?? 'bad_request', ip: req.ip, url: req.url }, '[http] request refused');
    return reply.code(status).send({ statusCode: status, code: err.code, error: STATUS_CODES[status] ?? 'Bad Request', message: err.message });
  });

  // Server-side time of every answer, for benches and browser dev tools.
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('server-timing', `app;dur=${reply.elapsedTime.toFixed(2)}`);
    return payload;
  });

  app.addHook('onResponse', async (req, reply) => {
    deps.metrics.httpDuration
      .labels(req.method, req.routeOptions.url ?? 'unmatched', String(reply.statusCode))
      .observe(reply.elapsedTime / 1000);
  });

  const report = async () => {
    const r = await healthReport(deps.required, deps.informational);
    for (const [name, c] of Object.entries(r.checks)) deps.metrics.dependencyUp.labels(name).set(c.status === 'up' ? 1 : 0);
    const queues = r.checks.queues?.queues as Record<string, Record<string, number>> | undefined;
    for (const [q, counts] of Object.entries(queues ?? {})) {
      for (const [state, n] of Object.entries(counts)) deps.metrics.queueJobs.labels(q, state).set(n);
    }
    return r;
  };

  app.get('/healthz', async (_req, reply) => {
    const r = await report();
    return reply.code(r.status === 'ok' ? 200 : 503).send(r);
  });

  app.get('/metrics', async (_req, reply) => {
    await report();
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  return app;
}
