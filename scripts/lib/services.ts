// Set-up: make sure PostgreSQL and Redis answer at DATABASE_URL / REDIS_URL before start and test.
// Installed but stopped → start it; absent → install it with apt (Debian/Ubuntu) or start it with
// `docker compose` where a Docker engine runs; otherwise stop with the one command that fixes it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, mkdirSync } from 'node:fs';
import net from 'node:net';

type Log = (msg: string) => void;

export class ServiceError extends Error {}

function reachable(host: string, port: number, timeoutMs = 1_500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitFor(host: string, port: number, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 4; i++) {
    if (await reachable(host, port, 500)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const isRoot = () => process.getuid?.() === 0;
const isLocal = (host: string) => ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(host);

function run(cmd: string, args: string[], log: Log): boolean {
  log(`$ ${cmd} ${args.join(' ')}`);
  const res = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  return res.status === 0;
}

function dockerEngine(): boolean {
  return has('docker') && spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

let aptUpdated = false;
function aptInstall(pkgs: string[], log: Log): boolean {
  if (!has('apt-get') || !isRoot()) return false;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  if (!aptUpdated) {
    log('$ apt-get update');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
    aptUpdated = true;
  }
  log(`$ apt-get install -y ${pkgs.join(' ')}`);
  return spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], { stdio: 'ignore', env }).status === 0;
}

function startPostgres(log: Log): boolean {
  if (!existsSync('/etc/postgresql') || !has('pg_ctlcluster')) return false;
  const versions = readdirSync('/etc/postgresql');
  return versions.some((v) => run('pg_ctlcluster', ['--skip-systemctl-redirect', v, 'main', 'start'], log));
}

function startRedis(port: number, log: Log): boolean {
  if (!has('redis-server')) return false;
  const dir = existsSync('/var/lib/redis') ? '/var/lib/redis' : '/tmp';
  const logDir = existsSync('/var/log/redis') ? '/var/log/redis' : '/tmp';
  mkdirSync(dir, { recursive: true });
  return run(
    'redis-server',
    ['--daemonize', 'yes', '--bind', '127.0.0.1', '-::1', '--port', String(port), '--save', '', '--appendonly', 'no',
      '--dir', dir, '--logfile', `${logDir}/econ-dispatch.log`],
    log,
  );
}

interface Service {
  name: string;
  url: string;
  defaultPort: number;
  aptPackages: string[];
  composeService: string;
  start: (port: number, log: Log) => boolean;
}

async function ensure(svc: Service, log: Log): Promise<void> {
  const u = new URL(svc.url);
  const host = u.hostname;
  const port = Number(u.port || svc.defaultPort);
  if (await reachable(host, port)) return;
  const fix = `start ${svc.name} at ${host}:${port} or point ${svc.name === 'PostgreSQL' ? 'DATABASE_URL' : 'REDIS_URL'} at a running server`;
  if (!isLocal(host)) throw new ServiceError(`${svc.name} does not answer at ${host}:${port}. ${fix}.`);

  log(`${svc.name} is not answering at ${host}:${port}; starting it`);
  if (svc.start(port, log) && (await waitFor(host, port, 30))) return;
  if (aptInstall(svc.aptPackages, log) && svc.start(port, log) && (await waitFor(host, port, 30))) return;
  if (dockerEngine() && run('docker', ['compose', 'up', '-d', svc.composeService], log) && (await waitFor(host, port, 60))) return;

  const hint = has('apt-get')
    ? `sudo apt-get install -y ${svc.aptPackages.join(' ')}`
    : has('docker')
      ? `docker compose up -d ${svc.composeService}`
      : `install ${svc.name} (${svc.aptPackages[0]}) and start it`;
  throw new ServiceError(`${svc.name} is missing or would not start at ${host}:${port}. Fix: ${hint}`);
}

export async function ensureServices(urls: { databaseUrl: string; redisUrl: string }, log: Log = console.log): Promise<void> {
  await ensure(
    { name: 'PostgreSQL', url: urls.databaseUrl, defaultPort: 5432, aptPackages: ['postgresql'], composeService: 'postgres',
      start: (_port, l) => startPostgres(l) },
    log,
  );
  await ensure(
    { name: 'Redis', url: urls.redisUrl, defaultPort: 6379, aptPackages: ['redis-server'], composeService: 'redis', start: startRedis },
    log,
  );
}

/** Regenerates the Prisma client when schema.prisma is newer than it. */
export function ensurePrismaClient(): void {
  execFileSync(process.execPath, ['scripts/generate.mjs', '--if-stale'], { stdio: 'inherit' });
}

/** The CJK font the 专报's charts are drawn with (src/report/charts.ts). */
const CJK_FONT = process.env.REPORT_FONT_FILE ?? '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';

/**
 * npm start: the CJK font for the 专报's charts, installed when missing (apt, as root). Without it the bot
 * still runs; only sending a report fails until it is installed — so this warns rather than stops.
 */
export function ensureReportFont(log: Log = console.log): boolean {
  if (existsSync(CJK_FONT)) return true;
  log('Installing fonts-wqy-microhei for the charts of the monthly report');
  if (aptInstall(['fonts-wqy-microhei'], log) && existsSync(CJK_FONT)) return true;
  log(`! The CJK font is missing (${CJK_FONT}): the monthly report's charts cannot be drawn. Fix: sudo apt-get install -y fonts-wqy-microhei`);
  return false;
}

/** Colour emoji for the browser tests' screenshots: cards mark lights 🔴🟡🟢 as Feishu's clients draw them. */
const EMOJI_FONT = '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf';

/** Debian packages the test suite needs: Chromium for browser tests, a CJK font for rendered Chinese, emoji. */
export function ensureTestPackages(log: Log = console.log): void {
  const missing: string[] = [];
  if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) missing.push('chromium');
  if (!existsSync(CJK_FONT)) missing.push('fonts-wqy-microhei');
  if (!existsSync(EMOJI_FONT)) missing.push('fonts-noto-color-emoji');
  if (!missing.length) return;
  log(`Installing ${missing.join(', ')} for the browser tests`);
  if (!aptInstall(missing, log)) {
    throw new ServiceError(`${missing.join(' and ')} missing. Fix: sudo apt-get install -y ${missing.join(' ')}`);
  }
}
