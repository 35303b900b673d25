// Card test helpers: walk a card JSON 2.0 like Feishu does, find its fields and buttons, and check it
// against what Feishu accepts through the sandbox's own card validator.
import { expect } from 'vitest';
import { renderCard, SUPPORTED_TAGS } from '../../src/sandbox/ui/public/card-render.js';
import type { Card } from '../../cards/card.ts';
import { FEISHU_CARD_MAX_BYTES, cardRequestBytes } from '../../cards/size.ts';
import { checkCard } from '../../src/sandbox/cards.ts';

export type El = Record<string, unknown> & { tag: string };
export const json = (c: unknown) => JSON.stringify(c);
export const bytes = (c: unknown) => Buffer.byteLength(json(c));

/** Every object with a tag, anywhere in the card (components and text elements both count towards the 200). */
export function allTagged(x: unknown, out: El[] = []): El[] {
  if (Array.isArray(x)) x.forEach((y) => allTagged(y, out));
  else if (x && typeof x === 'object') {
    if (typeof (x as El).tag === 'string') out.push(x as El);
    Object.values(x).forEach((y) => allTagged(y, out));
  }
  return out;
}
export const countElements = (c: Card) => allTagged(c).length;
export const byTag = (c: unknown, tag: string) => allTagged((c as Card).body ?? c).filter((e) => e.tag === tag);
export const inputs = (c: Card) => byTag(c, 'input');
export const buttons = (c: unknown) => byTag(c, 'button');
export const labelOf = (e: El) => (e.label as { content: string } | undefined)?.content ?? (e.text as { content: string } | undefined)?.content;
export const inputByLabel = (c: Card, label: string) => inputs(c).find((e) => labelOf(e) === label);
export const buttonByText = (c: unknown, text: string) => buttons(c).find((e) => labelOf(e) === text);
export const callback = (e: El | undefined) => (e?.behaviors as { type: string; value: unknown }[] | undefined)?.[0]?.value;
export const INTERACTIVE = ['input', 'button', 'select_static', 'multi_select_static', 'date_picker'];
export const interactiveNames = (c: Card) => allTagged(c.body).filter((e) => INTERACTIVE.includes(e.tag)).map((e) => e.name);
export const optionValues = (e: El | undefined) => (e?.options as { value: string }[] | undefined)?.map((o) => o.value);
export const markdownTexts = (c: unknown) => byTag(c, 'markdown').map((e) => e.content as string);
export const fieldByName = (c: Card, name: string) => allTagged(c.body).find((e) => INTERACTIVE.includes(e.tag) && e.name === name);

/**
 * What Feishu accepts, checked by the sandbox's own validator (one piece of code for the rules: tags,
 * properties, nesting, forms, 200 elements), plus what this project adds: the sandbox renders every
 * component and callback values are { a, v: 1, ...ids }.
 */
export function expectValidForFeishu(c: Card) {
  try {
    checkCard(c);
  } catch (e) {
    expect.fail(`Feishu would refuse this card: ${(e as Error).message}`);
  }
  for (const el of allTagged(c)) {
    // Columns and icons are drawn by their parent (column_set, panel header); every component has its own renderer.
    if (!['column', 'standard_icon', 'plain_text', 'text_tag'].includes(el.tag)) expect(SUPPORTED_TAGS, `sandbox renders ${el.tag}`).toContain(el.tag);
  }
  // Forms never hold a chart (DOC CONFLICT: the sandbox refuses it too).
  for (const f of byTag(c, 'form')) expect(byTag(f, 'chart')).toEqual([]);
  // Every callback value is { a, v: 1, ...ids } with string or number fields.
  for (const b of buttons(c)) {
    const v = callback(b) as Record<string, unknown>;
    expect(typeof v.a).toBe('string');
    expect(v.v).toBe(1);
    expect(Object.values(v).every((x) => typeof x === 'string' || typeof x === 'number')).toBe(true);
  }
  const names = interactiveNames(c);
  expect(new Set(names).size, 'interactive names unique').toBe(names.length);
  const html = renderCard(c, { messageId: 'om_test' });
  expect(html).not.toContain('fc-unsupported');
  // Feishu's hard limit, measured as Feishu counts (escaped in the request body); the 25 KB budget is
  // checked on the worst cases in tests/cards-size.test.ts.
  expect(cardRequestBytes(c), 'card within Feishu 30 KB as sent').toBeLessThanOrEqual(FEISHU_CARD_MAX_BYTES);
}
