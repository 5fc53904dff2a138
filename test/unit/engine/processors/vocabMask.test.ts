import assert from 'node:assert/strict';
import { it } from 'node:test';
import { vocabMask } from '../../../../sidecar/engine/processors/vocabMask';
import { NEG, runProcessor } from '../support/runProcessor';

it('vocabMask: ids the tokenizer cannot produce are masked', () => {
  assert.deepEqual(runProcessor(vocabMask(3), [1, 2, 3, 9, 9]), [1, 2, 3, NEG, NEG]);
});
