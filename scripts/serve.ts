// Runs the bot on a prepared database: seeds an empty one with the configured city, then starts
// the API and/or the worker (ROLE). The Docker image runs this after `db:migrate`.
import { parseEnv } from '../src/config/env.ts';
import { seedIfEmpty } from './lib/seed.ts';
import { main } from '../src/main.ts';

const env = parseEnv();
if (env.ROLE !== 'worker') await seedIfEmpty(env);
await main();
