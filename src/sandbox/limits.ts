// Sandbox: sliding-window rate limiters.
// Windows run on the process's monotonic time, not the injected business clock: throughput is real
// (a test that freezes or jumps the business clock must not freeze or reset the limiter).
import { performance } from 'node:perf_hooks';

export type Acquire = { ok: true } | { ok: false; retryAfterMs: number };

export class SlidingWindow {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Admits the call and counts it, or refuses it without counting (refused calls do not extend the wait). */
  tryAcquire(key: string, limit: number): Acquire {
    const t = this.now();
    let list = this.hits.get(key);
    if (!list) {
      list = [];
      this.hits.set(key, list);
    }
    while (list.length > 0 && t - list[0]! >= this.windowMs) list.shift();
    if (list.length >= limit) {
      return { ok: false, retryAfterMs: Math.max(1, this.windowMs - (t - list[0]!)) };
    }
    list.push(t);
    return { ok: true };
  }

  reset(): void {
    this.hits.clear();
  }
}
