import type { LogitsProcessor } from './LogitsProcessor';

/** HF's LogitNormalization (renormalize_logits): log-softmax over the finite scores. */
export function renormalize(): LogitsProcessor {
  return {
    name: 'renormalize',
    apply(row) {
      const lse = row.logSumExp();
      if (!Number.isFinite(lse)) return;
      const s = row.scores;
      if (row.sparse) {
        for (let i = 0; i < row.count; i++) {
          const id = row.candidates[i]!;
          s[id] = s[id]! - lse;
        }
      } else {
        for (let i = 0; i < s.length; i++) s[i] = s[i]! - lse;
      }
    },
  };
}
