// Commands: how a card action becomes a typed command — the route of one action name (its value's
// schema and the builder of the command). Shared by parse.ts and the module route files in routes/.
import type { z } from 'zod';
import { CARD_EXPIRED as REPORT_CARD_EXPIRED } from '../../cards/collection-form.ts';
import type { CardCommand } from './command.ts';

export interface RawCardAction {
  value: Record<string, unknown>;
  formValue?: Record<string, unknown>;
}

export type CardRoute = { value: z.ZodType; toCommand: (a: RawCardAction) => CardCommand };

/** Ids in card values are row uuids: anything else is an old or forged card, never a database error. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (x: unknown): x is string => typeof x === 'string' && UUID.test(x);
export const CARD_EXPIRED = '这张卡片已过期或无法操作，请重新获取。';
export const expired: CardCommand = { kind: 'invalid', message: CARD_EXPIRED };
/** A collection card says where to get a fresh one. */
export const reportExpired: CardCommand = { kind: 'invalid', message: REPORT_CARD_EXPIRED };
export const badForm = (e: z.ZodError, fallback: string): CardCommand => ({ kind: 'invalid', message: e.issues[0]?.message ?? fallback });

/** A route whose value carries a row id under `field`; a malformed id answers 「卡片已过期」. */
export function byId(value: z.ZodType, field: string, build: (id: string, a: RawCardAction) => CardCommand, stale: CardCommand = expired): CardRoute {
  return {
    value,
    toCommand: (a) => {
      const id = a.value[field];
      return isUuid(id) ? build(id, a) : stale;
    },
  };
}
