// Feishu edge: zod schemas of what Feishu pushes. Handlers receive the SDK's flattened data
// ({ schema, ...header, ...event }); we parse it instead of casting.
import { z } from 'zod';

export const MessageReceiveV1 = z.object({
  event_id: z.string().min(1),
  event_type: z.literal('im.message.receive_v1'),
  app_id: z.string().optional(),
  sender: z.object({
    sender_id: z.object({ open_id: z.string().min(1), user_id: z.string().optional(), union_id: z.string().optional() }),
    sender_type: z.string(),
  }),
  message: z.object({
    message_id: z.string().min(1),
    chat_id: z.string().min(1),
    chat_type: z.enum(['p2p', 'group']).or(z.string()),
    message_type: z.string(),
    content: z.string(),
    create_time: z.string().optional(),
    mentions: z
      .array(z.object({ key: z.string(), name: z.string().optional(), id: z.object({ open_id: z.string().optional() }).partial() }))
      .optional(),
  }),
});
export type MessageReceiveV1 = z.infer<typeof MessageReceiveV1>;

const FormScalar = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

export const CardActionTrigger = z.object({
  event_id: z.string().min(1),
  event_type: z.literal('card.action.trigger'),
  /** The delayed-update token `c-…` (event.token overwrites header.token in the SDK's flattening). */
  token: z.string().optional(),
  operator: z.object({ open_id: z.string().min(1), user_id: z.string().optional() }),
  action: z.object({
    value: z.record(z.string(), z.unknown()).optional().default({}),
    tag: z.string().optional(),
    name: z.string().optional(),
    form_value: z.record(z.string(), FormScalar.nullable()).optional(),
    input_value: z.string().optional(),
    option: z.string().optional(),
    options: z.array(z.string()).optional(),
    checked: z.boolean().optional(),
  }),
  context: z.object({ open_message_id: z.string().min(1), open_chat_id: z.string().optional() }),
});
export type CardActionTrigger = z.infer<typeof CardActionTrigger>;
