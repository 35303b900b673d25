// Sandbox: the checks Feishu applies to card content before storing it (contract §2.1, §3.1;
// card-components §1, §7). Only what a bot could plausibly get wrong is checked.
import { CallbackErrors, Errors, type FeishuApiError } from './errors.ts';

export const CARD_MAX_BYTES = 30 * 1024;
export const TEXT_MAX_BYTES = 150 * 1024;
const MAX_COMPONENTS = 200;
const V2_TOP_LEVEL = new Set(['schema', 'config', 'card_link', 'header', 'body']);
const V2_REMOVED_TAGS = new Set(['note', 'action']);

export type CardKind = 'v2' | 'v1' | 'template' | 'card_entity';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function cardKind(card: Record<string, unknown>): CardKind {
  if (card.type === 'template') return 'template';
  if (card.type === 'card') return 'card_entity';
  return card.schema === '2.0' ? 'v2' : 'v1';
}

function countComponents(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((n: number, x) => n + countComponents(x), 0);
  if (!isObject(node)) return 0;
  let n = typeof node.tag === 'string' ? 1 : 0;
  for (const v of Object.values(node)) n += countComponents(v);
  return n;
}

function findRemovedTag(node: unknown): string | undefined {
  if (Array.isArray(node)) {
    for (const x of node) {
      const hit = findRemovedTag(x);
      if (hit) return hit;
    }
    return undefined;
  }
  if (!isObject(node)) return undefined;
  if (typeof node.tag === 'string' && V2_REMOVED_TAGS.has(node.tag)) return node.tag;
  for (const v of Object.values(node)) {
    const hit = findRemovedTag(v);
    if (hit) return hit;
  }
  return undefined;
}

/** Validates a parsed card object; throws the Feishu error a send/patch would get. */
export function checkCard(card: unknown): Record<string, unknown> {
  if (!isObject(card)) throw Errors.cardContent(200621, 'parse card json err, please check whether the card json is correct');
  const kind = cardKind(card);
  if (kind === 'template') {
    const data = card.data;
    if (!isObject(data) || typeof data.template_id !== 'string' || data.template_id === '') {
      throw Errors.cardContent(200621, 'parse card json err, template_id is required');
    }
    return card;
  }
  if (kind === 'card_entity') {
    if (!isObject(card.data) || typeof card.data.card_id !== 'string') {
      throw Errors.cardContent(200621, 'parse card json err, card_id is required');
    }
    return card;
  }
  if (kind === 'v2') {
    // JSON 2.0 rejects unknown properties; a stray 1.0 "elements" at the root is the common mistake.
    const unknown = Object.keys(card).find((k) => !V2_TOP_LEVEL.has(k));
    if (unknown) throw Errors.cardContent(200621, `parse card json err, unknown property "${unknown}" in schema 2.0 card`);
    const removed = findRemovedTag(card.body);
    if (removed) {
      throw Errors.cardContent(200861, `cards of schema V2 no longer support this capability; ErrorValue: unsupported tag ${removed}`);
    }
  }
  if (countComponents(kind === 'v2' ? card.body : card.elements) > MAX_COMPONENTS) {
    throw Errors.cardContent(11310, 'element exceeds the limit');
  }
  return card;
}

export function parseJsonObject(content: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(content);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Parses and checks an interactive content string (send, reply, patch). */
export function parseCardContent(content: string): Record<string, unknown> {
  if (Buffer.byteLength(content, 'utf8') > CARD_MAX_BYTES) throw Errors.tooLong(`card content exceeds 30 KB`);
  const card = parseJsonObject(content);
  if (!card) throw Errors.cardContent(200621, 'parse card json err, please check whether the card json is correct');
  return checkCard(card);
}

/** A 2.0 card may only be replaced by a 2.0 card (error 200830). Templates are not resolvable here. */
export function isDowngrade(oldCard: Record<string, unknown> | undefined, next: Record<string, unknown>): boolean {
  if (!oldCard) return false;
  const a = cardKind(oldCard);
  const b = cardKind(next);
  return a === 'v2' && b === 'v1';
}

export function downgradeError(): FeishuApiError {
  return Errors.cardContent(CallbackErrors.downgrade.code, CallbackErrors.downgrade.msg);
}
