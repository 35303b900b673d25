// Bench support: the floor of a card callback — the least any handler must do: the same HTTP server
// setup and guards as the bot (signature, decryption, verification token: checkPush), then one row
// inserted into PostgreSQL. Run as its own process by callbacks.bench.ts; PORT and DATABASE_URL from env.
import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { checkPush } from '../src/feishu/inbound/guards.ts';
import { SANDBOX_APP } from '../src/feishu/settings.ts';
import { createPrisma } from '../src/platform/prisma.ts';

const prisma = createPrisma(process.env.DATABASE_URL!, { max: Number(process.env.DATABASE_POOL_SIZE ?? 20) });
const app = Fastify({ bodyLimit: 2 * 1024 * 1024 });
// Timed from onRequest as the bot's reply.elapsedTime is (that one needs fastify's request logging set up).
const started = new WeakMap<object, number>();
app.addHook('onRequest', async (req) => {
  started.set(req, performance.now());
});
app.addHook('onSend', async (req, reply, payload) => {
  reply.header('server-timing', `app;dur=${(performance.now() - (started.get(req) ?? performance.now())).toFixed(2)}`);
  return payload;
});
app.get('/healthz', async () => ({ status: 'ok' }));
app.register(async (scope) => {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));
  scope.post('/feishu/events', async (req, reply) => {
    const guard = checkPush(typeof req.body === 'string' ? req.body : '', req.headers, SANDBOX_APP);
    if (!guard.ok) return reply.code(guard.status).send({ code: guard.status, msg: guard.reason });
    const eventId = (guard.payload.header as { event_id: string }).event_id;
    await prisma.inboundReceipt.create({ data: { key: `floor-${eventId}`, kind: 'card', receivedAt: new Date() } });
    return reply.send({ toast: { type: 'success', content: '已提交' } });
  });
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
const stop = async () => {
  await app.close();
  await prisma.$disconnect();
  process.exit(0);
};
process.once('SIGTERM', () => void stop());
