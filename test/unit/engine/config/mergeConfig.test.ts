import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InkwellError } from '../../../../sidecar/engine/InkwellError';
import { mergeConfig } from '../../../../sidecar/engine/config/mergeConfig';
import { configOf } from '../support/configOf';

describe('mergeConfig', () => {
  const base = configOf({ do_sample: true, temperature: 0.7, eos_token_id: [1, 2], chat_format: 'kept' });

  it('coerces --set strings by the field type', () => {
    const merged = mergeConfig(base, {
      top_p: '0.9',
      top_k: '20',
      do_sample: 'false',
      bad_words_ids: '[[1,2],[3]]',
      stop_strings: 'END',
      eos_token_id: '[7, 8]',
      early_stopping: 'never',
    });
    assert.equal(merged.topP, 0.9);
    assert.equal(merged.topK, 20);
    assert.equal(merged.doSample, false);
    assert.equal(merged.mode, 'greedy');
    assert.deepEqual(merged.badWordsIds, [[1, 2], [3]]);
    assert.deepEqual(merged.stopStrings, ['END']);
    assert.deepEqual(merged.eosTokenId, [7, 8]);
    assert.equal(merged.earlyStopping, 'never');
    assert.equal(merged.temperature, 0.7, 'untouched fields are kept');
    assert.deepEqual(merged.extra, { chat_format: 'kept' });
  });

  it('accepts camelCase keys and typed values, and null resets to the default', () => {
    const merged = mergeConfig(base, { maxNewTokens: 12, temperature: 'null' });
    assert.equal(merged.maxNewTokens, 12);
    assert.equal(merged.temperature, 1);
  });

  it('names the key when a value does not fit', () => {
    assert.throws(
      () => mergeConfig(base, { top_p: 'abc' }),
      (e: unknown) => e instanceof InkwellError && e.details.field === 'top_p' && /top_p = "abc" has the wrong type: must be a number/.test(e.message),
    );
    assert.throws(
      () => mergeConfig(base, { top_p: '1.5' }),
      (e: unknown) => e instanceof InkwellError && e.message === 'top_p = 1.5 is out of range: must be > 0 and <= 1',
    );
    assert.throws(
      () => mergeConfig(base, { do_sample: 'maybe' }),
      (e: unknown) => e instanceof InkwellError && e.details.field === 'do_sample',
    );
    assert.throws(
      () => mergeConfig(base, { top_pp: '0.5' }),
      (e: unknown) => e instanceof InkwellError && e.code === 'invalid-config' && e.details.field === 'top_pp',
    );
  });

  it('re-checks cross-field rules after the override', () => {
    assert.throws(
      () => mergeConfig(base, { do_sample: 'false', num_return_sequences: '2' }),
      (e: unknown) => e instanceof InkwellError && e.details.field === 'num_return_sequences',
    );
    // Greedy accepts temperature 0 (HF's advice for greedy); turning sampling on re-checks it.
    const greedy = mergeConfig(base, { do_sample: 'false', temperature: '0' });
    assert.equal(greedy.temperature, 0);
    assert.throws(
      () => mergeConfig(greedy, { do_sample: 'true' }),
      (e: unknown) => e instanceof InkwellError && e.message === 'temperature = 0 is out of range: must be > 0',
    );
  });
});
