import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildLogitsPipeline } from '../../../../sidecar/engine/processors/buildLogitsPipeline';
import { configOf } from '../support/configOf';

it('buildLogitsPipeline: pins HF _get_logits_processor order (processors, then warpers when sampling)', () => {
  const config = configOf({
    do_sample: true,
    sequence_bias: [[[1], 1]],
    repetition_penalty: 1.2,
    no_repeat_ngram_size: 3,
    bad_words_ids: [[5]],
    min_length: 4,
    min_new_tokens: 2,
    forced_bos_token_id: 1,
    forced_eos_token_id: 2,
    remove_invalid_values: true,
    exponential_decay_length_penalty: [5, 1.1],
    suppress_tokens: [6],
    begin_suppress_tokens: [7],
    temperature: 0.7,
    top_k: 40,
    top_p: 0.9,
    min_p: 0.05,
    typical_p: 0.9,
    epsilon_cutoff: 0.001,
    eta_cutoff: 0.001,
    renormalize_logits: true,
  });
  const names = buildLogitsPipeline(config, { width: 12, tokenizerVocabSize: 10, eosTokenIds: [2] }).processors.map((p) => p.name);
  assert.deepEqual(names, [
    'vocab-mask',
    'sequence-bias',
    'repetition-penalty',
    'no-repeat-ngram',
    'bad-words',
    'min-length',
    'min-new-tokens',
    'forced-bos',
    'forced-eos',
    'remove-invalid-values',
    'exponential-decay-length-penalty',
    'suppress-tokens',
    'begin-suppress-tokens',
    'temperature',
    'top-k',
    'top-p',
    'min-p',
    'typical-p',
    'epsilon-cutoff',
    'eta-cutoff',
    'renormalize',
  ]);
});

it('buildLogitsPipeline: greedy skips warpers; defaults add nothing', () => {
  const greedy = configOf({ temperature: 0.5, top_k: 5, top_p: 0.5, repetition_penalty: 1.3 });
  assert.deepEqual(
    buildLogitsPipeline(greedy, { width: 10, tokenizerVocabSize: 10, eosTokenIds: [2] }).processors.map((p) => p.name),
    ['repetition-penalty'],
  );
  // HF's defaults with do_sample: top_k = 50 is the only active warper.
  const sample = configOf({ do_sample: true });
  assert.deepEqual(
    buildLogitsPipeline(sample, { width: 10, tokenizerVocabSize: 10, eosTokenIds: [] }).processors.map((p) => p.name),
    ['top-k'],
  );
});
