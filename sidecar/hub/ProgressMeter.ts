/** A progress sample: bytes so far of the bytes to fetch, the average rate and the time left. */
export interface ProgressSample {
  readonly bytes: number;
  readonly totalBytes: number;
  readonly bytesPerSecond: number;
  readonly etaSeconds: number | null;
}

/** Counts bytes and hands out a sample at most every `intervalMs` (a progress line per chunk would flood a terminal). */
export class ProgressMeter {
  private bytes = 0;
  private lastSampleAt = -Infinity;
  private readonly startedAt: number;

  constructor(
    private readonly totalBytes: number,
    private readonly intervalMs = 200,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now();
  }

  add(bytes: number): ProgressSample | undefined {
    this.bytes += bytes;
    const at = this.now();
    if (at - this.lastSampleAt < this.intervalMs) return undefined;
    this.lastSampleAt = at;
    return this.sample(at);
  }

  /** A sample now, whatever the interval (at a file's end, and at the very end). */
  final(): ProgressSample {
    return this.sample(this.now());
  }

  seconds(): number {
    return (this.now() - this.startedAt) / 1000;
  }

  private sample(at: number): ProgressSample {
    const seconds = (at - this.startedAt) / 1000;
    const bytesPerSecond = seconds > 0 ? this.bytes / seconds : 0;
    const left = Math.max(0, this.totalBytes - this.bytes);
    return { bytes: this.bytes, totalBytes: this.totalBytes, bytesPerSecond, etaSeconds: bytesPerSecond > 0 ? left / bytesPerSecond : null };
  }
}
