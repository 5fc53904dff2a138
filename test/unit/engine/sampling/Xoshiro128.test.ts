import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Xoshiro128 } from '../../../../sidecar/engine/sampling/Xoshiro128';

it('Xoshiro128: follows the published xoshiro128** step', () => {
  // From state (1, 2, 3, 4), by hand: result = rotl(2 · 5, 7) · 9 = 1280 · 9 = 11520; then
  // t = 2 << 9 = 1024; s2 = 3^1 = 2; s3 = 4^2 = 6; s1 = 2^2 = 0; s0 = 1^6 = 7; s2 = 2^1024 = 1026;
  // s3 = rotl(6, 11) = 12288. The second result is rotl(0 · 5, 7) · 9 = 0.
  const rng = Xoshiro128.fromState(1, 2, 3, 4);
  assert.equal(rng.nextUint32(), 11520);
  assert.equal(rng.nextUint32(), 0);
});

it('Xoshiro128: a seed gives a fixed stream; floats are uniform in [0, 1)', () => {
  const a = new Xoshiro128(42);
  const b = new Xoshiro128(42);
  const c = new Xoshiro128(43);
  const xs = Array.from({ length: 5 }, () => a.nextUint32());
  assert.deepEqual(xs, Array.from({ length: 5 }, () => b.nextUint32()));
  assert.notDeepEqual(xs, Array.from({ length: 5 }, () => c.nextUint32()));
  const rng = new Xoshiro128(1);
  const bins = new Array<number>(10).fill(0);
  const n = 100_000;
  for (let i = 0; i < n; i++) {
    const u = rng.nextFloat();
    assert.ok(u >= 0 && u < 1);
    bins[Math.floor(u * 10)]!++;
  }
  // chi-square with 9 degrees of freedom; 27.877 is its 0.999 quantile.
  const chi = bins.reduce((s, k) => s + (k - n / 10) ** 2 / (n / 10), 0);
  assert.ok(chi < 27.877, `chi-square ${chi}`);
});
