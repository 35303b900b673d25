// Tests: an in-memory stand-in for the sandbox JSON API the web UI calls (/sandbox/api/*), so the
// page can be driven in a browser without the real sandbox. Same routes and shapes as
// src/sandbox/api/ui.ts (answers carry `null` for absent fields, like the real one).
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';

export interface StubPerson {
  openId: string;
  name: string;
  title?: string;
  unitName?: string;
}

export interface StubChat {
  chatId: string;
  name: string;
  type: 'p2p' | 'group';
  members: string[];
}

export interface StubMessage {
  messageId: string;
  chatId: string;
  sender: { kind: 'app' | 'user'; id: string; name?: string };
  msgType: string;
  content: unknown;
  createTime: number;
  updateTime: number;
  urgent: boolean;
}

/** Feishu's time_info: `timestamp` in seconds (as a string), or `date` for all-day events. */
export interface StubTimeInfo {
  timestamp?: string;
  date?: string;
  timezone?: string;
}

export interface StubEvent {
  eventId: string;
  summary: string;
  description?: string;
  start: StubTimeInfo;
  end: StubTimeInfo;
  location?: string;
  organizer?: string;
  attendees: { openId: string; name: string; rsvpStatus?: string }[];
}

export interface StubData {
  people: StubPerson[];
  chats: StubChat[];
  messages: StubMessage[];
  calendar?: Record<string, StubEvent[]>;
}

export interface CardActionBody {
  openId: string;
  messageId: string;
  value?: unknown;
  tag?: string;
  name?: string;
  formValue?: Record<string, unknown>;
  option?: string;
  options?: string[];
  inputValue?: string;
  checked?: boolean;
}

export interface StubHooks {
  /** The bot's answer to a card callback. */
  onAction?: (action: CardActionBody, message: StubMessage) => { toast?: { type: string; content: string }; card?: { type: 'raw'; data: unknown } } | undefined;
  /** Called after a person's text is stored (e.g. to make the bot reply later). */
  onSay?: (text: string, chat: StubChat, stub: StubApi) => void;
}

export interface StubApi {
  data: StubData;
  /** Every card callback the page sent, in order. */
  actions: CardActionBody[];
  /** Adds a message (as the bot or a person) and notifies the page over SSE. */
  addMessage(msg: Omit<StubMessage, 'messageId' | 'createTime' | 'updateTime' | 'urgent'> & Partial<Pick<StubMessage, 'urgent' | 'createTime'>>): StubMessage;
  broadcast(event: { type: 'message' | 'update'; chatId: string; messageId: string } | { type: 'chat'; chatId: string } | { type: 'calendar'; eventId: string; openIds: string[] }): void;
}

export function registerStubApi(app: FastifyInstance, data: StubData, hooks: StubHooks = {}): StubApi {
  const clients = new Set<ServerResponse>();
  let seq = data.messages.length;

  const stub: StubApi = {
    data,
    actions: [],
    addMessage(msg) {
      const now = Date.now();
      const stored: StubMessage = { urgent: false, ...msg, messageId: `om_stub_${++seq}`, createTime: msg.createTime ?? now, updateTime: msg.createTime ?? now };
      data.messages.push(stored);
      stub.broadcast({ type: 'message', chatId: stored.chatId, messageId: stored.messageId });
      return stored;
    },
    broadcast(event) {
      const line = `data: ${JSON.stringify(event)}\n\n`;
      for (const res of clients) res.write(line);
    },
  };

  const personOf = (openId: string) => data.people.find((p) => p.openId === openId);

  app.get('/sandbox/api/info', async () => ({ apps: [{ appId: 'cli_stub', botName: '经济运行调度助手' }], pushUrl: null }));

  app.get('/sandbox/api/people', async () => data.people.map((p) => ({ openId: p.openId, name: p.name, title: p.title ?? null, unitName: p.unitName ?? null })));

  app.get<{ Params: { openId: string } }>('/sandbox/api/people/:openId/chats', async (req, reply) => {
    if (!personOf(req.params.openId)) return reply.code(404).send({ error: `unknown person ${req.params.openId}` });
    return data.chats
      .filter((c) => c.members.includes(req.params.openId))
      .map((c) => ({
        chatId: c.chatId,
        name: c.name,
        type: c.type,
        lastMessageAt: Math.max(0, ...data.messages.filter((m) => m.chatId === c.chatId).map((m) => m.createTime)),
      }));
  });

  app.get<{ Params: { chatId: string } }>('/sandbox/api/chats/:chatId/messages', async (req) =>
    data.messages.filter((m) => m.chatId === req.params.chatId).map((m) => ({ ...m, parentId: null, deleted: false })),
  );

  app.post<{ Params: { openId: string }; Body: { text: string; chatId?: string } }>('/sandbox/api/people/:openId/messages', async (req, reply) => {
    const person = personOf(req.params.openId);
    if (!person) return reply.code(404).send({ error: `unknown person ${req.params.openId}` });
    const chat = req.body.chatId ? data.chats.find((c) => c.chatId === req.body.chatId) : data.chats.find((c) => c.type === 'p2p' && c.members.includes(person.openId));
    if (!chat) return reply.code(404).send({ error: 'unknown chat' });
    const msg = stub.addMessage({ chatId: chat.chatId, sender: { kind: 'user', id: person.openId, name: person.name }, msgType: 'text', content: { text: req.body.text } });
    hooks.onSay?.(req.body.text, chat, stub);
    return { messageId: msg.messageId, chatId: chat.chatId, pushStatus: 'delivered' };
  });

  app.post<{ Body: CardActionBody }>('/sandbox/api/cards/action', async (req, reply) => {
    const msg = data.messages.find((m) => m.messageId === req.body.messageId);
    if (!msg) return reply.code(404).send({ error: `unknown message ${req.body.messageId}` });
    stub.actions.push(req.body);
    const answer = hooks.onAction?.(req.body, msg) ?? {};
    if (answer.card) {
      msg.content = answer.card.data;
      msg.updateTime = Date.now();
      stub.broadcast({ type: 'update', chatId: msg.chatId, messageId: msg.messageId });
    }
    return { toast: answer.toast ?? null, card: answer.card ?? null, error: null };
  });

  const ms = (t: StubTimeInfo) => (t.timestamp ? Number(t.timestamp) * 1000 : t.date ? Date.parse(`${t.date}T00:00:00+08:00`) : 0);
  app.get<{ Params: { openId: string } }>('/sandbox/api/people/:openId/calendar', async (req) =>
    (data.calendar?.[req.params.openId] ?? []).map((ev) => ({
      eventId: ev.eventId,
      summary: ev.summary,
      description: ev.description ?? '',
      startTime: ev.start,
      endTime: ev.end,
      startMs: ms(ev.start),
      endMs: ms(ev.end),
      location: ev.location ?? null,
      vchat: null,
      organizer: ev.organizer ?? '经济运行调度助手',
      attendees: ev.attendees.map((a) => ({ type: 'user', openId: a.openId, chatId: null, name: a.name, rsvpStatus: a.rsvpStatus ?? 'needs_action', isOptional: false })),
    })),
  );

  app.get('/sandbox/api/stream', (req, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    reply.raw.write(': connected\n\n');
    clients.add(reply.raw);
    req.raw.on('close', () => clients.delete(reply.raw));
  });

  // Open event streams would otherwise keep app.close() waiting.
  app.addHook('preClose', async () => {
    for (const res of clients) res.end();
    clients.clear();
  });

  return stub;
}
