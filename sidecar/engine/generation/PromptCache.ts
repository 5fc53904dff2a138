import { abortError, InkwellError } from '../InkwellError';
import { reusePrefix } from './reusePrefix';
import type { KvCache, LanguageModel } from '../model/LanguageModel';

/** What `take` hands a run: the cache, already cropped to the prompt's reusable prefix. */
export interface PromptCacheLease {
  /** One row; holds exactly `prompt.slice(0, reusedTokens)`. */
  readonly cache: KvCache;
  /** Leading prompt tokens already in `cache`: prefill the rest (never the whole prompt). */
  readonly reusedTokens: number;
  /**
   * Returns the cache. `ids` must be exactly the tokens the cache now holds, in order
   * (`cache.length` of them). Ends the lease.
   */
  giveBack(cache: KvCache, ids: readonly number[]): void;
  /** Releases the cache instead of returning it (its contents are unknown, e.g. after a model failure). Ends the lease. */
  drop(cache?: KvCache): Promise<void>;
}

/**
 * One KV cache of a LanguageModel kept between generations, with the token ids it holds, so that
 * a prompt sharing a prefix with the previous one (code completion: one request per keystroke)
 * prefills only the tokens after the shared prefix.
 *
 * Ownership:
 * - The PromptCache owns the cache while nobody has taken it. `take` lends it to one run at a
 *   time; a second `take` (or `clear`/`dispose`) waits until the lease ends. Abort the previous
 *   run first: a run ends its lease in its `finally`, within one model step of the abort.
 * - The holder of a lease owns the cache until it calls `giveBack` (with the ids the cache
 *   holds then) or `drop` — exactly once, whatever happened (finished, aborted, failed).
 *   A holder that cannot vouch for the cache's contents (a model call failed) must `drop`.
 * - `clear` releases the cache (the next take starts afresh); `dispose` does too and refuses
 *   later takes. Both wait for an outstanding lease. Dispose this before the model.
 * - A rejected forward() leaves the cache as it was (OnnxCausalLM rolls back a chunked prefill
 *   and a single step absorbs nothing on failure), which is what lets an aborted run give back.
 */
export class PromptCache {
  private cache: KvCache | undefined;
  private held: readonly number[] = [];
  private taken = false;
  private disposed = false;
  private readonly waiters: (() => void)[] = [];

  constructor(readonly model: LanguageModel) {}

  /** The token ids the cache holds while it is not taken (empty when there is no cache). */
  get ids(): readonly number[] {
    return this.held;
  }

  /** Whether a run holds the cache now. */
  get busy(): boolean {
    return this.taken;
  }

  /**
   * Lends the cache cropped to the longest common prefix of its ids and `prompt`, capped at
   * prompt.length − 1 (the last prompt token must be fed to get the next token's logits); a
   * fresh cache when there is none or nothing in common. Waits while another run holds it;
   * rejects with an AbortError when `signal` aborts first.
   */
  async take(prompt: readonly number[], signal?: AbortSignal): Promise<PromptCacheLease> {
    if (prompt.length === 0) throw new InkwellError('invalid-argument', 'promptCache.take: the prompt is empty');
    await this.acquire(signal);
    try {
      const [held, cache] = [this.held, this.cache];
      this.cache = undefined;
      this.held = [];
      const reuse = await reusePrefix(this.model, cache, held, prompt);
      return this.lease(reuse.cache, reuse.reused);
    } catch (error) {
      // The cache was released (or never made) on the way: the next take starts afresh.
      this.release();
      throw error;
    }
  }

  /** Releases the cache; waits for an outstanding lease to end first. */
  async clear(signal?: AbortSignal): Promise<void> {
    await this.acquire(signal);
    try {
      await this.releaseHeld();
    } finally {
      this.release();
    }
  }

  /** Clears, and refuses every later take. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    try {
      await this.acquire();
    } catch (error) {
      if (this.disposed) return; // a concurrent dispose got there first
      throw error;
    }
    this.disposed = true;
    try {
      await this.releaseHeld();
    } finally {
      this.release();
    }
  }

  private lease(cache: KvCache, reusedTokens: number): PromptCacheLease {
    let open = true;
    const end = (what: string) => {
      if (!open) throw new Error(`PromptCacheLease.${what}: the lease has already ended`);
      open = false;
    };
    return {
      cache,
      reusedTokens,
      giveBack: (returned, ids) => {
        end('giveBack');
        if (returned.batch !== 1 || returned.length !== ids.length) {
          // A holder bug; keeping a cache whose ids are wrong would corrupt every later run.
          this.release();
          void this.model.releaseCache(returned).catch(() => undefined);
          throw new Error(`PromptCacheLease.giveBack: a cache of ${returned.batch}×${returned.length} positions with ${ids.length} ids`);
        }
        this.cache = returned;
        this.held = [...ids];
        this.release();
      },
      drop: async (current = cache) => {
        end('drop');
        try {
          await this.model.releaseCache(current);
        } finally {
          this.release();
        }
      },
    };
  }

  private async releaseHeld(): Promise<void> {
    const cache = this.cache;
    this.cache = undefined;
    this.held = [];
    if (cache !== undefined) await this.model.releaseCache(cache);
  }

  /** Waits for the cache to be free, then marks it taken. FIFO among waiters. */
  private async acquire(signal?: AbortSignal): Promise<void> {
    if (this.disposed) throw new InkwellError('invalid-argument', 'promptCache was disposed');
    if (signal?.aborted) throw abortError();
    if (!this.taken) {
      this.taken = true;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiters.indexOf(wake);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(abortError());
      };
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      this.waiters.push(wake);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    // Handed over by release() with `taken` still true; a dispose may have run meanwhile.
    if (this.disposed) {
      this.release();
      throw new InkwellError('invalid-argument', 'promptCache was disposed');
    }
  }

  /** Hands the cache to the next waiter, or marks it free. */
  private release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.taken = false;
  }
}
