const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);

/**
 * The complementary error function with a small relative error everywhere, including far into
 * the tail where 1 - erf(x) would cancel to 0 (erfc(10) ≈ 2.09e-45): the Maclaurin series of
 * erf below 2, and the continued fraction of erfc (Lentz's method) from 2 on. Underflows to 0
 * only past x ≈ 26.5, where the result is below the smallest double.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) return 1 - erfSeries(x);
  return Math.exp(-x * x) * ONE_OVER_SQRT_PI * tailFraction(x);
}

/** erf(x) = 2/√π Σ (-1)^n x^(2n+1) / (n! (2n+1)); for x < 2 the terms stay below ~10. */
function erfSeries(x: number): number {
  const x2 = x * x;
  let term = x; // (-1)^n x^(2n+1) / n!
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= -x2 / n;
    const add = term / (2 * n + 1);
    sum += add;
    if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
  }
  return TWO_OVER_SQRT_PI * sum;
}

/**
 * 1 / (x + (1/2) / (x + 1 / (x + (3/2) / (x + 2 / (x + …))))), so that
 * erfc(x) = exp(-x²)/√π · tailFraction(x). Modified Lentz, as in Numerical Recipes §5.2.
 */
function tailFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    if (d === 0) d = tiny;
    c = x + a / c;
    if (c === 0) c = tiny;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return 1 / f;
}
