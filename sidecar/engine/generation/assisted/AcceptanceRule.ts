import type { Xoshiro128 } from '../../sampling/Xoshiro128';
import { drawFrom } from './ProcessedRow';

/** What verification keeps at one drafted position. */
export interface Verdict {
  readonly accepted: boolean;
  /** The drafted token when accepted, else the token drawn in its place. */
  readonly tokenId: number;
}

/**
 * Decides one drafted token under sampling, given the main model's processed distribution p at
 * that position and the drafter's q (undefined: a deterministic draft, q = one-hot).
 * Injectable so that a test can show the distribution test catches a wrong rule.
 */
export type AcceptanceRule = (p: Float64Array, token: number, q: Float64Array | undefined, rng: Xoshiro128, scratch: Float64Array) => Verdict;

/**
 * Leviathan et al. / Chen et al. (2023): accept with probability min(1, p(x)/q(x)); otherwise
 * draw from norm(max(0, p − q)). The kept token is then distributed exactly as p.
 */
export const speculativeSamplingRule: AcceptanceRule = (p, token, q, rng, scratch) => {
  const qx = q === undefined ? 1 : q[token]!;
  const px = p[token]!;
  if (rng.nextFloat() * qx < px) return { accepted: true, tokenId: token };
  let total = 0;
  for (let i = 0; i < p.length; i++) {
    const r = p[i]! - (q === undefined ? (i === token ? 1 : 0) : q[i]!);
    scratch[i] = r > 0 ? r : 0;
    total += scratch[i]!;
  }
  // p == q up to rounding: the residual is empty, and p itself is the right distribution.
  const tokenId = total > 0 ? drawFrom(scratch.subarray(0, p.length), rng.nextFloat(), total) : drawFrom(p, rng.nextFloat());
  return { accepted: false, tokenId };
};
