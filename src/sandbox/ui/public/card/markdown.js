// Sandbox UI: the Feishu markdown / lark_md subset turned into safe HTML (card-components §3.1, §3.2).
// Pure module (no DOM), shared by the browser and vitest. Every piece of text is escaped; only the
// whitelisted Feishu tags (<font>, <at>, <text_tag>, <a>, <link>, <person>, <number_tag>,
// <local_datetime>, <br>) become HTML, and links are limited to http(s)/tel/mailto/lark.

/**
 * @typedef {object} TextContext
 * @property {(openId: string) => string | undefined} [nameOf] Display name of a person, if known.
 * @property {string} [currentOpenId] The person viewing the card (their @mentions are highlighted).
 */

const HTML_ESCAPES = /** @type {Record<string, string>} */ ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' });

/** @param {unknown} value */
export function escapeHtml(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Colour enum names accepted in <font>, text_tag, text_color… (card-components §8.2), with optional shade. */
const COLOR_NAME = /^(blue|carmine|green|indigo|lime|grey|gray|orange|purple|red|sunflower|turquoise|violet|wathet|yellow|neutral|white|black|default)(-\d{2,4})?$/;

/** @param {unknown} color @returns {string} a CSS class suffix, or '' when the colour is unknown. */
export function colorClass(color) {
  if (typeof color !== 'string') return '';
  const c = color.trim().toLowerCase().replace(/^gray/, 'grey');
  const m = COLOR_NAME.exec(c);
  return m ? (m[1] === 'gray' ? 'grey' : /** @type {string} */ (m[1])) : '';
}

/** @param {unknown} url @returns {string | null} the URL when its scheme is one a card may open. */
export function safeUrl(url) {
  if (typeof url !== 'string') return null;
  const u = url.trim();
  return /^(https?:\/\/|tel:|mailto:|lark:\/\/)/i.test(u) ? u : null;
}

/** Feishu emoji keys (`:OK:`) most likely in bot text; others are shown as written. */
const EMOJI = /** @type {Record<string, string>} */ ({
  OK: '👌', DONE: '✅', THUMBSUP: '👍', JIAYI: '➕1', SMILE: '😊', CLAP: '👏', FIRE: '🔥', MUSCLE: '💪',
  WARNING: '⚠️', ALARM: '⏰', CHECK: '✔️', CROSS: '❌', HEART: '❤️', PARTY: '🎉', SALUTE: '🫡', FINGERHEART: '🫰',
});

/** Formats <local_datetime> like the client does, in China time (the sandbox's users are in UTC+8). */
const LOCAL_DATETIME_FORMATS = /** @type {Record<string, Intl.DateTimeFormatOptions>} */ ({
  date_num: { year: 'numeric', month: '2-digit', day: '2-digit' },
  date_short: { month: 'long', day: 'numeric' },
  date: { year: 'numeric', month: 'long', day: 'numeric' },
  week: { weekday: 'long' },
  week_short: { weekday: 'short' },
  time: { hour: '2-digit', minute: '2-digit', hour12: false },
  time_sec: { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false },
});

/** @param {string} attrs @returns {Record<string, string>} */
function parseAttrs(attrs) {
  /** @type {Record<string, string>} */
  const out = {};
  const re = /([a-zA-Z_][\w-]*)\s*=\s*(?:'([^']*)'|"([^"]*)"|([^\s'">]+))/g;
  for (const m of attrs.matchAll(re)) out[/** @type {string} */ (m[1]).toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  return out;
}

/** @param {string} openId @param {TextContext} ctx */
export function mentionHtml(openId, ctx) {
  if (openId === 'all') return '<span class="fc-at fc-at--all">@所有人</span>';
  const name = ctx.nameOf?.(openId);
  const self = ctx.currentOpenId !== undefined && openId === ctx.currentOpenId;
  const label = name ?? (openId.length > 12 ? `${openId.slice(0, 10)}…` : openId);
  return `<span class="fc-at${self ? ' fc-at--me' : ''}" data-open-id="${escapeHtml(openId)}">@${escapeHtml(label)}</span>`;
}

/** @param {string} openId @param {TextContext} ctx @param {{ showName?: boolean, showAvatar?: boolean, capsule?: boolean }} opts */
export function personChipHtml(openId, ctx, opts = {}) {
  const name = ctx.nameOf?.(openId) ?? '未知用户';
  const showName = opts.showName ?? true;
  const showAvatar = opts.showAvatar ?? true;
  const avatar = showAvatar ? `<span class="fc-avatar" data-hue="${hueOf(openId)}">${escapeHtml(avatarText(name))}</span>` : '';
  return `<span class="fc-person${opts.capsule ? ' fc-person--capsule' : ''}" data-open-id="${escapeHtml(openId)}" title="${escapeHtml(name)}">${avatar}${showName ? `<span class="fc-person-name">${escapeHtml(name)}</span>` : ''}</span>`;
}

/** Feishu shows the last two characters of a Chinese name in the avatar. @param {string} name */
export function avatarText(name) {
  const n = String(name || '?').trim();
  if (/^[\u4e00-\u9fff]+$/.test(n)) return n.length > 2 ? n.slice(-2) : n;
  return n.slice(0, 1).toUpperCase();
}

/** A stable palette index 0–7 for an id. @param {string} id */
export function hueOf(id) {
  let h = 0;
  for (const ch of String(id)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % 8;
}

/**
 * Inline markdown / lark_md to HTML. Line breaks become <br>.
 * @param {unknown} source
 * @param {TextContext} [ctx]
 */
export function renderInline(source, ctx = {}) {
  /** @type {string[]} */
  const stash = [];
  /** @param {string} html */
  const keep = (html) => `\uE000${stash.push(html) - 1}\uE001`;
  let s = String(source ?? '').replace(/[\uE000\uE001]/g, '');

  // Numeric and a few named entities are how Feishu authors escape markdown characters (`&#42;`).
  s = s.replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|lt|gt|amp|quot|nbsp|zwj|#39);/gi, (whole, ent) => {
    const e = String(ent).toLowerCase();
    /** @type {Record<string, string>} */
    const named = { lt: '<', gt: '>', amp: '&', quot: '"', nbsp: '\u00a0', zwj: '\u200d' };
    let ch = named[e];
    if (ch === undefined) {
      const code = e.startsWith('#x') ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff) return whole;
      ch = String.fromCodePoint(code);
    }
    return keep(escapeHtml(ch));
  });

  s = s.replace(/`([^`\n]+)`/g, (_, code) => keep(`<code class="fc-code">${escapeHtml(code)}</code>`));
  s = replaceTags(s, ctx, keep);
  s = escapeHtml(s);

  // Images are keys of uploaded files the sandbox cannot show: a labelled placeholder.
  s = s.replace(/!\[([^\]\n]*)\]\(([^)\s]+)\)/g, (_, alt) => keep(`<span class="fc-inline-img" title="${alt}">图片${alt ? `：${alt}` : ''}</span>`));
  s = s.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (whole, text, url) => {
    const href = safeUrl(unescapeAttr(url));
    const label = emphasis(text);
    return href ? keep(`<a class="fc-link" href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${label}</a>`) : keep(label);
  });
  s = emphasis(s);
  s = s.replace(/:([A-Z][A-Z_]{1,20}):/g, (whole, key) => EMOJI[key] ?? whole);
  s = s.replace(/\n/g, '<br>');

  for (let depth = 0; depth < 5 && s.includes('\uE000'); depth++) {
    s = s.replace(/\uE000(\d+)\uE001/g, (_, i) => stash[Number(i)] ?? '');
  }
  return s;
}

/** @param {string} s */
function unescapeAttr(s) {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** Bold, italic and strike-through on already-escaped text. @param {string} s */
function emphasis(s) {
  return s
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w])__(?=\S)([\s\S]*?\S)__(?=[^\w]|$)/g, '$1<strong>$2</strong>')
    .replace(/~~(?=\S)([\s\S]*?\S)~~/g, '<del>$1</del>')
    .replace(/\*(?=[^\s*])([^*\n]*?[^\s*])\*/g, '<em>$1</em>')
    .replace(/\*([^\s*])\*/g, '<em>$1</em>')
    .replace(/(^|[^\w])_(?=[^\s_])([^_\n]*?[^\s_])_(?=[^\w]|$)/g, '$1<em>$2</em>');
}

const PAIRED_TAGS = new Set(['font', 'text_tag', 'a', 'link', 'number_tag']);

/**
 * Turns the whitelisted Feishu tags into stashed HTML, keeping opening and closing tags balanced
 * so a card's text can never leave an element open.
 * @param {string} s @param {TextContext} ctx @param {(html: string) => string} keep
 */
function replaceTags(s, ctx, keep) {
  /** @type {string[]} */
  const open = [];
  const re = /<(\/?)(font|text_tag|a|link|number_tag|at|person|local_datetime|br|raw)\b([^>]*)>/gi;
  const out = s.replace(re, (whole, slash, rawName, attrText) => {
    const name = String(rawName).toLowerCase();
    const attrs = parseAttrs(String(attrText));
    if (name === 'br') return slash ? '' : keep('<br>');
    if (name === 'raw') return '';
    if (slash) {
      if (!PAIRED_TAGS.has(name)) return '';
      const at = open.lastIndexOf(name);
      if (at < 0) return '';
      const closing = open.splice(at).reverse().map(closeTag).join('');
      return keep(closing);
    }
    switch (name) {
      case 'font': {
        const c = colorClass(attrs.color);
        open.push('font');
        return keep(`<span class="fc-font${c ? ` fc-color--${c}` : ''}">`);
      }
      case 'text_tag': {
        open.push('text_tag');
        return keep(`<span class="fc-tag fc-tag--${colorClass(attrs.color) || 'blue'}">`);
      }
      case 'number_tag': {
        open.push('number_tag');
        return keep(`<span class="fc-number-tag fc-tag--${colorClass(attrs.background_color) || 'grey'}">`);
      }
      case 'a':
      case 'link': {
        const href = safeUrl(attrs.href ?? attrs.url ?? attrs.pc_url);
        open.push(name);
        const icon = name === 'link' && attrs.icon ? '<span class="fc-link-icon" aria-hidden="true">🔗</span>' : '';
        return keep(href ? `<a class="fc-link" href="${escapeHtml(href)}" target="_blank" rel="noopener noreferrer">${icon}` : `<a class="fc-link">${icon}`);
      }
      case 'at': {
        const ids = (attrs.ids ?? attrs.id ?? attrs.email ?? '').split(',').map((x) => x.trim()).filter(Boolean);
        return keep(ids.map((id) => mentionHtml(id, ctx)).join(' '));
      }
      case 'person': {
        const id = attrs.id ?? '';
        return keep(personChipHtml(id, ctx, { showName: attrs.show_name !== 'false', showAvatar: attrs.show_avatar !== 'false', capsule: attrs.style === 'capsule' }));
      }
      case 'local_datetime': {
        const ms = Number(attrs.millisecond);
        const when = Number.isFinite(ms) && attrs.millisecond ? new Date(ms) : null;
        if (!when) return keep('<span class="fc-datetime">（发送时间）</span>');
        const fmt = LOCAL_DATETIME_FORMATS[attrs.format_type ?? 'date_num'] ?? LOCAL_DATETIME_FORMATS.date_num;
        const text = attrs.format_type === 'timezone' ? 'GMT+8:00' : new Intl.DateTimeFormat('zh-CN', { ...fmt, timeZone: 'Asia/Shanghai' }).format(when);
        return keep(`<span class="fc-datetime">${escapeHtml(text)}</span>`);
      }
      default:
        return whole;
    }
  });
  return open.length ? out + keep(open.reverse().map(closeTag).join('')) : out;
}

/** @param {string} name */
function closeTag(name) {
  return name === 'a' || name === 'link' ? '</a>' : '</span>';
}

// ---------------------------------------------------------------- block level (markdown component)

const HR_LINE = /^\s*(<hr\s*\/?>|-{3,}|\*{3,}|_{3,})\s*$/i;
const LIST_LINE = /^(\s*)([-*+]|\d{1,3}[.)])\s+(.*)$/;
const TABLE_SEP = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

/**
 * Markdown (the `markdown` component) to HTML: headings, lists, quotes, code blocks, pipe
 * tables, dividers and paragraphs; inline syntax as in {@link renderInline}.
 * A single newline is kept as a line break, as the Feishu client shows it.
 * @param {unknown} source
 * @param {TextContext} [ctx]
 */
export function renderMarkdown(source, ctx = {}) {
  const lines = String(source ?? '').replace(/\r\n?/g, '\n').split('\n');
  /** @type {string[]} */
  const html = [];
  /** @type {string[]} */
  let paragraph = [];
  const flush = () => {
    if (paragraph.length) html.push(`<p>${renderInline(paragraph.join('\n'), ctx)}</p>`);
    paragraph = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = /** @type {string} */ (lines[i]);
    const fence = /^\s*(```|~~~)\s*([\w+-]*)\s*$/.exec(line);
    if (fence) {
      flush();
      const body = [];
      while (++i < lines.length && !/^\s*(```|~~~)\s*$/.test(/** @type {string} */ (lines[i]))) body.push(lines[i]);
      html.push(`<pre class="fc-pre"><code>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (HR_LINE.test(line)) {
      flush();
      html.push('<hr class="fc-hr">');
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      flush();
      const level = /** @type {string} */ (heading[1]).length;
      html.push(`<div class="fc-md-h fc-md-h${level}">${renderInline(heading[2], ctx)}</div>`);
      continue;
    }
    if (/^\s*>/.test(line)) {
      flush();
      const quoted = [];
      for (; i < lines.length && /^\s*>/.test(/** @type {string} */ (lines[i])); i++) quoted.push(/** @type {string} */ (lines[i]).replace(/^\s*>\s?/, ''));
      i--;
      html.push(`<blockquote class="fc-quote">${renderInline(quoted.join('\n'), ctx)}</blockquote>`);
      continue;
    }
    if (LIST_LINE.test(line)) {
      flush();
      const items = [];
      for (; i < lines.length; i++) {
        const m = LIST_LINE.exec(/** @type {string} */ (lines[i]));
        if (m) items.push({ indent: /** @type {string} */ (m[1]).replace(/\t/g, '    ').length, ordered: /\d/.test(/** @type {string} */ (m[2])), start: parseInt(/** @type {string} */ (m[2]), 10), text: /** @type {string} */ (m[3]) });
        else if (items.length && /^\s{2,}\S/.test(/** @type {string} */ (lines[i]))) {
          // A continuation line of the previous item.
          const last = /** @type {{ text: string }} */ (items[items.length - 1]);
          last.text += `\n${/** @type {string} */ (lines[i]).trim()}`;
        } else break;
      }
      i--;
      html.push(renderList(items, ctx));
      continue;
    }
    if (line.includes('|') && i + 1 < lines.length && TABLE_SEP.test(/** @type {string} */ (lines[i + 1]))) {
      flush();
      const header = splitRow(line);
      const rows = [];
      for (i += 2; i < lines.length && /** @type {string} */ (lines[i]).includes('|') && /** @type {string} */ (lines[i]).trim() !== ''; i++) rows.push(splitRow(/** @type {string} */ (lines[i])));
      i--;
      html.push(
        `<div class="fc-md-table-wrap"><table class="fc-md-table"><thead><tr>${header.map((c) => `<th>${renderInline(c, ctx)}</th>`).join('')}</tr></thead>` +
          `<tbody>${rows.map((r) => `<tr>${header.map((_, k) => `<td>${renderInline(r[k] ?? '', ctx)}</td>`).join('')}</tr>`).join('')}</tbody></table></div>`,
      );
      continue;
    }
    paragraph.push(line);
  }
  flush();
  return html.join('');
}

/** @param {string} line */
function splitRow(line) {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
}

/**
 * Nested lists from indentation (Feishu documents 4 spaces per level; 2 are accepted too).
 * @param {{ indent: number, ordered: boolean, start: number, text: string }[]} items
 * @param {TextContext} ctx
 */
function renderList(items, ctx) {
  let html = '';
  /** @type {{ indent: number, tag: string }[]} */
  const stack = [];
  for (const item of items) {
    while (stack.length && /** @type {{ indent: number }} */ (stack[stack.length - 1]).indent > item.indent) {
      html += `</li></${/** @type {{ tag: string }} */ (stack.pop()).tag}>`;
    }
    const tag = item.ordered ? 'ol' : 'ul';
    let top = stack[stack.length - 1];
    if (top && top.indent === item.indent && top.tag !== tag) {
      // "- a" followed by "1. b" at the same indentation starts a new list.
      html += `</li></${/** @type {{ tag: string }} */ (stack.pop()).tag}>`;
      top = stack[stack.length - 1];
    }
    if (!top || item.indent > top.indent) {
      const start = item.ordered && item.start > 1 ? ` start="${item.start}"` : '';
      html += `<${tag} class="fc-list"${start}>`;
      stack.push({ indent: item.indent, tag });
    } else {
      html += '</li>';
    }
    html += `<li>${renderInline(item.text, ctx)}`;
  }
  while (stack.length) html += `</li></${/** @type {{ tag: string }} */ (stack.pop()).tag}>`;
  return html;
}
