// Interim, while services move to the use-case contract: a service written against a PrismaClient runs
// inside the command's transaction ($transaction(fn) runs fn on that same transaction).
import type { PrismaClient, Tx } from '../../platform/prisma.ts';
import type { UseCaseContext } from './outcome.ts';

export function inTx(tx: Tx): PrismaClient {
  return new Proxy(tx, {
    get(t, p) {
      if (p === '$transaction') {
        return (arg: unknown) => (typeof arg === 'function' ? (arg as (t: Tx) => unknown)(t) : Promise.all(arg as Promise<unknown>[]));
      }
      return (t as unknown as Record<string | symbol, unknown>)[p];
    },
  }) as unknown as PrismaClient;
}

export const svc = (ctx: UseCaseContext) => ({ prisma: inTx(ctx.tx), clock: ctx.clock });
