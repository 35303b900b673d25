// Sandbox: im/v1 file and image uploads (multipart). Name, type, size and bytes are kept so the bot
// can send the key in a file/image message and the download APIs (resources.ts) can serve it back.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { Errors } from '../errors.ts';
import { newFileKey, newImageKey } from '../ids.ts';
import type { MultipartBody } from '../multipart.ts';
import { feishuRoute, parseOr, type ApiContext } from './context.ts';

export const FILE_MAX_BYTES = 30 * 1024 * 1024;
const IMAGE_MAX_BYTES = 10 * 1024 * 1024;

const FileFields = z.object({
  file_type: z.enum(['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream']),
  file_name: z.string().min(1),
  duration: z.string().optional(),
});
const ImageFields = z.object({ image_type: z.enum(['message', 'avatar']) });

function multipartOf(body: unknown): MultipartBody {
  const b = body as Partial<MultipartBody> | undefined;
  if (!b || typeof b !== 'object' || !b.fields || !b.files) throw Errors.fileInvalidParam('expected multipart/form-data');
  return b as MultipartBody;
}

export function registerFiles(scope: FastifyInstance, ctx: ApiContext): void {
  const { state } = ctx;

  scope.post(
    '/im/v1/files',
    feishuRoute(ctx, 'im.file.create', async (req, caller) => {
      const mp = multipartOf(req.body);
      const fields = parseOr(FileFields, mp.fields, Errors.fileInvalidParam);
      const file = mp.files.find((f) => f.field === 'file');
      if (!file) throw Errors.fileInvalidParam('file is required');
      if (file.data.length === 0) throw Errors.fileEmpty();
      if (file.data.length > FILE_MAX_BYTES) throw Errors.fileTooLarge();
      const key = newFileKey();
      state.files.set(key, { key, kind: 'file', appId: caller.appId, fileType: fields.file_type, fileName: fields.file_name, size: file.data.length, createTime: state.now(), data: file.data });
      return { file_key: key };
    }),
  );

  scope.post(
    '/im/v1/images',
    feishuRoute(ctx, 'im.image.create', async (req, caller) => {
      const mp = multipartOf(req.body);
      const fields = parseOr(ImageFields, mp.fields, Errors.fileInvalidParam);
      const image = mp.files.find((f) => f.field === 'image');
      if (!image) throw Errors.fileInvalidParam('image is required');
      if (image.data.length === 0) throw Errors.fileEmpty();
      if (image.data.length > IMAGE_MAX_BYTES) throw Errors.fileTooLarge();
      const key = newImageKey();
      state.files.set(key, { key, kind: 'image', appId: caller.appId, fileType: fields.image_type, fileName: image.filename, size: image.data.length, createTime: state.now(), data: image.data });
      return { image_key: key };
    }),
  );
}
