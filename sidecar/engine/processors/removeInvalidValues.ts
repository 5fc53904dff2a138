import type { LogitsProcessor } from './LogitsProcessor';

const FLOAT32_MAX = 3.4028234663852886e38;

/** HF's InfNanRemoveLogitsProcessor: NaN → 0, ±Infinity → ±(largest float32), so sampling cannot crash. */
export function removeInvalidValues(): LogitsProcessor {
  return {
    name: 'remove-invalid-values',
    apply(row) {
      const s = row.scores;
      for (let i = 0; i < s.length; i++) {
        const v = s[i]!;
        if (v !== v) s[i] = 0;
        else if (v === Number.POSITIVE_INFINITY) s[i] = FLOAT32_MAX;
        else if (v === Number.NEGATIVE_INFINITY) s[i] = -FLOAT32_MAX;
      }
    },
  };
}
