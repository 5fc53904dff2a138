import type { LogitsProcessor } from './LogitsProcessor';

/**
 * HF's EtaLogitsWarper (Hewitt et al. 2022): the cut-off adapts to the entropy H of the row,
 * η = min(ε, √ε · e^(−H)); tokens with probability < η go, the top token always stays.
 */
export function etaCutoff(epsilon: number): LogitsProcessor {
  const sqrtEpsilon = Math.sqrt(epsilon);
  return {
    name: 'eta-cutoff',
    apply(row) {
      const max = row.max();
      if (max === Number.NEGATIVE_INFINITY || Number.isNaN(max)) return;
      const lse = row.logSumExp(max);
      const eta = Math.min(epsilon, sqrtEpsilon * Math.exp(-row.entropy(lse)));
      row.keepAtLeast(Math.min(lse + Math.log(eta), max));
    },
  };
}
