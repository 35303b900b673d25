// Platform: graceful shutdown. Closers run in registration order (intake first, storage last).
import type { Logger } from './logger.ts';

export interface Shutdown {
  add(name: string, close: () => Promise<unknown> | unknown): void;
  run(reason: string): Promise<void>;
}

export function createShutdown(logger: Logger, opts: { timeoutMs?: number } = {}): Shutdown {
  const closers: { name: string; close: () => Promise<unknown> | unknown }[] = [];
  let running: Promise<void> | undefined;
  return {
    add: (name, close) => void closers.push({ name, close }),
    run: (reason) => {
      running ??= (async () => {
        logger.info({ reason }, '[shutdown] closing');
        const deadline = setTimeout(() => {
          logger.error('[shutdown] timed out; exiting');
          process.exit(1);
        }, opts.timeoutMs ?? 15_000);
        deadline.unref();
        for (const { name, close } of closers) {
          try {
            await close();
          } catch (err) {
            logger.warn({ err, name }, '[shutdown] close failed');
          }
        }
        clearTimeout(deadline);
        logger.info('[shutdown] done');
      })();
      return running;
    },
  };
}

export function onSignals(shutdown: Shutdown): void {
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      void shutdown.run(sig).then(() => process.exit(0));
    });
  }
}
