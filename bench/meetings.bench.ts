// Bench `meetings`: 200 专题会 of 20 attendees each (19 unit heads and the host), confirmed through the real
// command path (确认安排 → invitations and reminders written, the sync follow-up enqueued after the commit),
// their calendar events, attendees and (every other meeting) group chats brought to a standalone Feishu
// sandbox by a BullMQ worker with the real 'meeting.sync.v1' handler. Then every sync job is forced to run
// again from its first step (syncedVersion reset, as after a crash before the last write).
// Prints {bench:'meetings', …}: seconds (first confirm → last sync done; confirm_seconds of it the 200
// confirmations, the syncs running alongside), retry_seconds, jobs (sync jobs
// run), duplicates (events per key, chats per meeting, group messages, attendees: must be 0), and the
// invitations and reminders written. Left out: delivering the invitation cards (bench fanout does that).
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { Worker } from 'bullmq';
import { benchEnv, clearPrefix, createBenchUnits, figure } from './support.ts';
import { createPrisma } from '../src/platform/prisma.ts';
import { createRedis } from '../src/platform/redis.ts';
import { createQueues, closeQueues } from '../src/platform/queues.ts';
import { fixedClock } from '../src/platform/clock.ts';
import { createLogger } from '../src/platform/logger.ts';
import { parsePayload } from '../src/platform/enqueue.ts';
import { enqueueOutbound } from '../src/outbox/outbox.enqueue.ts';
import { enqueueFollowUps } from '../src/outbox/follow-ups.enqueue.ts';
import { dispatchCardAction } from '../src/commands/dispatch.ts';
import { createFeishuClient } from '../src/feishu/client.ts';
import { createSandbox } from '../src/sandbox/sandbox.ts';
import { sandboxDirectory } from '../src/sandbox-directory.ts';
import { meetingSyncHandlers } from '../jobs/meeting-sync.job.ts';
import type { JobHandler } from '../jobs/catalog.ts';

const MEETINGS = 200;
const UNITS_PER_MEETING = 19;
const UNITS = 380;
const bench = 'meetings';
const env = await benchEnv(bench);
const prisma = createPrisma(env.databaseUrl, { max: 16 });
// Now, so the reminders land in the future of the queue's real time.
const clock = fixedClock(new Date());
const logger = createLogger({ level: 'warn', pretty: false });
const units = await createBenchUnits(prisma, { count: UNITS, codePrefix: 'bench-meet' });
const organiser = await prisma.unitRole.findFirstOrThrow({ where: { role: 'ORGANISER' }, include: { person: true } });
const host = await prisma.person.findUniqueOrThrow({ where: { code: 'lin-zhenhua' } });

const app = { appId: 'cli_b0e1c0d15ba4db02', appSecret: 'bench-meetings-secret', encryptKey: 'bench-key', verificationToken: 'bench-token', botName: '经济运行调度助手' };
const sandbox = createSandbox({ apps: [app], directory: { users: await sandboxDirectory(prisma) } });
const { url } = await sandbox.listen(0);
const feishu = createFeishuClient({ appId: app.appId, appSecret: app.appSecret, domain: url, logger });

const redis = createRedis(env.redisUrl, 'producer');
const queues = createQueues(redis, env.prefix);
const handler = meetingSyncHandlers({ prisma, clock, logger, queues, feishu })['meeting.sync.v1'] as JobHandler<'meeting.sync.v1'>;
let jobs = 0;
let failedAttempts = 0;
const workerRedis = createRedis(env.redisUrl, 'worker');
// The bot's domain worker runs 4 jobs at a time.
const worker = new Worker(
  'domain',
  async (job) => {
    if (job.name !== 'meeting.sync.v1') return null;
    const r = await handler(parsePayload('meeting.sync.v1', job.data), job);
    jobs++;
    return r;
  },
  { connection: workerRedis, prefix: env.prefix, concurrency: 4 },
);
worker.on('failed', () => failedAttempts++);
await worker.waitUntilReady();

// Drafts as the 专题会 command leaves them; 确认安排 fills in the time, the units and the host.
const start = new Date(clock.now().getTime() + 14 * 86_400_000);
const dateOf = (i: number) => new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai' }).format(new Date(start.getTime() + Math.floor(i / 8) * 86_400_000));
const drafts = await Promise.all(
  Array.from({ length: MEETINGS }, (_, i) => prisma.meeting.create({ data: { kind: 'SPECIAL', title: `专题调度会${String(i + 1).padStart(3, '0')}`, status: 'DRAFT', startsAt: clock.now(), endsAt: clock.now(), createdAt: clock.now() } })),
);
const deps = {
  prisma,
  clock,
  logger,
  afterCommit: async (w: { outbound: string[]; followUps: string[] }) => {
    // Invitations are written and queued; nothing delivers them here (bench fanout measures that).
    await enqueueOutbound(queues, w.outbound);
    await enqueueFollowUps(prisma, queues, w.followUps, clock.now());
  },
};

const t0 = performance.now();
const confirm = async (i: number) => {
  const picked = Array.from({ length: UNITS_PER_MEETING }, (_, k) => units[(i * UNITS_PER_MEETING + k) % UNITS]!.code);
  const ran = await dispatchCardAction(deps, { openId: organiser.person.openId!, messageId: `om_bench_${randomUUID()}`, key: `bench-confirm-${i}` }, {
    kind: 'meeting.confirm',
    meetingId: drafts[i]!.id,
    force: true,
    form: { date: dateOf(i), time: `${String(9 + (i % 8)).padStart(2, '0')}:00`, durationMin: 60, location: '市政府三楼第一会议室', units: picked, people: [host.code], wantsChat: i % 2 === 0 },
  });
  if (!JSON.stringify(ran).includes('已安排')) throw new Error(`meeting ${i} not scheduled: ${JSON.stringify(ran).slice(0, 300)}`);
};
for (let i = 0; i < MEETINGS; i += 4) await Promise.all([i, i + 1, i + 2, i + 3].filter((k) => k < MEETINGS).map(confirm));
const confirmSeconds = (performance.now() - t0) / 1000;
const ids = drafts.map((d) => d.id);

async function allSynced(timeoutMs = 300_000) {
  const until = Date.now() + timeoutMs;
  while ((await prisma.meeting.count({ where: { id: { in: ids }, syncedVersion: { gte: 1 } } })) < MEETINGS) {
    if (Date.now() > until) throw new Error('sync jobs did not finish');
    await new Promise((r) => setTimeout(r, 100));
  }
}
await allSynced();
const seconds = (performance.now() - t0) / 1000;

// Every job again, from its first step.
const t1 = performance.now();
await prisma.meeting.updateMany({ where: { id: { in: ids } }, data: { syncedVersion: -1 } });
await Promise.all(ids.map((meetingId) => queues.domain.add('meeting.sync.v1', { meetingId, version: 1 }, { jobId: `msync-${meetingId}-v1-retry`, attempts: 8, backoff: { type: 'exponential', delay: 1_000 } })));
await allSynced();
const retrySeconds = (performance.now() - t1) / 1000;

const events = sandbox.calendar.events().filter((e) => !e.deleted);
const byKey = new Map<string, number>();
for (const e of events) byKey.set(e.idempotencyKey ?? e.eventId, (byKey.get(e.idempotencyKey ?? e.eventId) ?? 0) + 1);
const groups = sandbox.chats.all().filter((c) => c.type === 'group');
const byName = new Map<string, number>();
for (const c of groups) byName.set(c.name, (byName.get(c.name) ?? 0) + 1);
const extra = (m: Map<string, number>) => [...m.values()].reduce((s, n) => s + n - 1, 0);
const duplicateEvents = extra(byKey);
const duplicateChats = extra(byName);
// The groups' welcome messages are outbox rows (not delivered here): one per group.
const duplicateMessages = Math.max(0, (await prisma.outboundMessage.count({ where: { receiveIdType: 'chat_id' } })) - groups.length);
const duplicateAttendees = events.reduce((s, e) => s + e.attendees.length - new Set(e.attendees.map((a) => a.openId)).size, 0);
const short = events.filter((e) => e.attendees.length !== UNITS_PER_MEETING + 1).length;
const invitations = await prisma.outboundMessage.count({ where: { dedupeKey: { startsWith: 'minv-' } } });
const reminders = await prisma.followUp.count({ where: { name: 'meeting.remind.v1' } });

figure(bench, 'meetings', MEETINGS, 'meetings');
figure(bench, 'seconds', seconds, 's');
figure(bench, 'confirm_seconds', confirmSeconds, 's');
figure(bench, 'retry_seconds', retrySeconds, 's');
figure(bench, 'jobs', jobs, 'jobs');
figure(bench, 'failed_attempts', failedAttempts, 'attempts');
figure(bench, 'events', events.length, 'events');
figure(bench, 'chats', groups.length, 'chats');
figure(bench, 'events_without_20_attendees', short, 'events');
figure(bench, 'invitations', invitations, 'cards');
figure(bench, 'reminders', reminders, 'jobs');
figure(bench, 'duplicates', duplicateEvents + duplicateChats + duplicateMessages + duplicateAttendees, 'items');

await worker.close();
await closeQueues(queues);
redis.disconnect();
workerRedis.disconnect();
await sandbox.close();
await prisma.$disconnect();
await clearPrefix(env.redisUrl, env.prefix);
await env.cleanup();
if (duplicateEvents + duplicateChats + duplicateMessages + duplicateAttendees > 0 || short > 0 || events.length !== MEETINGS) process.exit(1);
