// Sandbox: the checks Feishu applies to card content before storing it (contract §2.1, §3.1;
// card-components §1–§7). The one place for these rules: the sandbox's send, reply, PATCH, delayed
// update and callback answers use it, and so do the card tests (tests/support/cards.ts), so no card
// can pass here and fail on Feishu.
//
// Error codes: 230025 (too long), 200861 (1.0 tag in a 2.0 card) and 11310 (> 200 elements) are in
// the 发送消息 doc's 230099 sub-code table. Unknown properties → 200621 "parse card json err" is what
// a third-party guide reports (card-components §2.1). UNCONFIRMED: the code Feishu uses for an unknown
// tag, too deep a nesting, a bad header template and the form rules — 200621 is used for all of them.
import { FEISHU_CARD_MAX_BYTES, cardRequestBytes } from '../../cards/size.ts';
import { CallbackErrors, Errors, type FeishuApiError } from './errors.ts';

export { cardRequestBytes };
export const CARD_MAX_BYTES = FEISHU_CARD_MAX_BYTES;
export const TEXT_MAX_BYTES = 150 * 1024;
const MAX_COMPONENTS = 200;
/**
 * "容器类组件最多支持嵌套五层组件" (表单容器 / 折叠面板 / 交互容器 pages; 分栏: "分栏组件最多支持嵌套五层组件").
 * A column_set and its columns are one 分栏 component ("分栏组件由分栏本身的属性（column_set）和列容器（column）组成"),
 * so a column does not count as a level of its own. UNCONFIRMED: exactly how Feishu counts.
 */
export const MAX_CONTAINER_DEPTH = 5;
const CONTAINERS = new Set(['form', 'column_set', 'collapsible_panel', 'interactive_container']);

const V2_TOP_LEVEL = new Set(['schema', 'config', 'card_link', 'header', 'body']);
const V2_REMOVED_TAGS = new Set(['note', 'action']);
export const HEADER_TEMPLATES = ['blue', 'wathet', 'turquoise', 'green', 'yellow', 'orange', 'red', 'carmine', 'violet', 'purple', 'indigo', 'grey', 'default'];
export const TEXT_TAG_COLORS = ['neutral', 'blue', 'turquoise', 'lime', 'orange', 'violet', 'indigo', 'wathet', 'green', 'yellow', 'red', 'purple', 'carmine'];

// JSON 2.0 rejects unknown properties: the fields card-components.md documents, per tag.
const COMMON = ['tag', 'element_id', 'margin'];
const LAYOUT = ['direction', 'padding', 'horizontal_spacing', 'vertical_spacing', 'horizontal_align', 'vertical_align', 'elements'];
const PICKER = ['name', 'required', 'disabled', 'placeholder', 'width', 'behaviors', 'confirm', 'value'];
const SELECT = ['type', ...PICKER, 'options'];
export const KNOWN_PROPERTIES: Record<string, readonly string[]> = {
  // Content
  markdown: ['content', 'text_size', 'text_align', 'icon', 'i18n_content'],
  div: ['width', 'text', 'icon', 'fields'],
  hr: [],
  img: ['img_key', 'alt', 'title', 'corner_radius', 'scale_type', 'size', 'transparent', 'preview', 'mode', 'custom_width', 'compact_width', 'i18n_img_key'],
  img_combination: ['combination_mode', 'img_list', 'combination_transparent', 'corner_radius'],
  person: ['user_id', 'size', 'show_avatar', 'show_name', 'style'],
  person_list: ['persons', 'size', 'show_name', 'show_avatar', 'lines', 'drop_invalid_user_id', 'icon', 'ud_icon'],
  table: ['columns', 'rows', 'page_size', 'row_height', 'row_max_height', 'freeze_first_column', 'header_style'],
  chart: ['chart_spec', 'aspect_ratio', 'color_theme', 'height', 'preview'],
  audio: ['file_key', 'audio_id', 'show_progress_bar', 'show_time', 'time_display', 'time_position', 'style', 'border', 'padding', 'background_style', 'fill_color', 'width', 'disabled', 'disabled_tips', 'fallback', 'i18n_file_key'],
  // Containers
  column_set: ['columns', 'flex_mode', 'background_style', 'horizontal_spacing', 'horizontal_align', 'action'],
  column: ['width', 'weight', 'background_style', 'horizontal_spacing', 'vertical_spacing', 'horizontal_align', 'vertical_align', 'direction', 'padding', 'elements', 'action'],
  collapsible_panel: ['expanded', 'background_color', 'header', 'border', ...LAYOUT],
  interactive_container: ['width', 'height', 'background_style', 'has_border', 'border_color', 'corner_radius', 'behaviors', 'disabled', 'disabled_tips', 'hover_tips', 'confirm', ...LAYOUT],
  form: ['name', ...LAYOUT],
  // Interactive
  input: ['name', 'required', 'placeholder', 'default_value', 'disabled', 'disabled_tips', 'width', 'max_length', 'input_type', 'rows', 'auto_resize', 'max_rows', 'show_icon', 'label', 'label_position', 'behaviors', 'confirm', 'value', 'i18n_default_value'],
  button: ['type', 'size', 'width', 'text', 'icon', 'hover_tips', 'disabled', 'disabled_tips', 'confirm', 'behaviors', 'name', 'form_action_type', 'action_type', 'value'],
  overflow: ['options', 'width', 'behaviors', 'confirm', 'value'],
  select_static: [...SELECT, 'initial_option', 'initial_index'],
  multi_select_static: [...SELECT, 'selected_values'],
  select_person: [...SELECT, 'initial_option'],
  multi_select_person: [...SELECT, 'selected_values'],
  date_picker: [...PICKER, 'initial_date'],
  picker_time: [...PICKER, 'initial_time'],
  picker_datetime: [...PICKER, 'initial_datetime'],
  checker: ['name', 'checked', 'text', 'overall_checkable', 'button_area', 'checked_style', 'padding', 'confirm', 'hover_tips', 'disabled', 'disabled_tips', 'behaviors', 'value'],
  select_img: ['options', 'multi_select', 'layout', 'aspect_ratio', 'can_preview', 'name', 'required', 'disabled', 'disabled_tips', 'value', 'behaviors', 'confirm'],
  // Text objects, icons, tags
  plain_text: ['content', 'text_size', 'text_color', 'text_align', 'lines', 'i18n_content'],
  lark_md: ['content', 'text_size', 'text_align', 'lines', 'i18n_content'],
  standard_icon: ['token', 'color', 'size'],
  custom_icon: ['img_key', 'size'],
  text_tag: ['text', 'color'],
};
/** Components whose `name` identifies a form field (names must be set in a form and unique card-wide). */
export const NAMED_INTERACTIVE = new Set([
  'input', 'button', 'select_static', 'multi_select_static', 'select_person', 'multi_select_person',
  'date_picker', 'picker_time', 'picker_datetime', 'checker', 'select_img', 'overflow',
]);
const FORM_ONLY = new Set(['multi_select_static', 'multi_select_person']);
/** Properties holding data of the bot's own (callback values, chart specs, table rows): not walked. */
const OPAQUE = new Set(['value', 'chart_spec', 'rows']);
const CONFIG_KEYS = new Set(['streaming_mode', 'streaming_config', 'summary', 'locales', 'enable_forward', 'update_multi', 'width_mode', 'use_custom_translation', 'enable_forward_interaction', 'style']);
const HEADER_KEYS = new Set(['title', 'subtitle', 'text_tag_list', 'i18n_text_tag_list', 'template', 'icon', 'padding']);
const BODY_KEYS = new Set(LAYOUT);
const CARD_LINK_KEYS = new Set(['url', 'pc_url', 'ios_url', 'android_url']);

export type CardKind = 'v2' | 'v1' | 'template' | 'card_entity';

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function cardKind(card: Record<string, unknown>): CardKind {
  if (card.type === 'template') return 'template';
  if (card.type === 'card') return 'card_entity';
  return card.schema === '2.0' ? 'v2' : 'v1';
}

const badCard = (what: string) => Errors.cardContent(200621, `parse card json err, please check whether the card json is correct; ErrorValue: ${what}`);

function countComponents(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((n: number, x) => n + countComponents(x), 0);
  if (!isObject(node)) return 0;
  let n = typeof node.tag === 'string' ? 1 : 0;
  for (const v of Object.values(node)) n += countComponents(v);
  return n;
}

interface Walk {
  /** Container levels above this node (column_set counts, column does not). */
  depth: number;
  inForm: boolean;
  atRoot: boolean;
  path: string;
}

interface Seen {
  formNames: Set<string>;
  fieldNames: Set<string>;
}

/** Walks every tagged object under `node`, checking tags, properties, nesting and the form rules. */
function walk(node: unknown, at: Walk, seen: Seen): void {
  if (Array.isArray(node)) {
    node.forEach((x, i) => walk(x, { ...at, path: `${at.path}[${i}]` }, seen));
    return;
  }
  if (!isObject(node)) return;
  let next = { ...at, atRoot: false };
  if (typeof node.tag === 'string') {
    const tag = node.tag;
    const where = `${at.path}(tag: ${tag})`;
    if (V2_REMOVED_TAGS.has(tag)) throw Errors.cardContent(200861, `cards of schema V2 no longer support this capability; ErrorValue: unsupported tag ${tag}`);
    const known = KNOWN_PROPERTIES[tag];
    if (!known) throw badCard(`unknown tag "${tag}" at ${where}`);
    const extra = Object.keys(node).find((k) => !COMMON.includes(k) && !known.includes(k));
    if (extra) throw badCard(`unknown property "${extra}" at ${where}`);
    if (tag === 'text_tag' && !TEXT_TAG_COLORS.includes(String(node.color ?? 'blue'))) throw badCard(`invalid text_tag color "${String(node.color)}" at ${where}`);

    if (CONTAINERS.has(tag)) {
      next = { ...next, depth: at.depth + 1 };
      if (next.depth > MAX_CONTAINER_DEPTH) throw badCard(`containers nested deeper than ${MAX_CONTAINER_DEPTH} levels at ${where}`);
    }
    if ((tag === 'form' || tag === 'table') && !at.atRoot) throw badCard(`${tag} must be placed directly in body.elements, at ${where}`);
    if (tag === 'form') {
      if (typeof node.name !== 'string' || node.name === '') throw badCard(`form without a name at ${where}`);
      if (seen.formNames.has(node.name)) throw badCard(`form name "${node.name}" is not unique`);
      seen.formNames.add(node.name);
      checkForm(node, where);
      next = { ...next, inForm: true };
    }
    if (at.inForm && (tag === 'table' || tag === 'chart')) throw badCard(`a form cannot hold a ${tag}, at ${where}`);
    if (FORM_ONLY.has(tag) && !at.inForm) throw badCard(`${tag} works only inside a form, at ${where}`);
    if (tag === 'select_img' && node.multi_select === true && !at.inForm) throw badCard(`multi_select select_img works only inside a form, at ${where}`);
    if (tag === 'button' && isFormButton(node) && !at.inForm) throw badCard(`a form button (form_action_type) outside a form, at ${where}`);
    if (NAMED_INTERACTIVE.has(tag)) {
      const name = node.name;
      if (at.inForm && (typeof name !== 'string' || name === '')) throw badCard(`${tag} in a form without a name, at ${where}`);
      if (typeof name === 'string' && name !== '') {
        // "该字段必填且需在卡片全局内唯一" (表单容器 doc).
        if (seen.fieldNames.has(name)) throw badCard(`name "${name}" is not unique in the card, at ${where}`);
        seen.fieldNames.add(name);
      }
    }
  }
  for (const [k, v] of Object.entries(node)) {
    if (OPAQUE.has(k) || k === 'tag') continue;
    // A column_set's columns are part of it: the column_set's own level holds them.
    walk(v, { ...next, atRoot: false, path: `${at.path} -> ${k}` }, seen);
  }
}

const isFormButton = (b: Record<string, unknown>) =>
  b.form_action_type !== undefined || b.action_type === 'form_submit' || b.action_type === 'form_reset';

function checkForm(form: Record<string, unknown>, where: string): void {
  const buttons: Record<string, unknown>[] = [];
  const collect = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(collect);
    else if (isObject(n)) {
      if (n.tag === 'button') buttons.push(n);
      for (const [k, v] of Object.entries(n)) if (!OPAQUE.has(k)) collect(v);
    }
  };
  collect(form.elements);
  // "表单容器内必须包含一个用于提交表单的按钮组件".
  if (!buttons.some((b) => b.form_action_type === 'submit' || b.action_type === 'form_submit')) throw badCard(`form without a submit button at ${where}`);
}

function checkKeys(obj: unknown, allowed: Set<string>, where: string): void {
  if (obj === undefined) return;
  if (!isObject(obj)) throw badCard(`${where} must be an object`);
  const extra = Object.keys(obj).find((k) => !allowed.has(k));
  if (extra) throw badCard(`unknown property "${extra}" in ${where}`);
}

/** The rules of a JSON 2.0 card; throws the Feishu error a send would get. */
function checkV2(card: Record<string, unknown>): void {
  // A stray 1.0 "elements" at the root is the common mistake.
  const unknown = Object.keys(card).find((k) => !V2_TOP_LEVEL.has(k));
  if (unknown) throw badCard(`unknown property "${unknown}" in schema 2.0 card`);
  checkKeys(card.config, CONFIG_KEYS, 'config');
  checkKeys(card.card_link, CARD_LINK_KEYS, 'card_link');
  checkKeys(card.header, HEADER_KEYS, 'header');
  checkKeys(card.body, BODY_KEYS, 'body');
  const header = card.header as Record<string, unknown> | undefined;
  if (header?.template !== undefined && !HEADER_TEMPLATES.includes(String(header.template))) {
    throw badCard(`invalid header template "${String(header.template)}"`);
  }
  const seen: Seen = { formNames: new Set(), fieldNames: new Set() };
  if (header) walk(header, { depth: 0, inForm: false, atRoot: false, path: 'ROOT -> header' }, seen);
  const body = card.body as Record<string, unknown> | undefined;
  if (body?.elements !== undefined && !Array.isArray(body.elements)) throw badCard('body.elements must be an array');
  for (const [i, el] of ((body?.elements as unknown[] | undefined) ?? []).entries()) {
    walk(el, { depth: 0, inForm: false, atRoot: true, path: `ROOT -> body -> elements -> [${i}]` }, seen);
  }
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
  if (kind === 'v2') checkV2(card);
  if (countComponents(kind === 'v2' ? card.body : card.elements) > MAX_COMPONENTS) {
    throw Errors.cardContent(11310, 'element exceeds the limit');
  }
  return card;
}

/** Feishu's 30 KB counts the request body as sent (the card escaped inside it): 230025 beyond. */
export function checkRequestSize(requestBytes: number, limit = CARD_MAX_BYTES): void {
  if (requestBytes > limit) throw Errors.tooLong(`request body of ${requestBytes} bytes exceeds ${Math.round(limit / 1024)} KB`);
}

export function parseJsonObject(content: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(content);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Parses and checks an interactive content string (send, reply, patch) sent in a body of `requestBytes`. */
export function parseCardContent(content: string, requestBytes = Buffer.byteLength(JSON.stringify(content))): Record<string, unknown> {
  checkRequestSize(requestBytes);
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
