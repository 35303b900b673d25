// Platform: the pino root logger. Redaction covers app secrets, tokens, encrypt keys and mobile numbers.
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACT_PATHS = [
  'appSecret', 'app_secret', '*.appSecret', '*.app_secret',
  'encryptKey', 'encrypt_key', '*.encryptKey', '*.encrypt_key',
  'verificationToken', '*.verificationToken', 'token', '*.token',
  'tenant_access_token', '*.tenant_access_token', 'app_access_token', '*.app_access_token',
  'authorization', '*.authorization', 'headers.authorization', 'req.headers.authorization',
  'mobile', '*.mobile', '*.*.mobile', 'mobiles', '*.mobiles',
  'password', '*.password', 'adminToken', '*.adminToken',
];

export function createLogger(opts: { level?: string; pretty?: boolean; name?: string } = {}): Logger {
  const pretty = opts.pretty ?? Boolean(process.stdout.isTTY);
  return pino({
    name: opts.name ?? 'econ-dispatch',
    level: opts.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  });
}
