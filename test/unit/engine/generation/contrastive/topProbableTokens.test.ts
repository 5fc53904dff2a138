import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { topProbableTokens } from '../../../../../sidecar/engine/generation/contrastive/topProbableTokens';
import { ScoreRow } from '../../../../../sidecar/engine/processors/ScoreRow';

const NEG = Number.NEGATIVE_INFINITY;
const softmax = (xs: readonly number[]) => {
  const finite = xs.filter((x) => x > NEG);
  const z = finite.reduce((s, x) => s + Math.exp(x), 0);
  return xs.map((x) => (x > NEG ? Math.exp(x) / z : 0));
};

describe('topProbableTokens', () => {
  it('returns the k most probable ids, best first, with their softmax probabilities', () => {
    const scores = [0.5, 2, -1, 3, 1];
    const top = topProbableTokens(ScoreRow.of(scores), 3);
    assert.deepEqual(top.ids, [3, 1, 4]);
    const p = softmax(scores);
    top.probabilities.forEach((q, i) => assert.ok(Math.abs(q - p[top.ids[i]!]!) < 1e-7, `${q} vs ${p[top.ids[i]!]}`));
  });

  it('orders equal scores by id, also when the tie straddles the cut', () => {
    assert.deepEqual(topProbableTokens(ScoreRow.of([1, 2, 1, 2, 1]), 3).ids, [1, 3, 0]);
    assert.deepEqual(topProbableTokens(ScoreRow.of([1, 1, 1, 1]), 2).ids, [0, 1]);
  });

  it('never offers a token a processor banned (-Infinity): fewer than k come back', () => {
    const top = topProbableTokens(ScoreRow.of([NEG, 0, NEG, Math.log(3)]), 4);
    assert.deepEqual(top.ids, [3, 1]);
    assert.ok(Math.abs(top.probabilities[0]! - 0.75) < 1e-7);
    assert.ok(Math.abs(top.probabilities[1]! - 0.25) < 1e-7);
    assert.deepEqual(topProbableTokens(ScoreRow.of([NEG, NEG]), 2).ids, []);
  });

  it('reads a sparse row through its index', () => {
    const row = ScoreRow.of([5, 1, 4, 2, 3]);
    row.restrictTo(Int32Array.of(4, 1, 3), 3); // ids 0 and 2 are now -Infinity
    const top = topProbableTokens(row, 2);
    assert.deepEqual(top.ids, [4, 3]);
    const p = softmax([NEG, 1, NEG, 2, 3]);
    assert.ok(Math.abs(top.probabilities[0]! - p[4]!) < 1e-7);
  });
});
