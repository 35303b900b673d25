// Sandbox UI: Feishu card JSON (2.0, and 1.0 reasonably) → HTML string, imitating the Feishu client
// (card-components.md). Pure ES module: no DOM, importable by the browser and by vitest.
//
// Interactive components are rendered as plain HTML controls carrying what app.js needs to send the
// callback: `data-fc-action` (what fires), `data-tag`, `data-name`, `data-value` (the callback value as
// JSON), `data-url` (open_url), `data-confirm`, and for form fields `data-fc-field` + `name`.
// Every text is escaped; style values are only emitted from validated numbers and colour names.
import { colorClass, escapeHtml, personChipHtml, renderInline, renderMarkdown, safeUrl, hueOf, avatarText } from './card/markdown.js';
import { renderChart } from './card/chart.js';

export { escapeHtml, renderInline, renderMarkdown } from './card/markdown.js';

/**
 * @typedef {object} RenderOptions
 * @property {string} [messageId] The message carrying the card (written on the root element).
 * @property {(openId: string) => string | undefined} [nameOf] Display names for <at>, person, tables.
 * @property {string} [currentOpenId] The viewer; their own @mentions are highlighted.
 */

/**
 * @typedef {object} Ctx
 * @property {string} messageId
 * @property {import('./card/markdown.js').TextContext} text
 * @property {boolean} inForm
 * @property {number} depth
 * @property {{ n: number }} seq
 * @property {Record<string, string>} customColors `config.style.color` names → CSS colour
 */

/** @param {unknown} v @returns {v is Record<string, any>} */
const isObj = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);

export const HEADER_TEMPLATES = ['blue', 'wathet', 'turquoise', 'green', 'yellow', 'orange', 'red', 'carmine', 'violet', 'purple', 'indigo', 'grey', 'default'];
const MAX_DEPTH = 8;

/**
 * Renders a card to HTML.
 * @param {unknown} cardJson The card object (or its JSON string); `{type:'raw',data}` is unwrapped.
 * @param {RenderOptions} [options]
 * @returns {string}
 */
export function renderCard(cardJson, options = {}) {
  let card = cardJson;
  if (typeof card === 'string') {
    try {
      card = JSON.parse(card);
    } catch {
      return `<div class="fc-card fc-card--broken">${unsupported('无法解析的卡片 JSON')}</div>`;
    }
  }
  if (isObj(card) && card.type === 'raw' && isObj(card.data)) card = card.data;
  const messageId = String(options.messageId ?? '');
  const rootAttrs = `data-message-id="${escapeHtml(messageId)}"`;
  if (!isObj(card)) return `<div class="fc-card" ${rootAttrs}>${unsupported('空卡片')}</div>`;
  if (card.type === 'template') {
    const id = isObj(card.data) ? card.data.template_id : undefined;
    return `<div class="fc-card" ${rootAttrs}><div class="fc-body"><div class="fc-unsupported">模板卡片（${escapeHtml(id ?? '未知模板')}）：沙箱无法展开卡片模板</div></div></div>`;
  }

  const v2 = card.schema === '2.0';
  const config = isObj(card.config) ? card.config : {};
  /** @type {Ctx} */
  const ctx = {
    messageId,
    text: { nameOf: options.nameOf, currentOpenId: options.currentOpenId },
    inForm: false,
    depth: 0,
    seq: { n: 0 },
    customColors: customColors(config),
  };

  const header = isObj(card.header) ? card.header : isObj(card.i18n_header) ? pickLocale(card.i18n_header) : undefined;
  /** @type {unknown[]} */
  let elements;
  /** @type {Record<string, any>} */
  let body = {};
  if (v2) {
    body = isObj(card.body) ? card.body : {};
    elements = Array.isArray(body.elements) ? body.elements : [];
  } else {
    elements = Array.isArray(card.elements) ? card.elements : isObj(card.i18n_elements) ? asArray(pickLocale(card.i18n_elements)) : [];
  }

  const width = config.width_mode === 'fill' ? 'fill' : config.width_mode === 'compact' ? 'compact' : 'default';
  const headerHtml = header ? renderHeader(header, ctx) : '';
  const bodyStyle = layoutStyle(body, ctx);
  const bodyHtml = elements.length ? `<div class="fc-body${body.direction === 'horizontal' ? ' fc-row' : ''}"${styleAttr(bodyStyle)}>${renderElements(elements, ctx)}</div>` : '';
  const link = isObj(card.card_link) ? safeUrl(card.card_link.pc_url || card.card_link.url) : null;
  return `<div class="fc-card fc-card--${v2 ? 'v2' : 'v1'} fc-width--${width}" ${rootAttrs}${link ? ` data-card-link="${escapeHtml(link)}"` : ''}>${headerHtml}${bodyHtml || (headerHtml ? '' : '<div class="fc-body fc-body--empty"></div>')}</div>`;
}

/** @param {Record<string, any>} map */
function pickLocale(map) {
  return map.zh_cn ?? map.zh_hk ?? map.zh_tw ?? map.en_us ?? Object.values(map)[0];
}

/** @param {unknown} v @returns {unknown[]} */
const asArray = (v) => (Array.isArray(v) ? v : []);

// ------------------------------------------------------------------------------------------ text

/** The content of a text object, honouring `i18n_content`. @param {unknown} t */
function contentOf(t) {
  if (typeof t === 'string') return t;
  if (!isObj(t)) return '';
  if (typeof t.content === 'string' && t.content !== '') return t.content;
  if (isObj(t.i18n_content)) return String(pickLocale(t.i18n_content) ?? '');
  if (isObj(t.i18n)) return String(pickLocale(t.i18n) ?? '');
  return typeof t.content === 'string' ? t.content : '';
}

/** A text object (`plain_text` | `lark_md` | `markdown`) as inline HTML. @param {unknown} t @param {Ctx} ctx */
function textHtml(t, ctx) {
  const content = contentOf(t);
  const tag = isObj(t) ? t.tag : 'plain_text';
  if (tag === 'lark_md') return renderInline(content, ctx.text);
  if (tag === 'markdown') return renderMarkdown(content, ctx.text);
  return escapeHtml(content).replace(/\n/g, '<br>');
}

/** Plain text of a text object (for attributes and options). @param {unknown} t */
const plain = (t) => contentOf(t);

const TEXT_SIZES = /** @type {Record<string, string>} */ ({
  'heading-0': 'h0', 'xxxx-large': 'h0', 'heading-1': 'h1', 'xxx-large': 'h1', 'heading-2': 'h2', 'xx-large': 'h2',
  'heading-3': 'h3', 'x-large': 'h3', 'heading-4': 'h4', heading: 'h4', large: 'large',
  normal: 'normal', medium: 'normal', notation: 'small', small: 'small', 'x-small': 'xsmall',
});

/** @param {unknown} size */
const sizeClass = (size) => `fc-size--${TEXT_SIZES[String(size)] ?? 'normal'}`;

/** @param {unknown} align */
const alignClass = (align) => (align === 'center' || align === 'right' ? ` fc-align--${align}` : '');

// ---------------------------------------------------------------------------------- styles / colours

/** Base colours of the enum (card-components §8.2, light mode). */
const BASE_COLORS = /** @type {Record<string, string>} */ ({
  blue: '#1456F0', carmine: '#B82879', green: '#1A7526', indigo: '#4752E6', lime: '#5C6D08', grey: '#646A73',
  orange: '#A44904', purple: '#7A35F0', red: '#C02A26', sunflower: '#8F7C00', turquoise: '#067062',
  violet: '#A630A6', wathet: '#076A94', yellow: '#865B03', neutral: '#646A73',
});
/** Shades as a mix with white (light shades) or black (dark shades); the base name is the -600 shade. */
const SHADE_MIX = /** @type {Record<string, [string, number]>} */ ({
  '00': ['white', 0], 50: ['white', 6], 100: ['white', 12], 200: ['white', 22], 300: ['white', 35], 350: ['white', 45],
  400: ['white', 62], 500: ['white', 80], 600: ['white', 100], 650: ['black', 92], 700: ['black', 82], 800: ['black', 68],
  900: ['black', 52], 950: ['black', 40], 1000: ['black', 30],
});

/** @param {Record<string, any>} config @returns {Record<string, string>} */
function customColors(config) {
  /** @type {Record<string, string>} */
  const out = {};
  const colors = isObj(config.style) && isObj(config.style.color) ? config.style.color : {};
  for (const [name, v] of Object.entries(colors)) {
    const light = isObj(v) ? v.light_mode : undefined;
    if (typeof light === 'string' && /^(rgba?\(\s*[\d.\s,%]+\)|#[0-9a-f]{3,8})$/i.test(light.trim())) out[name] = light.trim();
  }
  return out;
}

/**
 * A colour name as a CSS colour. In a background, a bare base name means its light tint: Feishu
 * shows `background_style: "grey"` as a pale grey panel (UNCONFIRMED for other hues; the docs
 * only show images).
 * @param {unknown} name @param {Ctx} ctx @param {boolean} [background]
 */
function cssColor(name, ctx, background = false) {
  if (typeof name !== 'string' || name === 'default' || name === 'transparent') return '';
  if (ctx.customColors[name]) return ctx.customColors[name];
  const m = /^([a-z]+)(?:-(\d{2,4}))?$/.exec(name.toLowerCase().replace(/^gray/, 'grey'));
  if (!m) return name === 'white' || name === 'bg-white' ? '#FFFFFF' : '';
  const base = BASE_COLORS[/** @type {string} */ (m[1])];
  if (!base) return '';
  const shade = m[2] ?? (background ? '50' : '600');
  const mix = SHADE_MIX[shade];
  if (!mix) return base;
  return mix[1] === 100 ? base : `color-mix(in srgb, ${base} ${mix[1]}%, ${mix[0]})`;
}

/** A px length (or the 1/2/4-value shorthand); anything else is dropped. @param {unknown} v */
function pxShorthand(v) {
  if (typeof v === 'number') return `${v}px`;
  if (typeof v !== 'string') return '';
  const parts = v.trim().split(/\s+/);
  if (parts.length > 4 || !parts.every((p) => /^-?\d{1,3}(px)?$/.test(p))) return '';
  return parts.map((p) => (p.endsWith('px') ? p : `${p}px`)).join(' ');
}

const SPACING = /** @type {Record<string, string>} */ ({ small: '4px', medium: '8px', large: '12px', extra_large: '16px' });
/** @param {unknown} v */
const spacing = (v) => (typeof v === 'string' ? SPACING[v] ?? pxShorthand(v) : '');

/** Container layout props (card-components §1.5) as inline CSS. @param {Record<string, any>} el @param {Ctx} ctx */
function layoutStyle(el, ctx) {
  const s = [];
  const padding = pxShorthand(el.padding);
  if (padding) s.push(`padding:${padding}`);
  const v = spacing(el.vertical_spacing);
  const h = spacing(el.horizontal_spacing);
  if (el.direction === 'horizontal' ? h : v) s.push(`gap:${el.direction === 'horizontal' ? h : v}`);
  if (el.direction === 'horizontal') {
    if (el.horizontal_align === 'center' || el.horizontal_align === 'right') s.push(`justify-content:${el.horizontal_align === 'right' ? 'flex-end' : 'center'}`);
    if (el.vertical_align === 'center' || el.vertical_align === 'bottom') s.push(`align-items:${el.vertical_align === 'bottom' ? 'flex-end' : 'center'}`);
  } else if (el.horizontal_align === 'center' || el.horizontal_align === 'right') {
    s.push(`align-items:${el.horizontal_align === 'right' ? 'flex-end' : 'center'}`);
  }
  const bg = cssColor(el.background_style ?? el.background_color, ctx, true);
  if (bg) s.push(`background:${bg}`);
  return s;
}

/** @param {string[]} rules */
const styleAttr = (rules) => (rules.length ? ` style="${escapeHtml(rules.join(';'))}"` : '');

/** Attributes every component root gets: element_id and margin. @param {Record<string, any>} el @param {string[]} [extraStyle] */
function baseAttrs(el, extraStyle = []) {
  const style = [...extraStyle];
  const margin = pxShorthand(el.margin);
  if (margin && margin !== '0px') style.push(`margin:${margin}`);
  const id = typeof el.element_id === 'string' ? ` data-element-id="${escapeHtml(el.element_id)}"` : '';
  return `${id}${styleAttr(style)}`;
}

// ---------------------------------------------------------------------------------- interaction data

/**
 * Callback value, URL and confirm of an interactive component, as data attributes.
 * Feishu sends a callback for every interactive component unless it only opens a URL
 * (card-components §4.0); legacy 1.0 `value` / `url` / `multi_url` are honoured too.
 * @param {Record<string, any>} el
 */
function interactionAttrs(el) {
  const behaviors = asArray(el.behaviors).filter(isObj);
  const callback = behaviors.find((b) => b.type === 'callback');
  const open = behaviors.find((b) => b.type === 'open_url');
  const value = callback ? callback.value : el.value;
  const url = safeUrl(open ? open.pc_url || open.default_url : el.url || (isObj(el.multi_url) ? el.multi_url.pc_url || el.multi_url.url : undefined));
  const sendsCallback = Boolean(callback) || !open;
  let out = ` data-callback="${sendsCallback ? '1' : '0'}"`;
  if (value !== undefined) out += ` data-value="${escapeHtml(JSON.stringify(value))}"`;
  if (url) out += ` data-url="${escapeHtml(url)}"`;
  if (isObj(el.confirm)) out += ` data-confirm="${escapeHtml(JSON.stringify({ title: plain(el.confirm.title), text: plain(el.confirm.text) }))}"`;
  return out;
}

/** @param {Ctx} ctx */
function nextId(ctx) {
  ctx.seq.n += 1;
  return `fc-${ctx.messageId.replace(/[^\w-]/g, '') || 'card'}-${ctx.seq.n}`;
}

/** @param {Record<string, any>} el */
function nameAttrs(el) {
  return typeof el.name === 'string' && el.name ? ` name="${escapeHtml(el.name)}" data-name="${escapeHtml(el.name)}"` : '';
}

/** @param {Record<string, any>} el */
const isDisabled = (el) => el.disabled === true;

/** @param {Record<string, any>} el */
function disabledAttrs(el) {
  if (!isDisabled(el)) return '';
  const tips = plain(el.disabled_tips);
  return ` disabled${tips ? ` title="${escapeHtml(tips)}"` : ''}`;
}

/** @param {unknown} w */
function widthClass(w) {
  if (w === 'fill') return ' fc-w--fill';
  return '';
}

/** @param {unknown} w @returns {string[]} */
function widthStyle(w) {
  const m = typeof w === 'string' ? /^(\d{2,3})px$/.exec(w) : null;
  return m ? [`width:${m[1]}px`, 'max-width:100%'] : [];
}

// ---------------------------------------------------------------------------------- components

/** @typedef {(el: Record<string, any>, ctx: Ctx) => string} Renderer */

/** @param {unknown[]} elements @param {Ctx} ctx */
function renderElements(elements, ctx) {
  return elements.map((el) => renderElement(el, ctx)).join('');
}

/** @param {unknown} el @param {Ctx} ctx @returns {string} */
function renderElement(el, ctx) {
  if (!isObj(el)) return '';
  const tag = typeof el.tag === 'string' ? el.tag : '';
  const render = RENDERERS[tag];
  if (!render) return unsupported(`不支持的组件: ${tag || '（无 tag）'}`);
  if (ctx.depth >= MAX_DEPTH) return unsupported('嵌套层级过深');
  try {
    return render(el, { ...ctx, depth: ctx.depth + 1 });
  } catch {
    return unsupported(`组件渲染失败: ${tag}`);
  }
}

/** @param {string} text */
function unsupported(text) {
  return `<div class="fc-unsupported">${escapeHtml(text)}</div>`;
}

/** @param {Record<string, any>} header @param {Ctx} ctx */
function renderHeader(header, ctx) {
  const template = HEADER_TEMPLATES.includes(header.template) ? header.template : 'default';
  const titleText = contentOf(header.title);
  const subtitleText = contentOf(header.subtitle);
  // If only a subtitle is set, Feishu shows it as the title (card-components §1.4).
  const title = titleText ? header.title : subtitleText ? header.subtitle : undefined;
  const subtitle = titleText && subtitleText ? header.subtitle : undefined;
  const tagList = asArray(isObj(header.i18n_text_tag_list) ? pickLocale(header.i18n_text_tag_list) : header.text_tag_list).filter(isObj).slice(0, 3);
  const tags = tagList.map((t) => `<span class="fc-tag fc-tag--${colorClass(t.color) || 'blue'}">${escapeHtml(plain(t.text))}</span>`).join('');
  const inline = (/** @type {unknown} */ t) => (isObj(t) && t.tag === 'lark_md' ? renderInline(contentOf(t), ctx.text) : escapeHtml(contentOf(t)));
  const padding = pxShorthand(header.padding);
  return (
    `<div class="fc-header fc-header--${template}"${padding ? ` style="padding:${padding}"` : ''}>` +
    `<div class="fc-header-row"><div class="fc-header-title">${title ? inline(title) : ''}</div>${tags ? `<div class="fc-header-tags">${tags}</div>` : ''}</div>` +
    (subtitle ? `<div class="fc-header-subtitle">${inline(subtitle)}</div>` : '') +
    '</div>'
  );
}

/** @type {Renderer} */
function markdownEl(el, ctx) {
  const content = contentOf(el);
  return `<div class="fc-markdown ${sizeClass(el.text_size)}${alignClass(el.text_align)}"${baseAttrs(el)}>${renderMarkdown(content, ctx.text)}</div>`;
}

/** @type {Renderer} */
function divEl(el, ctx) {
  const parts = [];
  if (isObj(el.text)) {
    const t = el.text;
    const color = t.tag !== 'lark_md' ? colorClass(t.text_color) : '';
    const lines = Number.isInteger(t.lines) && t.lines > 0 ? [`-webkit-line-clamp:${t.lines}`] : [];
    parts.push(`<div class="fc-text ${sizeClass(t.text_size)}${alignClass(t.text_align)}${color && color !== 'default' ? ` fc-color--${color}` : ''}${lines.length ? ' fc-clamp' : ''}"${styleAttr(lines)}>${textHtml(t, ctx)}</div>`);
  }
  const fields = asArray(el.fields).filter(isObj);
  if (fields.length) {
    parts.push(`<div class="fc-fields">${fields.map((f) => `<div class="fc-fields-item${f.is_short ? ' fc-fields-item--short' : ''}">${textHtml(f.text, ctx)}</div>`).join('')}</div>`);
  }
  const extra = isObj(el.extra) ? `<div class="fc-div-extra">${renderElement(el.extra, ctx)}</div>` : '';
  const inner = parts.join('');
  return `<div class="fc-div${extra ? ' fc-div--extra' : ''}${widthClass(el.width)}"${baseAttrs(el, widthStyle(el.width))}>${extra ? `<div class="fc-div-main">${inner}</div>${extra}` : inner}</div>`;
}

/** @type {Renderer} */
function hrEl(el) {
  return `<hr class="fc-hr"${baseAttrs(el)}>`;
}

/** JSON 1.0 `note`: small grey texts and icons. @type {Renderer} */
function noteEl(el, ctx) {
  const items = asArray(el.elements).filter(isObj).map((e) => (e.tag === 'img' ? '<span class="fc-note-img" aria-hidden="true"></span>' : `<span>${textHtml(e, ctx)}</span>`));
  return `<div class="fc-note"${baseAttrs(el)}>${items.join('')}</div>`;
}

/** @type {Renderer} */
function columnSetEl(el, ctx) {
  const style = layoutStyle({ horizontal_spacing: el.horizontal_spacing, background_style: el.background_style, direction: 'horizontal', horizontal_align: el.horizontal_align }, ctx);
  const flex = ['stretch', 'flow', 'bisect', 'trisect'].includes(el.flex_mode) ? el.flex_mode : 'none';
  const url = isObj(el.action) && isObj(el.action.multi_url) ? safeUrl(el.action.multi_url.pc_url || el.action.multi_url.url) : null;
  const columns = asArray(el.columns)
    .filter(isObj)
    .map((col) => {
      const colStyle = layoutStyle({ ...col, direction: col.direction ?? 'vertical' }, ctx);
      if (col.width === 'weighted') colStyle.push(`flex:${Math.min(5, Math.max(1, Number(col.weight) || 1))} 1 0`);
      else if (typeof col.width === 'string' && /^\d{2,3}px$/.test(col.width)) colStyle.push(`flex:0 0 ${col.width}`);
      else colStyle.push('flex:0 1 auto');
      if (col.vertical_align === 'center' || col.vertical_align === 'bottom') colStyle.push(`justify-content:${col.vertical_align === 'bottom' ? 'flex-end' : 'center'}`);
      const colUrl = isObj(col.action) && isObj(col.action.multi_url) ? safeUrl(col.action.multi_url.pc_url || col.action.multi_url.url) : null;
      return `<div class="fc-column${col.direction === 'horizontal' ? ' fc-row' : ''}"${colUrl ? ` data-fc-action="link" data-url="${escapeHtml(colUrl)}"` : ''}${baseAttrs(col, colStyle)}>${renderElements(asArray(col.elements), ctx)}</div>`;
    });
  return `<div class="fc-columns fc-flex--${flex}"${url ? ` data-fc-action="link" data-url="${escapeHtml(url)}"` : ''}${baseAttrs(el, style)}>${columns.join('')}</div>`;
}

/** @type {Renderer} */
function collapsiblePanelEl(el, ctx) {
  const h = isObj(el.header) ? el.header : {};
  const border = isObj(el.border);
  const style = layoutStyle({ background_style: el.background_color }, ctx);
  if (border) {
    style.push(`border-color:${cssColor(el.border.color ?? 'grey', ctx, true) || '#DEE0E3'}`);
    const r = pxShorthand(el.border.corner_radius);
    if (r) style.push(`border-radius:${r}`);
  }
  const bodyStyle = layoutStyle({ padding: el.padding, vertical_spacing: el.vertical_spacing, direction: el.direction, horizontal_spacing: el.horizontal_spacing }, ctx);
  const headerStyle = layoutStyle({ background_style: h.background_color, padding: h.padding }, ctx);
  return (
    `<details class="fc-panel${border ? ' fc-panel--border' : ''}"${el.expanded === true ? ' open' : ''}${baseAttrs(el, style)}>` +
    `<summary class="fc-panel-header${h.icon_position === 'left' ? ' fc-panel-header--icon-left' : ''}"${styleAttr(headerStyle)}><span class="fc-panel-title">${textHtml(h.title, ctx)}</span><span class="fc-panel-arrow" aria-hidden="true"></span></summary>` +
    `<div class="fc-panel-body${el.direction === 'horizontal' ? ' fc-row' : ''}"${styleAttr(bodyStyle)}>${renderElements(asArray(el.elements), ctx)}</div></details>`
  );
}

/** @type {Renderer} */
function interactiveContainerEl(el, ctx) {
  const style = layoutStyle(el, ctx);
  if (el.has_border) style.push(`border:1px solid ${cssColor(el.border_color ?? 'grey', ctx, true) || '#DEE0E3'}`);
  const radius = typeof el.corner_radius === 'string' && /^\d{1,3}(px|%)$/.test(el.corner_radius) ? el.corner_radius : '';
  if (radius) style.push(`border-radius:${radius}`);
  style.push(...widthStyle(el.width));
  const hover = plain(el.hover_tips);
  const disabled = isDisabled(el);
  return (
    `<div class="fc-container fc-interactive${el.direction === 'horizontal' ? ' fc-row' : ''}${el.background_style === 'laser' ? ' fc-laser' : ''}${disabled ? ' fc-disabled' : ''}" role="button" tabindex="${disabled ? '-1' : '0'}"` +
    ` data-fc-action="container" data-tag="interactive_container"${disabled ? ' aria-disabled="true"' : ''}${interactionAttrs(el)}${hover ? ` title="${escapeHtml(hover)}"` : ''}${baseAttrs(el, style)}>` +
    `${renderElements(asArray(el.elements), ctx)}</div>`
  );
}

/** @type {Renderer} */
function formEl(el, ctx) {
  const style = layoutStyle(el, ctx);
  return `<form class="fc-form${el.direction === 'horizontal' ? ' fc-row' : ''}" data-form-name="${escapeHtml(el.name ?? '')}" novalidate autocomplete="off"${baseAttrs(el, style)}>${renderElements(asArray(el.elements), { ...ctx, inForm: true })}</form>`;
}

/**
 * A labelled field wrapper with the required marker and the (hidden) required-field message.
 * @param {Record<string, any>} el @param {string} id @param {string} control @param {Ctx} ctx
 */
function field(el, id, control, ctx) {
  const label = plain(el.label);
  const required = isRequired(el, ctx);
  const labelHtml = label ? `<label class="fc-label" for="${id}">${escapeHtml(label)}${required ? '<span class="fc-required" aria-label="必填">*</span>' : ''}</label>` : '';
  const position = el.label_position === 'left' ? 'left' : 'top';
  return `<div class="fc-field fc-field--label-${position}${widthClass(el.width)}"${baseAttrs(el, widthStyle(el.width))}>${labelHtml}<div class="fc-field-control">${control}<div class="fc-field-error" role="alert">此项为必填项</div></div></div>`;
}

/**
 * `required` only means something inside a form. multi_select_static's field table gives it a
 * default of true (card-components §4.5), so an omitted flag makes a multi-select required.
 * @param {Record<string, any>} el @param {Ctx} ctx
 */
function isRequired(el, ctx) {
  if (!ctx.inForm) return false;
  const multi = el.tag === 'multi_select_static' || el.tag === 'multi_select_person';
  return el.required === true || (multi && el.required !== false);
}

/**
 * @param {Record<string, any>} el @param {Ctx} ctx
 * @param {boolean} [nameAttr] false for elements where `name` means something else (<details name> is an accordion group)
 */
function fieldAttrs(el, ctx, nameAttr = true) {
  const required = isRequired(el, ctx) ? ' data-required="true"' : '';
  const name = nameAttr ? nameAttrs(el) : typeof el.name === 'string' && el.name ? ` data-name="${escapeHtml(el.name)}"` : '';
  // Outside a form every field change is its own callback (card-components §4.0).
  return `${name}${required}${ctx.inForm ? '' : ` data-standalone="true"${interactionAttrs(el)}`}${disabledAttrs(el)}`;
}

/** @type {Renderer} */
function inputEl(el, ctx) {
  const id = nextId(ctx);
  const placeholder = plain(el.placeholder) || '请输入';
  const max = Number.isInteger(el.max_length) && el.max_length > 0 ? Math.min(1000, el.max_length) : 1000;
  const value = typeof el.default_value === 'string' ? el.default_value : isObj(el.i18n_default_value) ? String(pickLocale(el.i18n_default_value) ?? '') : '';
  const common = `id="${id}" class="fc-input" data-fc-field="input" data-tag="input" placeholder="${escapeHtml(placeholder)}" maxlength="${max}"${fieldAttrs(el, ctx)}`;
  let control;
  if (el.input_type === 'multiline_text') {
    const rows = Number.isInteger(el.rows) && el.rows > 0 ? Math.min(20, el.rows) : 5;
    control = `<textarea ${common} rows="${rows}">${escapeHtml(value)}</textarea>`;
  } else {
    control = `<input ${common} type="${el.input_type === 'password' ? 'password' : 'text'}" value="${escapeHtml(value)}">`;
  }
  if (!ctx.inForm) control = `<div class="fc-input-submit">${control}<span class="fc-input-hint">回车提交</span></div>`;
  return field(el, id, control, ctx);
}

/** @param {Record<string, any>} el @param {Ctx} ctx @param {boolean} person */
function optionsOf(el, ctx, person) {
  return asArray(el.options)
    .filter(isObj)
    .map((o) => {
      const value = String(o.value ?? '');
      const text = person ? ctx.text.nameOf?.(value) ?? plain(o.text) ?? value : plain(o.text) || value;
      return { value, text: text || value };
    });
}

/** @param {boolean} person @returns {Renderer} */
const selectEl = (person) => (el, ctx) => {
  const id = nextId(ctx);
  const options = optionsOf(el, ctx, person);
  let initial = typeof el.initial_option === 'string' ? el.initial_option : '';
  if (!initial && Number.isInteger(el.initial_index) && el.initial_index > 0) initial = options[el.initial_index - 1]?.value ?? '';
  const placeholder = plain(el.placeholder) || (person ? '请选择人员' : '请选择');
  const opts = options.map((o) => `<option value="${escapeHtml(o.value)}"${o.value === initial ? ' selected' : ''}>${escapeHtml(o.text)}</option>`).join('');
  const control = `<select id="${id}" class="fc-select${el.type === 'text' ? ' fc-select--text' : ''}" data-fc-field="${person ? 'select_person' : 'select_static'}" data-tag="${person ? 'select_person' : 'select_static'}"${fieldAttrs(el, ctx)}><option value=""${initial ? '' : ' selected'} disabled hidden>${escapeHtml(placeholder)}</option>${opts}</select>`;
  return field(el, id, control, ctx);
};

/** @param {boolean} person @returns {Renderer} */
const multiSelectEl = (person) => (el, ctx) => {
  const id = nextId(ctx);
  const options = optionsOf(el, ctx, person);
  const selected = new Set(asArray(el.selected_values).map(String));
  const placeholder = plain(el.placeholder) || '请选择';
  const chosen = options.filter((o) => selected.has(o.value));
  const summary = chosen.length ? chosen.map((o) => `<span class="fc-chip">${escapeHtml(o.text)}</span>`).join('') : `<span class="fc-placeholder">${escapeHtml(placeholder)}</span>`;
  const items = options
    .map((o) => `<label class="fc-multi-option"><input type="checkbox" value="${escapeHtml(o.value)}" data-label="${escapeHtml(o.text)}"${selected.has(o.value) ? ' checked' : ''}${isDisabled(el) ? ' disabled' : ''}><span class="fc-check-box" aria-hidden="true"></span><span>${escapeHtml(o.text)}</span></label>`)
    .join('');
  const control =
    `<details id="${id}" class="fc-multi" data-fc-field="${person ? 'multi_select_person' : 'multi_select_static'}" data-tag="${person ? 'multi_select_person' : 'multi_select_static'}" data-placeholder="${escapeHtml(placeholder)}"${fieldAttrs(el, ctx, false)}>` +
    `<summary class="fc-select fc-multi-summary"><span class="fc-multi-value">${summary}</span></summary><div class="fc-multi-menu">${items}</div></details>`;
  return field(el, id, control, ctx);
};

/** @param {'date_picker' | 'picker_time' | 'picker_datetime'} kind @returns {Renderer} */
const pickerEl = (kind) => (el, ctx) => {
  const id = nextId(ctx);
  const type = kind === 'date_picker' ? 'date' : kind === 'picker_time' ? 'time' : 'datetime-local';
  const raw = String((kind === 'date_picker' ? el.initial_date : kind === 'picker_time' ? el.initial_time : el.initial_datetime) ?? '');
  const value = kind === 'picker_datetime' ? raw.replace(' ', 'T') : raw;
  const valid = kind === 'date_picker' ? /^\d{4}-\d{2}-\d{2}$/ : kind === 'picker_time' ? /^\d{2}:\d{2}$/ : /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;
  const placeholder = plain(el.placeholder);
  const control = `<input id="${id}" type="${type}" class="fc-input fc-picker" data-fc-field="${kind}" data-tag="${kind}"${valid.test(value) ? ` value="${escapeHtml(value)}"` : ''}${placeholder ? ` placeholder="${escapeHtml(placeholder)}" title="${escapeHtml(placeholder)}"` : ''}${fieldAttrs(el, ctx)}>`;
  return field(el, id, control, ctx);
};

/** @type {Renderer} */
function checkerEl(el, ctx) {
  const id = nextId(ctx);
  const t = isObj(el.text) ? el.text : {};
  const strike = isObj(el.checked_style) && el.checked_style.show_strikethrough === true;
  const hasCallback = asArray(el.behaviors).some((b) => isObj(b) && b.type === 'callback');
  // Without a callback behaviour a standalone checker only ticks locally (card-components §4.0).
  const standalone = ctx.inForm ? '' : hasCallback ? ` data-standalone="true"${interactionAttrs(el)}` : ' data-local="true"';
  const buttons = isObj(el.button_area) ? asArray(el.button_area.buttons).slice(0, 3).map((b) => renderElement(b, ctx)).join('') : '';
  return (
    `<div class="fc-checker${strike ? ' fc-checker--strike' : ''}"${baseAttrs(el)}>` +
    `<label class="fc-checker-main" for="${id}"><input id="${id}" type="checkbox" class="fc-checker-input" data-fc-field="checker" data-tag="checker"${nameAttrs(el)}${el.checked === true ? ' checked' : ''}${standalone}${disabledAttrs(el)}>` +
    `<span class="fc-check-box" aria-hidden="true"></span><span class="fc-checker-text ${sizeClass(t.text_size)}">${textHtml(t, ctx)}</span></label>` +
    (buttons ? `<div class="fc-checker-buttons">${buttons}</div>` : '') +
    '</div>'
  );
}

const BUTTON_TYPES = ['default', 'primary', 'danger', 'text', 'primary_text', 'danger_text', 'primary_filled', 'danger_filled', 'laser'];

/** @type {Renderer} */
function buttonEl(el) {
  const type = BUTTON_TYPES.includes(el.type) ? el.type : 'default';
  const size = ['tiny', 'small', 'medium', 'large'].includes(el.size) ? el.size : 'medium';
  const formAction = el.form_action_type ?? (el.action_type === 'form_submit' ? 'submit' : el.action_type === 'form_reset' ? 'reset' : undefined);
  const hover = plain(el.hover_tips);
  const disabledTips = isDisabled(el) ? plain(el.disabled_tips) : '';
  const title = disabledTips || hover;
  return (
    `<button type="button" class="fc-btn fc-btn--${type} fc-btn--${size}${widthClass(el.width)}" data-fc-action="button" data-tag="button"` +
    `${typeof el.name === 'string' && el.name ? ` data-name="${escapeHtml(el.name)}"` : ''}` +
    `${formAction === 'submit' || formAction === 'reset' ? ` data-form-action="${formAction}"` : ''}` +
    `${interactionAttrs(el)}${isDisabled(el) ? ' disabled' : ''}${title ? ` title="${escapeHtml(title)}"` : ''}${baseAttrs(el, widthStyle(el.width))}>` +
    `<span class="fc-btn-text">${escapeHtml(plain(el.text)) || '按钮'}</span></button>`
  );
}

/** @type {Renderer} */
function overflowEl(el) {
  const options = asArray(el.options)
    .filter(isObj)
    .map((o) => {
      const url = isObj(o.multi_url) ? safeUrl(o.multi_url.pc_url || o.multi_url.url) : null;
      return `<button type="button" class="fc-overflow-item" data-fc-action="overflow"${o.value !== undefined ? ` data-option="${escapeHtml(String(o.value))}"` : ''}${url ? ` data-url="${escapeHtml(url)}"` : ''}>${escapeHtml(plain(o.text))}</button>`;
    })
    .join('');
  return `<details class="fc-overflow" data-tag="overflow"${interactionAttrs(el)}${baseAttrs(el)}><summary class="fc-overflow-trigger" aria-label="更多">···</summary><div class="fc-overflow-menu">${options}</div></details>`;
}

/** An uploaded image the sandbox cannot fetch: a labelled placeholder. @param {string} alt @param {string} key @param {string} cls */
function imagePlaceholder(alt, key, cls) {
  return `<div class="fc-img ${cls}" title="${escapeHtml(alt || key)}"><span class="fc-img-icon" aria-hidden="true"></span><span class="fc-img-label">${escapeHtml(alt || '图片')}</span></div>`;
}

/** @type {Renderer} */
function imgEl(el) {
  const size = typeof el.size === 'string' && ['stretch', 'large', 'medium', 'small', 'tiny'].includes(el.size) ? el.size : el.scale_type === 'fit_horizontal' || !el.size ? 'stretch' : 'custom';
  const title = plain(el.title);
  const img = imagePlaceholder(plain(el.alt), String(el.img_key ?? ''), `fc-img--${size}`);
  return `<figure class="fc-figure"${baseAttrs(el)}>${img}${title ? `<figcaption>${escapeHtml(title)}</figcaption>` : ''}</figure>`;
}

/** @type {Renderer} */
function imgCombinationEl(el) {
  const caps = /** @type {Record<string, number>} */ ({ double: 2, triple: 3, bisect: 6, trisect: 9 });
  const mode = caps[el.combination_mode] ? el.combination_mode : 'bisect';
  const imgs = asArray(el.img_list).filter(isObj).slice(0, caps[mode]);
  return `<div class="fc-img-grid fc-img-grid--${mode}"${baseAttrs(el)}>${imgs.map((i) => imagePlaceholder('', String(i.img_key ?? ''), 'fc-img--cell')).join('')}</div>`;
}

/** @type {Renderer} */
function selectImgEl(el, ctx) {
  const multi = ctx.inForm && el.multi_select === true;
  const layout = ['stretch', 'bisect', 'trisect'].includes(el.layout) ? el.layout : 'bisect';
  const inputType = multi ? 'checkbox' : 'radio';
  const group = nextId(ctx);
  const items = asArray(el.options)
    .filter(isObj)
    .map((o, k) => `<label class="fc-select-img-option"><input type="${inputType}" name="${group}" value="${escapeHtml(String(o.value ?? k))}"${o.disabled ? ' disabled' : ''}>${imagePlaceholder(plain(o.hover_tips), String(o.img_key ?? ''), 'fc-img--cell')}</label>`)
    .join('');
  return `<div class="fc-img-grid fc-img-grid--${layout} fc-select-img" data-fc-field="select_img" data-tag="select_img"${multi ? ' data-multi="true"' : ''}${fieldAttrs(el, ctx, false)}${baseAttrs(el)}>${items}</div>`;
}

const PERSON_SIZES = ['extra_small', 'small', 'medium', 'large'];

/** @type {Renderer} */
function personEl(el, ctx) {
  const size = PERSON_SIZES.includes(el.size) ? el.size : 'medium';
  return `<div class="fc-person-el fc-person--${size}"${baseAttrs(el)}>${personChipHtml(String(el.user_id ?? ''), ctx.text, { showName: el.show_name === true, showAvatar: el.show_avatar !== false, capsule: el.style === 'capsule' })}</div>`;
}

/** @type {Renderer} */
function personListEl(el, ctx) {
  const size = PERSON_SIZES.includes(el.size) ? el.size : 'medium';
  const people = asArray(el.persons).filter(isObj).map((p) => personChipHtml(String(p.id ?? ''), ctx.text, { showName: el.show_name !== false, showAvatar: el.show_avatar === true }));
  return `<div class="fc-person-list fc-person--${size}"${baseAttrs(el)}>${people.join('')}</div>`;
}

const TABLE_TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

/** A `date_format` like `YYYY/MM/DD HH:mm`, in China time. @param {number} ms @param {unknown} format */
function formatDate(ms, format) {
  const parts = Object.fromEntries(TABLE_TIME.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const f = typeof format === 'string' && format ? format : 'YYYY-MM-DDTHH:mm:ss+08:00';
  return f.replace(/YYYY|MM|DD|HH|mm|ss/g, (t) => ({ YYYY: parts.year, MM: parts.month, DD: parts.day, HH: parts.hour === '24' ? '00' : parts.hour, mm: parts.minute, ss: parts.second })[t] ?? t);
}

/** @param {Record<string, any>} col @param {unknown} v @param {Ctx} ctx */
function tableCell(col, v, ctx) {
  if (v === undefined || v === null || v === '') return '';
  switch (col.data_type) {
    case 'lark_md':
      return renderInline(String(v), ctx.text);
    case 'markdown':
      return renderMarkdown(String(v), ctx.text);
    case 'number': {
      const n = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(n)) return escapeHtml(v);
      const f = isObj(col.format) ? col.format : {};
      const precision = Number.isInteger(f.precision) ? Math.min(10, Math.max(0, f.precision)) : undefined;
      const text = n.toLocaleString('en-US', { minimumFractionDigits: precision, maximumFractionDigits: precision ?? 10, useGrouping: f.separator === true });
      return escapeHtml(`${typeof f.symbol === 'string' ? f.symbol : ''}${text}`);
    }
    case 'options': {
      const items = Array.isArray(v) ? v : [{ text: v }];
      return items.map((o) => (isObj(o) ? `<span class="fc-tag fc-tag--${colorClass(o.color) || 'blue'}">${escapeHtml(o.text ?? '')}</span>` : `<span class="fc-tag fc-tag--blue">${escapeHtml(o)}</span>`)).join(' ');
    }
    case 'persons':
      return (Array.isArray(v) ? v : [v]).map((id) => personChipHtml(String(id), ctx.text, { showName: true, showAvatar: true })).join(' ');
    case 'date': {
      const ms = typeof v === 'number' ? v : Number(v);
      return Number.isFinite(ms) ? escapeHtml(formatDate(ms, col.date_format)) : escapeHtml(v);
    }
    default:
      return escapeHtml(typeof v === 'object' ? JSON.stringify(v) : v);
  }
}

/** @type {Renderer} */
function tableEl(el, ctx) {
  const columns = asArray(el.columns).filter(isObj).slice(0, 50);
  const rows = asArray(el.rows).filter(isObj);
  const pageSize = Number.isInteger(el.page_size) ? Math.min(10, Math.max(1, el.page_size)) : 5;
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  const hs = isObj(el.header_style) ? el.header_style : {};
  const headerCls = `fc-table-head${hs.background_style === 'none' ? ' fc-table-head--plain' : ''}${hs.bold === false ? ' fc-table-head--normal' : ''}`;
  const align = (/** @type {Record<string, any>} */ c) => (c.horizontal_align === 'right' || (c.horizontal_align === undefined && c.data_type === 'number') ? ' class="fc-num"' : c.horizontal_align === 'center' ? ' class="fc-center"' : '');
  const colWidth = (/** @type {Record<string, any>} */ c) => (typeof c.width === 'string' && /^\d{2,3}(px|%)$/.test(c.width) ? ` style="width:${c.width}"` : '');
  const thead = `<thead class="${headerCls}"><tr>${columns.map((c) => `<th${align(c)}${colWidth(c)}>${escapeHtml(c.display_name ?? c.name ?? '')}</th>`).join('')}</tr></thead>`;
  const tbody = rows
    .map((r, i) => {
      const page = Math.floor(i / pageSize) + 1;
      return `<tr data-page="${page}"${page > 1 ? ' hidden' : ''}>${columns.map((c) => `<td${align(c)}>${tableCell(c, r[c.name], ctx)}</td>`).join('')}</tr>`;
    })
    .join('');
  const empty = rows.length ? '' : `<tr><td class="fc-table-empty" colspan="${columns.length || 1}">暂无数据</td></tr>`;
  const pager =
    pages > 1
      ? `<div class="fc-pager" data-pages="${pages}"><button type="button" class="fc-pager-btn" data-fc-action="table-page" data-dir="-1" disabled aria-label="上一页">‹</button><span class="fc-pager-info"><span class="fc-pager-current">1</span> / ${pages}</span><button type="button" class="fc-pager-btn" data-fc-action="table-page" data-dir="1" aria-label="下一页">›</button></div>`
      : '';
  return `<div class="fc-table-block"${baseAttrs(el)}><div class="fc-table-wrap"><table class="fc-table fc-row-height--${['middle', 'high', 'auto'].includes(el.row_height) ? el.row_height : 'low'}${el.freeze_first_column ? ' fc-table--freeze' : ''}">${thead}<tbody>${tbody}${empty}</tbody></table></div>${pager}</div>`;
}

/** @type {Renderer} */
function chartEl(el) {
  return `<div class="fc-chart-block"${baseAttrs(el)}>${renderChart(el.chart_spec, { height: el.height, aspectRatio: el.aspect_ratio })}</div>`;
}

/** JSON 1.0 `action` module: a row of interactive components. @type {Renderer} */
function actionEl(el, ctx) {
  const layout = el.layout === 'bisected' || el.layout === 'trisection' ? ` fc-action--${el.layout}` : '';
  return `<div class="fc-action${layout}"${baseAttrs(el)}>${renderElements(asArray(el.actions), ctx)}</div>`;
}

/** @type {Renderer} */
function textTagEl(el) {
  return `<span class="fc-tag fc-tag--${colorClass(el.color) || 'blue'}"${baseAttrs(el)}>${escapeHtml(plain(el.text))}</span>`;
}

/** A bare text object used as an element (seen in 1.0 notes). @type {Renderer} */
function textObjEl(el, ctx) {
  return `<div class="fc-text">${textHtml(el, ctx)}</div>`;
}

/** @type {Record<string, Renderer>} */
const RENDERERS = {
  markdown: markdownEl,
  lark_md: textObjEl,
  plain_text: textObjEl,
  div: divEl,
  hr: hrEl,
  note: noteEl,
  column_set: columnSetEl,
  collapsible_panel: collapsiblePanelEl,
  interactive_container: interactiveContainerEl,
  form: formEl,
  input: inputEl,
  button: buttonEl,
  overflow: overflowEl,
  select_static: selectEl(false),
  select_person: selectEl(true),
  multi_select_static: multiSelectEl(false),
  multi_select_person: multiSelectEl(true),
  date_picker: pickerEl('date_picker'),
  picker_time: pickerEl('picker_time'),
  picker_datetime: pickerEl('picker_datetime'),
  checker: checkerEl,
  img: imgEl,
  img_combination: imgCombinationEl,
  select_img: selectImgEl,
  person: personEl,
  person_list: personListEl,
  table: tableEl,
  chart: chartEl,
  action: actionEl,
  text_tag: textTagEl,
};

/** Tags the renderer knows (for tests and the UI legend). */
export const SUPPORTED_TAGS = Object.freeze(Object.keys(RENDERERS));

/** Avatar helpers shared with app.js so chat avatars and card person chips look the same. */
export { avatarText, hueOf };
