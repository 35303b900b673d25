// Sandbox UI: toasts (like the Feishu client's callback toast), the confirm dialog and avatars.
import { avatarText, escapeHtml, hueOf } from '../card-render.js';
import { icons } from './icons.js';

const TOAST_MS = 3000;
const TOAST_TYPES = ['success', 'info', 'warning', 'error'];

/**
 * Shows a toast at the top of the page for about 3 s.
 * @param {string} type success | info | warning | error
 * @param {string} content
 */
export function showToast(type, content) {
  const root = document.getElementById('toast-root');
  if (!root) return;
  const kind = TOAST_TYPES.includes(type) ? type : 'info';
  const el = document.createElement('div');
  el.className = `toast toast--${kind}`;
  el.setAttribute('role', kind === 'error' || kind === 'warning' ? 'alert' : 'status');
  el.innerHTML = `<span class="toast-icon">${icons[/** @type {'success'} */ (kind)](18)}</span><span class="toast-text">${escapeHtml(content)}</span>`;
  root.appendChild(el);
  requestAnimationFrame(() => el.classList.add('is-visible'));
  setTimeout(() => {
    el.classList.remove('is-visible');
    el.classList.add('is-leaving');
    setTimeout(() => el.remove(), 250);
  }, TOAST_MS);
}

/**
 * A modal confirm dialog (the card `confirm` field): resolves true on 确定.
 * @param {{ title?: string, text?: string }} opts
 * @returns {Promise<boolean>}
 */
export function confirmDialog(opts) {
  const root = document.getElementById('modal-root') ?? document.body;
  return new Promise((resolve) => {
    const overlay = document.createElement('div');
    overlay.className = 'modal-overlay';
    overlay.innerHTML =
      `<div class="modal" role="dialog" aria-modal="true" aria-labelledby="modal-title">` +
      `<div class="modal-title" id="modal-title">${escapeHtml(opts.title || '确认操作')}</div>` +
      (opts.text ? `<div class="modal-text">${escapeHtml(opts.text).replace(/\n/g, '<br>')}</div>` : '') +
      `<div class="modal-actions"><button type="button" class="btn" data-answer="no">取消</button><button type="button" class="btn btn--primary" data-answer="yes">确定</button></div></div>`;
    /** @param {boolean} answer */
    const close = (answer) => {
      overlay.remove();
      document.removeEventListener('keydown', onKey, true);
      resolve(answer);
    };
    /** @param {KeyboardEvent} e */
    const onKey = (e) => {
      if (e.key === 'Escape') close(false);
    };
    overlay.addEventListener('click', (e) => {
      const target = /** @type {HTMLElement} */ (e.target);
      if (target === overlay) close(false);
      const answer = target.closest('[data-answer]')?.getAttribute('data-answer');
      if (answer) close(answer === 'yes');
    });
    document.addEventListener('keydown', onKey, true);
    root.appendChild(overlay);
    /** @type {HTMLButtonElement | null} */ (overlay.querySelector('[data-answer="yes"]'))?.focus();
  });
}

/**
 * @param {{ id: string, name: string, kind?: 'person' | 'bot' | 'group', size?: number }} who
 */
export function avatarHtml(who) {
  const size = who.size ?? 36;
  const style = `width:${size}px;height:${size}px;font-size:${Math.round(size * 0.36)}px`;
  if (who.kind === 'bot') return `<span class="avatar avatar--bot" style="${style}" title="${escapeHtml(who.name)}">${icons.bot(Math.round(size * 0.58))}</span>`;
  if (who.kind === 'group') {
    const chars = (who.name.match(/[\p{Script=Han}A-Za-z0-9]/gu) ?? ['群']).slice(0, 2).join('');
    return `<span class="avatar avatar--group" data-hue="${hueOf(who.id)}" style="${style}" title="${escapeHtml(who.name)}">${escapeHtml(chars)}</span>`;
  }
  return `<span class="avatar" data-hue="${hueOf(who.id)}" style="${style}" title="${escapeHtml(who.name)}">${escapeHtml(avatarText(who.name))}</span>`;
}
