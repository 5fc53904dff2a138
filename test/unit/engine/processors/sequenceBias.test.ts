import assert from 'node:assert/strict';
import { it } from 'node:test';
import { sequenceBias } from '../../../../sidecar/engine/processors/sequenceBias';
import { runProcessor } from '../support/runProcessor';

it('sequenceBias: single tokens always, longer entries when the ids end with their prefix', () => {
  const processor = sequenceBias([
    { tokens: [1], bias: 2 },
    { tokens: [3, 4], bias: -1 },
    { tokens: [2, 4], bias: 0.5 },
  ]);
  assert.deepEqual(runProcessor(processor, [0, 0, 0, 0, 0], { ids: [0, 3] }), [0, 2, 0, 0, -1]);
  assert.deepEqual(runProcessor(processor, [0, 0, 0, 0, 0], { ids: [0, 2] }), [0, 2, 0, 0, 0.5]);
  // An entry longer than the ids cannot match.
  assert.deepEqual(runProcessor(sequenceBias([{ tokens: [7, 8, 4], bias: 5 }]), [0, 0, 0, 0, 0], { ids: [8] }), [0, 0, 0, 0, 0]);
});

it('sequenceBias: a repeated sequence keeps its last bias (HF builds a dict); different sequences add up', () => {
  const processor = sequenceBias([
    { tokens: [1], bias: 2 },
    { tokens: [3, 4], bias: -1 },
    { tokens: [1], bias: 1 }, // replaces [1] → 2
    { tokens: [3, 4], bias: 4 }, // replaces [3, 4] → -1
    { tokens: [3, 1], bias: 0.25 }, // another sequence ending in 1: adds to [1]'s bias
  ]);
  assert.deepEqual(runProcessor(processor, [0, 0, 0, 0, 0], { ids: [0, 3] }), [0, 1.25, 0, 0, 4]);
  assert.deepEqual(runProcessor(processor, [0, 0, 0, 0, 0], { ids: [0, 2] }), [0, 1, 0, 0, 0]);
});
