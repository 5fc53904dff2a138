/** All scores -Infinity except `ids`, which get 0 (HF's choice, so forced ids tie). */
export function forceTokens(scores: Float32Array, ids: readonly number[]): void {
  scores.fill(Number.NEGATIVE_INFINITY);
  for (const id of ids) if (id < scores.length) scores[id] = 0;
}
