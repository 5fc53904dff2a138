import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { erfc } from '../../../../sidecar/engine/math/erfc';
import { normalUpperTail } from '../../../../sidecar/engine/math/normalUpperTail';

function close(actual: number, expected: number, relative: number, label: string): void {
  assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), `${label}: ${actual} vs ${expected}`);
}

/**
 * P(Z >= z) by quadrature, independent of erfc: φ(z) ∫_0^∞ exp(−zu − u²/2) du (substituting
 * t = z + u), the integral by composite Simpson on [0, 40] with 200,000 intervals.
 */
function tailByQuadrature(z: number): number {
  const n = 200_000;
  const h = 40 / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const u = i * h;
    const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    sum += w * Math.exp(-z * u - (u * u) / 2);
  }
  const phi = Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);
  return phi * ((sum * h) / 3);
}

describe('erfc and the normal tail', () => {
  it('erfc matches published values (Abramowitz & Stegun, mpmath) to 1e-13 relative', () => {
    const table: [number, number][] = [
      [0, 1],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 4.677734981047266e-3],
      [3, 2.209049699858544e-5],
      [5, 1.5374597944280349e-12],
      [10, 2.088487583762545e-45],
      [20, 5.395865611607901e-176],
      [-1, 1.8427007929497148],
    ];
    for (const [x, expected] of table) close(erfc(x), expected, 1e-13, `erfc(${x})`);
  });

  it('p(z) far in the tail: p(10) ≈ 7.62e-24, p(20) ≈ 2.75e-89', () => {
    close(normalUpperTail(4), 3.167124183311992e-5, 1e-12, 'p(4)');
    close(normalUpperTail(10), 7.619853024160527e-24, 1e-12, 'p(10)');
    close(normalUpperTail(20), 2.7536241186062337e-89, 1e-12, 'p(20)');
    assert.equal(normalUpperTail(0), 0.5);
  });

  it('agrees with quadrature of the normal density from z = -3 to 30', () => {
    for (let z = -3; z <= 30; z += 0.75) {
      const p = normalUpperTail(z);
      // Below 0 the substitution's integrand grows; compare 1 - p(-z) there instead.
      const expected = z >= 0 ? tailByQuadrature(z) : 1 - tailByQuadrature(-z);
      close(p, expected, 1e-9, `p(${z})`);
    }
  });
});
