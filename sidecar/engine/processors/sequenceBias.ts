import type { SequenceBias } from '../config/GenerationConfig';
import type { LogitsProcessor } from './LogitsProcessor';
import { endsWith } from './endsWith';

/**
 * HF's SequenceBiasLogitsProcessor: a one-token entry biases that token at every step; a longer
 * entry biases its last token only when the ids so far end with the rest of it. Biases of
 * different entries that target the same token add up; a repeated sequence keeps its LAST bias
 * (HF turns the list into a dict keyed by the sequence).
 */
export function sequenceBias(list: readonly SequenceBias[]): LogitsProcessor {
  const entries = [...new Map(list.map((entry) => [entry.tokens.join(','), entry])).values()];
  const single = new Map<number, number>();
  const multi = entries.filter((entry) => entry.tokens.length > 1);
  for (const entry of entries) {
    if (entry.tokens.length === 1) single.set(entry.tokens[0]!, (single.get(entry.tokens[0]!) ?? 0) + entry.bias);
  }
  return {
    name: 'sequence-bias',
    apply(row, { ids }) {
      const s = row.scores;
      // Collect first, then add: the matches are decided on the unbiased ids, not in sequence.
      for (const [id, bias] of single) if (id < s.length) s[id] = s[id]! + bias;
      for (const entry of multi) {
        const last = entry.tokens[entry.tokens.length - 1]!;
        if (last < s.length && endsWith(ids, entry.tokens, entry.tokens.length - 1)) s[last] = s[last]! + entry.bias;
      }
    },
  };
}
