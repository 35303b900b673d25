// Sandbox: standalone runner — `tsx src/sandbox/main.ts`. Reads the app credentials the bot uses
// (FEISHU_*), SANDBOX_PORT, SANDBOX_PUSH_URL and SANDBOX_DIRECTORY (a JSON file of users).
import { readFileSync } from 'node:fs';
import { createLogger } from '../platform/logger.ts';
import { createSandbox } from './sandbox.ts';
import type { DirectoryUser } from './types.ts';

const env = process.env;
const logger = createLogger({ name: 'feishu-sandbox', level: env.LOG_LEVEL ?? 'info' });
const users: DirectoryUser[] = env.SANDBOX_DIRECTORY ? (JSON.parse(readFileSync(env.SANDBOX_DIRECTORY, 'utf8')) as DirectoryUser[]) : [];

const sandbox = createSandbox({
  apps: [
    {
      appId: env.FEISHU_APP_ID ?? 'cli_a1b2c3d4e5f60718',
      appSecret: env.FEISHU_APP_SECRET ?? 'sandbox-secret',
      encryptKey: env.FEISHU_ENCRYPT_KEY ?? 'sandbox-encrypt-key',
      verificationToken: env.FEISHU_VERIFICATION_TOKEN ?? 'sandbox-verification-token',
      botName: env.SANDBOX_BOT_NAME ?? '经济运行调度助手',
    },
  ],
  pushUrl: env.SANDBOX_PUSH_URL,
  directory: { users },
  logger,
});

const { url } = await sandbox.listen(Number(env.SANDBOX_PORT ?? 18080), env.SANDBOX_HOST ?? '127.0.0.1');
logger.info({ url, users: users.length }, 'Feishu sandbox listening');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sandbox.close().then(() => process.exit(0));
  });
}
