import assert from 'node:assert/strict';
import { it } from 'node:test';
import { exponentialDecayLengthPenalty } from '../../../../sidecar/engine/processors/exponentialDecayLengthPenalty';
import { runProcessor } from '../support/runProcessor';

it('exponentialDecayLengthPenalty: raises EOS by |score|·(factor^k − 1) past prompt + start', () => {
  const processor = exponentialDecayLengthPenalty({ startIndex: 1, decayFactor: 2 }, [0, 1]);
  // prompt 2 + start 1 = 3: a row of 3 tokens is not past it yet.
  assert.deepEqual(runProcessor(processor, [-2, 1, 7], { ids: [9, 9, 9], promptLength: 2 }), [-2, 1, 7]);
  // 5 tokens: k = 2, factor 2² − 1 = 3: −2 + 2·3 = 4 and 1 + 1·3 = 4.
  assert.deepEqual(runProcessor(processor, [-2, 1, 7], { ids: [9, 9, 9, 9, 9], promptLength: 2 }), [4, 4, 7]);
});
