import { configConflict, outOfRange } from './configError';
import type { GenerationConfig } from './GenerationConfig';

const UINT32_MAX = 0xffff_ffff;

/**
 * Range and cross-field rules. HF only warns about many of these and fails later inside a
 * processor; we refuse them up front so that a bad preset or `--set` fails with the field name.
 * Throws the first violation as InkwellError('invalid-config').
 */
export function checkGenerationConfig(c: GenerationConfig): void {
  atLeast('max_length', c.maxLength, 1);
  if (c.maxNewTokens !== undefined) atLeast('max_new_tokens', c.maxNewTokens, 1);
  atLeast('min_length', c.minLength, 0);
  if (c.minNewTokens !== undefined) atLeast('min_new_tokens', c.minNewTokens, 0);
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

  atLeast('num_beams', c.numBeams, 1);
  atLeast('num_beam_groups', c.numBeamGroups, 1);
  if (c.numBeamGroups > c.numBeams || c.numBeams % c.numBeamGroups !== 0) {
    throw outOfRange('num_beam_groups', c.numBeamGroups, `must divide num_beams (${c.numBeams})`);
  }
  if (c.penaltyAlpha !== undefined) between('penalty_alpha', c.penaltyAlpha, 0, 1, true, true);
  if (!(c.diversityPenalty >= 0 && Number.isFinite(c.diversityPenalty))) {
    throw outOfRange('diversity_penalty', c.diversityPenalty, 'must be >= 0');
  }

  positive('temperature', c.temperature);
  atLeast('top_k', c.topK, 0);
  between('top_p', c.topP, 0, 1, false, true);
  if (c.minP !== undefined) between('min_p', c.minP, 0, 1, true, true);
  between('typical_p', c.typicalP, 0, 1, false, true);
  between('epsilon_cutoff', c.epsilonCutoff, 0, 1, true, false);
  between('eta_cutoff', c.etaCutoff, 0, 1, true, false);
  positive('repetition_penalty', c.repetitionPenalty);
  if (!Number.isFinite(c.lengthPenalty)) throw outOfRange('length_penalty', c.lengthPenalty, 'must be a finite number');
  atLeast('no_repeat_ngram_size', c.noRepeatNgramSize, 0);

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
    atLeast('exponential_decay_length_penalty[0]', decay.startIndex, 0);
    positive('exponential_decay_length_penalty[1]', decay.decayFactor);
  }

  atLeast('num_return_sequences', c.numReturnSequences, 1);
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

  atLeast('num_assistant_tokens', c.numAssistantTokens, 1);
  if (c.promptLookupNumTokens !== undefined) atLeast('prompt_lookup_num_tokens', c.promptLookupNumTokens, 1);
  if (c.maxMatchingNgramSize !== undefined) atLeast('max_matching_ngram_size', c.maxMatchingNgramSize, 1);
  if (c.seed !== undefined && !(c.seed >= 0 && c.seed <= UINT32_MAX)) {
    throw outOfRange('seed', c.seed, `must be >= 0 and <= ${UINT32_MAX}`);
  }
}

function atLeast(field: string, value: number, min: number): void {
  if (!(value >= min)) throw outOfRange(field, value, `must be >= ${min}`);
}

function positive(field: string, value: number): void {
  if (!(value > 0 && Number.isFinite(value))) throw outOfRange(field, value, 'must be > 0');
}

function between(field: string, value: number, lo: number, hi: number, loInclusive: boolean, hiInclusive: boolean): void {
  const okLo = loInclusive ? value >= lo : value > lo;
  const okHi = hiInclusive ? value <= hi : value < hi;
  if (!(okLo && okHi)) {
    throw outOfRange(field, value, `must be ${loInclusive ? '>=' : '>'} ${lo} and ${hiInclusive ? '<=' : '<'} ${hi}`);
  }
}

function tokenIds(field: string, ids: readonly number[]): void {
  for (const id of ids) if (!(id >= 0)) throw outOfRange(field, id, 'token ids must be >= 0');
}
