import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPromptLength, maxPromptTokens } from '../../../../sidecar/engine/generation/checkPromptLength';
import { generate } from '../../../../sidecar/engine/generation/generate';
import { InkwellError } from '../../../../sidecar/engine/InkwellError';
import { CharTokenizer } from '../support/CharTokenizer';
import { configOf } from '../support/configOf';
import { FakeLanguageModel, hashLogits } from '../support/FakeLanguageModel';

const tokenizer = new CharTokenizer('abcdefgh');
const POSITIONS = 8;

describe('checkPromptLength: one rule for every prompt', () => {
  it('leaves one position free: at most maxPositions − 1 prompt tokens', () => {
    assert.equal(maxPromptTokens(2048), 2047);
    checkPromptLength('prompt', 2047, 2048);
    assert.throws(
      () => checkPromptLength('messages', 2048, 2048),
      (e: unknown) =>
        e instanceof InkwellError &&
        e.code === 'invalid-argument' &&
        e.message === 'messages has 2048 tokens: a model with 2048 positions takes at most 2047 (one stays for the next token)' &&
        JSON.stringify(e.details) === JSON.stringify({ field: 'messages', tokens: 2048, maxPromptTokens: 2047, maxPositions: 2048 }),
    );
  });

  // A prompt filling every position used to finish with no tokens in these modes instead of being refused.
  const modes: [string, Record<string, unknown>][] = [
    ['greedy', { max_new_tokens: 2 }],
    ['sampling', { do_sample: true, max_new_tokens: 2, seed: 1 }],
    ['beam search', { num_beams: 2, max_new_tokens: 2 }],
    ['contrastive search', { penalty_alpha: 0.5, top_k: 2, max_new_tokens: 2 }],
    ['prompt lookup', { prompt_lookup_num_tokens: 2, max_new_tokens: 2 }],
  ];
  for (const [mode, json] of modes) {
    it(`generate (${mode}) takes a prompt of maxPositions − 1 tokens and refuses one of maxPositions with the same error`, async () => {
      const model = new FakeLanguageModel(hashLogits, { vocabSize: 9, maxPositions: POSITIONS, hidden: { size: 2, fn: (_attended, position, out) => out.fill(position / 10) } });
      const fits = await generate(model, tokenizer, { prompts: [Array(POSITIONS - 1).fill(1)], config: configOf(json) }).result();
      assert.ok(fits.sequences.length > 0);
      await assert.rejects(generate(model, tokenizer, { prompts: [Array(POSITIONS).fill(1)], config: configOf(json) }).result(), (e: unknown) => {
        assert.ok(e instanceof InkwellError && e.code === 'invalid-argument', String(e));
        assert.deepEqual(e.details, { field: 'prompts[0]', tokens: POSITIONS, maxPromptTokens: POSITIONS - 1, maxPositions: POSITIONS });
        return true;
      });
    });
  }
});
