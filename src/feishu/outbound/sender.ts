// Feishu edge: the only place that sends to Feishu. One outbox row → one SDK call, with uuid = row id
// where Feishu de-duplicates (send, reply: one message per uuid within an hour), so our own retries —
// even after an answer that was lost — never show twice.
import { z } from 'zod';
import type { FeishuClient } from '../client.ts';
import type { OutboundSpec } from '../../outbox/outbox.schema.ts';
import { stampRender } from '../../../cards/render.ts';

/** A failed call with what Feishu answered (no httpStatus: no answer at all). */
export class FeishuCallError extends Error {
  override readonly name = 'FeishuCallError';
  constructor(
    message: string,
    readonly httpStatus: number | undefined,
    readonly code: number | undefined,
    readonly logId: string | undefined,
    readonly headers: Record<string, string | undefined>,
    /** Feishu's `msg`: for logs, and for the one answer only its text tells apart (230099 … 11310 card lock). */
    readonly msg?: string,
  ) {
    super(message);
  }
}

// What we read from Feishu's answers. Passthrough: Feishu adds fields.
const Envelope = z.looseObject({
  code: z.number().optional(),
  msg: z.string().optional(),
  data: z.unknown().optional(),
  error: z.looseObject({ log_id: z.string().optional(), logid: z.string().optional() }).optional(),
});
const MessageData = z.looseObject({ message_id: z.string().min(1) });
const FileData = z.looseObject({ file_key: z.string().min(1) });
const AxiosLike = z.object({
  message: z.string().optional(),
  response: z
    // headers: an AxiosHeaders instance, not a plain record.
    .object({ status: z.number(), headers: z.unknown().optional(), data: z.unknown().optional() })
    .optional(),
});
/** The SDK's own error when the token endpoint answers HTTP 200 without a token (e.g. 10014). */
const TOKEN_FAILURE = /failed to get tenant_access_token, code: (\d+)/;

function lowerHeaders(h: unknown): Record<string, string | undefined> {
  if (typeof h !== 'object' || h === null) return {};
  return Object.fromEntries(
    Object.entries(h)
      .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
      .map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
}

/** Turns whatever the SDK threw into a FeishuCallError (axios: non-2xx answers and network errors). */
function toCallError(err: unknown): FeishuCallError {
  const parsed = AxiosLike.safeParse(err);
  const message = parsed.success ? (parsed.data.message ?? String(err)) : String(err);
  const res = parsed.success ? parsed.data.response : undefined;
  if (!res) {
    const token = TOKEN_FAILURE.exec(message);
    if (token) return new FeishuCallError(`tenant token refused: ${message}`, 200, Number(token[1]), undefined, {});
    return new FeishuCallError(`no answer from Feishu: ${message}`, undefined, undefined, undefined, {});
  }
  const headers = lowerHeaders(res.headers);
  const body = Envelope.safeParse(res.data);
  const msg = body.success ? body.data.msg : undefined;
  const code = body.success ? body.data.code : undefined;
  return new FeishuCallError(
    `Feishu answered HTTP ${res.status}${code !== undefined ? `, code ${code}` : ''}${msg ? `: ${msg}` : ''}`,
    res.status,
    code,
    headers['x-tt-logid'] ?? (body.success ? (body.data.error?.log_id ?? body.data.error?.logid) : undefined),
    headers,
    msg,
  );
}

/** Runs an SDK call; a non-2xx (thrown by axios) or a 2xx with code ≠ 0 becomes a FeishuCallError. */
export async function call(run: () => Promise<unknown>): Promise<z.infer<typeof Envelope>> {
  let raw: unknown;
  try {
    raw = await run();
  } catch (err) {
    throw toCallError(err);
  }
  const body = Envelope.safeParse(raw ?? {});
  if (!body.success) throw new FeishuCallError('Feishu answered something that is not a JSON object', 200, undefined, undefined, {});
  const { msg } = body.data;
  const code = body.data.code;
  // Some APIs answer failures with HTTP 200; the SDK returns those bodies instead of throwing.
  if (code !== undefined && code !== 0) {
    throw new FeishuCallError(`Feishu answered code ${code}: ${msg ?? ''}`, 200, code, body.data.error?.log_id ?? body.data.error?.logid, {}, msg);
  }
  return body.data;
}

/** Reads a field we need from a successful answer; its absence is an unexpected answer (retried). */
export function need<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  const r = schema.safeParse(data);
  if (!r.success) throw new FeishuCallError(`Feishu's answer has no ${what}`, 200, undefined, undefined, {});
  return r.data;
}

const str = (content: unknown) => JSON.stringify(content);
/** A card's content with this rendering's id in its callback values (cards/render.ts). */
const cardStr = (content: unknown, rowId: string) => str(stampRender(content, rowId));

/** Delivers one row. Returns Feishu's message id (for FILE_UPLOAD without a receiver: the file key). */
export async function sendOutbound(client: FeishuClient, rowId: string, spec: OutboundSpec): Promise<{ feishuMessageId?: string }> {
  const im = client.sdk.im.v1;
  switch (spec.kind) {
    case 'SEND': {
      const body = await call(() =>
        im.message.create({
          params: { receive_id_type: spec.receiveIdType },
          data: { receive_id: spec.receiveId, msg_type: spec.msgType, content: cardStr(spec.content, rowId), uuid: rowId },
        }),
      );
      return { feishuMessageId: need(MessageData, body.data, 'message_id').message_id };
    }
    case 'REPLY': {
      const body = await call(() =>
        im.message.reply({ path: { message_id: spec.targetMessageId }, data: { msg_type: spec.msgType, content: cardStr(spec.content, rowId), uuid: rowId } }),
      );
      return { feishuMessageId: need(MessageData, body.data, 'message_id').message_id };
    }
    case 'UPDATE_CARD':
      // PATCH replaces the card; repeating it after a lost answer writes the same card again.
      await call(() => im.message.patch({ path: { message_id: spec.targetMessageId }, data: { content: cardStr(spec.content, rowId) } }));
      return { feishuMessageId: spec.targetMessageId };
    case 'DELAYED_UPDATE':
      // No generated SDK method (contract §2.6); `card` is an object here, not a string.
      await call(() => client.sdk.request({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token: spec.content.token, card: stampRender(spec.content.card, rowId) } }));
      return {};
    case 'URGENT':
      await call(() =>
        im.message.urgentApp({ path: { message_id: spec.targetMessageId }, params: { user_id_type: 'open_id' }, data: { user_id_list: spec.content.userIds } }),
      );
      return { feishuMessageId: spec.targetMessageId };
    case 'FILE_UPLOAD': {
      const { fileName, fileType, base64 } = spec.content;
      // file.create returns `data` itself ({ file_key }) or null, not the envelope.
      const uploaded = await call(async () => {
        const data = await im.file.create({ data: { file_type: fileType, file_name: fileName, file: Buffer.from(base64, 'base64') } });
        return { code: data ? 0 : undefined, data };
      });
      const fileKey = need(FileData, uploaded.data, 'file_key').file_key;
      const { receiveIdType, receiveId } = spec;
      if (!receiveIdType || !receiveId) return { feishuMessageId: fileKey };
      // A retry uploads again (an unused file costs nothing) but sends once: uuid = row id.
      const sent = await call(() =>
        im.message.create({
          params: { receive_id_type: receiveIdType },
          data: { receive_id: receiveId, msg_type: 'file', content: str({ file_key: fileKey }), uuid: rowId },
        }),
      );
      return { feishuMessageId: need(MessageData, sent.data, 'message_id').message_id };
    }
  }
}
