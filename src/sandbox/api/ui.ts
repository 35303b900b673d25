// Sandbox: the JSON API behind the browser page (/sandbox/api). The page is built against exactly
// these shapes — change them only together with src/sandbox/ui.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { parseJsonObject } from '../cards.ts';
import type { FaultInjector } from '../faults.ts';
import { contentDisposition, mimeOf } from '../fileTypes.ts';
import { boundaryOf, parseMultipart, type MultipartBody } from '../multipart.ts';
import { SimulationError, USER_FILE_MAX_BYTES, type Simulator } from '../simulator.ts';
import type { ChangeEvent, SandboxState } from '../state.ts';
import type { SandboxStats, StoredEvent, StoredMessage } from '../types.ts';
import { timeInfoMs } from './calendar.ts';

export interface UiDeps {
  state: SandboxState;
  simulator: Simulator;
  faults: FaultInjector;
  stats: () => SandboxStats;
  pushUrl: () => string | undefined;
  /** Open SSE responses, ended when the sandbox closes. */
  streams: Set<ServerResponse>;
}

const OpenIdParams = z.object({ openId: z.string().min(1) });
const ChatParams = z.object({ chatId: z.string().min(1) });
const SayBody = z.object({ text: z.string().min(1).max(150 * 1024), chatId: z.string().optional() });
const FileKeyParams = z.object({ fileKey: z.string().min(1) });
const FileJsonBody = z.object({
  fileName: z.string().min(1),
  contentBase64: z.string(),
  contentType: z.string().optional(),
  chatId: z.string().optional(),
});
/** Room for the base64 (4/3) or multipart framing of the largest file a person may send. */
const UPLOAD_BODY_LIMIT = Math.ceil((USER_FILE_MAX_BYTES * 4) / 3) + 1024 * 1024;
const ActionBody = z.object({
  openId: z.string().min(1),
  messageId: z.string().min(1),
  value: z.record(z.string(), z.unknown()).optional(),
  tag: z.string().optional(),
  name: z.string().optional(),
  formValue: z.record(z.string(), z.unknown()).optional(),
  option: z.string().optional(),
  options: z.array(z.string()).optional(),
  inputValue: z.string().optional(),
  checked: z.boolean().optional(),
});
const FaultsBody = z.object({
  latencyMs: z.number().int().min(0).max(60_000).optional(),
  rate5xx: z.number().min(0).max(1).optional(),
  rate5xxAfterCommit: z.number().min(0).max(1).optional(),
  rate429: z.number().min(0).max(1).optional(),
  rate230020: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
});

const FailNextBody = z.object({ route: z.string().min(1), afterCommit: z.boolean().optional(), times: z.int().min(1).max(100).optional() });

class BadRequest extends Error {}

/** Feishu's `{ name, address }` as one line for the page. */
function locationText(loc: unknown): string | null {
  if (typeof loc !== 'object' || loc === null) return null;
  const { name, address } = loc as { name?: unknown; address?: unknown };
  const parts = [name, address].filter((x): x is string => typeof x === 'string' && x !== '');
  return parts.length > 0 ? parts.join(' · ') : null;
}

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const res = schema.safeParse(value ?? {});
  if (!res.success) throw new BadRequest(res.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  return res.data;
}

export function uiPlugin(deps: UiDeps) {
  const { state, simulator } = deps;

  const senderOf = (m: StoredMessage) =>
    m.sender.kind === 'app'
      ? { kind: 'app' as const, id: m.sender.id, name: state.apps.get(m.sender.id)?.botName ?? m.sender.id }
      : { kind: 'user' as const, id: m.sender.id, name: state.user(m.sender.id)?.name ?? m.sender.id };

  /** For file/audio/media messages: what the page needs for a chip with a download link. */
  const fileView = (m: StoredMessage, content: Record<string, unknown> | undefined) => {
    if (!['file', 'audio', 'media'].includes(m.msgType) || typeof content?.file_key !== 'string') return null;
    const f = state.files.get(content.file_key);
    return {
      fileKey: content.file_key,
      fileName: typeof content.file_name === 'string' ? content.file_name : (f?.fileName ?? content.file_key),
      size: f?.size ?? null,
      url: f?.data ? `/sandbox/api/files/${encodeURIComponent(content.file_key)}` : null,
    };
  };

  const messageView = (m: StoredMessage) => ({
    messageId: m.messageId,
    chatId: m.chatId,
    sender: senderOf(m),
    msgType: m.msgType,
    content: parseJsonObject(m.content) ?? { text: m.content },
    file: fileView(m, parseJsonObject(m.content)),
    createTime: m.createTime,
    updateTime: m.updateTime,
    urgent: m.urgent.app.length + m.urgent.sms.length + m.urgent.phone.length > 0,
    parentId: m.parentId ?? null,
    deleted: m.deleted,
  });

  const eventView = (ev: StoredEvent) => ({
    eventId: ev.eventId,
    calendarId: ev.calendarId,
    summary: ev.summary,
    description: ev.description,
    startTime: ev.start,
    endTime: ev.end,
    startMs: timeInfoMs(ev.start),
    endMs: timeInfoMs(ev.end),
    location: locationText(ev.raw.location),
    vchat: ev.raw.vchat ?? null,
    organizer: state.apps.get(ev.appId)?.botName ?? ev.appId,
    attendees: ev.attendees.map((a) => ({
      type: a.type,
      openId: a.openId ?? null,
      chatId: a.chatId ?? null,
      name: a.displayName,
      rsvpStatus: a.rsvpStatus,
      isOptional: a.isOptional,
    })),
  });

  return async (scope: FastifyInstance): Promise<void> => {
    scope.setErrorHandler((error, _req, reply: FastifyReply) => {
      if (error instanceof BadRequest) return reply.status(400).send({ error: error.message });
      if (error instanceof SimulationError) return reply.status(error.statusCode).send({ error: error.message });
      const status = (error as { statusCode?: number }).statusCode;
      return reply.status(status && status < 500 ? status : 500).send({ error: (error as Error).message });
    });

    scope.get('/info', async () => ({
      apps: [...state.apps.values()].map((a) => ({ appId: a.appId, botName: a.botName })),
      pushUrl: deps.pushUrl() ?? null,
    }));

    scope.get('/people', async () =>
      [...state.users.values()].map((u) => ({ openId: u.openId, name: u.name, title: u.title ?? null, unitName: u.unitName ?? null })),
    );

    scope.get('/people/:openId/chats', async (req) => {
      const { openId } = parse(OpenIdParams, req.params);
      if (!state.user(openId)) throw new SimulationError(404, `unknown person ${openId}`);
      return state
        .chatsOf(openId)
        .map((c) => ({
          chatId: c.chatId,
          name: c.type === 'p2p' ? (state.apps.get(c.appId)?.botName ?? '') : c.name,
          type: c.type,
          lastMessageAt: state.lastMessageAt(c.chatId) ?? c.createTime,
        }))
        .sort((a, b) => b.lastMessageAt - a.lastMessageAt);
    });

    scope.get('/chats/:chatId/messages', async (req) => {
      const { chatId } = parse(ChatParams, req.params);
      if (!state.chats.has(chatId)) throw new SimulationError(404, `unknown chat ${chatId}`);
      return state.messagesIn(chatId).map(messageView);
    });

    scope.post('/people/:openId/messages', async (req) => {
      const { openId } = parse(OpenIdParams, req.params);
      const body = parse(SayBody, req.body);
      const res = await simulator.userSays(openId, body.text, { chatId: body.chatId });
      return res;
    });

    // The page posts multipart (FormData); scripts may post JSON with base64. Scoped to this plugin.
    if (!scope.hasContentTypeParser('multipart/form-data')) {
      scope.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: UPLOAD_BODY_LIMIT }, (req, body, done) => {
        const boundary = boundaryOf(req.headers['content-type']);
        if (!boundary) return done(new BadRequest('multipart boundary missing'), undefined);
        done(null, parseMultipart(body as Buffer, boundary));
      });
    }

    scope.post('/people/:openId/files', { bodyLimit: UPLOAD_BODY_LIMIT }, async (req) => {
      const { openId } = parse(OpenIdParams, req.params);
      const body = req.body as Partial<MultipartBody> | undefined;
      let input: { fileName: string; bytes: Buffer; contentType?: string; chatId?: string };
      if (body && typeof body === 'object' && Array.isArray(body.files) && body.fields) {
        const part = body.files.find((f) => f.field === 'file');
        if (!part) throw new BadRequest('缺少文件（表单字段 file）');
        const contentType = part.contentType && part.contentType !== 'application/octet-stream' ? part.contentType : undefined;
        input = { fileName: body.fields.fileName || part.filename, bytes: part.data, contentType, chatId: body.fields.chatId || undefined };
      } else {
        const json = parse(FileJsonBody, req.body);
        input = { fileName: json.fileName, bytes: Buffer.from(json.contentBase64, 'base64'), contentType: json.contentType, chatId: json.chatId };
      }
      return simulator.userSendsFile(openId, { fileName: input.fileName, bytes: input.bytes, contentType: input.contentType }, { chatId: input.chatId });
    });

    scope.get('/files/:fileKey', async (req, reply) => {
      const { fileKey } = parse(FileKeyParams, req.params);
      const f = state.files.get(fileKey);
      if (!f?.data) throw new SimulationError(404, '未找到该文件');
      return reply
        .header('content-type', f.contentType ?? mimeOf(f.fileName))
        .header('content-disposition', contentDisposition(f.fileName || f.key))
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        .send(f.data);
    });

    scope.post('/cards/action', async (req) => {
      const body = parse(ActionBody, req.body);
      const res = await simulator.clickCard(body);
      return { toast: res.toast ?? null, card: res.card ?? null, error: res.error ?? null };
    });

    scope.get('/people/:openId/calendar', async (req) => {
      const { openId } = parse(OpenIdParams, req.params);
      if (!state.user(openId)) throw new SimulationError(404, `unknown person ${openId}`);
      return [...state.events.values()]
        .filter((ev) => !ev.deleted && state.eventAudience(ev).includes(openId))
        .map(eventView)
        .sort((a, b) => a.startMs - b.startMs);
    });

    scope.get('/faults', async () => deps.faults.get());
    scope.post('/faults', async (req) => deps.faults.set(parse(FaultsBody, req.body)));
    scope.post('/faults/next', async (req) => {
      const { route, ...opts } = parse(FailNextBody, req.body);
      deps.faults.failNext(route, opts);
      return { pending: deps.faults.forcedPending() };
    });
    scope.get('/stats', async () => deps.stats());

    scope.get('/stream', (req, reply) => {
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      res.write('retry: 2000\n\n');
      const onChange = (change: ChangeEvent) => res.write(`data: ${JSON.stringify(change)}\n\n`);
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      ping.unref();
      state.changes.on('change', onChange);
      deps.streams.add(res);
      const done = () => {
        clearInterval(ping);
        state.changes.off('change', onChange);
        deps.streams.delete(res);
      };
      req.raw.on('close', done);
      res.on('close', done);
    });
  };
}
