import type { ExponentialDecayLengthPenalty } from '../config/GenerationConfig';
import type { LogitsProcessor } from './LogitsProcessor';

/**
 * HF's ExponentialDecayLengthPenalty: once the row is longer than prompt + startIndex, each EOS
 * score grows by |score| · (decayFactor^k − 1), k being how far past that point the row is.
 * Using |score| makes the push go upwards for negative logits too.
 */
export function exponentialDecayLengthPenalty(
  penalty: ExponentialDecayLengthPenalty,
  eosTokenIds: readonly number[],
): LogitsProcessor {
  return {
    name: 'exponential-decay-length-penalty',
    apply(row, { ids, promptLength }) {
      const start = penalty.startIndex + promptLength;
      if (ids.length <= start) return;
      const factor = penalty.decayFactor ** (ids.length - start) - 1;
      const s = row.scores;
      for (const id of eosTokenIds) if (id < s.length) s[id] = s[id]! + Math.abs(s[id]!) * factor;
    },
  };
}
