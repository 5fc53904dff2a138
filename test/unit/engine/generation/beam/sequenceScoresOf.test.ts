import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from '../../../../../sidecar/engine/generation/generate';
import { sequenceScoresOf } from '../../../../../sidecar/engine/generation/beam/sequenceScoresOf';
import { CharTokenizer } from '../../support/CharTokenizer';
import { configOf } from '../../support/configOf';
import { FakeLanguageModel } from '../../support/FakeLanguageModel';

// Tokens a, b, c and EOS (id 3); every step has probabilities [.4, .3, .2, .1].
const tokenizer = new CharTokenizer('abc');
const model = () =>
  new FakeLanguageModel((_attended, _position, out) => [0.4, 0.3, 0.2, 0.1].forEach((p, v) => (out[v] = Math.log(p))), { vocabSize: 4 });

describe('sequenceScoresOf', () => {
  it('gives a beam search its scores, best first, in the order of the sequences', async () => {
    // One step with 2 beams: the two best tokens a (.4) and b (.3) are cut by max_new_tokens,
    // so each score is log p / 1.
    const config = configOf({ num_beams: 2, num_return_sequences: 2, max_new_tokens: 1, eos_token_id: [3] });
    const result = await generate(model(), tokenizer, { prompts: [[0]], config }).result();
    assert.deepEqual(result.sequences.map((s) => s.text), ['a', 'b']);
    const scores = sequenceScoresOf(result);
    assert.equal(scores?.length, 2);
    assert.ok(Math.abs(scores![0]! - Math.log(0.4)) < 1e-6);
    assert.ok(Math.abs(scores![1]! - Math.log(0.3)) < 1e-6);
  });

  it('is undefined for greedy decoding and sampling', async () => {
    for (const json of [{}, { do_sample: true, seed: 1 }]) {
      const result = await generate(model(), tokenizer, { prompts: [[0]], config: configOf({ max_new_tokens: 2, ...json }) }).result();
      assert.equal(sequenceScoresOf(result), undefined);
    }
  });
});
