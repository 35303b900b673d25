// Sandbox: contact/v3/users/batch_get_id — user ids by mobile or email (contract §6). Every input
// comes back as one entry; misses carry no user_id.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { feishuRoute, idTypeSchema, parseOr, type ApiContext } from './context.ts';

const Query = z.object({ user_id_type: idTypeSchema });
const Body = z.object({
  mobiles: z.array(z.string()).max(50).optional(),
  emails: z.array(z.string()).max(50).optional(),
  include_resigned: z.boolean().optional(),
});

/** Mainland numbers may be written with or without +86. */
export function normalizeMobile(m: string): string {
  const digits = m.replace(/[\s-]/g, '');
  return digits.startsWith('+86') ? digits.slice(3) : digits;
}

const ACTIVE = { is_frozen: false, is_resigned: false, is_activated: true, is_exited: false, is_unjoin: false };

export function registerContact(scope: FastifyInstance, ctx: ApiContext): void {
  const { state } = ctx;
  scope.post(
    '/contact/v3/users/batch_get_id',
    feishuRoute(ctx, 'contact.user.batchGetId', async (req) => {
      const q = parseOr(Query, req.query);
      const body = parseOr(Body, req.body);
      const users = [...state.users.values()];
      const list: Record<string, unknown>[] = [];
      for (const mobile of body.mobiles ?? []) {
        const u = users.find((x) => x.mobile !== undefined && normalizeMobile(x.mobile) === normalizeMobile(mobile));
        const id = u ? state.userIdOfType(u, q.user_id_type) : undefined;
        list.push(id ? { user_id: id, mobile, status: ACTIVE } : { mobile });
      }
      for (const email of body.emails ?? []) {
        const u = users.find((x) => x.email !== undefined && x.email.toLowerCase() === email.toLowerCase());
        const id = u ? state.userIdOfType(u, q.user_id_type) : undefined;
        list.push(id ? { user_id: id, email, status: ACTIVE } : { email });
      }
      return { user_list: list };
    }),
  );
}
