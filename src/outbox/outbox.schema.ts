// Outbox: what each kind of outbound row must carry. Checked when the row is written (a bad row is a bug
// in the caller: fail its transaction) and again when it is delivered (rows outlive code versions).
import { z } from 'zod';

export const OUTBOUND_KINDS = ['SEND', 'REPLY', 'UPDATE_CARD', 'DELAYED_UPDATE', 'URGENT', 'FILE_UPLOAD'] as const;
export type OutboundKind = (typeof OUTBOUND_KINDS)[number];

const ReceiveIdType = z.enum(['open_id', 'user_id', 'union_id', 'email', 'chat_id']);
const MsgType = z.enum(['text', 'post', 'image', 'file', 'audio', 'media', 'sticker', 'interactive', 'share_chat', 'share_user']);
const JsonObject = z.record(z.string(), z.unknown());
const Id = z.string().min(1);

/** The parts of an outbox row that say what to do; one variant per kind. */
export const OutboundSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('SEND'), receiveIdType: ReceiveIdType, receiveId: Id, msgType: MsgType, content: JsonObject }),
  z.object({
    kind: z.literal('REPLY'),
    targetMessageId: Id,
    msgType: MsgType,
    content: JsonObject,
    // The chat replied in, when known: the per-receiver limit then covers replies too.
    receiveIdType: ReceiveIdType.nullish(),
    receiveId: Id.nullish(),
  }),
  /** PATCH of a sent card; content is the whole new card. */
  z.object({ kind: z.literal('UPDATE_CARD'), targetMessageId: Id, content: JsonObject }),
  /** Card update with a callback token (valid 30 min, 2 uses). */
  z.object({ kind: z.literal('DELAYED_UPDATE'), content: z.object({ token: Id, card: JsonObject }) }),
  /** In-app urgent ("buzz") on a message the bot sent; at most 200 users a call. */
  z.object({ kind: z.literal('URGENT'), targetMessageId: Id, content: z.object({ userIds: z.array(Id).min(1).max(200) }) }),
  /** Uploads a file; with a receiver, also sends it as a file message. */
  z.object({
    kind: z.literal('FILE_UPLOAD'),
    content: z.object({
      fileName: Id,
      fileType: z.enum(['opus', 'mp4', 'pdf', 'doc', 'xls', 'ppt', 'stream']),
      base64: z.string().min(1),
    }),
    receiveIdType: ReceiveIdType.nullish(),
    receiveId: Id.nullish(),
  }),
]);
export type OutboundSpec = z.infer<typeof OutboundSpec>;

/** The receiver whose 5-per-second Feishu limit a row counts against, if any. */
export function receiverKeyOf(spec: OutboundSpec): string | undefined {
  switch (spec.kind) {
    case 'SEND':
      return `${spec.receiveIdType}-${spec.receiveId}`;
    case 'REPLY':
    case 'FILE_UPLOAD':
      return spec.receiveIdType && spec.receiveId ? `${spec.receiveIdType}-${spec.receiveId}` : undefined;
    case 'UPDATE_CARD':
      // PATCH is limited to 5 per second per message.
      return `message-${spec.targetMessageId}`;
    default:
      return undefined;
  }
}
