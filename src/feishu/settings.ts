// Feishu edge: which Feishu the bot talks to. Without FEISHU_APP_ID it is the local sandbox, served by
// the bot's own HTTP server, with fixed development credentials (the sandbox is not reachable from outside
// unless the operator exposes the port).
import type { Env } from '../config/env.ts';

export interface FeishuSettings {
  mode: 'feishu' | 'sandbox';
  appId: string;
  appSecret: string;
  encryptKey: string;
  verificationToken: string;
  transport: 'webhook' | 'ws';
  /** The SDK's `domain`; for the sandbox, set once the server listens. */
  domain: string;
}

/** App id must look like Feishu's (cli_ + 16 hex) or the SDK's WSClient refuses it. */
export const SANDBOX_APP = {
  appId: 'cli_a0e1c0d15ba4db01',
  appSecret: 'sandbox-app-secret',
  encryptKey: 'sandbox-encrypt-key',
  verificationToken: 'sandbox-verification-token',
  botName: '经济运行调度助手',
} as const;

export function feishuSettings(env: Env, localUrl: string): FeishuSettings {
  if (env.FEISHU_APP_ID && env.FEISHU_APP_SECRET && env.FEISHU_ENCRYPT_KEY && env.FEISHU_VERIFICATION_TOKEN) {
    return {
      mode: 'feishu',
      appId: env.FEISHU_APP_ID,
      appSecret: env.FEISHU_APP_SECRET,
      encryptKey: env.FEISHU_ENCRYPT_KEY,
      verificationToken: env.FEISHU_VERIFICATION_TOKEN,
      transport: env.FEISHU_TRANSPORT,
      domain: env.FEISHU_DOMAIN.replace(/\/+$/, ''),
    };
  }
  return { mode: 'sandbox', ...SANDBOX_APP, transport: 'webhook', domain: localUrl };
}
