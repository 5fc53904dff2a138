import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contrastiveChoice, contrastiveScore } from '../../../../../sidecar/engine/generation/contrastive/contrastiveChoice';
import { DegenerationPenalty } from '../../../../../sidecar/engine/generation/contrastive/DegenerationPenalty';

const near = (a: number, b: number, what = '') => assert.ok(Math.abs(a - b) < 1e-12, `${what} ${a} vs ${b}`);

describe('DegenerationPenalty', () => {
  it('is the largest cosine similarity with any context vector (hand-computed)', () => {
    const penalty = new DegenerationPenalty(2);
    penalty.append(Float32Array.of(1, 0, 0, 2)); // two rows: (1, 0) and (0, 2)
    assert.equal(penalty.length, 2);
    // (1, 1): cos = 1/√2 with both.
    near(penalty.of(Float32Array.of(1, 1)), Math.SQRT1_2);
    // (3, −4): cos 3/5 with (1, 0), −4/5 with (0, 2): the max is 0.6.
    near(penalty.of(Float32Array.of(3, -4)), 0.6);
    // (−1, −1): −1/√2 with both: a negative penalty stays negative (it rewards the candidate).
    near(penalty.of(Float32Array.of(-1, -1)), -Math.SQRT1_2);
    // Length does not matter, only direction: (0, 5) repeats (0, 2) exactly.
    near(penalty.of(Float32Array.of(0, 5)), 1);
  });

  it('reads a candidate at an offset of a batch of rows', () => {
    const penalty = new DegenerationPenalty(2);
    penalty.append(Float32Array.of(1, 0), 1);
    const batch = Float32Array.of(0, 1, 1, 1, 1, 0);
    near(penalty.of(batch, 0), 0);
    near(penalty.of(batch, 2), Math.SQRT1_2);
    near(penalty.of(batch, 4), 1);
  });

  it('keeps every vector when it grows past its first buffer', () => {
    const penalty = new DegenerationPenalty(3);
    for (let i = 0; i < 200; i++) penalty.append(Float32Array.of(1, i, 0), 1);
    penalty.append(Float32Array.of(0, 0, 1), 1);
    assert.equal(penalty.length, 201);
    near(penalty.of(Float32Array.of(1, 0, 0)), 1, 'the first vector');
    near(penalty.of(Float32Array.of(0, 0, 7)), 1, 'the last vector');
    near(penalty.of(Float32Array.of(1, 150, 0)), 1, 'a middle one');
  });

  it('takes a zero vector as having no direction (cosine 0), and an empty context as no penalty', () => {
    const penalty = new DegenerationPenalty(2);
    near(penalty.of(Float32Array.of(1, 1)), 0);
    penalty.append(Float32Array.of(0, 0), 1);
    near(penalty.of(Float32Array.of(1, 1)), 0);
    penalty.append(Float32Array.of(1, 0), 1);
    near(penalty.of(Float32Array.of(0, 0)), 0);
  });

  it('refuses a buffer that does not hold the rows named', () => {
    assert.throws(() => new DegenerationPenalty(3).append(Float32Array.of(1, 2, 3, 4)));
    assert.throws(() => new DegenerationPenalty(3).append(Float32Array.of(1, 2, 3), 2));
  });
});

describe('contrastiveScore / contrastiveChoice', () => {
  it('scores (1 − α)·p − α·penalty', () => {
    near(contrastiveScore(0.5, 0.8, 0.6), 0.4 * 0.5 - 0.6 * 0.8);
    near(contrastiveScore(0.5, 0.8, 0), 0.5);
    near(contrastiveScore(0.5, 0.8, 1), -0.8);
  });

  it('picks the best score; the penalty can overturn the most probable', () => {
    // α = 0.6: 0.4·0.7 − 0.6·0.9 = −0.26 against 0.4·0.3 − 0.6·0.1 = 0.06.
    assert.equal(contrastiveChoice([0.7, 0.3], [0.9, 0.1], 0.6), 1);
    // α = 0.1: 0.9·0.7 − 0.09 = 0.54 against 0.27 − 0.01 = 0.26.
    assert.equal(contrastiveChoice([0.7, 0.3], [0.9, 0.1], 0.1), 0);
  });

  it('keeps the first candidate on equal scores', () => {
    assert.equal(contrastiveChoice([0.5, 0.5, 0.5], [0.2, 0.2, 0.2], 0.5), 0);
    // 0.5·0.25 − 0.5·0.5 = −0.125 = 0.5·0.75 − 0.5·1, exactly (powers of two): the first one stays.
    assert.equal(contrastiveChoice([0.25, 0.75], [0.5, 1], 0.5), 0);
  });
});
