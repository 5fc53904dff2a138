import { isAbortError } from '../InkwellError';
import type { KvCache, LanguageModel } from '../model/LanguageModel';
import type { PromptCache, PromptCacheLease } from './PromptCache';

/**
 * The KV cache of one generation run, from acquisition to its end, for every decode loop (plain,
 * assisted, beam and contrastive):
 * - `acquire` takes it from a PromptCache (a lease, cropped to what it shares with the prompt) or
 *   creates a fresh one;
 * - `call` runs a model call: an abort ends the run quietly (undefined), any other failure is
 *   rethrown and marks the cache's contents as unknown;
 * - `release` gives a lease back with the ids the cache holds, or drops it when its contents are
 *   unknown, or releases a fresh cache;
 * - `hold` runs a whole decode loop between acquisition and release.
 */
export class RunCache {
  private lease: PromptCacheLease | undefined;
  // Set when a model call rejected with something other than an abort: the run may still end
  // as 'aborted' (the signal fired too), but nobody can vouch for the cache's contents then.
  private suspect = false;

  constructor(
    private readonly model: LanguageModel,
    private readonly signal: AbortSignal,
    private readonly promptCache: PromptCache | undefined,
  ) {}

  /** Prompt tokens the cache already held when acquired (0 without a PromptCache). */
  get reusedTokens(): number {
    return this.lease?.reusedTokens ?? 0;
  }

  get leased(): boolean {
    return this.lease !== undefined;
  }

  /**
   * Takes the cache: leased for `prompt` when the run has a PromptCache (then `reusedTokens` of
   * the prompt are in it already), else a fresh one for `rows` rows. Undefined when aborted
   * while waiting for the lease.
   */
  async acquire(rows: number, prompt: readonly number[]): Promise<KvCache | undefined> {
    if (this.promptCache !== undefined) {
      this.lease = await this.promptCache.take(prompt, this.signal).catch(this.quietAbort);
      return this.lease?.cache;
    }
    return this.model.createCache(rows);
  }

  call<T>(call: Promise<T>): Promise<T | undefined> {
    return call.catch((error: unknown) => {
      if (!isAbortError(error)) this.suspect = true;
      return this.quietAbort(error);
    });
  }

  /**
   * Runs a decode loop, then always ends the hold: `latest()` is the cache handle the loop ended
   * with (read after it, also after a throw), `ids()` the sequence's ids. A throw counts as a
   * failed run (the cache is dropped, not given back) and is rethrown. `beforeRelease` (e.g. an
   * assistant's disposal) runs first; its own error surfaces only when the loop did not fail.
   */
  async hold(body: () => Promise<void>, latest: () => KvCache | undefined, ids: () => readonly number[], beforeRelease?: () => Promise<void>): Promise<void> {
    let failed = false;
    try {
      await body();
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      await beforeRelease?.().catch((error: unknown) => {
        if (!failed) throw error;
      });
      await this.release(latest(), failed, ids);
    }
  }

  /**
   * Ends the run's hold on `cache` (its latest handle). `ids` are the sequence's ids: one row, no
   * pads, so a leased cache holds their first cache.length (the last chosen token is never fed;
   * a rejected forward left the cache as it was). After a failed run the model's error is the
   * one to report, not a failing release after it.
   */
  async release(cache: KvCache | undefined, failed: boolean, ids: () => readonly number[]): Promise<void> {
    if (this.lease !== undefined) {
      if (failed || this.suspect) {
        await this.lease.drop(cache).catch((error: unknown) => {
          if (!failed) throw error;
        });
      } else {
        this.lease.giveBack(cache!, ids().slice(0, cache!.length));
      }
    } else if (cache !== undefined) {
      await this.model.releaseCache(cache);
    }
  }

  private readonly quietAbort = (error: unknown): undefined => {
    if (this.signal.aborted || isAbortError(error)) return undefined;
    throw error;
  };
}
