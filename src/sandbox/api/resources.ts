// Sandbox: downloads — im/v1 message resources (files a person sent) and im/v1 files (the bot's own
// uploads), answered as raw bytes with Feishu's headers and error codes (获取消息中的资源文件, 下载文件).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isObject, parseJsonObject } from '../cards.ts';
import { Errors } from '../errors.ts';
import { contentDisposition, mimeOf } from '../fileTypes.ts';
import type { StoredFile } from '../types.ts';
import { BinaryResponse, feishuRoute, parseOr, type ApiContext } from './context.ts';

/** Feishu refuses downloads over 100 MB (234037). */
export const DOWNLOAD_MAX_BYTES = 100 * 1024 * 1024;

const ResourceParams = z.object({ message_id: z.string().min(1), file_key: z.string().min(1) });
const ResourceQuery = z.object({ type: z.enum(['image', 'file']) });
const FileParams = z.object({ file_key: z.string().min(1) });
// Documented as unsupported by the resource API: cards, merged forwards, stickers.
const NO_RESOURCES = new Set(['interactive', 'merge_forward', 'sticker']);

/** The keys a message's content refers to, by the `type` the resource API takes. */
export function resourceKeys(msgType: string, content: string): { image: string[]; file: string[] } {
  const keys = { image: [] as string[], file: [] as string[] };
  const c = parseJsonObject(content);
  if (!c) return keys;
  const add = (node: Record<string, unknown>) => {
    if (typeof node.image_key === 'string') keys.image.push(node.image_key);
    if (typeof node.file_key === 'string') keys.file.push(node.file_key);
  };
  if (msgType === 'post') {
    // Either { title, content } or per locale { zh_cn: { title, content } }.
    const bodies = Array.isArray(c.content) ? [c] : Object.values(c).filter(isObject);
    for (const body of bodies) {
      for (const para of Array.isArray(body.content) ? body.content : []) {
        for (const node of Array.isArray(para) ? para : []) if (isObject(node) && (node.tag === 'img' || node.tag === 'media')) add(node);
      }
    }
  } else if (['image', 'file', 'audio', 'media'].includes(msgType)) {
    add(c);
  }
  return keys;
}

function download(f: StoredFile, withDisposition: boolean): BinaryResponse {
  if (!f.data) throw Errors.resourceNotFound('the sandbox did not keep this file');
  if (f.size > DOWNLOAD_MAX_BYTES) throw Errors.downloadTooLarge();
  const headers: Record<string, string> = { 'content-type': f.contentType ?? mimeOf(f.fileName) };
  if (withDisposition) headers['content-disposition'] = contentDisposition(f.fileName || f.key);
  return new BinaryResponse(f.data, headers);
}

export function registerResources(scope: FastifyInstance, ctx: ApiContext): void {
  const { state } = ctx;

  scope.get(
    '/im/v1/messages/:message_id/resources/:file_key',
    feishuRoute(ctx, 'im.message.resource.get', async (req, caller) => {
      const { message_id, file_key } = parseOr(ResourceParams, req.params, Errors.fileInvalidParam);
      const { type } = parseOr(ResourceQuery, req.query, Errors.fileInvalidParam);
      const msg = state.messages.get(message_id);
      // Feishu's code for an unknown message_id is not documented; 234001 (invalid param) is the closest.
      if (!msg) throw Errors.fileInvalidParam(`message ${message_id} not found`);
      const chat = state.chats.get(msg.chatId);
      if (!chat || chat.appId !== caller.appId || !chat.botInChat) throw Errors.appNotInChat();
      if (msg.deleted) throw Errors.messageDeleted();
      if (NO_RESOURCES.has(msg.msgType)) throw Errors.unsupportedMessageType();
      if (!resourceKeys(msg.msgType, msg.content)[type].includes(file_key)) throw Errors.fileNotInMessage();
      const f = state.files.get(file_key);
      if (!f) throw Errors.fileNotInMessage();
      return download(f, true);
    }),
  );

  scope.get(
    '/im/v1/files/:file_key',
    feishuRoute(ctx, 'im.file.get', async (req, caller) => {
      const { file_key } = parseOr(FileParams, req.params, Errors.fileInvalidParam);
      const f = state.files.get(file_key);
      if (!f || f.kind !== 'file') throw Errors.resourceNotFound();
      // Only the bot's own uploads; what a person sent goes through the message resource API.
      if (f.appId !== caller.appId || f.uploaderOpenId) throw Errors.notResourceSender();
      // Documented: Content-Disposition only when the request says Content-Type: application/json.
      const json = /^application\/json/i.test(req.headers['content-type'] ?? '');
      return download(f, json);
    }),
  );
}
