// Sandbox UI: the sandbox's JSON API (src/sandbox/api), as used by the page.

/**
 * Shapes of src/sandbox/api/ui.ts. Optional fields are ones the page copes without.
 * @typedef {{ openId: string, name: string, title?: string | null, unitName?: string | null }} Person
 * @typedef {{ chatId: string, name: string, type: 'p2p' | 'group', lastMessageAt?: number }} Chat
 * @typedef {{ kind: 'app' | 'user', id: string, name?: string }} Sender
 * @typedef {{ fileKey: string, fileName: string, size?: number | null, url?: string | null }} FileRef
 * @typedef {{ messageId: string, chatId: string, sender: Sender, msgType: string, content: any, createTime: number, updateTime: number, urgent: boolean, parentId?: string | null, deleted?: boolean, file?: FileRef | null }} Message
 * @typedef {{ messageId: string, chatId?: string, pushStatus?: string, fileKey?: string, fileName?: string, size?: number }} SendResult
 * @typedef {{ openId?: string | null, chatId?: string | null, name: string, type?: string, rsvpStatus?: string, isOptional?: boolean }} Attendee
 * @typedef {{ eventId: string, summary: string, description?: string, startTime: unknown, endTime: unknown, startMs?: number | null, endMs?: number | null, location?: string | null, organizer?: string, vchat?: { meeting_url?: string } | null, attendees?: Attendee[] }} CalendarEvent
 * @typedef {{ openId: string, messageId: string, value?: Record<string, unknown>, tag?: string, name?: string, formValue?: Record<string, unknown>, option?: string, options?: string[], inputValue?: string, checked?: boolean }} CardAction
 * @typedef {{ type: string, content?: string, i18n?: Record<string, string> }} Toast
 * @typedef {{ toast?: Toast | null, card?: any, error?: string | { code?: number, msg?: string } | null }} CardActionResult
 * @typedef {{ apps?: { appId: string, botName: string }[] }} SandboxInfo
 */

export class ApiError extends Error {
  /** @param {number} status @param {string} message @param {unknown} [body] */
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

/** What the Feishu client's callback error codes mean (contract §3.2), in the page's language. */
const CALLBACK_ERRORS = /** @type {Record<string, string>} */ ({
  200340: '机器人未配置回调地址',
  200341: '机器人 3 秒内未响应',
  200342: '无法连接机器人的回调地址',
  200343: '回调地址域名解析失败',
  200530: '表单组件缺少 name',
  200671: '机器人返回了非 200 状态',
  200672: '机器人返回的内容格式错误',
  200673: '机器人返回的卡片有误',
  200830: '不能用 1.0 卡片更新 2.0 卡片',
});

/**
 * Human text of an `error` field: a string, or Feishu's `{ code, msg }` where the sandbox's `msg`
 * may end with a technical detail after ": " (kept, e.g. "HTTP 500").
 * @param {unknown} error
 */
export function errorText(error) {
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object') {
    const e = /** @type {{ code?: unknown, msg?: unknown, message?: unknown }} */ (error);
    const msg = typeof e.msg === 'string' ? e.msg : typeof e.message === 'string' ? e.message : '';
    const known = CALLBACK_ERRORS[String(e.code)];
    const detail = known && msg.includes(': ') ? `：${msg.slice(msg.indexOf(': ') + 2)}` : '';
    const text = known ? `${known}${detail}` : msg || '出错了';
    return e.code !== undefined ? `${text}（错误码 ${e.code}）` : text;
  }
  return '出错了';
}

/** @param {string} method @param {string} url @param {unknown} [body] JSON, or FormData sent as multipart */
async function request(method, url, body) {
  const form = typeof FormData !== 'undefined' && body instanceof FormData ? body : undefined;
  /** @type {Response} */
  let res;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined || form ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
      body: form ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
  } catch {
    throw new ApiError(0, '无法连接沙箱服务');
  }
  const text = await res.text();
  let data;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = text;
  }
  if (!res.ok) {
    const err = data && typeof data === 'object' ? /** @type {any} */ (data).error ?? /** @type {any} */ (data).message : data;
    throw new ApiError(res.status, err ? errorText(err) : `请求失败（HTTP ${res.status}）`, data);
  }
  return data;
}

const enc = encodeURIComponent;

export const api = {
  /** @returns {Promise<SandboxInfo>} */
  info: () => request('GET', '/sandbox/api/info'),
  /** @returns {Promise<Person[]>} */
  people: () => request('GET', '/sandbox/api/people'),
  /** @param {string} openId @returns {Promise<Chat[]>} */
  chats: (openId) => request('GET', `/sandbox/api/people/${enc(openId)}/chats`),
  /** @param {string} chatId @returns {Promise<Message[]>} */
  messages: (chatId) => request('GET', `/sandbox/api/chats/${enc(chatId)}/messages`),
  /** @param {string} openId @param {string} text @param {string} [chatId] @returns {Promise<{ messageId: string, chatId?: string, pushStatus?: string }>} */
  say: (openId, text, chatId) => request('POST', `/sandbox/api/people/${enc(openId)}/messages`, chatId ? { text, chatId } : { text }),
  /**
   * A person sends a file (multipart: `file`, `fileName`, optional `chatId`).
   * @param {string} openId @param {File} file @param {string} [chatId] @returns {Promise<SendResult>}
   */
  sendFile: (openId, file, chatId) => {
    const form = new FormData();
    form.append('fileName', file.name);
    if (chatId) form.append('chatId', chatId);
    form.append('file', file, file.name);
    return request('POST', `/sandbox/api/people/${enc(openId)}/files`, form);
  },
  /** @param {CardAction} action @returns {Promise<CardActionResult>} */
  cardAction: (action) => request('POST', '/sandbox/api/cards/action', action),
  /** @param {string} openId @returns {Promise<CalendarEvent[]>} */
  calendar: (openId) => request('GET', `/sandbox/api/people/${enc(openId)}/calendar`),
};
