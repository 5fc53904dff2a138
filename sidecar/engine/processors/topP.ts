import { expNonPositive } from '../math/expNonPositive';
import type { LogitsProcessor } from './LogitsProcessor';

const BUCKETS_PER_NAT = 4;
const BUCKETS = 256; // 64 nats below the max; anything further lands in the last bucket

/**
 * HF's TopPLogitsWarper (nucleus): keeps the most likely tokens until their mass reaches p; the
 * token that crosses p stays. HF removes a token when the ascending cumulative mass up to and
 * including it is <= 1 − p, i.e. when the mass strictly above it is >= p; we apply that rule.
 *
 * After top-k the row is sparse and this sorts only the survivors. On a dense row it avoids
 * sorting 152k entries: one pass histograms exp(score − max) by distance below the max, which
 * tells how far down the nucleus can reach; only the entries above that line are sorted.
 */
export function topP(p: number, width: number): LogitsProcessor {
  const mass = new Float64Array(BUCKETS + 1);
  const ids = new Int32Array(width);
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
      } else {
        mass.fill(0);
        for (let i = 0; i < s.length; i++) {
          const v = s[i]!;
          if (v === Number.NEGATIVE_INFINITY) continue;
          const e = expNonPositive(v - max);
          total += e;
          const b = Math.min(((max - v) * BUCKETS_PER_NAT) | 0, BUCKETS);
          mass[b] = mass[b]! + e;
        }
        let reach = 0;
        let cum = 0;
        while (reach < BUCKETS && (cum += mass[reach]!) < p * total) reach++;
        // One bucket of margin so rounding at a bucket edge cannot leave a needed token out.
        const line = reach >= BUCKETS ? Number.NEGATIVE_INFINITY : max - (reach + 2) / BUCKETS_PER_NAT;
        for (let i = 0; i < s.length; i++) {
          const v = s[i]!;
          if (v >= line && v !== Number.NEGATIVE_INFINITY) ids[n++] = i;
        }
      }
      const sorted = ids.subarray(0, n).sort((a, b) => s[b]! - s[a]!);
      const needed = p * total;
      let above = 0;
      let keep = 0;
      while (keep < n && (keep === 0 || above < needed)) above += expNonPositive(s[sorted[keep++]!]! - max);
      if (keep < n || !row.sparse) row.restrictTo(ids, keep);
    },
  };
}
