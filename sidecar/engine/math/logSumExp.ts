import { expNonPositive } from './expNonPositive';

/**
 * log Σ exp(values) of a whole row, in float64: the softmax normaliser of raw logits (ScoreRow
 * has its own for rows a warper made sparse). A row without a finite maximum returns that
 * maximum (-Infinity when everything is masked), so callers can tell.
 */
export function logSumExp(values: Float32Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  if (!Number.isFinite(max)) return max;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += expNonPositive(values[i]! - max);
  return max + Math.log(sum);
}
