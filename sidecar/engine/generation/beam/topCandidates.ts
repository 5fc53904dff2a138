/** One continuation of one beam: its token and its running sum of log-probabilities. */
export interface Candidate {
  readonly beam: number;
  readonly tokenId: number;
  readonly score: number;
}

/**
 * torch.topk(k, sorted=True) over the flattened beams × vocabulary scores, where entry (b, v)
 * is beamScores[b] + rows[rowOf[b]][v]. A bounded min-heap: one compare per entry once it is
 * full, so a 152k vocabulary costs a pass per beam, not a sort. Equal scores keep the lower
 * flat index first (torch leaves the order of ties unspecified). -Infinity entries can be
 * chosen when fewer than k are finite, as in HF.
 */
export function topCandidates(
  rows: readonly Float32Array[],
  rowOf: readonly number[],
  beamScores: readonly number[],
  k: number,
): Candidate[] {
  const width = rows[0]!.length;
  const heap: number[] = []; // flat indices, the worst at the root
  // "a is worse than b": lower score, or equal score and higher index.
  const worse = (a: number, sa: number, b: number, sb: number) => sa < sb || (sa === sb && a > b);
  const scores: number[] = [];
  const swap = (i: number, j: number) => {
    [heap[i], heap[j]] = [heap[j]!, heap[i]!];
    [scores[i], scores[j]] = [scores[j]!, scores[i]!];
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l]!, scores[l]!, heap[m]!, scores[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, scores[r]!, heap[m]!, scores[m]!)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let b = 0; b < beamScores.length; b++) {
    const base = beamScores[b]!;
    const row = rows[rowOf[b]!]!;
    for (let v = 0; v < width; v++) {
      const s = base + row[v]!;
      // Once the heap is full, almost every entry loses to its root: skip without the heap calls.
      // (Later entries have higher flat indices, so an equal score loses too.)
      if (heap.length === k && s <= scores[0]!) continue;
      const flat = b * width + v;
      if (heap.length < k) {
        heap.push(flat);
        scores.push(s);
        for (let i = heap.length - 1; i > 0; ) {
          const p = (i - 1) >> 1;
          if (!worse(heap[i]!, scores[i]!, heap[p]!, scores[p]!)) break;
          swap(i, p);
          i = p;
        }
      } else if (worse(heap[0]!, scores[0]!, flat, s)) {
        heap[0] = flat;
        scores[0] = s;
        down(0);
      }
    }
  }
  const out = heap.map((flat, i) => ({ flat, score: scores[i]! }));
  out.sort((a, b) => b.score - a.score || a.flat - b.flat);
  return out.map(({ flat, score }) => ({ beam: (flat / width) | 0, tokenId: flat % width, score }));
}
