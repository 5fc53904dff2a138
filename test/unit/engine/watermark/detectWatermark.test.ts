import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectWatermark } from '../../../../sidecar/engine/watermark/detectWatermark';
import { Xoshiro128 } from '../../../../sidecar/engine/sampling/Xoshiro128';
import { InkwellError } from '../../../../sidecar/engine/InkwellError';

const key = { greenlistRatio: 0.25, hashingKey: 15485863, contextWidth: 1 };

describe('detectWatermark', () => {
  it('scores a hand-built sequence: statuses from the issue vectors, T, G, z and p by hand', () => {
    // After 42: 0 and 6 are green, 1 is red (the scheme's test vector). After 0: 8 is green, 9 red.
    const ids = [42, 0, 42, 6, 42, 1, 0, 8, 0, 9];
    const d = detectWatermark(ids, key, { minTokens: 1 });
    // Position 1 (0 after 42): green; 2 (42 after 0): ?; — only assert what the vectors give.
    assert.equal(d.statuses[0], 'unscored');
    assert.equal(d.statuses[1], 'green');
    assert.equal(d.statuses[3], 'green');
    assert.equal(d.statuses[5], 'red');
    assert.equal(d.statuses[7], 'green');
    assert.equal(d.statuses[9], 'red');
    assert.equal(d.scored, 9);
    const G = d.statuses.filter((s) => s === 'green').length;
    assert.equal(d.green, G);
    const z = (G - 0.25 * 9) / Math.sqrt(9 * 0.25 * 0.75);
    assert.equal(d.z, z);
    assert.equal(d.greenFraction, G / 9);
    assert.ok(Math.abs(d.p - 0.5 * (1 - erfRef(z / Math.SQRT2))) < 1e-12);
  });

  it('all green → z = sqrt(T (1 − γ) / γ); verdict needs z >= threshold and T >= minTokens', () => {
    // 0 after 42 is green and 42 after 0 …: build a chain where each next token is green by search.
    const ids = [42];
    for (let i = 0; i < 40; i++) {
      const prev = ids[ids.length - 1]!;
      let next = 0;
      while (detectWatermark([prev, next], key, { minTokens: 1 }).statuses[1] !== 'green') next++;
      ids.push(next);
    }
    const d = detectWatermark(ids, key);
    assert.equal(d.scored, 40);
    assert.equal(d.green, 40);
    assert.ok(Math.abs(d.z - Math.sqrt((40 * 0.75) / 0.25)) < 1e-12);
    assert.equal(d.verdict, 'watermarked');
    assert.equal(detectWatermark(ids.slice(0, 10), key).verdict, 'too-short');
    assert.equal(detectWatermark(ids, key, { zThreshold: 20 }).verdict, 'not-watermarked');
  });

  it('no scorable position: T = 0, z = 0, p = 1, too short', () => {
    const d = detectWatermark([5], key);
    assert.deepEqual([d.scored, d.green, d.z, d.p, d.verdict], [0, 0, 0, 1, 'too-short']);
    assert.deepEqual(d.statuses, ['unscored']);
  });

  it('ignore_repeated_ngrams counts each distinct (h+1)-gram once', () => {
    const ids = [1, 2, 3, 1, 2, 3, 1, 2, 4];
    const all = detectWatermark(ids, key, { minTokens: 1 });
    const once = detectWatermark(ids, key, { minTokens: 1, ignoreRepeatedNgrams: true });
    assert.equal(all.scored, 8);
    // Distinct bigrams: 1-2, 2-3, 3-1, 2-4.
    assert.equal(once.scored, 4);
    assert.deepEqual(once.statuses, ['unscored', all.statuses[1], all.statuses[2], all.statuses[3], 'repeated', 'repeated', 'repeated', 'repeated', all.statuses[8]]);
  });

  it('random ids are near γ green and z is near 0 (large T)', () => {
    const rng = new Xoshiro128(11);
    const ids = Array.from({ length: 20000 }, () => Math.floor(rng.nextFloat() * 50000));
    const d = detectWatermark(ids, key);
    assert.ok(Math.abs(d.greenFraction - 0.25) < 0.02, String(d.greenFraction));
    assert.ok(Math.abs(d.z) < 4.5, String(d.z));
  });

  it('refuses a bad threshold or minimum naming the option', () => {
    assert.throws(() => detectWatermark([1, 2], key, { minTokens: 0 }), (e: unknown) => InkwellError.is(e) && e.details.field === 'minTokens');
    assert.throws(() => detectWatermark([1, 2], key, { zThreshold: Number.NaN }), (e: unknown) => InkwellError.is(e) && e.details.field === 'zThreshold');
  });
});

/** erf by its Maclaurin series (independent of the engine's erfc), fine for |x| < 3. */
function erfRef(x: number): number {
  let sum = 0;
  let term = x;
  for (let n = 0; n < 120; n++) {
    sum += term / (2 * n + 1);
    term *= (-x * x) / (n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
