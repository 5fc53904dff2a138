/** Sets the scores of `ids` to -Infinity (ids beyond the row are ignored). */
export function maskIds(scores: Float32Array, ids: readonly number[]): void {
  for (const id of ids) if (id < scores.length) scores[id] = Number.NEGATIVE_INFINITY;
}
