import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from '../../../../sidecar/engine/generation/generate';
import { InkwellError } from '../../../../sidecar/engine/InkwellError';
import { buildLogitsPipeline } from '../../../../sidecar/engine/processors/buildLogitsPipeline';
import { CharTokenizer } from '../support/CharTokenizer';
import { configOf } from '../support/configOf';
import { FakeLanguageModel, hashLogits } from '../support/FakeLanguageModel';

const tokenizer = new CharTokenizer('abcdefghijklmnopqrstuvwxyz0123456789 .,'); // ids 0..39, EOS 39
const WIDTH = 40;
// Two prompts of different lengths, so that pad_token_id is actually fed (left padding).
const prompts = [[1, 2, 3], [4]];

function isOutOfRange(field: string, value: number) {
  return (e: unknown) =>
    e instanceof InkwellError &&
    e.code === 'invalid-config' &&
    e.message === `${field} = ${value} is out of range: must be < ${WIDTH} (the model's vocabulary)`;
}

describe('config token ids beyond the logits width', () => {
  // [config, field named, offending id]; WIDTH itself is the first id out of range.
  const cases: [Record<string, unknown>, string, number][] = [
    [{ pad_token_id: WIDTH }, 'pad_token_id', WIDTH],
    [{ eos_token_id: [2, 5000] }, 'eos_token_id', 5000],
    [{ forced_bos_token_id: WIDTH }, 'forced_bos_token_id', WIDTH],
    [{ forced_eos_token_id: WIDTH }, 'forced_eos_token_id', WIDTH],
    [{ suppress_tokens: [3, WIDTH] }, 'suppress_tokens', WIDTH],
    [{ begin_suppress_tokens: [WIDTH + 1] }, 'begin_suppress_tokens', WIDTH + 1],
    [{ bad_words_ids: [[1], [2, WIDTH]] }, 'bad_words_ids[1]', WIDTH],
    [{ sequence_bias: [[[WIDTH, 1], 2]] }, 'sequence_bias[0]', WIDTH],
  ];
  for (const [json, field, value] of cases) {
    it(`rejects ${JSON.stringify(json)} before any model call`, async () => {
      const model = new FakeLanguageModel(hashLogits, { vocabSize: WIDTH });
      const config = configOf({ max_new_tokens: 2, ...json });
      await assert.rejects(generate(model, tokenizer, { prompts, config }).result(), isOutOfRange(field, value));
      assert.equal(model.forwards.length, 0);
      assert.equal(model.liveCaches, 0);
      assert.throws(() => buildLogitsPipeline(config, { width: WIDTH, tokenizerVocabSize: WIDTH, eosTokenIds: [39] }), isOutOfRange(field, value));
    });
  }

  it('accepts the last id of the width', async () => {
    const model = new FakeLanguageModel(hashLogits, { vocabSize: WIDTH });
    const config = configOf({ max_new_tokens: 2, pad_token_id: WIDTH - 1, suppress_tokens: [WIDTH - 1], sequence_bias: [[[WIDTH - 1], 1]] });
    const { sequences } = await generate(model, tokenizer, { prompts, config }).result();
    assert.deepEqual(sequences.map((s) => s.tokenIds.length), [2, 2]);
  });
});
