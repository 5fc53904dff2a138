import type { Xoshiro128 } from '../../sampling/Xoshiro128';
import { topCandidates, type Candidate } from './topCandidates';

/**
 * Beam sampling's choice of continuations (HF: torch.multinomial(softmax(scores), k) without
 * replacement over the flattened beams × vocabulary, then the drawn entries sorted by score):
 * entry (b, v) scores beamScores[b] + rows[rowOf[b]][v], is drawn with probability proportional
 * to exp(score) among the entries not drawn yet, and the k drawn come back best first (equal
 * scores: lower flat index first).
 *
 * Where torch would raise (fewer than k entries with a probability that is not 0 in float64,
 * e.g. top_k = 1 with two beams), the rest are filled with the best remaining entries by score,
 * so the search goes on; those can only become beams if nothing better exists.
 */
export function sampleCandidates(
  rows: readonly Float32Array[],
  rowOf: readonly number[],
  beamScores: readonly number[],
  k: number,
  rng: Xoshiro128,
): Candidate[] {
  const width = rows[0]!.length;
  const beams = beamScores.length;
  let max = Number.NEGATIVE_INFINITY;
  for (let b = 0; b < beams; b++) {
    const row = rows[rowOf[b]!]!;
    for (let v = 0; v < width; v++) max = Math.max(max, beamScores[b]! + row[v]!);
  }
  const weights = new Float64Array(beams * width);
  let total = 0;
  let positive = 0;
  if (max > Number.NEGATIVE_INFINITY) {
    for (let b = 0; b < beams; b++) {
      const row = rows[rowOf[b]!]!;
      for (let v = 0; v < width; v++) {
        const w = Math.exp(beamScores[b]! + row[v]! - max);
        weights[b * width + v] = w;
        total += w;
        if (w > 0) positive++;
      }
    }
  }
  const drawn: number[] = [];
  while (drawn.length < k && positive > 0) {
    // One draw among the remaining weight; the last positive entry absorbs rounding at the end.
    const target = rng.nextFloat() * total;
    let cumulative = 0;
    let pick = -1;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i]!;
      if (w === 0) continue;
      pick = i;
      cumulative += w;
      if (cumulative > target) break;
    }
    total -= weights[pick]!;
    weights[pick] = 0;
    positive--;
    drawn.push(pick);
  }
  const out: Candidate[] = drawn.map((flat) => {
    const beam = (flat / width) | 0;
    const tokenId = flat % width;
    return { beam, tokenId, score: beamScores[beam]! + rows[rowOf[beam]!]![tokenId]! };
  });
  if (out.length < k) {
    const taken = new Set(drawn);
    for (const c of topCandidates(rows, rowOf, beamScores, k + drawn.length)) {
      if (out.length === k) break;
      if (!taken.has(c.beam * width + c.tokenId)) out.push(c);
    }
  }
  return out.sort((a, b) => b.score - a.score || a.beam * width + a.tokenId - (b.beam * width + b.tokenId));
}
