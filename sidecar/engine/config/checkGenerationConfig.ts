import { configConflict, formatValue, outOfRange } from './configError';
import { isBeamMode } from './deriveDecodingMode';
import type { GenerationConfig } from './GenerationConfig';

const UINT32_MAX = 0xffff_ffff;
/** Most beams one generation may ask for: each is scored over the whole vocabulary every step. */
const MAX_BEAMS = 64;
/** Most sequences one generation may return (batched sampling, e.g. statistics, is a real use). */
const MAX_RETURN_SEQUENCES = 256;
/** HF's own error text suggests temperature 0 for greedy decoding; say what to write instead. */
const GREEDY_TEMPERATURE = ' (greedy decoding, do_sample = false, reads no temperature: leave it unset)';

/**
 * Range and cross-field rules. HF only warns about many of these and fails later inside a
 * processor; we refuse them up front so that a bad preset or `--set` fails with the field name.
 * Throws the first violation as InkwellError('invalid-config'); returns warning lines.
 */
export function checkGenerationConfig(c: GenerationConfig): string[] {
  count('max_length', c.maxLength, 1);
  if (c.maxNewTokens !== undefined) count('max_new_tokens', c.maxNewTokens, 1);
  count('min_length', c.minLength, 0);
  if (c.minNewTokens !== undefined) count('min_new_tokens', c.minNewTokens, 0);
  if (c.maxNewTokens !== undefined && c.minNewTokens !== undefined && c.minNewTokens > c.maxNewTokens) {
    throw outOfRange('min_new_tokens', c.minNewTokens, `must be <= max_new_tokens (${c.maxNewTokens})`);
  }
  if (c.maxNewTokens === undefined && c.minLength > c.maxLength) {
    throw outOfRange('min_length', c.minLength, `must be <= max_length (${c.maxLength})`);
  }
  if (c.maxTime !== undefined) positive('max_time', c.maxTime);
  c.stopStrings.forEach((s, i) => {
    if (s.length === 0) throw outOfRange(`stop_strings[${i}]`, s, 'must be a non-empty string');
  });

  // Inkwell's limits (HF has none): every beam and every returned sequence holds its own KV-cache
  // row and logits row, so a mistyped 10000 would exhaust memory instead of failing clearly.
  atMost('num_beams', c.numBeams, MAX_BEAMS);
  count('num_beams', c.numBeams, 1);
  count('num_beam_groups', c.numBeamGroups, 1);
  if (c.numBeamGroups > c.numBeams || c.numBeams % c.numBeamGroups !== 0) {
    throw outOfRange('num_beam_groups', c.numBeamGroups, `must divide num_beams (${c.numBeams})`);
  }
  if (c.penaltyAlpha !== undefined) between('penalty_alpha', c.penaltyAlpha, 0, 1, true, true);
  if (!(c.diversityPenalty >= 0 && Number.isFinite(c.diversityPenalty))) {
    throw outOfRange('diversity_penalty', c.diversityPenalty, 'must be >= 0');
  }
  if (c.numBeamGroups > 1) {
    // HF refuses both: sampling has no diverse variant, and without a penalty the groups are copies.
    if (c.doSample) throw configConflict('do_sample', c.doSample, 'must be false with num_beam_groups > 1: diverse beam search does not sample');
    if (!(c.diversityPenalty > 0)) {
      throw outOfRange('diversity_penalty', c.diversityPenalty, `must be > 0 with num_beam_groups = ${c.numBeamGroups} (otherwise every group finds the same beams)`);
    }
  }

  const warnings = [...checkSamplingFields(c), ...unusedSearchFields(c)];
  positive('repetition_penalty', c.repetitionPenalty);
  if (!Number.isFinite(c.lengthPenalty)) throw outOfRange('length_penalty', c.lengthPenalty, 'must be a finite number');
  count('no_repeat_ngram_size', c.noRepeatNgramSize, 0);

  c.badWordsIds?.forEach((word, i) => {
    if (word.length === 0) throw outOfRange(`bad_words_ids[${i}]`, word, 'must be a non-empty list of token ids');
    tokenIds(`bad_words_ids[${i}]`, word);
  });
  if (c.badWordsIds?.length === 0) throw outOfRange('bad_words_ids', c.badWordsIds, 'must not be empty');
  if (c.suppressTokens) tokenIds('suppress_tokens', c.suppressTokens);
  if (c.beginSuppressTokens) tokenIds('begin_suppress_tokens', c.beginSuppressTokens);
  if (c.forcedBosTokenId !== undefined) tokenIds('forced_bos_token_id', [c.forcedBosTokenId]);
  if (c.forcedEosTokenId) tokenIds('forced_eos_token_id', c.forcedEosTokenId);
  c.sequenceBias?.forEach((entry, i) => {
    if (entry.tokens.length === 0) throw outOfRange(`sequence_bias[${i}]`, entry.tokens, 'must name at least one token id');
    tokenIds(`sequence_bias[${i}]`, entry.tokens);
    if (!Number.isFinite(entry.bias)) throw outOfRange(`sequence_bias[${i}]`, entry.bias, 'bias must be a finite number');
  });
  const decay = c.exponentialDecayLengthPenalty;
  if (decay) {
    count('exponential_decay_length_penalty[0]', decay.startIndex, 0);
    positive('exponential_decay_length_penalty[1]', decay.decayFactor);
  }

  atMost('num_return_sequences', c.numReturnSequences, MAX_RETURN_SEQUENCES);
  count('num_return_sequences', c.numReturnSequences, 1);
  if (c.numReturnSequences > 1 && (c.mode === 'greedy' || c.mode === 'contrastive')) {
    throw configConflict(
      'num_return_sequences',
      c.numReturnSequences,
      'is out of range: must be 1 with greedy decoding (it can only return one sequence); set do_sample = true or num_beams > 1',
    );
  }
  if (c.numBeams > 1 && c.numReturnSequences > c.numBeams) {
    throw outOfRange('num_return_sequences', c.numReturnSequences, `must be <= num_beams (${c.numBeams})`);
  }

  if (c.padTokenId !== undefined) tokenIds('pad_token_id', [c.padTokenId]);
  if (c.bosTokenId !== undefined) tokenIds('bos_token_id', [c.bosTokenId]);
  if (c.eosTokenId) tokenIds('eos_token_id', c.eosTokenId);

  count('num_assistant_tokens', c.numAssistantTokens, 1);
  between('assistant_confidence_threshold', c.assistantConfidenceThreshold, 0, 1, true, true);
  if (c.promptLookupNumTokens !== undefined) count('prompt_lookup_num_tokens', c.promptLookupNumTokens, 1);
  if (c.maxMatchingNgramSize !== undefined) count('max_matching_ngram_size', c.maxMatchingNgramSize, 1);
  if (c.seed !== undefined && !(c.seed >= 0 && c.seed <= UINT32_MAX)) {
    throw outOfRange('seed', c.seed, `must be >= 0 and <= ${UINT32_MAX}`);
  }
  return warnings;
}

/**
 * The warpers' fields are read only when sampling (top_k also by contrastive search). Their
 * ranges hold in every mode, as in the panel, so that a config that is wrong stays wrong when
 * do_sample is turned on later; an in-range value the mode never reads is a warning, as HF's.
 */
function checkSamplingFields(c: GenerationConfig): string[] {
  const fields: [field: string, value: number | undefined, unused: boolean, check: (v: number) => void][] = [
    ['temperature', c.temperature, c.temperature !== 1, (v) => positive('temperature', v, c.doSample ? '' : GREEDY_TEMPERATURE)],
    // 0 (off, also what null reads as) changes nothing, so it is not worth a warning.
    ['top_k', c.topK, c.topK !== 50 && c.topK !== 0 && c.penaltyAlpha === undefined, (v) => count('top_k', v, 0)],
    ['top_p', c.topP, c.topP !== 1, (v) => between('top_p', v, 0, 1, false, true)],
    ['min_p', c.minP, c.minP !== undefined, (v) => between('min_p', v, 0, 1, true, true)],
    ['typical_p', c.typicalP, c.typicalP !== 1, (v) => between('typical_p', v, 0, 1, false, true)],
    ['epsilon_cutoff', c.epsilonCutoff, c.epsilonCutoff !== 0, (v) => between('epsilon_cutoff', v, 0, 1, true, false)],
    ['eta_cutoff', c.etaCutoff, c.etaCutoff !== 0, (v) => between('eta_cutoff', v, 0, 1, true, false)],
  ];
  const warnings: string[] = [];
  for (const [field, value, unused, check] of fields) {
    if (value === undefined) continue;
    check(value);
    if (unused && !c.doSample) warnings.push(`generation config: ${field} = ${formatValue(value)} has no effect without do_sample = true`);
  }
  return warnings;
}

/** HF's GenerationConfig.validate warnings for search fields the derived mode never reads. */
function unusedSearchFields(c: GenerationConfig): string[] {
  const beam = isBeamMode(c.mode);
  const unused: [field: string, value: unknown, when: string][] = [];
  if (!beam && c.earlyStopping !== false) unused.push(['early_stopping', c.earlyStopping, 'without num_beams > 1']);
  if (!beam && c.lengthPenalty !== 1) unused.push(['length_penalty', c.lengthPenalty, 'without num_beams > 1']);
  if (c.mode !== 'group-beam' && c.diversityPenalty !== 0) unused.push(['diversity_penalty', c.diversityPenalty, 'without num_beam_groups > 1']);
  if (c.mode !== 'contrastive' && c.penaltyAlpha !== undefined && c.penaltyAlpha > 0) {
    unused.push(['penalty_alpha', c.penaltyAlpha, 'unless top_k > 1, do_sample = false and num_beams = 1 (contrastive search)']);
  }
  return unused.map(([field, value, when]) => `generation config: ${field} = ${formatValue(value)} has no effect ${when}`);
}

function atMost(field: string, value: number, max: number): void {
  if (!(value <= max)) throw outOfRange(field, value, `must be <= ${max} (each one holds its own KV-cache row)`);
}

/** A whole-number field: at least `min`, and exact as a JSON number (1e20 is not). */
function count(field: string, value: number, min: number): void {
  if (!(value >= min)) throw outOfRange(field, value, `must be >= ${min}`);
  if (!(value <= Number.MAX_SAFE_INTEGER)) throw outOfRange(field, value, `must be >= ${min} and <= ${Number.MAX_SAFE_INTEGER}`);
}

function positive(field: string, value: number, hint = ''): void {
  if (!(value > 0 && Number.isFinite(value))) throw outOfRange(field, value, `must be > 0${hint}`);
}

function between(field: string, value: number, lo: number, hi: number, loInclusive: boolean, hiInclusive: boolean): void {
  const okLo = loInclusive ? value >= lo : value > lo;
  const okHi = hiInclusive ? value <= hi : value < hi;
  if (!(okLo && okHi)) {
    throw outOfRange(field, value, `must be ${loInclusive ? '>=' : '>'} ${lo} and ${hiInclusive ? '<=' : '<'} ${hi}`);
  }
}

function tokenIds(field: string, ids: readonly number[]): void {
  for (const id of ids) {
    if (!(id >= 0)) throw outOfRange(field, id, 'token ids must be >= 0');
    if (!(id <= Number.MAX_SAFE_INTEGER)) throw outOfRange(field, id, `token ids must be >= 0 and <= ${Number.MAX_SAFE_INTEGER}`);
  }
}
