import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completionGeneration, DEFAULT_COMPLETION_MAX_NEW_TOKENS } from '../../../sidecar/completion/completionConfig';
import { fimFormat } from '../../../sidecar/completion/fimFormat';
import { configOf } from '../engine/support/configOf';

// A qwen-style vocabulary: markers by name, EOS 100.
const ids: Record<string, number> = { '<|fim_prefix|>': 101, '<|fim_suffix|>': 102, '<|fim_middle|>': 103, '<|endoftext|>': 100, '<|fim_pad|>': 104 };
const format = fimFormat({ tokenToId: (t) => ids[t] })!;
const options = { tokenizerEos: [100], format, promptLookupTokens: 0, contextTokens: 1024, maxPositions: 2048 };

describe('completionGeneration', () => {
  it('adds the default length and the FIM stop ids (end-of-text, pad and the markers themselves) to EOS, once each', () => {
    const { config, returns, budget } = completionGeneration(configOf({}), options);
    assert.equal(config.maxNewTokens, DEFAULT_COMPLETION_MAX_NEW_TOKENS);
    assert.deepEqual([...config.eosTokenId!].sort((a, b) => a - b), [100, 101, 102, 103, 104]);
    assert.equal(returns, 1);
    assert.equal(budget, 1024);
  });

  it('returns num_return_sequences sequences in sampling and every beam mode, one otherwise', () => {
    const returnsOf = (json: Record<string, unknown>) => completionGeneration(configOf(json), options).returns;
    assert.equal(returnsOf({ do_sample: true, num_return_sequences: 3 }), 3);
    assert.equal(returnsOf({ num_beams: 3, num_return_sequences: 2 }), 2);
    assert.equal(returnsOf({ num_beams: 4, num_beam_groups: 2, diversity_penalty: 1, num_return_sequences: 4 }), 4);
    assert.equal(returnsOf({ do_sample: true, num_beams: 2, num_return_sequences: 2 }), 2);
    assert.equal(returnsOf({ penalty_alpha: 0.6, top_k: 4 }), 1);
  });

  it('drafts by prompt lookup only for one sequence from a token-at-a-time mode', () => {
    const lookupOf = (json: Record<string, unknown>) => completionGeneration(configOf(json), { ...options, promptLookupTokens: 5 }).config.promptLookupNumTokens;
    assert.equal(lookupOf({}), 5);
    assert.equal(lookupOf({ do_sample: true }), 5);
    assert.equal(lookupOf({ num_beams: 2 }), undefined);
    assert.equal(lookupOf({ penalty_alpha: 0.6, top_k: 4 }), undefined);
    assert.equal(lookupOf({ do_sample: true, num_return_sequences: 2 }), undefined);
    // The same rule says which completions may reuse the document's KV cache and draft.
    const stepwiseOf = (json: Record<string, unknown>) => completionGeneration(configOf(json), options).stepwise;
    assert.deepEqual([{}, { do_sample: true }, { prompt_lookup_num_tokens: 3 }].map(stepwiseOf), [true, true, true]);
    assert.deepEqual([{ num_beams: 2 }, { penalty_alpha: 0.6, top_k: 4 }, { do_sample: true, num_return_sequences: 2 }].map(stepwiseOf), [false, false, false]);
  });

  it('keeps room for the new tokens within the positions, never below 16 prompt tokens', () => {
    assert.equal(completionGeneration(configOf({ max_new_tokens: 100 }), { ...options, maxPositions: 512 }).budget, 411);
    assert.equal(completionGeneration(configOf({ max_new_tokens: 100 }), { ...options, maxPositions: 64 }).budget, 16);
  });

  it('never gives a prompt more tokens than the one rule allows every request (positions − 1), even below 16', () => {
    assert.equal(completionGeneration(configOf({ max_new_tokens: 4 }), { ...options, maxPositions: 8 }).budget, 7);
    assert.equal(completionGeneration(configOf({}), { ...options, maxPositions: 12 }).budget, 11);
  });
});
