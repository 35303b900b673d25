// Sandbox: shared types of the local Feishu emulator (options, stored entities, stats).
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.ts';

export interface SandboxApp {
  appId: string;
  appSecret: string;
  encryptKey: string;
  verificationToken: string;
  botName: string;
  /** Overrides the sandbox-wide push URL for this app. */
  pushUrl?: string;
}

export interface DirectoryUser {
  openId: string;
  userId?: string;
  unionId?: string;
  name: string;
  mobile?: string;
  email?: string;
  title?: string;
  unitName?: string;
}

export interface SandboxLimits {
  /** Per app and per API, like Feishu's tier "50/s". */
  appPerSecond: number;
  /** Per app and per API, like Feishu's tier "1000/min" (both windows apply). */
  appPerMinute: number;
  /** Messages to one user (p2p) or one group, per second (Feishu: 5). */
  perReceiverPerSecond: number;
  /** PATCH updates of one card message per second (Feishu: 5). */
  perMessagePatchPerSecond: number;
}

export interface SandboxOptions {
  apps: SandboxApp[];
  pushUrl?: string;
  directory?: { users: DirectoryUser[] };
  limits?: Partial<SandboxLimits>;
  /** Delays (ms) between re-pushes of an undelivered event. Feishu: 15 s, 5 min, 1 h, 6 h. */
  redeliverySchedule?: number[];
  /** How long the bot may take to answer a push (Feishu: 3 s). */
  pushTimeoutMs?: number;
  /** Business time: message timestamps, uuid windows, card tokens, 14-day edit window. */
  clock?: Clock;
  logger?: Logger;
  tenantKey?: string;
  /** tenant_access_token lifetime in seconds (Feishu: 7200). */
  tokenTtlSeconds?: number;
  /** Which group messages reach the bot: only those that @ it (scope group_at_msg) or all (group_msg). */
  groupMessages?: 'at_only' | 'all';
}

export interface FaultConfig {
  /** Added to every open-api response except the token endpoint. */
  latencyMs: number;
  /** Probability of HTTP 500 before anything is stored. */
  rate5xx: number;
  /** Probability of HTTP 500 after the request took effect (lost response). */
  rate5xxAfterCommit: number;
  /** Probability of HTTP 429 / 99991400 (as if the app limit tripped). */
  rate429: number;
  /** Probability of HTTP 400 / 230020 on send and reply. */
  rate230020: number;
  seed: number;
}

export type ChatType = 'p2p' | 'group';

export interface StoredChat {
  chatId: string;
  type: ChatType;
  appId: string;
  name: string;
  description: string;
  ownerOpenId?: string;
  /** open_ids of human members. */
  members: Set<string>;
  botInChat: boolean;
  createTime: number;
}

export type MessageSender = { kind: 'app'; id: string } | { kind: 'user'; id: string };

export interface Mention {
  key: string;
  openId: string;
  name: string;
}

export interface StoredMessage {
  messageId: string;
  chatId: string;
  msgType: string;
  /** The content string exactly as Feishu stores it (JSON serialized). */
  content: string;
  sender: MessageSender;
  createTime: number;
  updateTime: number;
  updated: boolean;
  deleted: boolean;
  parentId?: string;
  rootId?: string;
  threadId?: string;
  uuid?: string;
  /** Set on the per-user copies of a message/v4/batch_send message. */
  batchId?: string;
  mentions: Mention[];
  /** open_ids buzzed, per channel. */
  urgent: { app: string[]; sms: string[]; phone: string[] };
}

export interface CalendarAttendee {
  type: 'user' | 'chat' | 'resource' | 'third_party';
  attendeeId: string;
  openId?: string;
  chatId?: string;
  roomId?: string;
  email?: string;
  isOptional: boolean;
  isOrganizer: boolean;
  rsvpStatus: string;
  displayName: string;
}

export interface FeishuTimeInfo {
  timestamp?: string;
  date?: string;
  timezone?: string;
}

export interface StoredEvent {
  eventId: string;
  calendarId: string;
  appId: string;
  summary: string;
  description: string;
  start: FeishuTimeInfo;
  end: FeishuTimeInfo;
  /** The request body as sent, echoed back like Feishu does. */
  raw: Record<string, unknown>;
  attendees: CalendarAttendee[];
  idempotencyKey?: string;
  createTime: number;
  deleted: boolean;
}

export interface StoredFile {
  key: string;
  kind: 'file' | 'image';
  /** The uploading app, or for a file a person sent: the app whose chat it was sent in. */
  appId: string;
  fileType: string;
  fileName: string;
  size: number;
  createTime: number;
  /** The bytes, served back by the download APIs. */
  data?: Buffer;
  /** MIME type served on download (derived from the name when absent). */
  contentType?: string;
  /** Set when a person sent the file in the Feishu client rather than the bot uploading it. */
  uploaderOpenId?: string;
}

/** A file a person sends in the Feishu client (sandbox.userSendsFile). */
export interface UserFileInput {
  fileName: string;
  bytes: Buffer | Uint8Array;
  /** Served as Content-Type on download; derived from the file name when absent. */
  contentType?: string;
}

export interface CardToken {
  token: string;
  messageId: string;
  appId: string;
  openId: string;
  expiresAt: number;
  usesLeft: number;
}

export interface PushAttempt {
  at: number;
  status?: number;
  error?: string;
  ok: boolean;
  durationMs: number;
}

export interface PushedEvent {
  eventId: string;
  eventType: string;
  appId: string;
  envelope: Record<string, unknown>;
  attempts: PushAttempt[];
  delivered: boolean;
  /** Re-pushes still scheduled. */
  pendingRetries: number;
}

export interface SandboxStats {
  requests: number;
  sent: number;
  duplicatesSeen: number;
  byStatus: Record<string, number>;
  byCode: Record<string, number>;
  rateLimited: number;
  receiverLimited: number;
  faultsInjected: number;
  patched: number;
  urgent: number;
  cardUpdates: number;
  pushes: {
    events: number;
    attempts: number;
    delivered: number;
    failedAttempts: number;
    redeliveries: number;
    cardActions: number;
    cardActionErrors: number;
  };
}

export interface CardActionInput {
  openId: string;
  messageId: string;
  value?: Record<string, unknown>;
  tag?: string;
  name?: string;
  formValue?: Record<string, unknown>;
  option?: string;
  options?: string[];
  inputValue?: string;
  checked?: boolean;
}

export interface CardActionResult {
  toast?: { type: string; content?: string; i18n?: Record<string, string> };
  card?: { type: 'raw' | 'template'; data: Record<string, unknown> };
  /** Feishu client-side callback error (e.g. 200341 timeout). */
  error?: { code: number; msg: string };
  eventId: string;
  token: string;
}

/** `skipped`: a group message that does not @ the bot is not pushed (scope im:message.group_at_msg). */
export type PushStatus = 'delivered' | 'failed' | 'not_configured' | 'skipped';

export interface UserMessageResult {
  messageId: string;
  chatId: string;
  eventId?: string;
  pushStatus: PushStatus;
  httpStatus?: number;
}

export interface UserFileResult extends UserMessageResult {
  fileKey: string;
  fileName: string;
  size: number;
}
