import { expNonPositive } from '../math/expNonPositive';

/**
 * One row of scores being processed, plus an optional sparse index of the entries that can
 * still be finite. The Float32Array is always the truth (every entry outside the index really
 * is -Infinity); the index only lets later warpers and the sampler skip a 152k-entry scan once
 * a truncating warper (top-k, top-p …) has cut the row down to a few candidates.
 */
export class ScoreRow {
  readonly scores: Float32Array;
  /** Valid in [0, count) when `sparse`; order is unspecified. */
  readonly candidates: Int32Array;
  count = 0;
  sparse = false;
  /**
   * HF's min_tokens_to_keep, for every truncating warper at once: `restrictTo` and
   * `keepAtLeast` never leave fewer than this many entries (the best-scoring ones are added
   * back). 1 by default; beam sampling sets #EOS + 1 so a beam can always continue.
   */
  minKeep = 1;

  constructor(width: number, scores: Float32Array = new Float32Array(width)) {
    this.scores = scores;
    this.candidates = new Int32Array(width);
  }

  /** A dense row over a copy of `values`; for tests and one-off use. */
  static of(values: ArrayLike<number>): ScoreRow {
    const row = new ScoreRow(values.length);
    row.scores.set(values);
    return row;
  }

  get width(): number {
    return this.scores.length;
  }

  /** Starts a step: copies `source` in and forgets the sparse index. */
  load(source: Float32Array): void {
    this.scores.set(source);
    this.sparse = false;
    this.count = 0;
  }

  /**
   * Sets the scores of every index not in `keep[0, n)` to -Infinity and makes the row sparse.
   * `keep` must not be `candidates` itself: an in-place compaction would lose the dropped ids.
   */
  restrictTo(keep: Int32Array, n: number): void {
    if (keep === this.candidates) throw new Error('ScoreRow.restrictTo: keep must not alias candidates');
    if (n < this.minKeep) {
      // Rare (beam sampling with a cut to fewer than #EOS + 1 tokens): the best entries join the kept ones.
      const floor = this.nthBest(this.minKeep);
      const union = new Set(keep.subarray(0, n));
      const live = new Int32Array(this.width);
      const count = this.finiteIndices(live);
      for (let i = 0; i < count; i++) if (this.scores[live[i]!]! >= floor) union.add(live[i]!);
      keep = Int32Array.from(union);
      n = keep.length;
    }
    const s = this.scores;
    const saved = this.scratch(n);
    for (let i = 0; i < n; i++) saved[i] = s[keep[i]!]!;
    if (this.sparse) {
      // Entries outside the old index are already -Infinity; clear only the old index.
      for (let i = 0; i < this.count; i++) s[this.candidates[i]!] = Number.NEGATIVE_INFINITY;
    } else {
      s.fill(Number.NEGATIVE_INFINITY);
    }
    for (let i = 0; i < n; i++) s[keep[i]!] = saved[i]!;
    this.candidates.set(keep.subarray(0, n));
    this.count = n;
    this.sparse = true;
  }

  /** Keeps the entries scoring >= `threshold` (one fused pass when dense) and makes the row sparse. */
  keepAtLeast(threshold: number): void {
    if (this.minKeep > 1) threshold = Math.min(threshold, this.nthBest(this.minKeep));
    const s = this.scores;
    const c = this.candidates;
    let n = 0;
    if (this.sparse) {
      for (let i = 0; i < this.count; i++) {
        const id = c[i]!;
        if (s[id]! >= threshold) c[n++] = id;
        else s[id] = Number.NEGATIVE_INFINITY;
      }
    } else {
      for (let i = 0; i < s.length; i++) {
        if (s[i]! >= threshold) c[n++] = i;
        else s[i] = Number.NEGATIVE_INFINITY;
      }
    }
    this.count = n;
    this.sparse = true;
  }

  /** The n-th largest score of the live entries (-Infinity when fewer are finite). */
  private nthBest(n: number): number {
    const best = new Float64Array(n).fill(Number.NEGATIVE_INFINITY);
    const offer = (v: number) => {
      if (!(v > best[n - 1]!)) return;
      let i = n - 1;
      for (; i > 0 && best[i - 1]! < v; i--) best[i] = best[i - 1]!;
      best[i] = v;
    };
    if (this.sparse) for (let i = 0; i < this.count; i++) offer(this.scores[this.candidates[i]!]!);
    else for (let i = 0; i < this.scores.length; i++) offer(this.scores[i]!);
    return best[n - 1]!;
  }

  private saved = new Float32Array(0);
  private scratch(n: number): Float32Array {
    if (this.saved.length < n) this.saved = new Float32Array(Math.max(n, 256));
    return this.saved;
  }

  /** Largest finite score, or -Infinity when none is finite. */
  max(): number {
    const s = this.scores;
    if (this.sparse) {
      let m = -Infinity;
      for (let i = 0; i < this.count; i++) {
        const v = s[this.candidates[i]!]!;
        if (v > m) m = v;
      }
      return m;
    }
    // Four independent maxima: the loop is bound by the compare chain, not by memory.
    let m0 = -Infinity;
    let m1 = -Infinity;
    let m2 = -Infinity;
    let m3 = -Infinity;
    const end = s.length & ~3;
    let i = 0;
    for (; i < end; i += 4) {
      const a = s[i]!;
      const b = s[i + 1]!;
      const c = s[i + 2]!;
      const d = s[i + 3]!;
      if (a > m0) m0 = a;
      if (b > m1) m1 = b;
      if (c > m2) m2 = c;
      if (d > m3) m3 = d;
    }
    for (; i < s.length; i++) if (s[i]! > m0) m0 = s[i]!;
    return Math.max(m0, m1, m2, m3);
  }

  /** log Σ exp(scores) over finite entries (softmax's normaliser); -Infinity when none is finite. */
  logSumExp(max: number = this.max()): number {
    if (max === Number.NEGATIVE_INFINITY || Number.isNaN(max)) return max;
    const s = this.scores;
    let sum = 0;
    if (this.sparse) {
      for (let i = 0; i < this.count; i++) sum += expNonPositive(s[this.candidates[i]!]! - max);
    } else {
      // Masked entries give exp(-Infinity) = 0; a branch to skip them would cost more than it saves.
      for (let i = 0; i < s.length; i++) sum += expNonPositive(s[i]! - max);
    }
    return max + Math.log(sum);
  }

  /** Shannon entropy (nats) of softmax(scores) over finite entries, given their logSumExp. */
  entropy(lse: number): number {
    const s = this.scores;
    let h = 0;
    const add = (v: number) => {
      const logp = v - lse;
      h -= expNonPositive(logp) * logp;
    };
    if (this.sparse) {
      for (let i = 0; i < this.count; i++) add(s[this.candidates[i]!]!);
    } else {
      for (let i = 0; i < s.length; i++) if (s[i]! !== Number.NEGATIVE_INFINITY) add(s[i]!);
    }
    return h;
  }

  /**
   * Writes the indices of all finite entries into `out` (sparse index or a scan) and returns
   * how many there are.
   */
  finiteIndices(out: Int32Array): number {
    if (this.sparse) {
      if (out !== this.candidates) out.set(this.candidates.subarray(0, this.count));
      return this.count;
    }
    const s = this.scores;
    let n = 0;
    for (let i = 0; i < s.length; i++) if (s[i]! > Number.NEGATIVE_INFINITY) out[n++] = i;
    return n;
  }
}

