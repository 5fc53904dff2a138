import type { LogitsProcessor } from './LogitsProcessor';
import { endsWith } from './endsWith';

/**
 * HF's NoBadWordsLogitsProcessor: a one-token word is banned at every step, a longer word's
 * last token is banned when the ids end with the rest of it. Like HF, a word that is exactly
 * an EOS id is ignored, so that bad words cannot stop a model from ending.
 */
export function badWords(words: readonly (readonly number[])[], eosTokenIds: readonly number[]): LogitsProcessor {
  const kept = words.filter((word) => !(word.length === 1 && eosTokenIds.includes(word[0]!)));
  const single = kept.filter((word) => word.length === 1).map((word) => word[0]!);
  const multi = kept.filter((word) => word.length > 1);
  return {
    name: 'bad-words',
    apply(row, { ids }) {
      const s = row.scores;
      for (const id of single) if (id < s.length) s[id] = Number.NEGATIVE_INFINITY;
      for (const word of multi) {
        const last = word[word.length - 1]!;
        if (last < s.length && endsWith(ids, word, word.length - 1)) s[last] = Number.NEGATIVE_INFINITY;
      }
    },
  };
}
