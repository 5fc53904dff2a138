import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ScoreRow } from '../../../../sidecar/engine/processors/ScoreRow';
import { argmax } from '../../../../sidecar/engine/sampling/argmax';
import { sampleToken } from '../../../../sidecar/engine/sampling/sampleToken';

it('argmax: the first maximum wins, on dense and sparse rows and across unrolled lanes', () => {
  assert.equal(argmax(ScoreRow.of([1, 3, 2, 3])), 1);
  assert.equal(argmax(ScoreRow.of([0, 0, 0, 0, 0, 0, 7, 7, 7])), 6);
  assert.equal(argmax(ScoreRow.of([0, 0, 0, 0, 0, 0, 0, 0, 9])), 8);
  assert.equal(argmax(ScoreRow.of([-Infinity, -Infinity])), 0);
  const row = ScoreRow.of([5, 1, 5, 2]);
  row.restrictTo(Int32Array.from([2, 0]), 2);
  assert.equal(argmax(row), 0);
});

it('sampleToken: walks the cumulative distribution', () => {
  // probabilities 0.25, 0, 0.75 (log 1, -Infinity, log 3)
  const row = ScoreRow.of([0, -Infinity, Math.log(3)]);
  assert.equal(sampleToken(row, 0), 0);
  assert.equal(sampleToken(row, 0.2499), 0);
  assert.equal(sampleToken(row, 0.2501), 2);
  assert.equal(sampleToken(row, 0.9999), 2);
  const sparse = ScoreRow.of([0, 9, Math.log(3)]);
  sparse.restrictTo(Int32Array.from([0, 2]), 2);
  assert.equal(sampleToken(sparse, 0.1), 0);
  assert.equal(sampleToken(sparse, 0.5), 2);
});
