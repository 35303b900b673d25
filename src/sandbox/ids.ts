// Sandbox: identifiers shaped like Feishu's (prefixes per contract §0).
import { createHash, randomBytes, randomUUID } from 'node:crypto';

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export const newMessageId = () => `om_${hex(16)}`;
export const newChatId = () => `oc_${hex(16)}`;
export const newBatchId = () => `bm-${randomUUID()}`;
export const newThreadId = () => `omt_${hex(6)}`;
export const newEventId = () => hex(16);
export const newCardToken = () => `c-${hex(20)}`;
export const newTenantToken = () => `t-${hex(20)}`;
export const newFileKey = () => `file_v3_${hex(12)}`;
export const newImageKey = () => `img_v3_${hex(12)}`;
export const newCalendarId = () => `feishu.cn_${hex(10)}@group.calendar.feishu.cn`;
export const newCalendarEventId = () => `${randomUUID()}_0`;
export const newNonce = () => hex(8);

/** Stable derived ids (union_id, user_id, bot open_id) so restarts give the same directory. */
export function derivedId(prefix: string, seed: string): string {
  return prefix + createHash('sha256').update(seed).digest('hex').slice(0, 32);
}

/** Like Feishu's log ids: a UTC timestamp followed by random upper-case hex. */
export function newLogId(now: Date = new Date()): string {
  const ts = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return ts + hex(10).toUpperCase();
}
