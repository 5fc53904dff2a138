import type { LogitsProcessor } from './LogitsProcessor';

/**
 * HF's TopKLogitsWarper: keeps every token scoring at least the k-th largest score (ties at the
 * boundary all survive, as in HF). One pass keeps a size-k min-heap of (score, id); almost
 * every entry costs one comparison with the heap root. The pass also tracks the best score it
 * left out: when that is below the k-th score there are no ties and the heap IS the answer,
 * so no second pass over the vocabulary is needed.
 */
export function topK(k: number, minTokensToKeep = 1): LogitsProcessor {
  const size = Math.max(k, minTokensToKeep);
  const values = new Float32Array(size);
  const ids = new Int32Array(size);
  return {
    name: 'top-k',
    apply(row) {
      const s = row.scores;
      const c = row.candidates;
      const sparse = row.sparse;
      const n = sparse ? row.count : s.length;
      if (n <= size) return;
      for (let i = 0; i < size; i++) {
        const id = sparse ? c[i]! : i;
        values[i] = s[id]!;
        ids[i] = id;
      }
      for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(values, ids, i, size);
      let root = values[0]!;
      let bestLeftOut = Number.NEGATIVE_INFINITY;
      for (let i = size; i < n; i++) {
        const id = sparse ? c[i]! : i;
        const v = s[id]!;
        if (v > root) {
          if (root > bestLeftOut) bestLeftOut = root;
          values[0] = v;
          ids[0] = id;
          siftDown(values, ids, 0, size);
          root = values[0]!;
        } else if (v > bestLeftOut) {
          bestLeftOut = v;
        }
      }
      // Fewer than k finite scores: nothing to remove.
      if (root === Number.NEGATIVE_INFINITY || Number.isNaN(root)) return;
      if (bestLeftOut < root) row.restrictTo(ids, size);
      else row.keepAtLeast(root);
    },
  };
}

function siftDown(values: Float32Array, ids: Int32Array, start: number, size: number): void {
  let i = start;
  const v = values[i]!;
  const id = ids[i]!;
  for (;;) {
    const left = 2 * i + 1;
    if (left >= size) break;
    const right = left + 1;
    const child = right < size && values[right]! < values[left]! ? right : left;
    if (!(values[child]! < v)) break;
    values[i] = values[child]!;
    ids[i] = ids[child]!;
    i = child;
  }
  values[i] = v;
  ids[i] = id;
}
