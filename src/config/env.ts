// Config: the environment, parsed once by zod. A bad variable stops the start with its name and the problem.
import { z } from 'zod';

export const DEFAULT_DATABASE_URL = 'postgresql://root@127.0.0.1:5432/econ_dispatch';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const postgresUrl = z
  .string()
  .url()
  .refine((u) => /^postgres(ql)?:$/.test(new URL(u).protocol), 'must be a postgresql:// URL');
const redisUrl = z
  .string()
  .url()
  .refine((u) => /^rediss?:$/.test(new URL(u).protocol), 'must be a redis:// URL');

export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_PRETTY: bool.optional(),
    DATABASE_URL: postgresUrl.default(DEFAULT_DATABASE_URL),
    REDIS_URL: redisUrl.default(DEFAULT_REDIS_URL),
    /** Connections per process; card callbacks in a burst wait for one. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
    /** Prefix of every BullMQ key, so several deployments (or test files) share one Redis. */
    QUEUE_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]+$/, 'letters, digits, _ and - only').default('econ'),
    /** Which processes `npm start` runs: the HTTP API, the job worker, or both. */
    ROLE: z.enum(['all', 'api', 'worker']).default('all'),
    /** City configuration applied at start when the database is empty. */
    CITY_CONFIG: z.string().default('config/demo-city.yaml'),
    /** Load the demo city's 24 months of figure history into an empty database. */
    DEMO_HISTORY: bool.default(true),
    TZ_BUSINESS: z.literal('Asia/Shanghai').default('Asia/Shanghai'),
    /** Outbound messages per second, below Feishu's per-app 50/s. */
    OUTBOUND_RATE_PER_SECOND: z.coerce.number().int().min(1).max(1000).default(40),
    /** Feishu allows 5 messages per second to one user or chat. */
    OUTBOUND_PER_RECEIVER_PER_SECOND: z.coerce.number().int().min(1).max(100).default(5),
    OUTBOUND_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(16),
    /** BullMQ lock of a running outbound job: the jobs of a worker that died run again once it expires. */
    OUTBOUND_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
    /** How often outbound workers look for such jobs (BullMQ's stalled-job check). */
    OUTBOUND_STALLED_CHECK_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    /** A card callback still working after this long answers 「已收到，正在处理」 and updates the card later (Feishu waits 3 s). */
    CARD_ANSWER_MS: z.coerce.number().int().min(1).max(2_800).default(2_500),
    /** How often the worker checks that Redis still holds its data (a FLUSHALL, a restart without persistence). */
    REDIS_CHECK_EVERY_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    FEISHU_APP_ID: z.string().regex(/^cli_/, 'must start with cli_').optional(),
    FEISHU_APP_SECRET: z.string().min(1).optional(),
    FEISHU_ENCRYPT_KEY: z.string().min(1).optional(),
    FEISHU_VERIFICATION_TOKEN: z.string().min(1).optional(),
    FEISHU_TRANSPORT: z.enum(['webhook', 'ws']).default('webhook'),
    FEISHU_DOMAIN: z.string().url().default('https://open.feishu.cn'),
  });

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {}

/** Parses the environment; empty strings count as unset. Throws EnvError naming each bad variable. */
export function parseEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const res = EnvSchema.safeParse(cleaned);
  // Checked beside the schema so these are reported together with any other bad variable.
  const missing = cleaned.FEISHU_APP_ID
    ? (['FEISHU_APP_SECRET', 'FEISHU_ENCRYPT_KEY', 'FEISHU_VERIFICATION_TOKEN'] as const).filter((k) => !cleaned[k])
    : [];
  if (res.success && !missing.length) return res.data;
  const lines = [
    ...(res.error?.issues ?? []).map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`),
    ...missing.map((k) => `  ${k}: is required when FEISHU_APP_ID is set`),
  ];
  throw new EnvError(`Invalid environment:\n${lines.join('\n')}`);
}

export function databaseUrlFromEnv(source: NodeJS.ProcessEnv = process.env): string {
  return postgresUrl.parse(source.DATABASE_URL || DEFAULT_DATABASE_URL);
}

/** The shadow database used when writing a migration: the main name with a `_shadow` suffix. */
export function shadowUrlFor(url: string): string {
  const u = new URL(url);
  u.pathname = `${u.pathname}_shadow`;
  return u.toString();
}
