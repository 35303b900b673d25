// Outbox: what a command's transaction wrote for after the commit — outbound rows to deliver and
// follow-up jobs to enqueue. The runner opens a scope around the transaction; addOutbound and
// addFollowUp note their rows in it, so no handler has to hand ids back (and none can forget to).
import { AsyncLocalStorage } from 'node:async_hooks';

export interface Written {
  outbound: string[];
  followUps: string[];
}

const scope = new AsyncLocalStorage<Written>();

/** Runs fn with a fresh scope; returns what it wrote. Nested scopes are separate. */
export async function collectWritten<T>(fn: () => Promise<T>): Promise<{ result: T; written: Written }> {
  const written: Written = { outbound: [], followUps: [] };
  const result = await scope.run(written, fn);
  return { result, written };
}

export function noteOutbound(id: string): void {
  scope.getStore()?.outbound.push(id);
}

export function noteFollowUp(id: string): void {
  scope.getStore()?.followUps.push(id);
}

/** The scope's rows so far (inside collectWritten), e.g. to check them before the commit. */
export function currentWritten(): Written | undefined {
  return scope.getStore();
}
