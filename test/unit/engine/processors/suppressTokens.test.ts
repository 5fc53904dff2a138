import assert from 'node:assert/strict';
import { it } from 'node:test';
import { beginSuppressTokens } from '../../../../sidecar/engine/processors/beginSuppressTokens';
import { suppressTokens } from '../../../../sidecar/engine/processors/suppressTokens';
import { NEG, runProcessor } from '../support/runProcessor';

it('suppressTokens: those ids are always -Infinity', () => {
  assert.deepEqual(runProcessor(suppressTokens([1, 3, 99]), [1, 2, 3, 4]), [1, NEG, 3, NEG]);
});

it('beginSuppressTokens: only for the first generated token', () => {
  const processor = beginSuppressTokens([0], false);
  assert.deepEqual(runProcessor(processor, [1, 2], { ids: [7, 7, 7], promptLength: 3 }), [NEG, 2]);
  assert.deepEqual(runProcessor(processor, [1, 2], { ids: [7, 7, 7, 7], promptLength: 3 }), [1, 2]);
});

it('beginSuppressTokens: a forced BOS after a one-token prompt moves the first position by one (HF)', () => {
  const processor = beginSuppressTokens([0], true);
  assert.deepEqual(runProcessor(processor, [1, 2], { ids: [7], promptLength: 1 }), [1, 2]);
  assert.deepEqual(runProcessor(processor, [1, 2], { ids: [7, 3], promptLength: 1 }), [NEG, 2]);
});
