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


export class FaultInjector {
  private config: FaultConfig = { ...NO_FAULTS };
  private random = seededRandom(NO_FAULTS.seed);

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
