import assert from 'node:assert/strict';
import { it } from 'node:test';
import { minLength } from '../../../../sidecar/engine/processors/minLength';
import { minNewTokens } from '../../../../sidecar/engine/processors/minNewTokens';
import { NEG, runProcessor } from '../support/runProcessor';

it('minLength: masks every EOS while the whole row is shorter than the minimum', () => {
  const processor = minLength(3, [0, 2]);
  assert.deepEqual(runProcessor(processor, [1, 1, 1], { ids: [5, 5] }), [NEG, 1, NEG]);
  assert.deepEqual(runProcessor(processor, [1, 1, 1], { ids: [5, 5, 5] }), [1, 1, 1]);
});

it('minNewTokens: counts generated tokens only', () => {
  const processor = minNewTokens(2, [0]);
  assert.deepEqual(runProcessor(processor, [1, 1], { ids: [5, 5, 5], promptLength: 2 }), [NEG, 1]);
  assert.deepEqual(runProcessor(processor, [1, 1], { ids: [5, 5, 5, 5], promptLength: 2 }), [1, 1]);
});
