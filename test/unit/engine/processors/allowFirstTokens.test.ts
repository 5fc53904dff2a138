import assert from 'node:assert/strict';
import { it } from 'node:test';
import { allowFirstTokens } from '../../../../sidecar/engine/processors/allowFirstTokens';
import { NEG, runProcessor } from '../support/runProcessor';

it('allowFirstTokens: at the first generated position only the listed ids keep their scores; later positions are untouched', () => {
  const processor = allowFirstTokens([1, 3, 99]);
  assert.deepEqual(runProcessor(processor, [0.5, 2, 7, -1], { ids: [4, 4], promptLength: 2 }), [NEG, 2, NEG, -1]);
  assert.deepEqual(runProcessor(processor, [0.5, 2, 7, -1], { ids: [4, 4, 1], promptLength: 2 }), [0.5, 2, 7, -1]);
});
