import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InkwellError } from '../../../../sidecar/engine/InkwellError';
import { parseGenerationConfig } from '../../../../sidecar/engine/config/parseGenerationConfig';
import { serializeGenerationConfig } from '../../../../sidecar/engine/config/serializeGenerationConfig';

function rejects(json: Record<string, unknown>, field: string, fragment: string): void {
  assert.throws(
    () => parseGenerationConfig(json),
    (error: unknown) => {
      assert.ok(error instanceof InkwellError, 'an InkwellError');
      assert.equal(error.code, 'invalid-config');
      assert.equal(error.details.field, field, error.message);
      assert.ok(error.message.startsWith(field), `message names the field: ${error.message}`);
      assert.ok(error.message.includes(fragment), `"${error.message}" should include "${fragment}"`);
      return true;
    },
  );
}

describe('parseGenerationConfig', () => {
  it('fills in HF defaults and derives greedy mode', () => {
    const { config, warnings } = parseGenerationConfig({});
    assert.deepEqual(warnings, []);
    assert.equal(config.mode, 'greedy');
    assert.equal(config.maxLength, 20);
    assert.equal(config.maxNewTokens, undefined);
    assert.equal(config.temperature, 1);
    assert.equal(config.topK, 50);
    assert.equal(config.topP, 1);
    assert.equal(config.typicalP, 1);
    assert.equal(config.epsilonCutoff, 0);
    assert.equal(config.etaCutoff, 0);
    assert.equal(config.repetitionPenalty, 1);
    assert.equal(config.numReturnSequences, 1);
    assert.equal(config.eosTokenId, undefined);
    assert.deepEqual(config.stopStrings, []);
  });

  it('reads a typical Qwen generation_config.json into camelCase, with eos as a list', () => {
    const { config } = parseGenerationConfig({
      bos_token_id: 151643,
      do_sample: true,
      eos_token_id: [151645, 151643],
      pad_token_id: 151643,
      temperature: 0.6,
      top_k: 20,
      top_p: 0.95,
      transformers_version: '4.51.0',
    });
    assert.equal(config.mode, 'sample');
    assert.deepEqual(config.eosTokenId, [151645, 151643]);
    assert.equal(config.padTokenId, 151643);
    assert.equal(config.temperature, 0.6);
    assert.deepEqual(config.extra, { transformers_version: '4.51.0' });
  });

  it('accepts a single eos id and a single stop string', () => {
    const { config } = parseGenerationConfig({ eos_token_id: 2, stop_strings: 'END' });
    assert.deepEqual(config.eosTokenId, [2]);
    assert.deepEqual(config.stopStrings, ['END']);
  });

  it('is deeply frozen', () => {
    const { config } = parseGenerationConfig({ eos_token_id: [1, 2], sequence_bias: [[[3, 4], 1.5]] });
    assert.ok(Object.isFrozen(config));
    assert.ok(Object.isFrozen(config.eosTokenId));
    assert.ok(Object.isFrozen(config.sequenceBias?.[0]?.tokens));
    assert.throws(() => (config.eosTokenId as number[]).push(3));
  });

  it('derives the decoding mode the way HF does', () => {
    const mode = (json: Record<string, unknown>) => parseGenerationConfig(json).config.mode;
    assert.equal(mode({ do_sample: true }), 'sample');
    assert.equal(mode({ num_beams: 4 }), 'beam');
    assert.equal(mode({ num_beams: 4, do_sample: true }), 'beam-sample');
    assert.equal(mode({ num_beams: 4, num_beam_groups: 2, diversity_penalty: 0.5 }), 'group-beam');
    assert.equal(mode({ penalty_alpha: 0.6, top_k: 4 }), 'contrastive');
    assert.equal(mode({ penalty_alpha: 0.6, top_k: 1 }), 'greedy');
    assert.equal(mode({ prompt_lookup_num_tokens: 10 }), 'assisted');
    assert.equal(mode({ assistant_model: 'tiny', do_sample: true }), 'assisted');
  });

  it('keeps unknown keys, warns about them, and writes them back', () => {
    const { config, warnings } = parseGenerationConfig({ do_sample: true, top_p: 0.9, chat_format: 'x', _from_model_config: true });
    assert.deepEqual(warnings, ['generation config: unknown key "chat_format" kept as is']);
    assert.deepEqual(serializeGenerationConfig(config), { do_sample: true, top_p: 0.9, chat_format: 'x', _from_model_config: true });
  });

  it('round-trips through the snake_case file format', () => {
    const file = {
      max_new_tokens: 64,
      min_new_tokens: 2,
      do_sample: true,
      temperature: 0.7,
      top_k: 20,
      top_p: 0.8,
      min_p: 0.05,
      repetition_penalty: 1.1,
      no_repeat_ngram_size: 3,
      bad_words_ids: [[5], [6, 7]],
      suppress_tokens: [9],
      begin_suppress_tokens: [10],
      sequence_bias: [[[1, 2], -1.5]],
      exponential_decay_length_penalty: [8, 1.2],
      forced_eos_token_id: [1, 2],
      eos_token_id: [151645, 151643],
      pad_token_id: 151643,
      stop_strings: ['\n\n', 'END'],
      num_return_sequences: 3,
      seed: 42,
      output_logprobs: true,
      max_time: 2.5,
      transformers_version: '4.51.0',
    };
    const { config } = parseGenerationConfig(file);
    const written = serializeGenerationConfig(config);
    assert.deepEqual(written, file);
    assert.deepEqual(parseGenerationConfig(written).config, config);
    const full = serializeGenerationConfig(config, { includeDefaults: true });
    assert.equal(full.top_k, 20);
    assert.equal(full.typical_p, 1);
    assert.deepEqual(parseGenerationConfig(full).config, config);
  });

  it('treats null as absent, as HF files often spell it', () => {
    const { config } = parseGenerationConfig({ max_new_tokens: null, top_p: null, temperature: null, eos_token_id: null });
    assert.equal(config.maxNewTokens, undefined);
    assert.equal(config.topP, 1);
    assert.equal(config.temperature, 1);
    assert.equal(config.eosTokenId, undefined);
  });

  it('reads top_k null as top-k off (HF: None disables it), absent as 50', () => {
    assert.equal(parseGenerationConfig({ top_k: null, do_sample: true }).config.topK, 0);
    assert.equal(parseGenerationConfig({ do_sample: true }).config.topK, 50);
  });

  it('keeps eos_token_id [] as "no EOS", distinct from absent; forced_eos_token_id [] is off', () => {
    const { config } = parseGenerationConfig({ eos_token_id: [], forced_eos_token_id: [] });
    assert.deepEqual(config.eosTokenId, []);
    assert.equal(config.forcedEosTokenId, undefined);
    assert.deepEqual(serializeGenerationConfig(config), { eos_token_id: [] });
    assert.equal(parseGenerationConfig({}).config.eosTokenId, undefined);
  });

  it('accepts in-range sampling-only values without do_sample, as HF does, with one warning each', () => {
    const { config, warnings } = parseGenerationConfig({
      do_sample: false,
      temperature: 0.2,
      top_p: 0.5,
      top_k: 10,
      min_p: 0.1,
      typical_p: 0.9,
      epsilon_cutoff: 0.001,
      eta_cutoff: 0.002,
    });
    assert.equal(config.mode, 'greedy');
    assert.equal(config.temperature, 0.2);
    assert.equal(config.topP, 0.5);
    const unused = (field: string, value: number) => `generation config: ${field} = ${value} has no effect without do_sample = true`;
    assert.deepEqual(warnings, [
      unused('temperature', 0.2),
      unused('top_k', 10),
      unused('top_p', 0.5),
      unused('min_p', 0.1),
      unused('typical_p', 0.9),
      unused('epsilon_cutoff', 0.001),
      unused('eta_cutoff', 0.002),
    ]);
    // HF's defaults (and top_k 0 = off) say nothing.
    assert.deepEqual(parseGenerationConfig({ temperature: 1, top_p: 1, top_k: 50 }).warnings, []);
    assert.deepEqual(parseGenerationConfig({ top_k: null }).warnings, []);
  });

  // The panel refuses these whatever do_sample says; so do files, --set and setConfig.
  const outOfRangeWithoutSampling: [Record<string, unknown>, string, string][] = [
    [{ top_p: 2 }, 'top_p', 'top_p = 2 is out of range: must be > 0 and <= 1'],
    [{ temperature: -1 }, 'temperature', 'temperature = -1 is out of range: must be > 0'],
    [{ do_sample: false, temperature: 0 }, 'temperature', 'leave it unset'],
    [{ top_k: -1 }, 'top_k', 'top_k = -1 is out of range: must be >= 0'],
    [{ min_p: 2 }, 'min_p', 'must be >= 0 and <= 1'],
    [{ typical_p: 0 }, 'typical_p', 'must be > 0 and <= 1'],
    [{ epsilon_cutoff: 1 }, 'epsilon_cutoff', 'must be >= 0 and < 1'],
    [{ eta_cutoff: -0.5 }, 'eta_cutoff', 'must be >= 0 and < 1'],
  ];
  for (const [json, field, fragment] of outOfRangeWithoutSampling) {
    it(`refuses ${JSON.stringify(json)} without do_sample too, naming ${field} and its range`, () => rejects(json, field, fragment));
  }

  it('warns about search fields the mode never reads, as HF validate() does', () => {
    const warningsOf = (json: Record<string, unknown>) => parseGenerationConfig(json).warnings;
    assert.deepEqual(warningsOf({ early_stopping: true, length_penalty: 2, diversity_penalty: 0.5, penalty_alpha: 0.6, top_k: 1 }), [
      'generation config: early_stopping = true has no effect without num_beams > 1',
      'generation config: length_penalty = 2 has no effect without num_beams > 1',
      'generation config: diversity_penalty = 0.5 has no effect without num_beam_groups > 1',
      'generation config: penalty_alpha = 0.6 has no effect unless top_k > 1, do_sample = false and num_beams = 1 (contrastive search)',
    ]);
    // Each read by its mode: no warning.
    assert.deepEqual(warningsOf({ num_beams: 4, early_stopping: 'never', length_penalty: 2 }), []);
    assert.deepEqual(warningsOf({ num_beams: 4, num_beam_groups: 2, diversity_penalty: 0.5 }), []);
    assert.deepEqual(warningsOf({ penalty_alpha: 0.6, top_k: 4 }), []);
  });

  it('still checks top_k without do_sample when contrastive search reads it', () => {
    rejects({ penalty_alpha: 0.6, top_k: -1 }, 'top_k', 'must be >= 0');
  });

  it('rejects a wrong type naming the field, the value and the type', () => {
    rejects({ top_p: 'high' }, 'top_p', 'top_p = "high" has the wrong type: must be a number');
    rejects({ top_k: 2.5 }, 'top_k', 'must be an integer');
    rejects({ do_sample: 'yes' }, 'do_sample', 'must be a boolean');
    rejects({ eos_token_id: 'x' }, 'eos_token_id', 'a token id or a list of token ids');
    rejects({ stop_strings: [1] }, 'stop_strings', 'a string or a list of strings');
    rejects({ sequence_bias: { '1': 2 } }, 'sequence_bias', 'a list of [[token ids], bias] pairs');
    assert.throws(() => parseGenerationConfig([]), /generation_config = \[\] has the wrong type/);
  });

  // One row per range rule: [json, field named, text of the allowed range].
  const ranges: [Record<string, unknown>, string, string][] = [
    [{ max_length: 0 }, 'max_length', 'max_length = 0 is out of range: must be >= 1'],
    [{ max_new_tokens: 0 }, 'max_new_tokens', 'max_new_tokens = 0 is out of range: must be >= 1'],
    [{ min_length: -1 }, 'min_length', 'must be >= 0'],
    [{ min_new_tokens: -1 }, 'min_new_tokens', 'must be >= 0'],
    [{ min_new_tokens: 9, max_new_tokens: 8 }, 'min_new_tokens', 'must be <= max_new_tokens (8)'],
    [{ min_length: 30 }, 'min_length', 'must be <= max_length (20)'],
    [{ max_time: 0 }, 'max_time', 'must be > 0'],
    [{ stop_strings: ['a', ''] }, 'stop_strings[1]', 'must be a non-empty string'],
    [{ num_beams: 0 }, 'num_beams', 'must be >= 1'],
    [{ num_beam_groups: 0 }, 'num_beam_groups', 'must be >= 1'],
    [{ num_beams: 4, num_beam_groups: 3 }, 'num_beam_groups', 'must divide num_beams (4)'],
    [{ penalty_alpha: 1.5 }, 'penalty_alpha', 'must be >= 0 and <= 1'],
    [{ diversity_penalty: -1 }, 'diversity_penalty', 'must be >= 0'],
    [{ num_beams: 65 }, 'num_beams', 'must be <= 64'],
    [{ do_sample: true, num_return_sequences: 1000 }, 'num_return_sequences', 'must be <= 256'],
    [{ do_sample: true, temperature: 0 }, 'temperature', 'temperature = 0 is out of range: must be > 0'],
    [{ do_sample: true, temperature: -0.5 }, 'temperature', 'must be > 0'],
    [{ do_sample: true, top_k: -1 }, 'top_k', 'must be >= 0'],
    [{ do_sample: true, top_p: 1.5 }, 'top_p', 'top_p = 1.5 is out of range: must be > 0 and <= 1'],
    [{ do_sample: true, top_p: 0 }, 'top_p', 'must be > 0 and <= 1'],
    [{ do_sample: true, min_p: 1.1 }, 'min_p', 'must be >= 0 and <= 1'],
    [{ do_sample: true, min_p: -0.1 }, 'min_p', 'must be >= 0 and <= 1'],
    [{ do_sample: true, typical_p: 0 }, 'typical_p', 'must be > 0 and <= 1'],
    [{ do_sample: true, typical_p: 1.2 }, 'typical_p', 'must be > 0 and <= 1'],
    [{ do_sample: true, epsilon_cutoff: 1 }, 'epsilon_cutoff', 'must be >= 0 and < 1'],
    [{ do_sample: true, epsilon_cutoff: -0.1 }, 'epsilon_cutoff', 'must be >= 0 and < 1'],
    [{ do_sample: true, eta_cutoff: 1 }, 'eta_cutoff', 'must be >= 0 and < 1'],
    [{ repetition_penalty: 0 }, 'repetition_penalty', 'must be > 0'],
    [{ no_repeat_ngram_size: -2 }, 'no_repeat_ngram_size', 'must be >= 0'],
    [{ bad_words_ids: [] }, 'bad_words_ids', 'must not be empty'],
    [{ bad_words_ids: [[1], []] }, 'bad_words_ids[1]', 'non-empty list of token ids'],
    [{ bad_words_ids: [[-3]] }, 'bad_words_ids[0]', 'token ids must be >= 0'],
    [{ suppress_tokens: [-1] }, 'suppress_tokens', 'token ids must be >= 0'],
    [{ begin_suppress_tokens: [-1] }, 'begin_suppress_tokens', 'token ids must be >= 0'],
    [{ forced_bos_token_id: -1 }, 'forced_bos_token_id', 'token ids must be >= 0'],
    [{ forced_eos_token_id: [-1] }, 'forced_eos_token_id', 'token ids must be >= 0'],
    [{ sequence_bias: [[[], 1]] }, 'sequence_bias[0]', 'at least one token id'],
    [{ exponential_decay_length_penalty: [-1, 1.1] }, 'exponential_decay_length_penalty[0]', 'must be >= 0'],
    [{ exponential_decay_length_penalty: [2, 0] }, 'exponential_decay_length_penalty[1]', 'must be > 0'],
    [{ num_return_sequences: 0 }, 'num_return_sequences', 'must be >= 1'],
    [{ num_return_sequences: 2 }, 'num_return_sequences', 'must be 1 with greedy decoding'],
    [{ num_beams: 2, num_return_sequences: 3 }, 'num_return_sequences', 'must be <= num_beams (2)'],
    [{ pad_token_id: -1 }, 'pad_token_id', 'token ids must be >= 0'],
    [{ bos_token_id: -1 }, 'bos_token_id', 'token ids must be >= 0'],
    [{ eos_token_id: [2, -1] }, 'eos_token_id', 'token ids must be >= 0'],
    [{ num_assistant_tokens: 0 }, 'num_assistant_tokens', 'must be >= 1'],
    [{ prompt_lookup_num_tokens: 0 }, 'prompt_lookup_num_tokens', 'must be >= 1'],
    [{ max_matching_ngram_size: 0 }, 'max_matching_ngram_size', 'must be >= 1'],
    [{ seed: -1 }, 'seed', 'must be >= 0 and <= 4294967295'],
    [{ seed: 2 ** 32 }, 'seed', 'must be >= 0 and <= 4294967295'],
  ];
  for (const [json, field, fragment] of ranges) {
    it(`rejects ${JSON.stringify(json)} naming ${field}`, () => rejects(json, field, fragment));
  }

  it('a number too large to be an exact integer is out of range, not of the wrong type', () => {
    rejects({ max_new_tokens: 1e20 }, 'max_new_tokens', 'max_new_tokens = 100000000000000000000 is out of range: must be >= 1 and <= 9007199254740991');
    rejects({ top_k: 2 ** 53 }, 'top_k', 'must be >= 0 and <= 9007199254740991');
    rejects({ eos_token_id: [2, 1e20] }, 'eos_token_id', 'token ids must be >= 0 and <= 9007199254740991');
    rejects({ num_beams: 1e20 }, 'num_beams', 'must be <= 64');
    // JSON.parse reads 1e400 as Infinity.
    rejects(JSON.parse('{"max_length": 1e400}'), 'max_length', 'max_length = Infinity is out of range: must be >= 1 and <= 9007199254740991');
    rejects(JSON.parse('{"do_sample": true, "top_p": 1e400}'), 'top_p', 'must be > 0 and <= 1');
    // A fraction in an integer field is still the wrong type.
    rejects({ max_new_tokens: 2.5 }, 'max_new_tokens', 'has the wrong type: must be an integer');
  });

  it('refuses "__proto__" like any key that cannot be kept, instead of dropping it silently', () => {
    const json = JSON.parse('{"__proto__": {"top_p": 0.5}, "max_new_tokens": 4}') as Record<string, unknown>;
    rejects(json, '__proto__', '__proto__ is not a generation config field');
  });

  it('refuses a value nested deeper than 32 levels, naming its key, without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5000; i++) deep = [deep];
    rejects({ max_new_tokens: 4, chat_format: deep }, 'chat_format', 'chat_format is nested too deeply: a generation config value may nest at most 32 levels');
    rejects({ stop_strings: deep }, 'stop_strings', 'nested too deeply');
    let ok: unknown = 'leaf';
    for (let i = 0; i < 32; i++) ok = { a: ok };
    assert.doesNotThrow(() => parseGenerationConfig({ extra_key: ok }));
  });

  it('accepts the edges of every range', () => {
    const { config } = parseGenerationConfig({
      do_sample: true,
      top_p: 1,
      min_p: 0,
      typical_p: 1,
      epsilon_cutoff: 0,
      eta_cutoff: 0,
      top_k: 0,
      seed: 4294967295,
      num_return_sequences: 5,
      min_new_tokens: 4,
      max_new_tokens: 4,
    });
    assert.equal(config.seed, 4294967295);
  });
});
