import { expNonPositive } from '../math/expNonPositive';
import type { ScoreRow } from '../processors/ScoreRow';

/** log softmax(row)[id] over the finite entries: the chosen token's log-probability. */
export function logSoftmaxAt(row: ScoreRow, id: number): number {
  const v = row.scores[id]!;
  if (v === Number.NEGATIVE_INFINITY) return v;
  return v - row.logSumExp();
}

/** The same over a raw logits row (the model's own distribution, before any processor). */
export function rawLogSoftmaxAt(logits: Float32Array, id: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > max) max = logits[i]!;
  if (!Number.isFinite(max)) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < logits.length; i++) sum += expNonPositive(logits[i]! - max);
  return logits[id]! - max - Math.log(sum);
}
