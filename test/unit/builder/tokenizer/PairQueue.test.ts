import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PairQueue } from '../../../../sidecar/builder/tokenizer/PairQueue';

describe('PairQueue', () => {
  it('pops the highest count first and the lowest key among equal counts', () => {
    const queue = new PairQueue();
    const entries = [[7, 3], [2, 5], [9, 5], [1, 1], [4, 5], [3, 3]];
    for (const [key, count] of entries) queue.push(key, count);
    const popped: number[][] = [];
    while (queue.size > 0) {
      const { key, count } = queue.pop();
      popped.push([key, count]);
    }
    assert.deepEqual(popped, [[2, 5], [4, 5], [9, 5], [3, 3], [7, 3], [1, 1]]);
  });
});
