// Sandbox UI: the page controller. A trainer picks a person of the loaded city, then sees that
// person's chats with the bot (cards included), answers cards, writes to the bot and looks at the
// person's calendar — all through the sandbox's JSON API, refreshed live over Server-Sent Events.
import { escapeHtml } from './card-render.js';
import { api, errorText } from './lib/api.js';
import { installCardInteractions } from './lib/card-actions.js';
import { agendaHtml, agendaItems, dayCounts } from './lib/calendar-view.js';
import { chatListTime, dayHeading, dividerTime } from './lib/format.js';
import { icons } from './lib/icons.js';
import { messageHtml, previewText, senderName } from './lib/messages.js';
import { avatarHtml, showToast } from './lib/ui-kit.js';

/**
 * @typedef {import('./lib/api.js').Person} Person
 * @typedef {import('./lib/api.js').Chat} Chat
 * @typedef {import('./lib/api.js').Message} Message
 * @typedef {import('./lib/api.js').CalendarEvent} CalendarEvent
 * @typedef {'chats' | 'calendar'} Tab
 */

const DEFAULT_BOT_NAME = '经济运行调度助手';
/** The chat-list entry for a person who has no p2p chat with the bot yet. */
const DRAFT_P2P = '__draft_p2p__';
/** A time divider is shown between messages further apart than this. */
const DIVIDER_GAP_MS = 5 * 60 * 1000;
/** Chats whose messages are fetched for previews and unread counts. */
const PREVIEW_CHAT_LIMIT = 40;
/** The sandbox refuses larger files from people (src/sandbox/simulator.ts USER_FILE_MAX_BYTES). */
const MAX_FILE_BYTES = 30 * 1024 * 1024;

const state = {
  /** @type {Person[]} */ people: [],
  /** @type {Map<string, Person>} */ peopleById: new Map(),
  /** @type {string | null} */ personId: null,
  /** @type {Tab} */ tab: 'chats',
  /** @type {Chat[]} */ chats: [],
  /** @type {string | null} */ chatId: null,
  /** @type {Map<string, Message[]>} */ messages: new Map(),
  /** Newest message time the person has seen, per chat (for unread badges). @type {Map<string, number>} */ lastSeen: new Map(),
  /** @type {CalendarEvent[]} */ calendar: [],
  botName: DEFAULT_BOT_NAME,
  /** Bumped when the person changes, so late answers for the previous person are dropped. */
  generation: 0,
  sending: false,
};

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** @param {string} openId */
const nameOf = (openId) => state.peopleById.get(openId)?.name;
const messageContext = () => ({
  viewerId: state.personId ?? '',
  nameOf,
  botName: state.botName,
  findMessage: (/** @type {string} */ id) => (state.chatId ? state.messages.get(state.chatId)?.find((m) => m.messageId === id) : undefined),
});
const currentPerson = () => (state.personId ? state.peopleById.get(state.personId) : undefined);

// ------------------------------------------------------------------------------------------ people

/** People grouped by unit, units in the order the city data lists them ("其他" last). */
function groupedPeople(filter = '') {
  const q = filter.trim().toLowerCase();
  /** @type {Map<string, Person[]>} */
  const groups = new Map();
  for (const p of state.people) {
    if (q && ![p.name, p.title, p.unitName, p.openId].some((v) => (v ?? '').toLowerCase().includes(q))) continue;
    const unit = p.unitName || '其他';
    groups.set(unit, [...(groups.get(unit) ?? []), p]);
  }
  return [...groups.entries()].sort(([a], [b]) => Number(a === '其他') - Number(b === '其他'));
}

function renderPersonMenu() {
  const filter = /** @type {HTMLInputElement} */ ($('person-search')).value;
  const groups = groupedPeople(filter);
  $('person-groups').innerHTML = groups.length
    ? groups
        .map(
          ([unit, people]) =>
            `<div class="person-group"><div class="person-group-title">${escapeHtml(unit)}<span>${people.length}</span></div>` +
            people
              .map(
                (p) =>
                  `<button type="button" role="option" class="person-option${p.openId === state.personId ? ' is-active' : ''}" data-open-id="${escapeHtml(p.openId)}" aria-selected="${p.openId === state.personId}">` +
                  `${avatarHtml({ id: p.openId, name: p.name, size: 32 })}<span class="person-option-text"><span class="person-option-name">${escapeHtml(p.name)}</span><span class="person-option-title">${escapeHtml(p.title ?? '')}</span></span></button>`,
              )
              .join('') +
            '</div>',
        )
        .join('')
    : '<div class="menu-empty">没有匹配的人员</div>';
}

function renderWelcomeGrid() {
  const groups = groupedPeople();
  $('people-grid').innerHTML = groups.length
    ? groups
        .map(
          ([unit, people]) =>
            `<div class="people-unit"><div class="people-unit-title">${escapeHtml(unit)}</div><div class="people-unit-list">` +
            people
              .map(
                (p) =>
                  `<button type="button" class="person-card" data-open-id="${escapeHtml(p.openId)}">${avatarHtml({ id: p.openId, name: p.name, size: 40 })}` +
                  `<span class="person-card-text"><span class="person-card-name">${escapeHtml(p.name)}</span><span class="person-card-title">${escapeHtml(p.title ?? '')}</span></span></button>`,
              )
              .join('') +
            '</div></div>',
        )
        .join('')
    : '<div class="loading">沙箱中还没有人员（请先加载城市数据）</div>';
}

function renderIdentity() {
  const p = currentPerson();
  $('identity-avatar').innerHTML = p ? avatarHtml({ id: p.openId, name: p.name, size: 36 }) : `<span class="avatar avatar--empty" style="width:36px;height:36px">${icons.users(18)}</span>`;
  $('identity-name').textContent = p ? p.name : '选择身份';
  $('identity-sub').textContent = p ? [p.title, p.unitName].filter(Boolean).join(' · ') || p.openId : '以一位人员的身份登录沙箱';
}

/** @param {boolean} open */
function togglePersonMenu(open) {
  const menu = $('person-menu');
  menu.hidden = !open;
  $('person-switcher').setAttribute('aria-expanded', String(open));
  if (open) {
    const search = /** @type {HTMLInputElement} */ ($('person-search'));
    search.value = '';
    renderPersonMenu();
    search.focus();
  }
}

async function loadPeople() {
  try {
    const people = await api.people();
    state.people = Array.isArray(people) ? people : [];
    state.peopleById = new Map(state.people.map((p) => [p.openId, p]));
    renderWelcomeGrid();
    renderIdentity();
  } catch (e) {
    $('people-grid').innerHTML = `<div class="loading is-error">无法加载人员：${escapeHtml(errorText(e instanceof Error ? e.message : e))} <button type="button" class="btn" id="retry-people">重试</button></div>`;
  }
}

/**
 * @param {string} openId
 * @param {{ chatId?: string | null, tab?: Tab }} [opts]
 */
async function selectPerson(openId, opts = {}) {
  if (!state.peopleById.has(openId)) return;
  const generation = ++state.generation;
  state.personId = openId;
  state.chats = [];
  state.chatId = null;
  state.messages.clear();
  state.lastSeen.clear();
  state.calendar = [];
  togglePersonMenu(false);
  renderIdentity();
  renderChatList();
  setTab(opts.tab ?? state.tab, { load: false });
  await loadChats(generation);
  if (generation !== state.generation) return;
  const wanted = opts.chatId && state.chats.some((c) => c.chatId === opts.chatId) ? opts.chatId : state.chats[0]?.chatId;
  if (wanted) openChat(wanted);
  else renderMain();
  if (state.tab === 'calendar') void loadCalendar();
  writeHash();
}

// ------------------------------------------------------------------------------------------ chats

/** @param {number} [generation] */
async function loadChats(generation = state.generation) {
  const openId = state.personId;
  if (!openId) return;
  let chats;
  try {
    chats = await api.chats(openId);
  } catch (e) {
    showToast('error', `无法加载会话：${e instanceof Error ? e.message : e}`);
    return;
  }
  if (generation !== state.generation) return;
  state.chats = (Array.isArray(chats) ? chats : []).slice();
  sortChats();
  await Promise.all(state.chats.slice(0, PREVIEW_CHAT_LIMIT).filter((c) => !state.messages.has(c.chatId)).map((c) => fetchMessages(c.chatId, generation, { initial: true })));
  if (generation !== state.generation) return;
  renderChatList();
}

function sortChats() {
  state.chats.sort((a, b) => lastActivity(b) - lastActivity(a));
}

/** @param {Chat} chat */
function lastActivity(chat) {
  const msgs = state.messages.get(chat.chatId);
  const last = msgs?.[msgs.length - 1];
  return Math.max(Number(chat.lastMessageAt) || 0, last?.createTime ?? 0);
}

/**
 * Fetches a chat's messages into the cache. On the first load every message counts as read.
 * @param {string} chatId @param {number} generation @param {{ initial?: boolean }} [opts]
 */
async function fetchMessages(chatId, generation, opts = {}) {
  let list;
  try {
    list = await api.messages(chatId);
  } catch (e) {
    if (chatId === state.chatId) showToast('error', `无法加载消息：${e instanceof Error ? e.message : e}`);
    return;
  }
  if (generation !== state.generation) return;
  const msgs = (Array.isArray(list) ? list : []).slice().sort((a, b) => a.createTime - b.createTime);
  state.messages.set(chatId, msgs);
  const bot = msgs.find((m) => m.sender.kind === 'app' && m.sender.name);
  if (bot?.sender.name) state.botName = bot.sender.name;
  if (opts.initial && !state.lastSeen.has(chatId)) state.lastSeen.set(chatId, msgs[msgs.length - 1]?.createTime ?? 0);
}

/** @param {string} chatId */
function unreadCount(chatId) {
  if (chatId === state.chatId && state.tab === 'chats' && document.visibilityState !== 'hidden') return 0;
  const seen = state.lastSeen.get(chatId) ?? 0;
  return (state.messages.get(chatId) ?? []).filter((m) => m.createTime > seen && !(m.sender.kind === 'user' && m.sender.id === state.personId)).length;
}

/** @param {string} chatId */
function markSeen(chatId) {
  const msgs = state.messages.get(chatId) ?? [];
  state.lastSeen.set(chatId, Math.max(state.lastSeen.get(chatId) ?? 0, msgs[msgs.length - 1]?.createTime ?? 0));
}

/** @param {Chat} chat */
function chatTitle(chat) {
  if (chat.type === 'p2p') return chat.name && chat.name !== state.personId ? chat.name : state.botName;
  return chat.name || '未命名群聊';
}

/** @param {Chat} chat @param {number} [size] */
function chatAvatar(chat, size = 40) {
  return chat.type === 'p2p' ? avatarHtml({ id: chat.chatId, name: chatTitle(chat), kind: 'bot', size }) : avatarHtml({ id: chat.chatId, name: chatTitle(chat), kind: 'group', size });
}

function renderChatList() {
  const list = $('chat-list');
  if (!state.personId) {
    list.innerHTML = '<div class="list-empty">请先在上方选择一位人员</div>';
    $('chat-count').textContent = '';
    $('rail-unread').hidden = true;
    return;
  }
  const ctx = messageContext();
  let total = 0;
  const items = state.chats.map((chat) => {
    const msgs = state.messages.get(chat.chatId) ?? [];
    const last = msgs[msgs.length - 1];
    const unread = unreadCount(chat.chatId);
    total += unread;
    const urgent = msgs.some((m) => m.urgent && m.createTime > (state.lastSeen.get(chat.chatId) ?? 0));
    const time = chatListTime(lastActivity(chat));
    const preview = last ? previewText(last, ctx) : chat.type === 'group' ? '群聊' : '暂无消息';
    return (
      `<button type="button" role="listitem" class="chat-item${chat.chatId === state.chatId ? ' is-active' : ''}" data-chat-id="${escapeHtml(chat.chatId)}" title="${escapeHtml(chatTitle(chat))}">` +
      `${chatAvatar(chat)}<span class="chat-item-body"><span class="chat-item-top"><span class="chat-item-name">${escapeHtml(chatTitle(chat))}</span>` +
      `${chat.type === 'group' ? '<span class="chat-kind">群</span>' : '<span class="chat-kind chat-kind--bot">机器人</span>'}<span class="chat-item-time">${escapeHtml(time)}</span></span>` +
      `<span class="chat-item-bottom">${urgent && unread ? '<span class="chat-item-urgent">[加急]</span>' : ''}<span class="chat-item-preview">${escapeHtml(preview)}</span>${unread ? `<span class="unread">${unread > 99 ? '99+' : unread}</span>` : ''}</span></span></button>`
    );
  });
  if (!state.chats.some((c) => c.type === 'p2p')) {
    items.unshift(
      `<button type="button" role="listitem" class="chat-item chat-item--draft${state.chatId === DRAFT_P2P ? ' is-active' : ''}" data-chat-id="${DRAFT_P2P}">` +
        `${avatarHtml({ id: DRAFT_P2P, name: state.botName, kind: 'bot', size: 40 })}<span class="chat-item-body"><span class="chat-item-top"><span class="chat-item-name">${escapeHtml(state.botName)}</span><span class="chat-kind chat-kind--bot">机器人</span></span>` +
        '<span class="chat-item-bottom"><span class="chat-item-preview">发起单聊，向机器人发送指令</span></span></span></button>',
    );
  }
  list.innerHTML = items.join('') || '<div class="list-empty">暂无会话</div>';
  $('chat-count').textContent = state.chats.length ? String(state.chats.length) : '';
  const badge = $('rail-unread');
  badge.hidden = total === 0;
  badge.textContent = total > 99 ? '99+' : String(total);
}

/** @param {string} chatId */
function openChat(chatId) {
  state.chatId = chatId;
  setTab('chats', { load: false });
  renderMain();
  renderChatList();
  writeHash();
  if (chatId === DRAFT_P2P) return;
  if (state.messages.has(chatId)) {
    markSeen(chatId);
    renderMessages({ forceBottom: true });
  } else {
    $('messages').innerHTML = '<div class="messages-loading">正在加载消息…</div>';
  }
  void refreshChat(chatId, { forceBottom: true });
}

/** @param {string} chatId @param {{ forceBottom?: boolean }} [opts] */
async function refreshChat(chatId, opts = {}) {
  const generation = state.generation;
  await fetchMessages(chatId, generation);
  if (generation !== state.generation) return;
  if (chatId === state.chatId && state.tab === 'chats') {
    markSeen(chatId);
    renderMessages(opts);
  }
  sortChats();
  renderChatList();
}

// ------------------------------------------------------------------------------------------ messages

function renderChatHeader() {
  const chat = state.chats.find((c) => c.chatId === state.chatId);
  const draft = state.chatId === DRAFT_P2P;
  const title = chat ? chatTitle(chat) : state.botName;
  $('chat-avatar').innerHTML = chat ? chatAvatar(chat, 36) : avatarHtml({ id: DRAFT_P2P, name: state.botName, kind: 'bot', size: 36 });
  $('chat-name').textContent = title;
  $('chat-name').title = chat ? chat.chatId : '';
  const group = chat?.type === 'group';
  $('chat-sub').textContent = draft ? '单聊 · 尚未开始' : group ? '群聊 · 群内需 @机器人 才会推送给机器人' : '与机器人的单聊';
  const input = /** @type {HTMLTextAreaElement} */ ($('composer-input'));
  input.placeholder = group ? `发送到 ${title}（@${state.botName} 以唤起机器人）` : `发送给 ${state.botName}`;
  $('composer-at').hidden = !group;
}

/** @param {{ forceBottom?: boolean }} [opts] */
function renderMessages(opts = {}) {
  const box = $('messages');
  if (!state.chatId || state.chatId === DRAFT_P2P) {
    box.innerHTML = `<div class="messages-empty">${icons.chat(40)}<p>还没有消息</p><span>在下方输入框发送一条消息，开始与机器人对话</span></div>`;
    return;
  }
  const msgs = state.messages.get(state.chatId) ?? [];
  const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 120;
  if (!msgs.length) {
    box.innerHTML = `<div class="messages-empty">${icons.chat(40)}<p>还没有消息</p><span>机器人发来的消息和卡片会出现在这里</span></div>`;
    return;
  }
  const ctx = messageContext();
  // Content, not update time: the callback answer drawn here and the same card pushed again by the stream
  // must not redraw a form the person is typing in.
  const keyOf = (/** @type {Message} */ m) => `${m.urgent}|${JSON.stringify(m.content)}`;
  /** @type {Map<string, HTMLElement>} */
  const existing = new Map();
  box.querySelectorAll(':scope > .msg-row').forEach((el) => existing.set(el.getAttribute('data-message-id') ?? '', /** @type {HTMLElement} */ (el)));

  /** @type {Element[]} */
  const nodes = [];
  let prev = 0;
  for (const m of msgs) {
    if (!prev || m.createTime - prev > DIVIDER_GAP_MS) nodes.push(htmlToNode(`<div class="time-divider"><span>${escapeHtml(dividerTime(m.createTime))}</span></div>`));
    prev = m.createTime;
    const key = keyOf(m);
    const old = existing.get(m.messageId);
    // Unchanged messages keep their DOM, so half-filled forms and focus survive live updates.
    if (old && old.dataset.key === key) nodes.push(old);
    else {
      const el = /** @type {HTMLElement} */ (htmlToNode(messageHtml(m, ctx)));
      el.dataset.key = key;
      nodes.push(el);
    }
  }
  patchChildren(box, nodes);
  if (opts.forceBottom || nearBottom) box.scrollTop = box.scrollHeight;
}

/**
 * Makes `box`'s children equal `nodes`, touching as little as possible: when the new list only
 * replaces some rows and appends others (the usual case), untouched rows are never moved.
 * @param {HTMLElement} box @param {Element[]} nodes
 */
function patchChildren(box, nodes) {
  const current = [...box.children];
  /** @param {Element} a @param {Element} b */
  const sameSlot = (a, b) =>
    a === b ||
    (a.classList.contains('msg-row') && b.classList.contains('msg-row') && a.getAttribute('data-message-id') === b.getAttribute('data-message-id')) ||
    (a.classList.contains('time-divider') && b.classList.contains('time-divider') && a.textContent === b.textContent);
  const patchable = current.length <= nodes.length && current.every((el, i) => sameSlot(el, /** @type {Element} */ (nodes[i])));
  if (!patchable) return box.replaceChildren(...nodes);
  current.forEach((el, i) => {
    const next = /** @type {Element} */ (nodes[i]);
    if (el !== next && !(el.classList.contains('time-divider') && next.classList.contains('time-divider'))) el.replaceWith(next);
  });
  box.append(...nodes.slice(current.length));
}

/** @param {string} html @returns {Element} */
function htmlToNode(html) {
  const t = document.createElement('template');
  t.innerHTML = html.trim();
  return /** @type {Element} */ (t.content.firstElementChild);
}

/**
 * Sends a card callback and applies the answer: toast, and the replacement card if any.
 * @param {string} messageId
 * @param {import('./lib/card-actions.js').ActionPayload} payload
 */
async function dispatchCardAction(messageId, payload) {
  if (!state.personId) return;
  try {
    const res = await api.cardAction({ openId: state.personId, messageId, ...payload });
    if (res?.error) showToast('error', errorText(res.error));
    if (res?.toast) showToast(res.toast.type, res.toast.content || res.toast.i18n?.zh_cn || '');
    if (res?.card) replaceCard(messageId, res.card);
  } catch (e) {
    showToast('error', e instanceof Error ? e.message : '回调失败');
  }
}

/** @param {string} messageId @param {any} card `{ type: 'raw', data }`, a template reference, or a card */
function replaceCard(messageId, card) {
  const content = card?.type === 'raw' && card.data ? card.data : card;
  for (const [chatId, msgs] of state.messages) {
    const m = msgs.find((x) => x.messageId === messageId);
    if (!m) continue;
    m.content = content;
    m.updateTime = Math.max(Date.now(), m.updateTime + 1);
    if (chatId === state.chatId) renderMessages();
    renderChatList();
    return;
  }
}

// ------------------------------------------------------------------------------------------ composer

async function sendMessage() {
  const input = /** @type {HTMLTextAreaElement} */ ($('composer-input'));
  const text = input.value.trim();
  if (!text || !state.personId || state.sending) return;
  const openId = state.personId;
  const draft = state.chatId === DRAFT_P2P || !state.chatId;
  state.sending = true;
  updateComposer();
  input.value = '';
  autoGrow(input);
  try {
    const res = await api.say(openId, text, draft ? undefined : /** @type {string} */ (state.chatId));
    if (res?.pushStatus === 'skipped') showToast('info', '消息已发送。群聊中需 @机器人 才会推送给机器人');
    else if (res?.pushStatus === 'failed') showToast('warning', '消息已发送，但推送给机器人失败（机器人服务未响应）');
    else if (res?.pushStatus === 'not_configured') showToast('warning', '消息已发送，但沙箱尚未配置机器人的事件推送地址');
    await showSent(openId, draft, res);
  } catch (e) {
    input.value = text;
    showToast('error', `发送失败：${e instanceof Error ? e.message : e}`);
  } finally {
    state.sending = false;
    updateComposer();
  }
}

/**
 * After a send: a first p2p message opens the new chat, otherwise the current chat is refreshed.
 * @param {string} openId @param {boolean} draft @param {import('./lib/api.js').SendResult | undefined} res
 */
async function showSent(openId, draft, res) {
  if (openId !== state.personId) return;
  if (draft) {
    await loadChats();
    const chatId = res?.chatId ?? state.chats.find((c) => c.type === 'p2p')?.chatId;
    if (chatId) openChat(chatId);
  } else {
    await refreshChat(/** @type {string} */ (state.chatId), { forceBottom: true });
  }
}

/** The person sends a file to the open chat (or starts the p2p chat with it). @param {File} file */
async function sendFile(file) {
  if (!state.personId || state.sending) return;
  if (file.size === 0) return void showToast('warning', '不能发送空文件');
  if (file.size > MAX_FILE_BYTES) return void showToast('warning', '文件超过 30 MB，沙箱不接收');
  const openId = state.personId;
  const draft = state.chatId === DRAFT_P2P || !state.chatId;
  state.sending = true;
  updateComposer();
  try {
    const res = await api.sendFile(openId, file, draft ? undefined : /** @type {string} */ (state.chatId));
    // A file cannot @ the bot, so in groups it only reaches bots that receive every group message.
    if (res?.pushStatus === 'skipped') showToast('info', '文件已发送。群聊中的文件不会推送给机器人（只推送 @机器人 的消息）');
    else if (res?.pushStatus === 'failed') showToast('warning', '文件已发送，但推送给机器人失败（机器人服务未响应）');
    else if (res?.pushStatus === 'not_configured') showToast('warning', '文件已发送，但沙箱尚未配置机器人的事件推送地址');
    await showSent(openId, draft, res);
  } catch (e) {
    showToast('error', `文件发送失败：${e instanceof Error ? e.message : e}`);
  } finally {
    state.sending = false;
    updateComposer();
  }
}

function updateComposer() {
  const input = /** @type {HTMLTextAreaElement} */ ($('composer-input'));
  /** @type {HTMLButtonElement} */ ($('composer-file')).disabled = state.sending;
  /** @type {HTMLButtonElement} */ ($('composer-send')).disabled = state.sending || input.value.trim() === '';
  $('composer-send').classList.toggle('is-loading', state.sending);
}

/** @param {HTMLTextAreaElement} input */
function autoGrow(input) {
  input.style.height = 'auto';
  input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
}

// ------------------------------------------------------------------------------------------ calendar

async function loadCalendar() {
  const openId = state.personId;
  if (!openId) return;
  const generation = state.generation;
  if (!state.calendar.length) $('agenda').innerHTML = '<div class="loading">正在加载日程…</div>';
  try {
    const events = await api.calendar(openId);
    if (generation !== state.generation) return;
    state.calendar = Array.isArray(events) ? events : [];
    renderCalendar();
  } catch (e) {
    if (generation === state.generation) $('agenda').innerHTML = `<div class="loading is-error">无法加载日程：${escapeHtml(e instanceof Error ? e.message : String(e))}</div>`;
  }
}

function renderCalendar() {
  const p = currentPerson();
  const items = agendaItems(state.calendar);
  $('calendar-title').textContent = p ? `${p.name}的日历` : '日历';
  $('calendar-sub').textContent = p ? `共 ${items.length} 个日程 · 时间均为北京时间` : '';
  $('agenda').innerHTML = agendaHtml(items, { viewerId: state.personId ?? '' });
  const days = dayCounts(items);
  $('day-list').innerHTML = days.length
    ? days
        .map(([day, n]) => {
          const h = dayHeading(day);
          return `<button type="button" class="day-item" data-day="${escapeHtml(day)}"><span class="day-item-date">${escapeHtml(h.title)}</span><span class="day-item-week">${escapeHtml(h.relative || h.weekday)}</span><span class="day-item-count">${n}</span></button>`;
        })
        .join('')
    : '<div class="list-empty">暂无日程</div>';
  const focus = document.querySelector('.agenda-day.is-today') ?? document.querySelector('.agenda-day:not(.is-past)');
  focus?.scrollIntoView({ block: 'start' });
}

// ------------------------------------------------------------------------------------------ layout

/** @param {Tab} tab @param {{ load?: boolean }} [opts] */
function setTab(tab, opts = {}) {
  state.tab = tab;
  document.querySelectorAll('.rail-item[data-tab]').forEach((b) => b.classList.toggle('is-active', b.getAttribute('data-tab') === tab));
  $('sidebar-chats').hidden = tab !== 'chats';
  $('sidebar-calendar').hidden = tab !== 'calendar';
  renderMain();
  if (tab === 'calendar' && opts.load !== false) void loadCalendar();
  if (tab === 'chats' && state.chatId && state.chatId !== DRAFT_P2P) {
    markSeen(state.chatId);
    renderChatList();
  }
  writeHash();
}

function renderMain() {
  const view = !state.personId ? 'welcome' : state.tab === 'calendar' ? 'calendar' : state.chatId ? 'chat' : 'welcome';
  $('view-welcome').hidden = view !== 'welcome';
  $('view-chat').hidden = view !== 'chat';
  $('view-calendar').hidden = view !== 'calendar';
  if (view === 'welcome' && state.personId) {
    $('people-grid').innerHTML = `<div class="loading">${state.chats.length ? '请在左侧选择一个会话' : '此人还没有会话，可在左侧向机器人发起单聊'}</div>`;
  } else if (view === 'welcome') renderWelcomeGrid();
  if (view === 'chat') {
    renderChatHeader();
    if (state.chatId === DRAFT_P2P) renderMessages();
  }
  if (view === 'calendar') renderCalendar();
}

function writeHash() {
  const p = new URLSearchParams();
  if (state.personId) p.set('person', state.personId);
  if (state.chatId && state.chatId !== DRAFT_P2P) p.set('chat', state.chatId);
  if (state.tab !== 'chats') p.set('tab', state.tab);
  const hash = p.toString();
  if (location.hash.slice(1) !== hash) history.replaceState(null, '', hash ? `#${hash}` : location.pathname);
}

function readHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  const tab = p.get('tab') === 'calendar' ? 'calendar' : 'chats';
  return { person: p.get('person'), chat: p.get('chat'), tab: /** @type {Tab} */ (tab) };
}

// ------------------------------------------------------------------------------------------ live updates

/** @type {Map<string, ReturnType<typeof setTimeout>>} */
const pending = new Map();
/** @param {string} key @param {() => void} fn @param {number} [ms] */
function debounce(key, fn, ms = 60) {
  clearTimeout(pending.get(key));
  pending.set(key, setTimeout(() => (pending.delete(key), fn()), ms));
}

/**
 * A change in the sandbox (src/sandbox/state.ts ChangeEvent): a message sent or updated in a chat,
 * a chat created or its members changed, or a calendar event touching some people.
 * @param {{ type?: string, chatId?: string, openIds?: string[] }} event
 */
function onStreamEvent(event) {
  const personId = state.personId;
  if (!personId) return;
  if (event.type === 'calendar') {
    const mine = !Array.isArray(event.openIds) || event.openIds.includes(personId);
    if (mine && state.tab === 'calendar') debounce('calendar', () => void loadCalendar(), 200);
    return;
  }
  const chatId = typeof event.chatId === 'string' ? event.chatId : '';
  const known = chatId && state.chats.some((c) => c.chatId === chatId);
  // A new chat (a group the bot created, a first p2p message) or new members: reload the list.
  if (event.type === 'chat' || !known) debounce('chats', () => void loadChats());
  if (known && event.type !== 'chat') debounce(`chat:${chatId}`, () => void refreshChat(chatId));
}

function connectStream() {
  if (typeof EventSource === 'undefined') return;
  const status = $('live-status');
  /** @param {'open' | 'connecting' | 'error'} s */
  const set = (s) => {
    status.dataset.state = s;
    status.title = s === 'open' ? '实时连接：已连接' : s === 'connecting' ? '实时连接：连接中' : '实时连接：已断开，正在重连';
  };
  let dropped = false;
  const source = new EventSource('/sandbox/api/stream');
  source.onopen = () => {
    set('open');
    if (dropped && state.personId) {
      // Events may have been missed while disconnected.
      void loadChats().then(() => {
        if (state.chatId && state.chatId !== DRAFT_P2P) void refreshChat(state.chatId);
      });
    }
    dropped = false;
  };
  source.onerror = () => {
    dropped = true;
    set(source.readyState === EventSource.CLOSED ? 'error' : 'connecting');
  };
  source.onmessage = (e) => {
    try {
      onStreamEvent(JSON.parse(e.data));
    } catch {
      /* not JSON: ignore (keep-alive comments never reach here) */
    }
  };
}

// ------------------------------------------------------------------------------------------ wiring

function wire() {
  document.querySelectorAll('[data-icon]').forEach((el) => {
    const name = /** @type {keyof typeof icons} */ (el.getAttribute('data-icon'));
    if (icons[name]) el.innerHTML = icons[name](el.closest('.rail-item') ? 22 : 16);
  });

  $('person-switcher').addEventListener('click', () => togglePersonMenu($('person-menu').hidden === true));
  $('person-search').addEventListener('input', renderPersonMenu);
  $('person-search').addEventListener('keydown', (e) => {
    if (e.key === 'Escape') togglePersonMenu(false);
    if (e.key === 'Enter') /** @type {HTMLElement | null} */ (document.querySelector('#person-groups .person-option'))?.click();
  });
  document.addEventListener('click', (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    const option = /** @type {HTMLElement | null} */ (target.closest('[data-open-id].person-option, [data-open-id].person-card'));
    if (option) return void selectPerson(option.getAttribute('data-open-id') ?? '');
    if (!$('person-menu').hidden && !target.closest('.identity')) togglePersonMenu(false);
    if (target.closest('#retry-people')) void loadPeople();
  });

  $('chat-list').addEventListener('click', (e) => {
    const item = /** @type {HTMLElement | null} */ (/** @type {HTMLElement} */ (e.target).closest('.chat-item'));
    if (item) openChat(item.getAttribute('data-chat-id') ?? '');
  });

  document.querySelectorAll('.rail-item[data-tab]').forEach((b) =>
    b.addEventListener('click', () => {
      const tab = /** @type {Tab} */ (b.getAttribute('data-tab'));
      if (tab === 'chats' && !state.chatId && state.chats[0]) openChat(state.chats[0].chatId);
      else setTab(tab);
    }),
  );
  $('calendar-refresh').addEventListener('click', () => void loadCalendar());
  $('day-list').addEventListener('click', (e) => {
    const day = /** @type {HTMLElement} */ (e.target).closest('[data-day]')?.getAttribute('data-day');
    if (day) document.getElementById(`day-${day}`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  });

  const input = /** @type {HTMLTextAreaElement} */ ($('composer-input'));
  input.addEventListener('input', () => {
    autoGrow(input);
    updateComposer();
  });
  input.addEventListener('keydown', (e) => {
    // isComposing: Enter that confirms a Chinese IME candidate must not send.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void sendMessage();
    }
  });
  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    void sendMessage();
  });
  const fileInput = /** @type {HTMLInputElement} */ ($('composer-file-input'));
  $('composer-file').addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    fileInput.value = '';
    if (file) void sendFile(file);
  });
  const box = /** @type {HTMLElement} */ (document.querySelector('#composer .composer-box'));
  box.addEventListener('dragover', (e) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    box.classList.add('is-dragover');
  });
  box.addEventListener('dragleave', () => box.classList.remove('is-dragover'));
  box.addEventListener('drop', (e) => {
    const file = e.dataTransfer?.files?.[0];
    box.classList.remove('is-dragover');
    if (!file) return;
    e.preventDefault();
    void sendFile(file);
  });
  $('composer-at').addEventListener('click', () => {
    input.value = `${input.value}${input.value && !input.value.endsWith(' ') ? ' ' : ''}@${state.botName} `;
    input.focus();
    updateComposer();
  });

  installCardInteractions($('messages'), dispatchCardAction);

  // A hand-edited or bookmarked address (#person=…&chat=…&tab=…) switches view without a reload.
  window.addEventListener('hashchange', () => {
    const wanted = readHash();
    if (wanted.person && wanted.person !== state.personId) return void selectPerson(wanted.person, { chatId: wanted.chat, tab: wanted.tab });
    if (wanted.tab !== state.tab) setTab(wanted.tab);
    if (wanted.tab === 'chats' && wanted.chat && wanted.chat !== state.chatId && state.chats.some((c) => c.chatId === wanted.chat)) openChat(wanted.chat);
  });

  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && state.chatId && state.chatId !== DRAFT_P2P) {
      markSeen(state.chatId);
      renderChatList();
    }
  });
}

async function start() {
  wire();
  renderIdentity();
  renderChatList();
  connectStream();
  const info = await api.info().catch(() => null);
  const botName = info?.apps?.[0]?.botName;
  if (botName) state.botName = botName;
  await loadPeople();
  const wanted = readHash();
  if (wanted.person && state.peopleById.has(wanted.person)) await selectPerson(wanted.person, { chatId: wanted.chat, tab: wanted.tab });
}

void start();

// Exposed for debugging in the browser console.
Object.assign(window, { sandboxUi: { state, senderName } });
