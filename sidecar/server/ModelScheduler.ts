import type { ForwardInput, ForwardOutput, KvCache, LanguageModel } from '../engine';

/** Who is asking: completions are what the user waits for while typing; the playground can wait. */
export type Lane = 'completion' | 'playground';

interface Pending {
  readonly lane: Lane;
  readonly run: () => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The scheduling policy of the sidecar: one model, one worker, one model call at a time.
 *
 * - Every model call (forward, cache create/crop/select/release) goes through this queue. One
 *   runs at a time (the worker is single-threaded anyway); the queue decides who goes next.
 * - Completion calls go before playground calls. A playground generation therefore advances
 *   only when no completion call is waiting, and also not while a completion request is active
 *   at all (see `hold`): between two of a completion's forwards (sampling, detokenising) the
 *   playground must not slip in a step and delay the next one. A completion waits for at most
 *   the one playground forward already running.
 * - Within a lane, calls run in arrival order. Pre-emption (a new completion aborts the older
 *   one) is the completion feature's job: it aborts the old request's signal, and the engine
 *   stops at the next step.
 */
export class ModelScheduler {
  private readonly queue: Pending[] = [];
  private running = false;
  private holds = 0;
  private readonly views = new Map<Lane, LanguageModel>();

  constructor(private readonly model: LanguageModel) {}

  /** A view of the model whose calls are queued in `lane` (the same object for the same lane). */
  lane(lane: Lane): LanguageModel {
    let view = this.views.get(lane);
    if (!view) {
      view = this.makeLane(lane);
      this.views.set(lane, view);
    }
    return view;
  }

  private makeLane(lane: Lane): LanguageModel {
    const model = this.model;
    const call = <T>(run: () => Promise<T>) => this.enqueue(lane, run);
    return {
      info: model.info,
      createCache: (batch: number) => call(() => model.createCache(batch)),
      forward: (cache: KvCache, input: ForwardInput, signal?: AbortSignal) =>
        call<{ cache: KvCache; output: ForwardOutput }>(() => model.forward(cache, input, signal)),
      cropCache: (cache: KvCache, length: number) => call(() => model.cropCache(cache, length)),
      selectCacheRows: (cache: KvCache, rows: readonly number[]) => call(() => model.selectCacheRows(cache, rows)),
      // Releasing frees memory and must not wait behind a long playground run.
      releaseCache: (cache: KvCache) => this.enqueue('completion', () => model.releaseCache(cache)),
      dispose: () => Promise.resolve(),
    };
  }

  /**
   * Marks a completion request as active until the returned function is called: playground
   * calls wait meanwhile. Release it in a finally.
   */
  hold(): () => void {
    this.holds++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.pump();
    };
  }

  get stats(): { running: number; waiting: number } {
    return { running: this.running ? 1 : 0, waiting: this.queue.length };
  }

  private enqueue<T>(lane: Lane, run: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ lane, run, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  private pump(): void {
    if (this.running) return;
    const index = this.nextIndex();
    if (index < 0) return;
    const [next] = this.queue.splice(index, 1);
    this.running = true;
    next!
      .run()
      .then(next!.resolve, next!.reject)
      .finally(() => {
        this.running = false;
        this.pump();
      });
  }

  private nextIndex(): number {
    const completion = this.queue.findIndex((p) => p.lane === 'completion');
    if (completion >= 0) return completion;
    if (this.holds > 0) return -1;
    return this.queue.length > 0 ? 0 : -1;
  }
}
