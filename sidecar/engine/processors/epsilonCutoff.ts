import type { LogitsProcessor } from './LogitsProcessor';

/**
 * HF's EpsilonLogitsWarper: drops tokens with probability < epsilon, but never the top token.
 * p < ε  ⇔  score < logSumExp + ln ε, so the cut is a score threshold.
 */
export function epsilonCutoff(epsilon: number): LogitsProcessor {
  const logEpsilon = Math.log(epsilon);
  return {
    name: 'epsilon-cutoff',
    apply(row) {
      const max = row.max();
      if (max === Number.NEGATIVE_INFINITY || Number.isNaN(max)) return;
      row.keepAtLeast(Math.min(row.logSumExp(max) + logEpsilon, max));
    },
  };
}
