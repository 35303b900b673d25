// Bench `submit-burst`: 2,000 units submitting their monthly report (the 5 main indicators, one card
// page each) through signed, encrypted card callbacks to the running bot, as on the morning of a due day.
// Setup, outside the measurement: 2,000 extra region units under the demo city (each with a liaison and
// the 5 main indicators in the `monthly` cycle) plus 40 warm-up units, written with createMany; period
// 2026-11 of `monthly` created with ensurePeriod and set OPEN, one UnitReport per unit written directly
// (no 2,000 form cards are sent). No history, no targets for these units: the figures are plausible,
// growth positive, and the narrative fields are filled anyway, so every submission passes validation.
// Rate: the real load is 2,000 in 10 minutes = 3.3/s. The bench compresses it threefold to 10/s (200 s for
// 2,000), open loop, with Poisson arrivals (exponential gaps, seeded) so submissions cluster as people do:
// requests go out on schedule whether or not earlier ones have been answered.
// A second burst at 30/s follows, once the bot is idle again, from 2,000 other units in a sibling group of
// their own (under a bench parent unit), so both bursts see a group of 2,000 filling up.
// Figures:
//   p50_ms / p99_ms  server-side latency (Server-Timing) of the 2,000 measured submissions (goal p99 ≤ 100 ms)
//   success          answers with toast type 'success' (must be 2,000)
//   stored           UnitReports of the 2,000 units with status SUBMITTED afterwards (must be 2,000)
//   bot_cpu          share of one core the bot process used during the 10/s burst (/proc/<pid>/stat)
//   p99_ms_30 / bot_cpu_30  the same at 30/s (goal p99 ≤ 150 ms)
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { createPrisma } from '../src/platform/prisma.ts';
import { sealPush } from '../src/sandbox/sandbox.ts';
import { SANDBOX_APP } from '../src/feishu/settings.ts';
import { cycleRuleOf } from '../src/modules/collection/cycle-rule.ts';
import { loadWorkCalendar } from '../src/modules/calendar/calendar.load.ts';
import { ensurePeriod } from '../src/modules/collection/periods.ts';
import { MAIN_INDICATORS, benchEnv, clearPrefix, createBenchUnits, figure, percentile, waitForIdle, type BenchUnit } from './support.ts';
import { cpuSeconds, startBotProcess } from './bot-process.ts';
import { seededRandom } from '../src/platform/random.ts';

const UNITS = 2_000;
const WARMUP_UNITS = 40;
const PER_SECOND = 10;
const PER_SECOND_FAST = 30;
const PERIOD_KEY = '2026-11';

const env = await benchEnv('submit-burst');
const prisma = createPrisma(env.databaseUrl, { max: 8 });

// ── setup (not measured) ──
const t0 = performance.now();
const units = await createBenchUnits(prisma, { count: UNITS, codePrefix: 'bench-region' });
const warmup = await createBenchUnits(prisma, { count: WARMUP_UNITS, codePrefix: 'bench-warmup' });
const city = await prisma.unit.findFirstOrThrow({ where: { kind: 'CITY', active: true } });
const parent30 = await prisma.unit.create({ data: { code: 'bench-parent-30', name: '压测片区', kind: 'REGION', parentId: city.id, sortOrder: 9_999 } });
const units30 = await createBenchUnits(prisma, { count: UNITS, codePrefix: 'bench-fast', parentId: parent30.id });
const cycle = await prisma.reportingCycle.findUniqueOrThrow({ where: { code: 'monthly' } });
// OPEN before the bot starts: its worker's first plan must not find a PLANNED period and open it (2,000 cards).
const planned = await ensurePeriod(prisma, cycle, cycleRuleOf(cycle), PERIOD_KEY, await loadWorkCalendar(prisma));
const period = await prisma.reportingPeriod.update({ where: { id: planned.id }, data: { status: 'OPEN', openedAt: new Date() } });
await prisma.unitReport.createMany({ data: [...units, ...warmup, ...units30].map((u) => ({ periodId: period.id, unitId: u.id })) });
const reports = new Map(
  (await prisma.unitReport.findMany({ where: { periodId: period.id }, select: { id: true, unitId: true } })).map((r) => [r.unitId, r.id]),
);
console.error(`submit-burst: ${2 * UNITS + WARMUP_UNITS} units, assignments and reports written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const api = await startBotProcess({ DATABASE_URL: env.databaseUrl, REDIS_URL: env.redisUrl, QUEUE_PREFIX: env.prefix });

/** One page holds all 5 indicators; fields are named by position (fieldNames), so the same names serve every unit. */
function formValue(i: number): Record<string, string> {
  const fv: Record<string, string> = { u_enterprise: '本月走访包保企业 12 家，协调解决用工问题 3 项。', u_keywork: '推进重点项目开工，加强运行调度。' };
  MAIN_INDICATORS.forEach((_, k) => {
    fv[`v_${k}`] = (100 + ((i * 37 + k * 11) % 900) + ((i + k) % 100) / 100).toFixed(2);
    fv[`g_${k}`] = (3 + ((i + k * 3) % 60) / 10).toFixed(1);
    fv[`p_${k}`] = '部分企业订单不足，生产经营承压。';
    fv[`f_${k}`] = '预计下月保持平稳增长。';
    fv[`m_${k}`] = '加强企业帮扶，推动项目尽早投产达效。';
  });
  return fv;
}

function callback(u: BenchUnit, i: number) {
  return sealPush(
    SANDBOX_APP.encryptKey,
    {
      schema: '2.0',
      header: { event_id: randomBytes(16).toString('hex'), event_type: 'card.action.trigger', token: SANDBOX_APP.verificationToken, app_id: SANDBOX_APP.appId, create_time: String(Date.now() * 1000), tenant_key: 'bench' },
      event: {
        operator: { open_id: u.openId },
        token: `c-${randomBytes(8).toString('hex')}`,
        action: { tag: 'button', name: 'report_submit', value: { a: 'report.submit', v: 1, r: reports.get(u.id)!, p: 1 }, form_value: formValue(i) },
        context: { open_message_id: `om_bench_${i}`, open_chat_id: 'oc_bench' },
      },
    },
    Math.floor(Date.now() / 1000),
  );
}

interface Result {
  ok: boolean;
  toast: string;
  dur: number;
  rtt: number;
}

async function send(u: BenchUnit, i: number): Promise<Result> {
  const { body, headers } = callback(u, i);
  const start = performance.now();
  try {
    const res = await fetch(`${api.url}/feishu/events`, { method: 'POST', body, headers });
    const json = (await res.json()) as { toast?: { type: string; content?: string } };
    const dur = Number(/dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '')?.[1]);
    const toast = json.toast ? `${json.toast.type}: ${json.toast.content ?? ''}` : `HTTP ${res.status}`;
    return { ok: res.status === 200 && json.toast?.type === 'success', toast, dur, rtt: performance.now() - start };
  } catch (err) {
    return { ok: false, toast: String(err), dur: NaN, rtt: performance.now() - start };
  }
}

// Warm-up: the pool's connections, JIT; units of their own, so every measured submission is a first one.
for (let i = 0; i < warmup.length; i += 10) await Promise.all(warmup.slice(i, i + 10).map((u, k) => send(u, UNITS + i + k)));

// ── the bursts (measured) ──
const sleepUntil = (at: number) => new Promise((r) => setTimeout(r, Math.max(0, at - performance.now())));

async function burst(list: BenchUnit[], perSecond: number, offset: number) {
  const pending: Promise<Result>[] = [];
  // Seeded: the same arrival pattern on every run.
  const random = seededRandom(0x5eed);
  const cpu0 = cpuSeconds(api.child.pid!);
  const t0 = performance.now();
  let at = t0;
  for (let i = 0; i < list.length; i++) {
    at += (-Math.log(1 - random()) * 1000) / perSecond;
    await sleepUntil(at);
    pending.push(send(list[i]!, offset + i));
  }
  const sentIn = (performance.now() - t0) / 1000;
  const results = await Promise.all(pending);
  const answeredIn = (performance.now() - t0) / 1000;
  const cpu = (cpuSeconds(api.child.pid!) - cpu0) / answeredIn;

  const durs = results.map((r) => r.dur).filter(Number.isFinite).sort((a, b) => a - b);
  const rtts = results.map((r) => r.rtt).sort((a, b) => a - b);
  const failed = results.filter((r) => !r.ok);
  const byToast = new Map<string, number>();
  for (const r of failed) byToast.set(r.toast, (byToast.get(r.toast) ?? 0) + 1);
  console.error(
    `submit-burst: ${list.length} sent in ${sentIn.toFixed(1)} s (${(list.length / sentIn).toFixed(1)}/s), all answered after ${answeredIn.toFixed(1)} s; ` +
      `server p50 ${percentile(durs, 50).toFixed(1)} / p90 ${percentile(durs, 90).toFixed(1)} / p99 ${percentile(durs, 99).toFixed(1)} / max ${durs.at(-1)?.toFixed(1)} ms; ` +
      `client p50 ${percentile(rtts, 50).toFixed(1)} / p99 ${percentile(rtts, 99).toFixed(1)} ms; bot CPU ${(cpu * 100).toFixed(0)} % of a core`,
  );
  for (const [toast, n] of byToast) console.error(`submit-burst: ${n} × not success: ${toast.slice(0, 200)}`);
  return { durs, success: results.length - failed.length, cpu };
}

const slow = await burst(units, PER_SECOND, 0);
const stored = await prisma.unitReport.count({ where: { periodId: period.id, status: 'SUBMITTED', unitId: { in: units.map((u) => u.id) } } });
figure('submit-burst', 'p50_ms', percentile(slow.durs, 50), 'ms');
figure('submit-burst', 'p99_ms', percentile(slow.durs, 99), 'ms');
figure('submit-burst', 'success', slow.success, 'count');
figure('submit-burst', 'stored', stored, 'count');
figure('submit-burst', 'bot_cpu', slow.cpu, 'share');

// The lights and digests of the first burst finish before the second starts.
await waitForIdle(env.redisUrl, env.prefix);
await new Promise((r) => setTimeout(r, 5_000)); // the delayed, coalesced evaluations
await waitForIdle(env.redisUrl, env.prefix);
const fast = await burst(units30, PER_SECOND_FAST, UNITS + WARMUP_UNITS);
const stored30 = await prisma.unitReport.count({ where: { periodId: period.id, status: 'SUBMITTED', unitId: { in: units30.map((u) => u.id) } } });
if (stored30 !== UNITS) console.error(`submit-burst: 30/s: only ${stored30} of ${UNITS} stored`);
figure('submit-burst', 'p99_ms_30', percentile(fast.durs, 99), 'ms');
figure('submit-burst', 'bot_cpu_30', fast.cpu, 'share');

await prisma.$disconnect();
await api.stop();
await clearPrefix(env.redisUrl, env.prefix);
await env.cleanup();
