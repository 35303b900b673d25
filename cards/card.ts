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
