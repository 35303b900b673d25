// Card test helpers: walk a card JSON 2.0 like Feishu does, find its fields and buttons, and check it
// against what Feishu accepts (documented properties only, forms at the root, unique names, 30 KB, 200 elements).
import { expect } from 'vitest';
import { renderCard, SUPPORTED_TAGS } from '../../src/sandbox/ui/public/card-render.js';
import type { Card } from '../../cards/card.ts';

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

// JSON 2.0 rejects unknown properties: the fields card-components.md documents for the tags these cards use.
export const LAYOUT = ['direction', 'padding', 'horizontal_spacing', 'vertical_spacing', 'horizontal_align', 'vertical_align', 'elements'];
export const COMMON = ['tag', 'element_id', 'margin'];
export const KNOWN: Record<string, string[]> = {
  markdown: ['content', 'text_size', 'text_align', 'icon', 'i18n_content'],
  div: ['width', 'text', 'icon', 'fields'],
  hr: [],
  column_set: ['columns', 'flex_mode', 'background_style', 'horizontal_spacing', 'horizontal_align', 'action'],
  column: ['width', 'weight', 'background_style', 'horizontal_spacing', 'vertical_spacing', 'horizontal_align', 'vertical_align', 'direction', 'padding', 'elements', 'action'],
  collapsible_panel: ['expanded', 'background_color', 'header', 'border', ...LAYOUT],
  form: ['name', ...LAYOUT],
  input: ['name', 'required', 'placeholder', 'default_value', 'disabled', 'disabled_tips', 'width', 'max_length', 'input_type', 'rows', 'auto_resize', 'max_rows', 'show_icon', 'label', 'label_position', 'behaviors', 'confirm', 'value'],
  button: ['type', 'size', 'width', 'text', 'icon', 'hover_tips', 'disabled', 'disabled_tips', 'confirm', 'behaviors', 'name', 'form_action_type'],
  select_static: ['type', 'name', 'required', 'disabled', 'options', 'initial_option', 'initial_index', 'placeholder', 'width', 'behaviors', 'confirm'],
  multi_select_static: ['type', 'name', 'required', 'disabled', 'placeholder', 'width', 'selected_values', 'options', 'behaviors', 'confirm'],
  date_picker: ['name', 'required', 'disabled', 'placeholder', 'width', 'initial_date', 'behaviors', 'confirm', 'value'],
  chart: ['chart_spec', 'aspect_ratio', 'color_theme', 'height', 'preview'],
  plain_text: ['content', 'text_size', 'text_color', 'text_align', 'lines', 'i18n_content'],
  standard_icon: ['token', 'color', 'size'],
  text_tag: ['text', 'color'],
};
export const TEXT_TAG_COLORS = ['neutral', 'blue', 'turquoise', 'lime', 'orange', 'violet', 'indigo', 'wathet', 'green', 'yellow', 'red', 'purple', 'carmine'];

export function expectValidForFeishu(c: Card) {
  for (const el of allTagged(c)) {
    expect(Object.keys(KNOWN), `tag ${el.tag}`).toContain(el.tag);
    // Columns and icons are drawn by their parent (column_set, panel header); every component has its own renderer.
    if (!['column', 'standard_icon'].includes(el.tag)) expect(SUPPORTED_TAGS, `sandbox renders ${el.tag}`).toContain(el.tag);
    const extra = Object.keys(el).filter((k) => !COMMON.includes(k) && !KNOWN[el.tag]!.includes(k));
    expect(extra, `unknown properties on ${el.tag}`).toEqual([]);
    if (el.tag === 'text_tag') expect(TEXT_TAG_COLORS).toContain(el.color);
  }
  // Forms only at the root, never holding a chart (DOC CONFLICT: keep charts out of forms); every field in a form named.
  for (const f of byTag(c, 'form')) {
    expect(c.body.elements).toContain(f);
    expect(byTag(f, 'chart')).toEqual([]);
    for (const field of allTagged(f).filter((e) => INTERACTIVE.includes(e.tag))) expect(typeof field.name === 'string' && field.name.length > 0).toBe(true);
    expect(buttons(f).some((b) => b.form_action_type === 'submit')).toBe(true);
  }
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
  expect(bytes(c)).toBeLessThan(30 * 1024);
  expect(countElements(c)).toBeLessThan(200);
}

