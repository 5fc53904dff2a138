import assert from 'node:assert/strict';
import { it } from 'node:test';
import { badWords } from '../../../../sidecar/engine/processors/badWords';
import { NEG, runProcessor } from '../support/runProcessor';

it('badWords: bans one-token words always, the last token of longer words after their prefix, never a lone EOS', () => {
  const processor = badWords([[2], [0, 3], [4]], [4]);
  assert.deepEqual(runProcessor(processor, [1, 1, 1, 1, 1], { ids: [1, 0] }), [1, 1, NEG, NEG, 1]);
  assert.deepEqual(runProcessor(processor, [1, 1, 1, 1, 1], { ids: [0, 1] }), [1, 1, NEG, 1, 1]);
});
