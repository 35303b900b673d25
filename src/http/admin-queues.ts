// HTTP edge: the BullMQ dashboard (bull-board) at /admin/queues, only when ADMIN_TOKEN is set.
// bull-board has no auth of its own: a bearer token, a ?token= query (for a browser's first visit),
// or the cookie that query sets.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queues } from '../platform/queues.ts';

export const ADMIN_BASE = '/admin/queues';
const COOKIE = 'econ_admin';

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function presented(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  const q = (req.query as Record<string, unknown> | undefined)?.token;
  if (typeof q === 'string') return q;
  const cookie = req.headers.cookie?.split(/;\s*/).find((c) => c.startsWith(`${COOKIE}=`));
  return cookie ? decodeURIComponent(cookie.slice(COOKIE.length + 1)) : undefined;
}

export async function registerAdminQueues(app: FastifyInstance, queues: Queues, token: string | undefined): Promise<boolean> {
  if (!token) return false;
  const adapter = new FastifyAdapter();
  adapter.setBasePath(ADMIN_BASE);
  createBullBoard({ queues: Object.values(queues).map((q) => new BullMQAdapter(q)), serverAdapter: adapter });
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (req, reply) => {
      const t = presented(req);
      if (!t || !same(t, token)) return reply.code(401).type('text/plain; charset=utf-8').send('需要管理员令牌 (admin token required)');
      if (typeof (req.query as Record<string, unknown> | undefined)?.token === 'string') {
        reply.header('set-cookie', `${COOKIE}=${encodeURIComponent(t)}; Path=${ADMIN_BASE}; HttpOnly; SameSite=Strict`);
      }
    });
    await scope.register(adapter.registerPlugin(), { prefix: ADMIN_BASE });
  });
  return true;
}
