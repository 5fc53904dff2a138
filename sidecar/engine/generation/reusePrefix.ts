import type { KvCache, LanguageModel } from '../model/LanguageModel';

/**
 * Prefix reuse, the one mechanism behind the PromptCache (a document's cache across keystrokes)
 * and the assistant drafter (its own cache across drafts): `cache` holds the ids `held`; it comes
 * back holding the longest prefix those share with `ids`, at most `ids.length − 1` of them (the
 * last id must be fed to get the next token's logits), cropped in place, or released and replaced
 * by a fresh one-row cache when nothing is shared. `reused` ids of `ids` are then in the cache;
 * the caller feeds the rest.
 */
export async function reusePrefix(model: LanguageModel, cache: KvCache | undefined, held: readonly number[], ids: readonly number[]): Promise<{ cache: KvCache; reused: number }> {
  const cap = Math.min(held.length, ids.length - 1, cache?.length ?? 0);
  let reused = 0;
  while (reused < cap && held[reused] === ids[reused]) reused++;
  if (cache !== undefined && reused === 0) {
    await model.releaseCache(cache);
    cache = undefined;
  }
  if (cache === undefined) return { cache: await model.createCache(1), reused: 0 };
  return { cache: cache.length === reused ? cache : await model.cropCache(cache, reused), reused };
}
