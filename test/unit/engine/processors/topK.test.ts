import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { topK } from '../../../../sidecar/engine/processors/topK';
import { ScoreRow } from '../../../../sidecar/engine/processors/ScoreRow';
import { NEG, runProcessor } from '../support/runProcessor';

it('topK: keeps the k best scores', () => {
  assert.deepEqual(runProcessor(topK(2), [1, 3, 2, 4, 0]), [NEG, 3, NEG, 4, NEG]);
});

it('topK: every score tied with the k-th survives (HF compares with the k-th value)', () => {
  assert.deepEqual(runProcessor(topK(3), [1, 3, 2, 3, 2]), [NEG, 3, 2, 3, 2]);
});

it('topK: fewer finite scores than k leaves the row alone', () => {
  assert.deepEqual(runProcessor(topK(3), [NEG, 1, NEG, 2]), [NEG, 1, NEG, 2]);
});

it('topK: marks the row sparse with exactly the survivors, and works again on a sparse row', () => {
  const row = ScoreRow.of([5, 1, 4, 2, 3, 0]);
  topK(3).apply(row, { ids: [], promptLength: 0, maxLength: 9 });
  assert.equal(row.sparse, true);
  assert.deepEqual([...row.candidates.subarray(0, row.count)].sort(), [0, 2, 4]);
  topK(2).apply(row, { ids: [], promptLength: 0, maxLength: 9 });
  assert.deepEqual([...row.scores], [5, NEG, 4, NEG, NEG, NEG]);
});

it('topK: on a large row equals a full sort', () => {
  const values = Array.from({ length: 5000 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 10);
  const kept = runProcessor(topK(50), values);
  const kth = [...values].map(Math.fround).sort((a, b) => b - a)[49]!;
  const expected = values.map((v) => (Math.fround(v) >= kth ? Math.fround(v) : NEG));
  assert.deepEqual(kept, expected);
  assert.equal(kept.filter((v) => v !== NEG).length, 50);
});

describe('ScoreRow.minKeep (HF min_tokens_to_keep for every warper)', () => {
  // Independent expectation: the kept set is the warper's own set plus the minKeep best scores.
  const finite = (row: ScoreRow) => [...row.scores.keys()].filter((i) => row.scores[i]! > Number.NEGATIVE_INFINITY).sort();

  it('keepAtLeast never keeps fewer than minKeep entries', () => {
    const row = ScoreRow.of([5, 1, 4, 2, 3, 0]);
    row.minKeep = 3;
    row.keepAtLeast(4.5);
    assert.deepEqual(finite(row), [0, 2, 4]);
    assert.deepEqual([row.scores[0], row.scores[2], row.scores[4]], [5, 4, 3]);
  });

  it('restrictTo adds the best entries back to a set smaller than minKeep, keeping the set it was given', () => {
    const row = ScoreRow.of([5, 1, 4, 2, 3, 0]);
    row.minKeep = 2;
    row.restrictTo(Int32Array.from([3]), 1); // a typical-p style set: not the best token
    assert.deepEqual(finite(row), [0, 2, 3]);
  });

  it('changes nothing when the warper already keeps enough, and minKeep 1 is the old behaviour', () => {
    const row = ScoreRow.of([5, 1, 4, 2, 3, 0]);
    row.minKeep = 2;
    row.keepAtLeast(2.5);
    assert.deepEqual(finite(row), [0, 2, 4]);
    const plain = ScoreRow.of([5, 1, 4, 2, 3, 0]);
    plain.keepAtLeast(4.5);
    assert.deepEqual(finite(plain), [0]);
  });
});
