/**
 * When to restart the sidecar after it crashed, and when to give up. Pure (no vscode, no timers):
 * the clock is injected so that the policy can be tested without waiting.
 *
 * Each crash in a row doubles the delay (1 s, 2 s, 4 s … capped); `maxCrashes` crashes within
 * `windowMs` mean the sidecar cannot run here, so it is not restarted until the user asks.
 */
export interface CrashPolicyOptions {
  readonly now?: () => number;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly maxCrashes?: number;
  readonly windowMs?: number;
}

export type CrashDecision =
  | { readonly action: 'restart'; readonly delayMs: number; readonly crashesInWindow: number }
  | { readonly action: 'give-up'; readonly crashesInWindow: number };

export class CrashPolicy {
  private readonly now: () => number;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxCrashes: number;
  private readonly windowMs: number;
  private crashes: number[] = [];

  constructor(options: CrashPolicyOptions = {}) {
    this.now = options.now ?? Date.now;
    this.initialDelayMs = options.initialDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.maxCrashes = options.maxCrashes ?? 5;
    this.windowMs = options.windowMs ?? 3 * 60_000;
    if (!(this.initialDelayMs > 0)) throw new RangeError(`initialDelayMs = ${this.initialDelayMs}: must be > 0`);
    if (!(this.maxDelayMs >= this.initialDelayMs)) throw new RangeError(`maxDelayMs = ${this.maxDelayMs}: must be >= initialDelayMs (${this.initialDelayMs})`);
    if (!Number.isInteger(this.maxCrashes) || this.maxCrashes < 1) throw new RangeError(`maxCrashes = ${this.maxCrashes}: must be an integer >= 1`);
    if (!(this.windowMs > 0)) throw new RangeError(`windowMs = ${this.windowMs}: must be > 0`);
  }

  /** Records a crash now and says what to do about it. */
  crashed(): CrashDecision {
    const now = this.now();
    this.crashes = this.crashes.filter((at) => now - at < this.windowMs);
    this.crashes.push(now);
    const count = this.crashes.length;
    if (count >= this.maxCrashes) return { action: 'give-up', crashesInWindow: count };
    const delayMs = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** (count - 1));
    return { action: 'restart', delayMs, crashesInWindow: count };
  }

  /** Forgets every crash (the user restarted the sidecar by hand). */
  reset(): void {
    this.crashes = [];
  }
}
