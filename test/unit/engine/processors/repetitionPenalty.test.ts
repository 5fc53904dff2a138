import assert from 'node:assert/strict';
import { it } from 'node:test';
import { repetitionPenalty } from '../../../../sidecar/engine/processors/repetitionPenalty';
import { runProcessor } from '../support/runProcessor';

it('repetitionPenalty: divides positive, multiplies negative scores of seen tokens, once each', () => {
  const processor = repetitionPenalty(2, 4);
  // Token 1 appears twice but is penalised once: -2 → -4, not -8.
  assert.deepEqual(runProcessor(processor, [2, -2, 4, 1], { ids: [0, 1, 1], promptLength: 2 }), [1, -4, 4, 1]);
  // The same processor on the next step starts fresh (its dedupe stamps advance).
  assert.deepEqual(runProcessor(processor, [2, -2, 4, 1], { ids: [3] }), [2, -2, 4, 0.5]);
  // A penalty < 1 rewards repetition.
  assert.deepEqual(runProcessor(repetitionPenalty(0.5, 4), [2, -2, 4, 1], { ids: [0, 1] }), [4, -1, 4, 1]);
});
