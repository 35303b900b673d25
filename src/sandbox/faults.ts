// Sandbox: fault injection with a seeded generator, so a bench run with the same seed and the same
// request order meets the same faults.
import type { FaultConfig } from './types.ts';
import { seededRandom } from '../platform/random.ts';

export const NO_FAULTS: FaultConfig = {
  latencyMs: 0,
  rate5xx: 0,
  rate5xxAfterCommit: 0,
  rate429: 0,
  rate230020: 0,
  seed: 1,
};


/** A forced failure of one route's next call: HTTP 500 before it takes effect, or after (the answer lost). */
export interface ForcedFailure {
  afterCommit: boolean;
}

export class FaultInjector {
  private config: FaultConfig = { ...NO_FAULTS };
  private random = seededRandom(NO_FAULTS.seed);
  private readonly forced = new Map<string, ForcedFailure[]>();

  /**
   * The next `times` calls of a route (its id in feishuRoute, e.g. 'calendar.event.attendee.create') fail
   * with HTTP 500 / 2200, so a test or a bench can break a sequence of calls at a chosen step.
   */
  failNext(route: string, opts: { afterCommit?: boolean; times?: number } = {}): void {
    const list = this.forced.get(route) ?? [];
    for (let i = 0; i < (opts.times ?? 1); i++) list.push({ afterCommit: opts.afterCommit ?? false });
    this.forced.set(route, list);
  }

  /** The forced failure for this call of the route, if one is waiting (used once). */
  takeForced(route: string): ForcedFailure | undefined {
    const list = this.forced.get(route);
    const next = list?.shift();
    if (list && list.length === 0) this.forced.delete(route);
    return next;
  }

  /** Forced failures not used yet, per route. */
  forcedPending(): Record<string, number> {
    return Object.fromEntries([...this.forced].map(([route, list]) => [route, list.length]));
  }

  set(partial: Partial<FaultConfig>): FaultConfig {
    this.config = { ...NO_FAULTS, ...partial };
    this.random = seededRandom(this.config.seed);
    return this.get();
  }

  get(): FaultConfig {
    return { ...this.config };
  }

  get latencyMs(): number {
    return this.config.latencyMs;
  }

  /** Draws one number per kind even when the rate is 0, so enabling one fault does not shift the others. */
  roll(kind: 'rate5xx' | 'rate5xxAfterCommit' | 'rate429' | 'rate230020'): boolean {
    const r = this.random();
    return r < this.config[kind];
  }
}
