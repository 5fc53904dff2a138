import type { LogitsProcessor } from './LogitsProcessor';

/**
 * HF's MinPLogitsWarper: drops tokens whose probability is below minP × the top probability.
 * In log space that is score < max + ln(minP), so no softmax is needed; the top token always
 * survives, which covers min_tokens_to_keep = 1.
 */
export function minP(minP: number): LogitsProcessor {
  const logMinP = Math.log(minP);
  return {
    name: 'min-p',
    apply(row) {
      if (logMinP === Number.NEGATIVE_INFINITY) return;
      const max = row.max();
      if (max === Number.NEGATIVE_INFINITY || Number.isNaN(max)) return;
      row.keepAtLeast(max + logMinP);
    },
  };
}
