import type { LogitsProcessor } from './LogitsProcessor';

/**
 * HF's NoRepeatNGramLogitsProcessor: bans every token that would complete an n-gram already
 * present anywhere in the ids (prompt included).
 */
export function noRepeatNgram(size: number): LogitsProcessor {
  return {
    name: 'no-repeat-ngram',
    apply(row, { ids }) {
      const len = ids.length;
      if (len + 1 < size) return;
      const s = row.scores;
      const tail = len - (size - 1);
      // Scan every earlier n-gram whose first n-1 tokens equal the current last n-1 tokens.
      for (let start = 0; start + size <= len; start++) {
        let match = true;
        for (let k = 0; k < size - 1; k++) {
          if (ids[start + k] !== ids[tail + k]) {
            match = false;
            break;
          }
        }
        const banned = ids[start + size - 1]!;
        if (match && banned < s.length) s[banned] = Number.NEGATIVE_INFINITY;
      }
    },
  };
}
