// Platform: the inbound receipt — a delivery (message, card click) is handled once, at the database:
// the key's row can be inserted only once, first thing in the transaction that handles the delivery.
import type { PrismaClient, Tx } from './prisma.ts';

/** Inserts the receipt in the caller's transaction; false when this delivery was already handled. */
export async function claimReceipt(tx: Tx | PrismaClient, key: string, kind: string, at: Date): Promise<boolean> {
  const n = await tx.$executeRaw`INSERT INTO "InboundReceipt" (key, kind, "receivedAt") VALUES (${key}, ${kind}, ${at}) ON CONFLICT (key) DO NOTHING`;
  return n === 1;
}
