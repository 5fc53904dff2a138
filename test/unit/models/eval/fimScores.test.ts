import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quantile, scoreFim } from '../../../../models/pipeline/eval/fimScores';

describe('scoreFim', () => {
  it('exact: equal up to trailing whitespace', () => {
    assert.deepEqual(scoreFim('return a + b;', 'return a + b;  '), { exact: true, prefixFraction: 1, nonEmptyPrefix: true, empty: false });
  });
  it('prefix fraction: characters before the first difference over the expected length', () => {
    // "return a" matches 8 of "return a + b;" (13 characters).
    const s = scoreFim('return a - b;', 'return a + b;');
    assert.equal(s.exact, false);
    assert.equal(s.prefixFraction, 9 / 13); // "return a " (9) then '-' ≠ '+'
    assert.equal(s.nonEmptyPrefix, false);
  });
  it('a short prediction that the expected line starts with', () => {
    assert.deepEqual(scoreFim('return', 'return a + b;'), { exact: false, prefixFraction: 6 / 13, nonEmptyPrefix: true, empty: false });
  });
  it('no completion: empty, not a prefix, nothing matched', () => {
    assert.deepEqual(scoreFim(undefined, 'x = 1'), { exact: false, prefixFraction: 0, nonEmptyPrefix: false, empty: true });
  });
});

describe('quantile (nearest rank)', () => {
  it('p50 and p95 of 1..20', () => {
    const xs = Array.from({ length: 20 }, (_, i) => 20 - i);
    assert.equal(quantile(xs, 0.5), 10);
    assert.equal(quantile(xs, 0.95), 19);
    assert.equal(quantile([7], 0.95), 7);
  });
});
