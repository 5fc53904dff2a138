import type { GenerationEvent, GenerationResult } from './GenerationEvent';

type Start = (signal: AbortSignal, emit: (event: GenerationEvent) => void) => Promise<GenerationResult>;

/**
 * A running generation: an AsyncIterable of its events and a promise of its result. Work
 * starts at once; events are buffered until read (a few per token), so result() works whether
 * or not anyone iterates. Leaving a `for await` early aborts the generation: whoever stops
 * reading no longer wants the tokens.
 */
export class GenerationRun implements AsyncIterable<GenerationEvent> {
  private readonly events: GenerationEvent[] = [];
  private head = 0;
  private wake: (() => void) | undefined;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private readonly controller = new AbortController();
  private readonly promise: Promise<GenerationResult>;
  private tokens = 0;

  constructor(start: Start, signal?: AbortSignal) {
    const onAbort = () => this.controller.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    this.promise = Promise.resolve()
      .then(() => start(this.controller.signal, (event) => this.push(event)))
      .catch((error: unknown) => {
        this.failure = { error };
        throw error;
      })
      .finally(() => {
        signal?.removeEventListener('abort', onAbort);
        this.ended = true;
        this.wake?.();
      });
    // The caller may only iterate; the rejection is then delivered through the iterator.
    this.promise.catch(() => undefined);
  }

  result(): Promise<GenerationResult> {
    return this.promise;
  }

  /** Stops generating; the result is still produced, with finishReason 'aborted'. */
  abort(): void {
    this.controller.abort();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<GenerationEvent> {
    try {
      for (;;) {
        if (this.head < this.events.length) {
          const event = this.events[this.head++]!;
          if (this.head > 1024 && this.head * 2 > this.events.length) {
            this.events.splice(0, this.head);
            this.head = 0;
          }
          yield event;
          continue;
        }
        if (this.ended) break;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
      }
      if (this.failure) throw this.failure.error;
    } finally {
      if (!this.ended) this.controller.abort();
    }
  }

  /**
   * Token events emitted so far, counted when the engine emits them (not when they are read):
   * read it when a cancellation arrives and again at the end to measure how far generation
   * ran on after it.
   */
  get tokenEvents(): number {
    return this.tokens;
  }

  private push(event: GenerationEvent): void {
    if (event.type === 'token') this.tokens++;
    this.events.push(event);
    this.wake?.();
  }
}
