import type { GenerationConfig } from './GenerationConfig';
import type { GenerationConfigJson } from './generationConfigSchema';
import { parseGenerationConfig } from './parseGenerationConfig';
import { watermarkingConfigJson } from './WatermarkingConfig';

/**
 * Back to generation_config.json's snake_case shape. By default only values that differ from
 * HF's defaults are written (like HF's use_diff), followed by unknown keys kept from parsing.
 */
export function serializeGenerationConfig(
  config: GenerationConfig,
  options: { includeDefaults?: boolean } = {},
): Record<string, unknown> {
  const full = toJson(config);
  const defaults = options.includeDefaults ? undefined : defaultJson();
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(full)) {
    if (value === undefined) continue;
    if (defaults && JSON.stringify(defaults[key]) === JSON.stringify(value)) continue;
    out[key] = value;
  }
  for (const [key, value] of Object.entries(config.extra)) if (!(key in out)) out[key] = structuredClone(value);
  return out;
}

let cachedDefaults: Record<string, unknown> | undefined;
function defaultJson(): Record<string, unknown> {
  cachedDefaults ??= toJson(parseGenerationConfig({}).config);
  return cachedDefaults;
}

function toJson(c: GenerationConfig): { [K in keyof GenerationConfigJson]-?: unknown } & Record<string, unknown> {
  const ids = (list: readonly number[] | undefined) => (list === undefined ? undefined : list.length === 1 ? list[0] : [...list]);
  return {
    max_length: c.maxLength,
    max_new_tokens: c.maxNewTokens,
    min_length: c.minLength,
    min_new_tokens: c.minNewTokens,
    early_stopping: c.earlyStopping,
    max_time: c.maxTime,
    stop_strings: c.stopStrings.length === 0 ? undefined : [...c.stopStrings],
    do_sample: c.doSample,
    num_beams: c.numBeams,
    num_beam_groups: c.numBeamGroups,
    penalty_alpha: c.penaltyAlpha,
    use_cache: c.useCache,
    temperature: c.temperature,
    top_k: c.topK,
    top_p: c.topP,
    min_p: c.minP,
    typical_p: c.typicalP,
    epsilon_cutoff: c.epsilonCutoff,
    eta_cutoff: c.etaCutoff,
    diversity_penalty: c.diversityPenalty,
    repetition_penalty: c.repetitionPenalty,
    length_penalty: c.lengthPenalty,
    no_repeat_ngram_size: c.noRepeatNgramSize,
    bad_words_ids: c.badWordsIds?.map((word) => [...word]),
    suppress_tokens: c.suppressTokens && [...c.suppressTokens],
    begin_suppress_tokens: c.beginSuppressTokens && [...c.beginSuppressTokens],
    forced_bos_token_id: c.forcedBosTokenId,
    forced_eos_token_id: ids(c.forcedEosTokenId),
    sequence_bias: c.sequenceBias?.map((entry) => [[...entry.tokens], entry.bias]),
    exponential_decay_length_penalty: c.exponentialDecayLengthPenalty && [
      c.exponentialDecayLengthPenalty.startIndex,
      c.exponentialDecayLengthPenalty.decayFactor,
    ],
    renormalize_logits: c.renormalizeLogits,
    remove_invalid_values: c.removeInvalidValues,
    watermarking_config: c.watermarkingConfig && watermarkingConfigJson(c.watermarkingConfig),
    num_return_sequences: c.numReturnSequences,
    output_scores: c.outputScores,
    output_logits: c.outputLogits,
    output_attentions: c.outputAttentions,
    output_hidden_states: c.outputHiddenStates,
    return_dict_in_generate: c.returnDictInGenerate,
    pad_token_id: c.padTokenId,
    bos_token_id: c.bosTokenId,
    eos_token_id: ids(c.eosTokenId),
    assistant_model: c.assistantModel,
    num_assistant_tokens: c.numAssistantTokens,
    num_assistant_tokens_schedule: c.numAssistantTokensSchedule,
    assistant_confidence_threshold: c.assistantConfidenceThreshold,
    prompt_lookup_num_tokens: c.promptLookupNumTokens,
    max_matching_ngram_size: c.maxMatchingNgramSize,
    seed: c.seed,
    output_logprobs: c.outputLogprobs,
  };
}
