// Cards: a small typed layer over Feishu card JSON 2.0 (the SDK's card types are JSON 1.0).
// Pure functions only: a card is data built from a view model.

export type HeaderTemplate =
  | 'blue' | 'wathet' | 'turquoise' | 'green' | 'yellow' | 'orange' | 'red' | 'carmine' | 'violet' | 'purple' | 'indigo' | 'grey' | 'default';

export interface PlainText {
  tag: 'plain_text';
  content: string;
}

/** Every callback value we put in a card: an action name `a`, a template version `v`, and ids. */
export interface ActionValue {
  a: string;
  v: number;
  [key: string]: string | number;
}

export type CardElement = Record<string, unknown> & { tag: string };

export interface Card {
  schema: '2.0';
  config: { update_multi: true; summary?: { content: string }; width_mode?: 'default' | 'compact' | 'fill' };
  header?: {
    title: PlainText;
    subtitle?: PlainText;
    template: HeaderTemplate;
    text_tag_list?: { tag: 'text_tag'; text: PlainText; color: string }[];
  };
  body: { elements: CardElement[] };
}

export const text = (content: string): PlainText => ({ tag: 'plain_text', content });

export function card(opts: {
  title: string;
  subtitle?: string;
  template: HeaderTemplate;
  summary?: string;
  tags?: { text: string; color: string }[];
  elements: CardElement[];
}): Card {
  return {
    schema: '2.0',
    config: { update_multi: true, ...(opts.summary ? { summary: { content: opts.summary } } : {}) },
    header: {
      title: text(opts.title),
      ...(opts.subtitle ? { subtitle: text(opts.subtitle) } : {}),
      template: opts.template,
      ...(opts.tags?.length
        ? { text_tag_list: opts.tags.map((t) => ({ tag: 'text_tag' as const, text: text(t.text), color: t.color })) }
        : {}),
    },
    body: { elements: opts.elements },
  };
}

/** Escapes characters that card markdown would read as syntax in user-supplied text. */
export function escapeMd(s: string): string {
  return s.replace(/[\\*_~`[\]()<>#|]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export const markdown = (content: string): CardElement => ({ tag: 'markdown', content });
export const hr = (): CardElement => ({ tag: 'hr' });

export function input(opts: {
  name: string;
  label: string;
  placeholder?: string;
  required?: boolean;
  multiline?: boolean;
  maxLength?: number;
  defaultValue?: string;
}): CardElement {
  return {
    tag: 'input',
    name: opts.name,
    label: text(opts.label),
    label_position: 'top',
    ...(opts.placeholder ? { placeholder: text(opts.placeholder) } : {}),
    ...(opts.required ? { required: true } : {}),
    ...(opts.multiline ? { input_type: 'multiline_text', rows: 3 } : {}),
    ...(opts.maxLength ? { max_length: opts.maxLength } : {}),
    ...(opts.defaultValue ? { default_value: opts.defaultValue } : {}),
  };
}

export function button(opts: {
  name: string;
  label: string;
  value: ActionValue;
  type?: 'default' | 'primary' | 'danger' | 'primary_filled' | 'danger_filled' | 'text';
  submit?: boolean;
}): CardElement {
  return {
    tag: 'button',
    name: opts.name,
    type: opts.type ?? 'default',
    text: text(opts.label),
    ...(opts.submit ? { form_action_type: 'submit' } : {}),
    behaviors: [{ type: 'callback', value: opts.value }],
  };
}

export function form(name: string, elements: CardElement[]): CardElement {
  return { tag: 'form', name, elements };
}

/** A row of columns; on narrow screens `flexMode` decides whether they shrink, stack or wrap. */
export function columnSet(
  columns: CardElement[],
  opts: { flexMode?: 'none' | 'stretch' | 'flow' | 'bisect' | 'trisect'; spacing?: string; background?: string } = {},
): CardElement {
  return {
    tag: 'column_set',
    flex_mode: opts.flexMode ?? 'none',
    ...(opts.spacing ? { horizontal_spacing: opts.spacing } : {}),
    ...(opts.background ? { background_style: opts.background } : {}),
    columns,
  };
}

export function column(
  elements: CardElement[],
  opts: { width?: 'auto' | 'weighted'; weight?: number; verticalAlign?: 'top' | 'center' | 'bottom'; background?: string; padding?: string } = {},
): CardElement {
  const width = opts.width ?? 'weighted';
  return {
    tag: 'column',
    width,
    ...(width === 'weighted' ? { weight: opts.weight ?? 1 } : {}),
    ...(opts.verticalAlign ? { vertical_align: opts.verticalAlign } : {}),
    ...(opts.background ? { background_style: opts.background } : {}),
    ...(opts.padding ? { padding: opts.padding } : {}),
    elements,
  };
}

/** Small grey text: JSON 2.0 removed `note`, the docs suggest a notation-size grey div instead. Plain text, so no escaping. */
export function note(content: string): CardElement {
  return { tag: 'div', text: { tag: 'plain_text', content, text_size: 'notation', text_color: 'grey' } };
}

/** A panel the reader can fold open; the icon is the docs' own, so the client shows an arrow. */
export function collapsiblePanel(opts: { title: string; expanded?: boolean; elements: CardElement[] }): CardElement {
  return {
    tag: 'collapsible_panel',
    expanded: opts.expanded ?? false,
    header: {
      title: text(opts.title),
      icon: { tag: 'standard_icon', token: 'down-small-ccm_outlined', size: '16px 16px' },
      icon_position: 'right',
      icon_expanded_angle: -180,
    },
    border: { color: 'grey', corner_radius: '5px' },
    elements: opts.elements,
  };
}

// ───────────── selects, pickers, charts (additive) ─────────────

/** One choice in a select; `label` is plain text (no markdown), `value` what the callback carries. */
export interface SelectOption {
  label: string;
  value: string;
}

const selectOptions = (options: SelectOption[]) => options.map((o) => ({ text: text(o.label), value: o.value }));

/**
 * A single-choice dropdown. select_static has no `label` field in JSON 2.0 (unknown properties are
 * rejected), so put a markdown line above it. An initial option that is not among the options is dropped.
 */
export function selectStatic(opts: {
  name: string;
  options: SelectOption[];
  placeholder?: string;
  initialOption?: string;
  required?: boolean;
  width?: 'default' | 'fill';
}): CardElement {
  const initial = opts.initialOption !== undefined && opts.options.some((o) => o.value === opts.initialOption) ? opts.initialOption : undefined;
  return {
    tag: 'select_static',
    name: opts.name,
    ...(opts.placeholder ? { placeholder: text(opts.placeholder) } : {}),
    ...(opts.required ? { required: true } : {}),
    ...(opts.width ? { width: opts.width } : {}),
    ...(initial !== undefined ? { initial_option: initial } : {}),
    options: selectOptions(opts.options),
  };
}

/**
 * A multiple-choice dropdown; works only inside a form. `required` is always written out: the docs give it
 * a default of true, which would surprise anyone reading `required?: boolean` as false. No `label` field either.
 */
export function multiSelectStatic(opts: {
  name: string;
  options: SelectOption[];
  required: boolean;
  placeholder?: string;
  selectedValues?: string[];
  width?: 'default' | 'fill';
}): CardElement {
  const known = new Set(opts.options.map((o) => o.value));
  const selected = (opts.selectedValues ?? []).filter((v) => known.has(v));
  return {
    tag: 'multi_select_static',
    name: opts.name,
    required: opts.required,
    ...(opts.placeholder ? { placeholder: text(opts.placeholder) } : {}),
    ...(opts.width ? { width: opts.width } : {}),
    ...(selected.length ? { selected_values: selected } : {}),
    options: selectOptions(opts.options),
  };
}

/** A date picker; `initialDate` is 'yyyy-MM-dd'. The form value comes back as 'yyyy-MM-dd +0800'. No `label` field. */
export function datePicker(opts: { name: string; placeholder?: string; initialDate?: string; required?: boolean; width?: 'default' | 'fill' }): CardElement {
  return {
    tag: 'date_picker',
    name: opts.name,
    ...(opts.placeholder ? { placeholder: text(opts.placeholder) } : {}),
    ...(opts.required ? { required: true } : {}),
    ...(opts.width ? { width: opts.width } : {}),
    ...(opts.initialDate && /^\d{4}-\d{2}-\d{2}$/.test(opts.initialDate) ? { initial_date: opts.initialDate } : {}),
  };
}

/** A chart drawn by the client with VChart from `spec` (plain data, no functions). Keep it out of forms (DOC CONFLICT). */
export function chart(opts: {
  spec: Record<string, unknown>;
  aspectRatio?: '1:1' | '2:1' | '4:3' | '16:9';
  height?: string;
  colorTheme?: 'brand' | 'rainbow' | 'complementary' | 'converse' | 'primary';
  preview?: boolean;
}): CardElement {
  return {
    tag: 'chart',
    chart_spec: opts.spec,
    ...(opts.aspectRatio ? { aspect_ratio: opts.aspectRatio } : {}),
    ...(opts.height ? { height: opts.height } : {}),
    ...(opts.colorTheme ? { color_theme: opts.colorTheme } : {}),
    ...(opts.preview !== undefined ? { preview: opts.preview } : {}),
  };
}
