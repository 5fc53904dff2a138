import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { placeRows } from '../../../../../sidecar/engine/generation/beam/searchBeams';

/** What a placement must guarantee, checked independently of how it was found. */
function check(from: number[]) {
  const { rows, sources } = placeRows(from);
  assert.deepEqual([...rows].sort((a, b) => a - b), from.map((_, i) => i), 'every beam gets its own row');
  rows.forEach((row, i) => assert.equal(sources[row], from[i], `beam ${i}'s row continues its source`));
  // Fewest copies: every distinct source that fits the batch is kept in place.
  const kept = new Set(from.filter((s) => s < from.length)).size;
  assert.equal(sources.filter((s, r) => s === r).length, kept);
  return { rows, sources };
}

describe('placeRows (cache rows for the next beams)', () => {
  it('keeps a beam on its source row, so an unchanged order copies nothing', () => {
    assert.deepEqual(check([2, 0, 3, 1]), { rows: [2, 0, 3, 1], sources: [0, 1, 2, 3] });
  });

  it('gives duplicates of a source the rows nobody continues', () => {
    assert.deepEqual(check([1, 1, 3, 1]), { rows: [1, 0, 3, 2], sources: [1, 1, 1, 3] });
  });

  it('moves sources that no longer fit a smaller batch', () => {
    check([5, 0, 4]);
    check([0, 0, 0, 0]);
    check([3, 2, 1, 0, 0, 2]);
  });
});
