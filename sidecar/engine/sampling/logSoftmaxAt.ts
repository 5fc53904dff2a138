import { logSumExp } from '../math/logSumExp';
import type { ScoreRow } from '../processors/ScoreRow';

/** log softmax(row)[id] over the finite entries: the chosen token's log-probability. */
export function logSoftmaxAt(row: ScoreRow, id: number): number {
  const v = row.scores[id]!;
  if (v === Number.NEGATIVE_INFINITY) return v;
  return v - row.logSumExp();
}

/** The same over a raw logits row (the model's own distribution, before any processor). */
export function rawLogSoftmaxAt(logits: Float32Array, id: number): number {
  const lse = logSumExp(logits);
  return Number.isFinite(lse) ? logits[id]! - lse : Number.NaN;
}
