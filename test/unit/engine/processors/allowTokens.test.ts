import assert from 'node:assert/strict';
import { it } from 'node:test';
import { allowTokens } from '../../../../sidecar/engine/processors/allowTokens';
import { NEG, runProcessor } from '../support/runProcessor';

it('allowTokens: only the ids the constraint lists for the generated ids so far keep their scores; unconstrained rows are untouched', () => {
  const seen: number[][] = [];
  const processor = allowTokens((generated) => {
    seen.push([...generated]);
    return generated.length === 0 ? [1, 3, 99] : generated.length === 1 ? [0] : undefined;
  });
  assert.deepEqual(runProcessor(processor, [0.5, 2, 7, -1], { ids: [4, 4], promptLength: 2 }), [NEG, 2, NEG, -1]);
  assert.deepEqual(runProcessor(processor, [0.5, 2, 7, -1], { ids: [4, 4, 1], promptLength: 2 }), [0.5, NEG, NEG, NEG]);
  assert.deepEqual(runProcessor(processor, [0.5, 2, 7, -1], { ids: [4, 4, 1, 0], promptLength: 2 }), [0.5, 2, 7, -1]);
  assert.deepEqual(seen, [[], [1], [1, 0]], 'the constraint sees the generated ids, not the prompt');
});
