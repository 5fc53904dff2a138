import { erfc } from './erfc';

/** P(Z >= z) for a standard normal Z: erfc(z / √2) / 2, exact far into the tail (p(10) ≈ 7.62e-24). */
export function normalUpperTail(z: number): number {
  return erfc(z / Math.SQRT2) / 2;
}
