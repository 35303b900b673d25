// Bench support: the bot as its own process (as in production), so the load generator does not share
// its event loop. Started on a free port against a bench database; stopped with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from '../tests/support/free-port.ts';

export interface BotProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * `script` defaults to the bot (src/main.ts). `port` is the port to pass (a worker-only process talks to
 * the sandbox of the API on it); `ready: false` for a process without HTTP (ROLE=worker): a short pause.
 */
export async function startBotProcess(env: Record<string, string>, opts: { script?: string; port?: number; ready?: boolean } = {}): Promise<BotProcess> {
  const port = opts.port ?? (await freePort());
  const child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=.tmp/prof'] : []), '--import', 'tsx', opts.script ?? 'src/main.ts'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: env.LOG_LEVEL ?? 'warn', LOG_PRETTY: 'false', NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  if (opts.ready === false) await new Promise((r) => setTimeout(r, 4_000));
  for (let i = 0; i < 300 && opts.ready !== false; i++) {
    if (child.exitCode !== null) throw new Error(`bot exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (child.exitCode !== null) throw new Error(`bot exited with ${child.exitCode}`);
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  // Fields after the command name: utime and stime are the 12th and 13th, in clock ticks (100/s).
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
