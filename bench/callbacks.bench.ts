// Bench `callbacks`: 200 concurrent signed, encrypted card callbacks against the running bot.
// Figures: server-side latency p50/p99 (Server-Timing) and how many were answered with a toast.
import { randomBytes } from 'node:crypto';
import { createPrisma } from '../src/platform/prisma.ts';
import { sealPush } from '../src/sandbox/sandbox.ts';
import { SANDBOX_APP } from '../src/feishu/settings.ts';
import { benchEnv, figure, percentile, waitForIdle } from './support.ts';
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

const send = async (i: number) => {
  const { body, headers } = callback(i);
  const res = await fetch(`${api.url}/feishu/events`, { method: 'POST', body, headers });
  const json = (await res.json()) as { toast?: { type: string } };
  const dur = Number(/dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1]);
  return { ok: res.status === 200 && json.toast?.type === 'success', dur };
};

// Warm-up, one burst of the same size: the pool's connections, JIT. Then the measured burst.
await Promise.all(Array.from({ length: N }, (_, i) => send(N + i)));
const results = await Promise.all(Array.from({ length: N }, (_, i) => send(i)));
const durs = results.map((r) => r.dur).sort((a, b) => a - b);
figure('callbacks', 'p50_ms', percentile(durs, 50), 'ms');
figure('callbacks', 'p99_ms', percentile(durs, 99), 'ms');
figure('callbacks', 'answered', results.filter((r) => r.ok).length, 'count');

await prisma.$disconnect();
await api.stop();
await env.cleanup();
