import type { ScoreRow } from '../processors/ScoreRow';

/** Greedy choice: the first index holding the largest score (torch.argmax's tie rule). */
export function argmax(row: ScoreRow): number {
  const s = row.scores;
  if (row.sparse) {
    let best = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < row.count; i++) {
      const id = row.candidates[i]!;
      const v = s[id]!;
      if (v > bestValue || (v === bestValue && id < best)) {
        bestValue = v;
        best = id;
      }
    }
    return best < 0 ? 0 : best;
  }
  // Four interleaved lanes break the compare chain; each keeps its first maximum, and the
  // merge prefers the lower index on equal values, so the first maximum overall wins.
  let v0 = -Infinity;
  let v1 = -Infinity;
  let v2 = -Infinity;
  let v3 = -Infinity;
  let i0 = 0;
  let i1 = 1;
  let i2 = 2;
  let i3 = 3;
  const end = s.length & ~3;
  let i = 0;
  for (; i < end; i += 4) {
    if (s[i]! > v0) {
      v0 = s[i]!;
      i0 = i;
    }
    if (s[i + 1]! > v1) {
      v1 = s[i + 1]!;
      i1 = i + 1;
    }
    if (s[i + 2]! > v2) {
      v2 = s[i + 2]!;
      i2 = i + 2;
    }
    if (s[i + 3]! > v3) {
      v3 = s[i + 3]!;
      i3 = i + 3;
    }
  }
  let best = -1;
  let bestValue = -Infinity;
  const lanes: readonly [number, number][] = [
    [v0, i0],
    [v1, i1],
    [v2, i2],
    [v3, i3],
  ];
  for (const [v, id] of lanes) {
    if (v > bestValue || (v === bestValue && v !== -Infinity && id < best)) {
      bestValue = v;
      best = id;
    }
  }
  for (; i < s.length; i++) {
    if (s[i]! > bestValue) {
      bestValue = s[i]!;
      best = i;
    }
  }
  // Every score -Infinity (everything masked): HF's argmax would return 0; so do we.
  return best < 0 ? 0 : best;
}
