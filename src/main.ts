// Process entry: parse the environment, build the context, run the API and the worker.
// `npm start` (scripts/start.ts) prepares PostgreSQL, Redis, migrations and the demo city first.
import { parseEnv, EnvError } from './config/env.ts';
import { createContext, registerStorageClosers } from './context.ts';
import { startApi } from './app.ts';
import { startWorker } from './worker.ts';
import { feishuSettings } from './feishu/settings.ts';
import { onSignals } from './platform/shutdown.ts';

export async function main(): Promise<void> {
  let env;
  try {
    env = parseEnv();
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const ctx = createContext(env);
  onSignals(ctx.shutdown);
  const api = env.ROLE !== 'worker' ? await startApi(ctx) : undefined;
  // A worker-only process in sandbox mode talks to the sandbox of the API process on PORT.
  if (env.ROLE !== 'api') await startWorker(ctx, { feishu: api?.feishu ?? feishuSettings(env, `http://127.0.0.1:${env.PORT}`) });
  registerStorageClosers(ctx);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
