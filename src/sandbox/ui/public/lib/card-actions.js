// Sandbox UI: what a click or an edit inside a rendered card does, like the Feishu client:
// buttons and standalone fields send a card callback at once; a form sends one callback with all
// field values (`form_value`) when a submit button is clicked, after checking required fields.
// The markup comes from card-render.js (data-fc-action, data-fc-field, data-value, …).
import { confirmDialog, showToast } from './ui-kit.js';

/**
 * Feishu reports picker values with the user's UTC offset (card-components §5.1: "2024-04-01 +0800").
 * The sandbox's users are in China, so the offset is fixed.
 */
const TZ_SUFFIX = ' +0800';

/** Feishu's message when a required form field is empty (card-components §2.4). */
export const REQUIRED_MESSAGE = '有必填项未填写';

/**
 * @typedef {{ tag: string, name?: string, value?: Record<string, unknown>, formValue?: Record<string, unknown>, option?: string, options?: string[], inputValue?: string, checked?: boolean }} ActionPayload
 * @typedef {(messageId: string, payload: ActionPayload, source: HTMLElement) => Promise<void>} Dispatch
 */

/**
 * The component's callback value. Only objects are passed on: Feishu's SDKs handle only object
 * values (contract §3.1) and the sandbox API accepts only objects; a legacy 1.0 string value is dropped.
 * @param {HTMLElement} el @returns {Record<string, unknown> | undefined}
 */
function valueOf(el) {
  const raw = el.getAttribute('data-value');
  if (raw === null) return undefined;
  try {
    const value = JSON.parse(raw);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    /* fall through */
  }
  console.warn('[sandbox-ui] callback value is not an object, not sent:', raw);
  return undefined;
}

/** @param {HTMLElement} el */
function confirmOf(el) {
  const raw = el.getAttribute('data-confirm');
  if (!raw) return null;
  try {
    return /** @type {{ title?: string, text?: string }} */ (JSON.parse(raw));
  } catch {
    return null;
  }
}

/** @param {HTMLElement} el */
const messageIdOf = (el) => el.closest('[data-message-id]')?.getAttribute('data-message-id') ?? '';

/** @param {HTMLElement} el */
function openUrl(el) {
  const url = el.getAttribute('data-url');
  if (url) window.open(url, '_blank', 'noopener');
}

/** A picker's input value in Feishu's callback format. @param {string} kind @param {string} raw */
export function pickerValue(kind, raw) {
  if (!raw) return '';
  if (kind === 'picker_datetime') return `${raw.replace('T', ' ').slice(0, 16)}${TZ_SUFFIX}`;
  if (kind === 'picker_time') return `${raw.slice(0, 5)}${TZ_SUFFIX}`;
  return `${raw}${TZ_SUFFIX}`;
}

/**
 * The value of one field element, and whether it counts as filled.
 * @param {HTMLElement} el
 * @returns {{ value: unknown, filled: boolean, include: boolean }}
 */
function fieldValue(el) {
  const kind = el.getAttribute('data-fc-field') ?? '';
  switch (kind) {
    case 'input': {
      const v = /** @type {HTMLInputElement | HTMLTextAreaElement} */ (el).value;
      // An untouched optional input is sent as "" (card-components §5.1, one official example).
      return { value: v, filled: v.trim() !== '', include: true };
    }
    case 'select_static':
    case 'select_person': {
      const v = /** @type {HTMLSelectElement} */ (el).value;
      return { value: v, filled: v !== '', include: v !== '' };
    }
    case 'multi_select_static':
    case 'multi_select_person': {
      const values = [...el.querySelectorAll('input[type="checkbox"]:checked')].map((c) => /** @type {HTMLInputElement} */ (c).value);
      return { value: values, filled: values.length > 0, include: true };
    }
    case 'date_picker':
    case 'picker_time':
    case 'picker_datetime': {
      const v = pickerValue(kind, /** @type {HTMLInputElement} */ (el).value);
      return { value: v, filled: v !== '', include: v !== '' };
    }
    case 'checker': {
      // UNCONFIRMED in the docs; a boolean is what the client is believed to send (card-components §5.1).
      const checked = /** @type {HTMLInputElement} */ (el).checked;
      return { value: checked, filled: true, include: true };
    }
    case 'select_img': {
      const chosen = [...el.querySelectorAll('input:checked')].map((c) => /** @type {HTMLInputElement} */ (c).value);
      const multi = el.getAttribute('data-multi') === 'true';
      return { value: multi ? chosen : chosen[0] ?? '', filled: chosen.length > 0, include: multi || chosen.length > 0 };
    }
    default:
      return { value: undefined, filled: true, include: false };
  }
}

/**
 * Collects a form's values keyed by each field's `name`, like Feishu's `form_value`, and lists the
 * required fields left empty.
 * @param {HTMLFormElement} form
 * @returns {{ formValue: Record<string, unknown>, missing: HTMLElement[] }}
 */
export function collectForm(form) {
  /** @type {Record<string, unknown>} */
  const formValue = {};
  /** @type {HTMLElement[]} */
  const missing = [];
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (form.querySelectorAll('[data-fc-field]'))) {
    const name = el.getAttribute('data-name');
    if (!name) continue;
    const { value, filled, include } = fieldValue(el);
    if (include) formValue[name] = value;
    if (el.getAttribute('data-required') === 'true' && !filled && !isDisabled(el)) missing.push(el);
  }
  return { formValue, missing };
}

/** @param {HTMLElement} el */
const isDisabled = (el) => el.hasAttribute('disabled');

/** @param {HTMLElement} el @param {boolean} on */
function markError(el, on) {
  el.closest('.fc-field')?.classList.toggle('fc-field--error', on);
}

/** Shows the chosen options of a multi-select in its summary. @param {HTMLElement} multi */
export function refreshMultiSummary(multi) {
  const target = multi.querySelector('.fc-multi-value');
  if (!target) return;
  const chosen = [...multi.querySelectorAll('input[type="checkbox"]:checked')].map((c) => c.getAttribute('data-label') ?? /** @type {HTMLInputElement} */ (c).value);
  target.replaceChildren(
    ...(chosen.length
      ? chosen.map((label) => Object.assign(document.createElement('span'), { className: 'fc-chip', textContent: label }))
      : [Object.assign(document.createElement('span'), { className: 'fc-placeholder', textContent: multi.getAttribute('data-placeholder') ?? '请选择' })]),
  );
}

/** @param {HTMLFormElement} form */
function resetForm(form) {
  // HTMLFormElement.prototype.reset: a field named "reset" would shadow form.reset.
  HTMLFormElement.prototype.reset.call(form);
  form.querySelectorAll('.fc-field--error').forEach((f) => f.classList.remove('fc-field--error'));
  form.querySelectorAll('.fc-multi').forEach((m) => refreshMultiSummary(/** @type {HTMLElement} */ (m)));
}

/** @param {HTMLElement} table @param {number} dir */
function pageTable(table, dir) {
  const pager = table.querySelector('.fc-pager');
  if (!pager) return;
  const pages = Number(pager.getAttribute('data-pages')) || 1;
  const current = Number(pager.querySelector('.fc-pager-current')?.textContent) || 1;
  const next = Math.min(pages, Math.max(1, current + dir));
  table.querySelectorAll('tr[data-page]').forEach((row) => ((/** @type {HTMLElement} */ (row)).hidden = row.getAttribute('data-page') !== String(next)));
  const cur = pager.querySelector('.fc-pager-current');
  if (cur) cur.textContent = String(next);
  const [prev, fwd] = pager.querySelectorAll('button');
  if (prev) /** @type {HTMLButtonElement} */ (prev).disabled = next <= 1;
  if (fwd) /** @type {HTMLButtonElement} */ (fwd).disabled = next >= pages;
}

/**
 * Wires card interactions under `root` (event delegation, so re-rendered cards need nothing).
 * @param {HTMLElement} root
 * @param {Dispatch} dispatch sends the callback for a message and applies the answer
 */
export function installCardInteractions(root, dispatch) {
  /** Controls with a callback in flight, so a double click does not send twice. */
  const busy = new WeakSet();

  /** @param {HTMLElement} source @param {ActionPayload} payload */
  const send = async (source, payload) => {
    const messageId = messageIdOf(source);
    if (!messageId || busy.has(source)) return;
    busy.add(source);
    source.classList.add('is-loading');
    try {
      await dispatch(messageId, payload, source);
    } finally {
      busy.delete(source);
      source.classList.remove('is-loading');
    }
  };

  /** @param {HTMLFormElement} form @param {HTMLElement} button */
  const submitForm = async (form, button) => {
    const { formValue, missing } = collectForm(form);
    form.querySelectorAll('.fc-field--error').forEach((f) => f.classList.remove('fc-field--error'));
    if (missing.length) {
      missing.forEach((el) => markError(el, true));
      showToast('error', REQUIRED_MESSAGE);
      const first = missing[0];
      (first?.matches('details') ? first.querySelector('summary') : first)?.focus();
      return;
    }
    const confirm = confirmOf(button);
    if (confirm && !(await confirmDialog(confirm))) return;
    /** @type {ActionPayload} */
    const payload = { tag: 'button', formValue };
    const name = button.getAttribute('data-name');
    if (name) payload.name = name;
    const value = valueOf(button);
    if (value !== undefined) payload.value = value;
    await send(button, payload);
  };

  /** @param {HTMLElement} el @param {ActionPayload} payload */
  const fire = async (el, payload) => {
    openUrl(el);
    if (el.getAttribute('data-callback') === '0') return;
    const confirm = confirmOf(el);
    if (confirm && !(await confirmDialog(confirm))) return;
    const value = valueOf(el);
    if (value !== undefined) payload.value = value;
    const name = el.getAttribute('data-name');
    if (name && payload.name === undefined) payload.name = name;
    await send(el, payload);
  };

  root.addEventListener('click', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const actionEl = /** @type {HTMLElement | null} */ (target.closest('[data-fc-action]'));
    if (!actionEl || !root.contains(actionEl)) return;
    const action = actionEl.getAttribute('data-fc-action');
    if (action === 'table-page') {
      const table = actionEl.closest('.fc-table-block');
      if (table) pageTable(/** @type {HTMLElement} */ (table), Number(actionEl.getAttribute('data-dir')) || 1);
      return;
    }
    if (action === 'button') {
      if (actionEl.hasAttribute('disabled')) return;
      const form = /** @type {HTMLFormElement | null} */ (actionEl.closest('form.fc-form'));
      const formAction = actionEl.getAttribute('data-form-action');
      if (form && formAction === 'reset') return resetForm(form);
      if (form && formAction === 'submit') return void submitForm(form, actionEl);
      return void fire(actionEl, { tag: 'button' });
    }
    if (action === 'overflow') {
      const menu = /** @type {HTMLElement | null} */ (actionEl.closest('.fc-overflow'));
      menu?.removeAttribute('open');
      openUrl(actionEl);
      const option = actionEl.getAttribute('data-option');
      if (!menu || option === null) return;
      return void fire(menu, { tag: 'overflow', option });
    }
    // Containers and linked columns: an inner interactive component takes priority (card-components §2.3).
    const inner = target.closest('input, select, textarea, label, summary, a, button, details');
    if (inner && inner !== actionEl && actionEl.contains(inner)) return;
    if (action === 'container') {
      if (actionEl.getAttribute('aria-disabled') === 'true') return;
      return void fire(actionEl, { tag: 'interactive_container' });
    }
    if (action === 'link') openUrl(actionEl);
  });

  root.addEventListener('keydown', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (event.key === 'Enter' && target.matches('[data-fc-action="container"]')) {
      event.preventDefault();
      target.click();
      return;
    }
    // A standalone input is submitted with Enter (Ctrl/⌘+Enter for multi-line) → action.input_value.
    if (event.key !== 'Enter' || event.isComposing || !target.matches('[data-fc-field="input"][data-standalone="true"]')) return;
    if (target.tagName === 'TEXTAREA' && !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    const input = /** @type {HTMLInputElement} */ (target);
    void fire(input, { tag: 'input', inputValue: input.value });
  });

  // Enter inside a card form must not submit the browser form.
  root.addEventListener('submit', (event) => event.preventDefault());

  root.addEventListener('input', (event) => markError(/** @type {HTMLElement} */ (event.target), false));

  root.addEventListener('change', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    const multi = /** @type {HTMLElement | null} */ (target.closest('.fc-multi'));
    if (multi) {
      refreshMultiSummary(multi);
      markError(multi, false);
      return;
    }
    const selectImg = /** @type {HTMLElement | null} */ (target.closest('.fc-select-img[data-standalone="true"]'));
    if (selectImg) return void fire(selectImg, { tag: 'select_img', option: /** @type {HTMLInputElement} */ (target).value });
    markError(target, false);
    if (target.getAttribute('data-standalone') !== 'true') return;
    const kind = target.getAttribute('data-fc-field') ?? '';
    if (kind === 'select_static' || kind === 'select_person') return void fire(target, { tag: kind, option: /** @type {HTMLSelectElement} */ (target).value });
    if (kind === 'date_picker' || kind === 'picker_time' || kind === 'picker_datetime') {
      const v = pickerValue(kind, /** @type {HTMLInputElement} */ (target).value);
      if (v) void fire(target, { tag: kind, option: v });
      return;
    }
    if (kind === 'checker') void fire(target, { tag: 'checker', checked: /** @type {HTMLInputElement} */ (target).checked });
  });

  // Close open dropdowns (multi-select, overflow) when clicking elsewhere, like menus do.
  document.addEventListener('click', (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    root.querySelectorAll('details.fc-multi[open], details.fc-overflow[open]').forEach((d) => {
      if (!d.contains(target)) d.removeAttribute('open');
    });
  });
}
