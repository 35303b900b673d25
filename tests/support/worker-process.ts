// A bot worker in its own process, for tests that kill it (SIGKILL) mid-send. Configured entirely by
// the environment like `ROLE=worker npm start`: DATABASE_URL, REDIS_URL, QUEUE_PREFIX, FEISHU_* with
// FEISHU_DOMAIN = the test's sandbox, OUTBOUND_*. Prints "ready" once the worker runs.
//   node --import tsx tests/support/worker-process.ts
import { parseEnv } from '../../src/config/env.ts';
import { createContext, registerStorageClosers } from '../../src/context.ts';
import { startWorker } from '../../src/worker.ts';
import { feishuSettings } from '../../src/feishu/settings.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { onSignals } from '../../src/platform/shutdown.ts';

const env = parseEnv();
if (!env.FEISHU_APP_ID) throw new Error('worker-process: FEISHU_APP_ID (and FEISHU_DOMAIN = the sandbox) must be set');
const ctx = createContext(env, { logger: createLogger({ level: env.LOG_LEVEL, pretty: false }) });
await startWorker(ctx, { feishu: feishuSettings(env, '') });
registerStorageClosers(ctx);
onSignals(ctx.shutdown);
process.stdout.write('ready\n');
