import { expNonPositive } from '../math/expNonPositive';
import type { ScoreRow } from '../processors/ScoreRow';

/**
 * Multinomial draw from softmax(scores) over finite entries, given a uniform `u` in [0, 1).
 * Sparse rows visit only their candidates; dense rows keep each exp() from the summing pass
 * so the walk does not compute them again.
 */
export class TokenSampler {
  private weights: Float64Array;

  constructor(width: number) {
    this.weights = new Float64Array(width);
  }

  sample(row: ScoreRow, u: number): number {
    const s = row.scores;
    const max = row.max();
    if (max === Infinity) return s.indexOf(Infinity);
    if (!Number.isFinite(max)) return 0;
    const sparse = row.sparse;
    const n = sparse ? row.count : s.length;
    if (this.weights.length < n) this.weights = new Float64Array(n);
    const w = this.weights;
    const c = row.candidates;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = s[sparse ? c[i]! : i]!;
      const e = v === -Infinity ? 0 : expNonPositive(v - max);
      w[i] = e;
      total += e;
    }
    let target = u * total;
    let last = -1;
    for (let i = 0; i < n; i++) {
      const e = w[i]!;
      if (e === 0) continue;
      last = i;
      target -= e;
      if (target < 0) break;
    }
    // Rounding can leave a sliver of `target`: the last token with mass takes it.
    return sparse ? c[last]! : last;
  }
}

/** One-off draw (tests, simple callers); the loop keeps a TokenSampler to reuse its buffer. */
export function sampleToken(row: ScoreRow, u: number): number {
  return new TokenSampler(row.sparse ? row.count : row.width).sample(row, u);
}
