import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InkwellError } from '../../../../../sidecar/engine/InkwellError';
import { chooseVocabSize } from '../../../../../models/pipeline/tokenizer/chooseVocabSize';

describe('chooseVocabSize', () => {
  const measured = [
    { vocabSize: 16384, bytesPerToken: 4.085 },
    { vocabSize: 8192, bytesPerToken: 3.793 },
    { vocabSize: 12288, bytesPerToken: 3.973 },
  ];
  it('takes the smallest size within the tolerance of the best', () => {
    // 4.085 × 0.97 = 3.962: 12288 (3.973) is in, 8192 (3.793) is not.
    assert.equal(chooseVocabSize(measured, 0.03), 12288);
    assert.equal(chooseVocabSize(measured, 0.02), 16384); // 4.085 × 0.98 = 4.003
    assert.equal(chooseVocabSize(measured, 0.08), 8192); // 4.085 × 0.92 = 3.758
  });
  it('rejects an empty list and a tolerance outside [0, 1)', () => {
    assert.throws(() => chooseVocabSize([], 0.03), (e: unknown) => InkwellError.is(e) && e.details.field === 'measured');
    assert.throws(() => chooseVocabSize(measured, 1), (e: unknown) => InkwellError.is(e) && e.details.field === 'tolerance');
  });
});
