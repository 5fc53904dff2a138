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
    // Out of range is out of range in every mode (HF's advice for greedy is temperature 0: the message says what to do instead).
    assert.throws(
      () => mergeConfig(base, { do_sample: 'false', temperature: '0' }),
      (e: unknown) => e instanceof InkwellError && e.message === 'temperature = 0 is out of range: must be > 0 (greedy decoding, do_sample = false, reads no temperature: leave it unset)',
    );
    assert.throws(
      () => mergeConfig(base, { temperature: '0' }),
      (e: unknown) => e instanceof InkwellError && e.message === 'temperature = 0 is out of range: must be > 0',
    );
  });

  it('--set max_new_tokens=1e20 is out of range, not of the wrong type, and names the range', () => {
    assert.throws(
      () => mergeConfig(base, { max_new_tokens: '1e20' }),
      (e: unknown) =>
        e instanceof InkwellError &&
        e.details.field === 'max_new_tokens' &&
        e.message === 'max_new_tokens = 100000000000000000000 is out of range: must be >= 1 and <= 9007199254740991',
    );
  });

  it('an unknown key does not echo its value: a 10 MB value leaves a short error', () => {
    const huge = 'x'.repeat(10_000_000);
    assert.throws(
      () => mergeConfig(base, { colour: huge }),
      (e: unknown) => {
        assert.ok(e instanceof InkwellError);
        assert.equal(e.details.field, 'colour');
        assert.ok(JSON.stringify({ message: e.message, details: e.details }).length < 1000);
        return true;
      },
    );
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    assert.throws(
      () => mergeConfig(base, { colour: deep }),
      (e: unknown) => e instanceof InkwellError && JSON.stringify(e.details).length < 1000,
    );
  });
});
