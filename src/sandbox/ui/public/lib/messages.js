// Sandbox UI: chat messages (text, post, cards, …) as HTML, and their one-line previews.
import { escapeHtml, renderCard, renderMarkdown } from '../card-render.js';
import { clockTime } from './format.js';
import { icons } from './icons.js';
import { avatarHtml } from './ui-kit.js';

/**
 * @typedef {import('./api.js').Message} Message
 * @typedef {{ viewerId: string, nameOf: (openId: string) => string | undefined, botName: string, findMessage?: (messageId: string) => Message | undefined }} MessageContext
 */

const AT_TAG = /<at\s+(?:user_id|open_id|id)\s*=\s*["']?([^"'\s>]+)["']?\s*>([^<]*)<\/at>/g;
const URL_RE = /\bhttps?:\/\/[^\s<>"']+[^\s<>"'.,;:!?，。；：！？）)]/g;

/** Text message: escaped, with Feishu's <at user_id="…">name</at> and bare links. @param {string} text @param {MessageContext} ctx */
export function textHtml(text, ctx) {
  let html = '';
  let last = 0;
  for (const m of String(text ?? '').matchAll(AT_TAG)) {
    html += linkify(text.slice(last, m.index));
    const id = /** @type {string} */ (m[1]);
    const name = id === 'all' ? '所有人' : m[2] || ctx.nameOf(id) || id;
    html += `<span class="fc-at${id === ctx.viewerId ? ' fc-at--me' : ''}">@${escapeHtml(name)}</span>`;
    last = (m.index ?? 0) + m[0].length;
  }
  html += linkify(String(text ?? '').slice(last));
  return html.replace(/\n/g, '<br>');
}

/** @param {string} s */
function linkify(s) {
  let out = '';
  let last = 0;
  for (const m of s.matchAll(URL_RE)) {
    out += escapeHtml(s.slice(last, m.index));
    out += `<a class="fc-link" href="${escapeHtml(m[0])}" target="_blank" rel="noopener noreferrer">${escapeHtml(m[0])}</a>`;
    last = (m.index ?? 0) + m[0].length;
  }
  return out + escapeHtml(s.slice(last));
}

/** A `post` (rich text) message: { title, content: [[node…]…] }, possibly per locale. @param {any} content @param {MessageContext} ctx */
function postHtml(content, ctx) {
  const post = content && typeof content === 'object' && !Array.isArray(content.content) ? content.zh_cn ?? content.en_us ?? Object.values(content)[0] : content;
  if (!post || typeof post !== 'object') return '<span class="msg-placeholder">[富文本]</span>';
  const title = typeof post.title === 'string' && post.title ? `<div class="post-title">${escapeHtml(post.title)}</div>` : '';
  const paragraphs = (Array.isArray(post.content) ? post.content : []).map((/** @type {any[]} */ para) =>
    `<p>${(Array.isArray(para) ? para : [])
      .map((node) => {
        if (!node || typeof node !== 'object') return '';
        switch (node.tag) {
          case 'text':
            return escapeHtml(node.text ?? '').replace(/\n/g, '<br>');
          case 'a':
            return /^https?:\/\//i.test(node.href ?? '') ? `<a class="fc-link" href="${escapeHtml(node.href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(node.text ?? node.href)}</a>` : escapeHtml(node.text ?? '');
          case 'at':
            return `<span class="fc-at">@${escapeHtml(node.user_name ?? ctx.nameOf(node.user_id) ?? node.user_id ?? '')}</span>`;
          case 'md':
            return renderMarkdown(node.text ?? '', { nameOf: ctx.nameOf, currentOpenId: ctx.viewerId });
          case 'img':
            return '<span class="msg-placeholder">[图片]</span>';
          case 'emotion':
            return `[${escapeHtml(node.emoji_type ?? '表情')}]`;
          case 'hr':
            return '<hr>';
          case 'code_block':
            return `<pre class="fc-pre"><code>${escapeHtml(node.text ?? '')}</code></pre>`;
          default:
            return '';
        }
      })
      .join('')}</p>`,
  );
  return `<div class="post">${title}${paragraphs.join('')}</div>`;
}

const PLACEHOLDERS = /** @type {Record<string, string>} */ ({
  image: '[图片]', file: '[文件]', audio: '[语音]', media: '[视频]', sticker: '[表情]', share_chat: '[群名片]', share_user: '[个人名片]', system: '[系统消息]',
});

/** Feishu colours file icons by family: sheets green, documents blue, slides orange, PDF red. */
const FILE_FAMILIES = /** @type {[RegExp, string][]} */ ([
  [/\.(xlsx|xlsm|xls|csv|et)$/i, 'sheet'],
  [/\.(docx|doc|wps|txt)$/i, 'doc'],
  [/\.(pptx|ppt|dps)$/i, 'slide'],
  [/\.pdf$/i, 'pdf'],
  [/\.(zip|rar|7z|gz)$/i, 'zip'],
]);

/** @param {number | null | undefined} bytes */
export function fileSizeText(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A file message as Feishu shows it: a card with the type icon, name, size and a download button. @param {Message} m */
export function fileChipHtml(m) {
  const c = m.content && typeof m.content === 'object' ? m.content : {};
  const name = String(m.file?.fileName ?? c.file_name ?? '未命名文件');
  const family = FILE_FAMILIES.find(([re]) => re.test(name))?.[1] ?? 'other';
  const label = (/\.([a-z0-9]{1,4})$/i.exec(name)?.[1] ?? 'FILE').toUpperCase();
  const size = fileSizeText(m.file?.size);
  const url = m.file?.url;
  const action = url
    ? `<a class="file-chip-download" href="${escapeHtml(url)}" download="${escapeHtml(name)}" title="下载" aria-label="下载 ${escapeHtml(name)}">${icons.download(18)}</a>`
    : '<span class="file-chip-missing" title="沙箱未保存该文件的内容">无法下载</span>';
  return (
    `<div class="file-chip" data-file-key="${escapeHtml(m.file?.fileKey ?? c.file_key ?? '')}">` +
    `<span class="file-chip-icon file-chip-icon--${family}">${escapeHtml(label)}</span>` +
    `<span class="file-chip-text"><span class="file-chip-name" title="${escapeHtml(name)}">${escapeHtml(name)}</span><span class="file-chip-meta">${escapeHtml(size || '文件')}</span></span>` +
    `${action}</div>`
  );
}

/** @param {Message} m @param {MessageContext} ctx */
export function senderName(m, ctx) {
  if (m.sender.name) return m.sender.name;
  return m.sender.kind === 'app' ? ctx.botName : ctx.nameOf(m.sender.id) ?? m.sender.id;
}

/** The message body (bubble or card). @param {Message} m @param {MessageContext} ctx */
export function contentHtml(m, ctx) {
  const c = m.content;
  switch (m.msgType) {
    case 'text':
      return `<div class="bubble">${textHtml(typeof c?.text === 'string' ? c.text : '', ctx)}</div>`;
    case 'interactive':
      return renderCard(c, { messageId: m.messageId, nameOf: ctx.nameOf, currentOpenId: ctx.viewerId });
    case 'post':
      return `<div class="bubble">${postHtml(c, ctx)}</div>`;
    case 'file':
      return fileChipHtml(m);
    default: {
      const label = PLACEHOLDERS[m.msgType] ?? `[不支持的消息类型：${m.msgType}]`;
      const extra = c && typeof c === 'object' && typeof c.file_name === 'string' ? ` ${c.file_name}` : '';
      return `<div class="bubble bubble--placeholder">${escapeHtml(label + extra)}</div>`;
    }
  }
}

/** One message row. @param {Message} m @param {MessageContext} ctx */
export function messageHtml(m, ctx) {
  const self = m.sender.kind === 'user' && m.sender.id === ctx.viewerId;
  const name = senderName(m, ctx);
  if (m.deleted) {
    // A recalled message: Feishu keeps a one-line notice in its place.
    return `<div class="msg-row msg-recalled" data-message-id="${escapeHtml(m.messageId)}"><span>${escapeHtml(self ? '你' : name)} 撤回了一条消息</span></div>`;
  }
  const parent = m.parentId ? ctx.findMessage?.(m.parentId) : undefined;
  const quote = m.parentId
    ? `<div class="msg-quote">回复 ${parent ? `${escapeHtml(senderName(parent, ctx))}：${escapeHtml(parent.deleted ? '[消息已撤回]' : previewText(parent, { ...ctx, viewerId: parent.sender.id }))}` : '一条消息'}</div>`
    : '';
  const avatar = m.sender.kind === 'app' ? avatarHtml({ id: m.sender.id, name, kind: 'bot' }) : avatarHtml({ id: m.sender.id, name });
  const isCard = m.msgType === 'interactive';
  const updated = isCard && m.updateTime > m.createTime + 1000 ? `<span class="msg-updated" title="卡片已被机器人更新">已更新 ${clockTime(m.updateTime)}</span>` : '';
  const urgent = m.urgent ? `<span class="urgent-badge" title="加急消息">${icons.bell(12)}加急</span>` : '';
  return (
    `<div class="msg-row${self ? ' is-self' : ''}${m.urgent ? ' is-urgent' : ''}${isCard ? ' is-card' : ''}" data-message-id="${escapeHtml(m.messageId)}">` +
    `<div class="msg-avatar">${avatar}</div><div class="msg-main">` +
    `<div class="msg-meta">${self ? '' : `<span class="msg-name">${escapeHtml(name)}</span>`}${m.sender.kind === 'app' ? '<span class="bot-tag">机器人</span>' : ''}<span class="msg-time">${clockTime(m.createTime)}</span>${urgent}${updated}</div>` +
    `${quote}<div class="msg-content">${contentHtml(m, ctx)}</div></div></div>`
  );
}

/** A one-line preview for the chat list. @param {Message | undefined} m @param {MessageContext} ctx */
export function previewText(m, ctx) {
  if (!m) return '';
  if (m.deleted) return `${m.sender.kind === 'user' && m.sender.id === ctx.viewerId ? '你' : senderName(m, ctx)} 撤回了一条消息`;
  const c = m.content;
  let text;
  switch (m.msgType) {
    case 'text':
      text = String(c?.text ?? '').replace(AT_TAG, (_, id, name) => `@${name || ctx.nameOf(id) || id}`);
      break;
    case 'interactive': {
      const card = c?.type === 'raw' ? c.data : c;
      const summary = card?.config?.summary?.content;
      const title = card?.header?.title?.content ?? card?.header?.title?.i18n_content?.zh_cn;
      text = `[卡片] ${summary || title || '消息卡片'}`;
      break;
    }
    case 'post': {
      const post = c?.title !== undefined ? c : c?.zh_cn;
      text = post?.title ? `[富文本] ${post.title}` : '[富文本]';
      break;
    }
    case 'file': {
      const name = m.file?.fileName ?? c?.file_name;
      text = name ? `[文件] ${name}` : '[文件]';
      break;
    }
    default:
      text = PLACEHOLDERS[m.msgType] ?? `[${m.msgType}]`;
  }
  const who = m.sender.kind === 'user' && m.sender.id !== ctx.viewerId ? `${senderName(m, ctx)}：` : '';
  return `${who}${text}`.replace(/\s+/g, ' ').trim();
}
