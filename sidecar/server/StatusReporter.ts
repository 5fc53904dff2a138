import type { StatusInfo } from '../protocol';
import type { CompletionStats } from './CompletionStats';
import type { ModelHost } from './ModelHost';

const MB = 1024 * 1024;
const MIN_INTERVAL_MS = 250;

/**
 * Builds StatusInfo and pushes inkwell/statusChanged: at once when the state changes (loading,
 * ready, error), at most every 250 ms for counters (tokens/s, queue).
 */
export class StatusReporter {
  private lastTokensPerSecond: number | undefined;
  private lastSent = 0;
  private lastState: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  private modelWarnings: readonly string[] = [];

  constructor(
    private readonly host: ModelHost,
    private readonly stats: CompletionStats,
    private readonly send: (status: StatusInfo) => void,
  ) {}

  recordTokensPerSecond(value: number): void {
    if (Number.isFinite(value) && value > 0) this.lastTokensPerSecond = value;
    this.changed();
  }

  /** The serving model's warnings (ModelStatus.warnings), replaced after each successful load. */
  setModelWarnings(lines: readonly string[]): void {
    this.modelWarnings = lines;
  }

  status(): StatusInfo {
    const serving = this.host.current;
    const loading = this.host.loading;
    const error = this.host.lastError;
    const memory = process.memoryUsage();
    const state = loading ? 'loading' : serving ? 'ready' : error ? 'error' : 'starting';
    return {
      state,
      ...(serving && { model: this.modelWarnings.length > 0 ? { ...serving.status, warnings: this.modelWarnings } : serving.status }),
      ...(error && { error: { code: error.code, message: error.message } }),
      ...(loading && { loading: { dir: loading.dir, stage: 'opening the model', startedAt: loading.startedAt } }),
      memory: { rssMb: Math.round(memory.rss / MB), heapUsedMb: Math.round(memory.heapUsed / MB) },
      ...(this.lastTokensPerSecond !== undefined && { lastTokensPerSecond: Math.round(this.lastTokensPerSecond * 10) / 10 }),
      queue: serving ? serving.scheduler.stats : { running: 0, waiting: 0 },
      completions: this.stats.snapshot(),
    };
  }

  /** Something changed: send now if the state moved, else within MIN_INTERVAL_MS. */
  changed(): void {
    // Requests still finishing after the client went away report too: nothing is sent any more.
    if (this.disposed) return;
    const status = this.status();
    const now = Date.now();
    if (status.state !== this.lastState || now - this.lastSent >= MIN_INTERVAL_MS) {
      this.flush(status);
      return;
    }
    this.timer ??= setTimeout(() => this.flush(this.status()), MIN_INTERVAL_MS - (now - this.lastSent));
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private flush(status: StatusInfo): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastState = status.state;
    this.lastSent = Date.now();
    this.send(status);
  }
}
