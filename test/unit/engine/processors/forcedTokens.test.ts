import assert from 'node:assert/strict';
import { it } from 'node:test';
import { forcedBos } from '../../../../sidecar/engine/processors/forcedBos';
import { forcedEos } from '../../../../sidecar/engine/processors/forcedEos';
import { NEG, runProcessor } from '../support/runProcessor';

it('forcedBos: after exactly one token, only BOS is possible', () => {
  assert.deepEqual(runProcessor(forcedBos(3), [1, 2, 3, 4], { ids: [5] }), [NEG, NEG, NEG, 0]);
  assert.deepEqual(runProcessor(forcedBos(3), [1, 2, 3, 4], { ids: [5, 6] }), [1, 2, 3, 4]);
});

it('forcedEos: at max_length − 1 only the EOS ids remain', () => {
  assert.deepEqual(runProcessor(forcedEos([1, 2]), [5, 6, 7, 8], { ids: [0, 0, 0, 0], maxLength: 5 }), [NEG, 0, 0, NEG]);
  assert.deepEqual(runProcessor(forcedEos([1, 2]), [5, 6, 7, 8], { ids: [0, 0, 0], maxLength: 5 }), [5, 6, 7, 8]);
});
