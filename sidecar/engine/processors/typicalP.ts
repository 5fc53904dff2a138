import { expNonPositive } from '../math/expNonPositive';
import type { LogitsProcessor } from './LogitsProcessor';

const BUCKETS_PER_NAT = 8;
const BUCKETS = 512;
/** Rows with more finite entries than this take the histogram path instead of a full sort. */
const SORT_LIMIT = 2048;

/**
 * HF's TypicalLogitsWarper (locally typical sampling): ranks tokens by |−log p − H| (how far
 * their surprise is from the row's entropy H), then keeps them in that order until the mass
 * reaches `mass`, plus every token ranked no worse than the one that crossed it.
 *
 * A dense row is not sorted whole: a histogram of the mass by distance-from-H tells which
 * entries can be in the kept set, and only those are sorted.
 */
export function typicalP(mass: number, width: number): LogitsProcessor {
  const ids = new Int32Array(width);
  const order = new Int32Array(width);
  const shifted = new Float64Array(width);
  const probs = new Float64Array(width);
  const histogram = new Float64Array(BUCKETS + 1);
  return {
    name: 'typical-p',
    apply(row) {
      if (mass >= 1) return;
      const s = row.scores;
      const all = row.finiteIndices(ids);
      if (all <= 1) return;
      // One exp pass gives both the normaliser Z and the entropy H = ln Z − Σ e·x / Z (x = s − max).
      const max = row.max();
      let z = 0;
      let ex = 0;
      for (let i = 0; i < all; i++) {
        const x = s[ids[i]!]! - max;
        const e = expNonPositive(x);
        probs[i] = e;
        z += e;
        ex += e * x;
      }
      const logZ = Math.log(z);
      const entropy = logZ - ex / z;
      for (let i = 0; i < all; i++) {
        probs[i] = probs[i]! / z;
        shifted[i] = Math.abs(-(s[ids[i]!]! - max - logZ) - entropy);
      }
      // Candidates: every entry whose distance-from-H bucket is not beyond the crossing bucket.
      let n = 0;
      if (all <= SORT_LIMIT) {
        for (let i = 0; i < all; i++) order[n++] = i;
      } else {
        histogram.fill(0);
        for (let i = 0; i < all; i++) {
          // Compare before truncating: `| 0` wraps past 2^31 (a −1e9 bias), clamping afterwards would not help.
          const d = shifted[i]! * BUCKETS_PER_NAT;
          const b = d < BUCKETS ? d | 0 : BUCKETS;
          histogram[b] = histogram[b]! + probs[i]!;
        }
        let reach = 0;
        let cum = 0;
        while (reach < BUCKETS && (cum += histogram[reach]!) < mass) reach++;
        // One bucket of margin against rounding at the edge.
        const line = reach >= BUCKETS ? Infinity : (reach + 2) / BUCKETS_PER_NAT;
        for (let i = 0; i < all; i++) if (shifted[i]! <= line) order[n++] = i;
      }
      const ranked = order.subarray(0, n).sort((a, b) => shifted[a]! - shifted[b]!);
      // HF: last_ind = number of ranked tokens whose cumulative mass is still < mass.
      let cum = 0;
      let last = 0;
      while (last < n && (cum += probs[ranked[last]!]!) < mass) last++;
      const cutoff = shifted[ranked[Math.min(last, n - 1)]!]!;
      let keep = 0;
      for (let r = 0; r < n; r++) {
        const i = ranked[r]!;
        // `ranked` aliases `order`; writes only go to positions already read.
        if (r === 0 || shifted[i]! <= cutoff) order[keep++] = ids[i]!;
      }
      row.restrictTo(order, keep);
    },
  };
}
