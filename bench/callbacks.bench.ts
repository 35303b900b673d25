// Bench `callbacks`: 200 concurrent signed, encrypted card callbacks against the running bot.
// Figures: server-side latency p50/p99 (Server-Timing) and how many were answered with a toast; the same
// burst against the floor (bench/floor-server.ts: the bot's guards and one INSERT, nothing else) as
// floor_p99_ms and ratio = p99_ms / floor_p99_ms; and p99_ms_2proc, the burst split round-robin over
// two ROLE=api processes with one ROLE=worker process (no load balancer in between).
import { randomBytes } from 'node:crypto';
import { createPrisma } from '../src/platform/prisma.ts';
import { sealPush } from '../src/sandbox/sandbox.ts';
import { SANDBOX_APP } from '../src/feishu/settings.ts';
import { benchEnv, clearPrefix, figure, percentile, waitForIdle } from './support.ts';
import { startBotProcess } from './bot-process.ts';

const N = 200;
const env = await benchEnv('callbacks');
const api = await startBotProcess({ DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, QUEUE_PREFIX: env.prefix });
const prisma = createPrisma(env.databaseUrl);
await waitForIdle(env.redisUrl, env.prefix);
const liaisons = await prisma.unitRole.findMany({ where: { role: 'LIAISON' }, include: { person: true } });
const callback = (i: number) => {
  const operator = liaisons[i % liaisons.length]!.person.openId!;
  return sealPush(
    SANDBOX_APP.encryptKey,
    {
      schema: '2.0',
      header: { event_id: randomBytes(16).toString('hex'), event_type: 'card.action.trigger', token: SANDBOX_APP.verificationToken, app_id: SANDBOX_APP.appId, create_time: String(Date.now() * 1000), tenant_key: 'bench' },
      event: {
        operator: { open_id: operator },
        token: `c-${randomBytes(8).toString('hex')}`,
        action: { tag: 'button', name: 'submit', value: { a: 'problem.submit', v: 1 }, form_value: { title: `压测问题 ${i}`, enterprise: '', description: '压测' } },
        context: { open_message_id: `om_bench_${i}`, open_chat_id: 'oc_bench' },
      },
    },
    Math.floor(Date.now() / 1000),
  );
};

const send = async (i: number, url = api.url) => {
  const { body, headers } = callback(i);
  const res = await fetch(`${url}/feishu/events`, { method: 'POST', body, headers });
  const json = (await res.json()) as { toast?: { type: string } };
  const dur = Number(/dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1]);
  return { ok: res.status === 200 && json.toast?.type === 'success', dur };
};

/** A warm-up burst of the same size (the pool's connections, JIT), then the measured one; sorted durations. */
let round = 0;
async function burst(urls: string[]): Promise<{ durs: number[]; ok: number }> {
  // Message ids of their own in every burst: a repeated one would be answered as a redelivery.
  const base = 2 * N * round++;
  await Promise.all(Array.from({ length: N }, (_, i) => send(base + N + i, urls[i % urls.length])));
  const results = await Promise.all(Array.from({ length: N }, (_, i) => send(base + i, urls[i % urls.length])));
  return { durs: results.map((r) => r.dur).sort((a, b) => a - b), ok: results.filter((r) => r.ok).length };
}

const one = await burst([api.url]);
const p99 = percentile(one.durs, 99);
figure('callbacks', 'p50_ms', percentile(one.durs, 50), 'ms');
figure('callbacks', 'p99_ms', p99, 'ms');
figure('callbacks', 'answered', one.ok, 'count');
await api.stop();

const floorProc = await startBotProcess({ DATABASE_URL: env.databaseUrl }, { script: 'bench/floor-server.ts' });
const floor = await burst([floorProc.url]);
await floorProc.stop();
const floorP99 = percentile(floor.durs, 99);
console.error(`callbacks: floor p50 ${percentile(floor.durs, 50).toFixed(1)} / p99 ${floorP99.toFixed(1)} ms, ${floor.ok} answered`);
figure('callbacks', 'floor_p99_ms', floorP99, 'ms');
figure('callbacks', 'ratio', p99 / floorP99, 'x');

// Two API processes and one worker: the worker sends through the sandbox of the first API.
const roleEnv = { DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, QUEUE_PREFIX: env.prefix };
const api1 = await startBotProcess({ ...roleEnv, ROLE: 'api' });
const api2 = await startBotProcess({ ...roleEnv, ROLE: 'api' });
const worker = await startBotProcess({ ...roleEnv, ROLE: 'worker' }, { port: Number(new URL(api1.url).port), ready: false });
await waitForIdle(env.redisUrl, env.prefix);
const two = await burst([api1.url, api2.url]);
console.error(`callbacks: 2 API processes p50 ${percentile(two.durs, 50).toFixed(1)} / p99 ${percentile(two.durs, 99).toFixed(1)} ms, ${two.ok} answered`);
figure('callbacks', 'p99_ms_2proc', percentile(two.durs, 99), 'ms');
await Promise.all([api1.stop(), api2.stop(), worker.stop()]);

await prisma.$disconnect();
await clearPrefix(env.redisUrl, env.prefix);
await env.cleanup();
