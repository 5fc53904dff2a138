import { expNonPositive } from '../math/expNonPositive';
import type { LogitsProcessor } from './LogitsProcessor';

const BUCKETS_PER_NAT = 32;
const BUCKETS = 64 * BUCKETS_PER_NAT; // 64 nats below the max; anything further lands in the last bucket
/** exp(−b / BUCKETS_PER_NAT): the top of each bucket. */
const BUCKET_TOP = Float64Array.from({ length: BUCKETS }, (_, b) => Math.exp(-b / BUCKETS_PER_NAT));

/** The bucket of a score `distance` nats below the max (distance >= 0; huge distances clamp, never wrap). */
function bucketOf(distance: number): number {
  const d = distance * BUCKETS_PER_NAT;
  return d < BUCKETS ? d | 0 : BUCKETS;
}

/**
 * exp(−distance) from the bucket's top times e^(−f) for the small rest f < 1/32 nat (Taylor to
 * f^4: relative error < 3e-10): cheaper than a full exp, and both passes below use it, so the
 * histogram and the walk through the crossing bucket add up the very same numbers.
 */
function expBelow(distance: number, bucket: number): number {
  if (bucket === BUCKETS) return expNonPositive(-distance);
  const f = distance - bucket / BUCKETS_PER_NAT;
  return BUCKET_TOP[bucket]! * (1 - f * (1 - f * (0.5 - f * (1 / 6 - f / 24))));
}

/**
 * HF's TopPLogitsWarper (nucleus): keeps the most likely tokens until their mass reaches p; the
 * token that crosses p stays. HF removes a token when the ascending cumulative mass up to and
 * including it is <= 1 − p, i.e. when the mass strictly above it is >= p; we apply that rule.
 *
 * After top-k the row is sparse and this sorts only the survivors. On a dense row it never sorts
 * the vocabulary: see below.
 */
export function topP(p: number, width: number): LogitsProcessor {
  const mass = new Float64Array(BUCKETS + 1);
  const ids = new Int32Array(width);
  const crossingIds = new Int32Array(width);
  return {
    name: 'top-p',
    apply(row) {
      if (p >= 1) return;
      const s = row.scores;
      const max = row.max();
      if (!Number.isFinite(max)) return;
      let total = 0;
      let n = 0;
      if (row.sparse) {
        n = row.count;
        ids.set(row.candidates.subarray(0, n));
        for (let i = 0; i < n; i++) total += expNonPositive(s[ids[i]!]! - max);
        const sorted = ids.subarray(0, n).sort((a, b) => s[b]! - s[a]!);
        const needed = p * total;
        let above = 0;
        let keep = 0;
        while (keep < n && (keep === 0 || above < needed)) above += expNonPositive(s[sorted[keep++]!]! - max);
        if (keep < n) row.restrictTo(ids, keep);
        return;
      }
      // Dense row: histogram the mass by distance below the max. Buckets are ordered by score, so
      // every token in a bucket before the one where the mass crosses p is kept, every token after
      // it is dropped, and only the crossing bucket needs sorting.
      mass.fill(0);
      for (let i = 0; i < s.length; i++) {
        const v = s[i]!;
        if (v === Number.NEGATIVE_INFINITY) continue;
        const distance = max - v;
        const b = bucketOf(distance);
        const e = expBelow(distance, b);
        total += e;
        mass[b] = mass[b]! + e;
      }
      const needed = p * total;
      let reach = 0;
      let before = 0;
      while (reach < BUCKETS && before + mass[reach]! < needed) before += mass[reach++]!;
      let crossing = 0;
      for (let i = 0; i < s.length; i++) {
        const v = s[i]!;
        if (v === Number.NEGATIVE_INFINITY) continue;
        const b = bucketOf(max - v);
        if (b < reach) ids[n++] = i;
        else if (b === reach) crossingIds[crossing++] = i;
      }
      // Stable sort: among equal scores the lower id stays first, as in the sparse path.
      const tail = crossingIds.subarray(0, crossing).sort((a, b) => s[b]! - s[a]!);
      let above = before;
      let taken = 0;
      while (taken < tail.length && (n + taken === 0 || above < needed)) {
        const distance = max - s[tail[taken++]!]!;
        above += expBelow(distance, bucketOf(distance));
      }
      ids.set(tail.subarray(0, taken), n);
      row.restrictTo(ids, n + taken);
    },
  };
}
