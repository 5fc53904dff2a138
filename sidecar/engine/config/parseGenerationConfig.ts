import { shorten } from '../echoValue';
import { InkwellError } from '../InkwellError';
import { checkGenerationConfig } from './checkGenerationConfig';
import { checkNesting } from './checkNesting';
import { wrongType } from './configError';
import { deriveDecodingMode } from './deriveDecodingMode';
import type { GenerationConfig } from './GenerationConfig';
import {
  fieldKinds,
  fieldTypeWords,
  generationConfigFields,
  generationConfigSchema,
  isGenerationConfigKey,
  metadataKeys,
  type GenerationConfigJson,
} from './generationConfigSchema';
import { parseWatermarkingConfig } from './WatermarkingConfig';

export interface ParsedGenerationConfig {
  readonly config: GenerationConfig;
  /**
   * One line per unknown key (kept in config.extra and written back) and per sampling field
   * set without do_sample, as HF warns.
   */
  readonly warnings: readonly string[];
}

/**
 * Validates generation_config.json content (already JSON-parsed) into a frozen GenerationConfig.
 * Missing fields get HF's defaults. Throws InkwellError('invalid-config') naming the field.
 */
export function parseGenerationConfig(json: unknown): ParsedGenerationConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw wrongType('generation_config', json, 'a JSON object');
  }
  // JSON.parse makes "__proto__" an own key; kept as an extra, assigning it would replace the
  // extras' prototype instead, so the key would vanish without a word.
  if (Object.hasOwn(json, '__proto__')) {
    throw new InkwellError('invalid-config', '__proto__ is not a generation config field', { details: { field: '__proto__' } });
  }
  checkNesting(json);
  const parsed = generationConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? 'generation_config');
    const value = (json as Record<string, unknown>)[key];
    const expected = isGenerationConfigKey(key) ? (fieldTypeWords[key] ?? articleFor(fieldKinds[key])) : 'valid';
    throw wrongType(key, value, expected);
  }
  const extra: Record<string, unknown> = {};
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (isGenerationConfigKey(key)) continue;
    extra[key] = value;
    if (!metadataKeys.includes(key)) warnings.push(`generation config: unknown key "${shorten(key, 100)}" kept as is`);
  }
  const config = toGenerationConfig(parsed.data, extra);
  warnings.push(...checkGenerationConfig(config));
  return { config: deepFreeze(config), warnings };
}

function toGenerationConfig(j: GenerationConfigJson, extra: Record<string, unknown>): GenerationConfig {
  const base = {
    maxLength: j.max_length ?? 20,
    maxNewTokens: j.max_new_tokens ?? undefined,
    minLength: j.min_length ?? 0,
    minNewTokens: j.min_new_tokens ?? undefined,
    earlyStopping: j.early_stopping ?? false,
    maxTime: j.max_time ?? undefined,
    stopStrings: j.stop_strings == null ? [] : typeof j.stop_strings === 'string' ? [j.stop_strings] : [...j.stop_strings],
    doSample: j.do_sample ?? false,
    numBeams: j.num_beams ?? 1,
    numBeamGroups: j.num_beam_groups ?? 1,
    penaltyAlpha: j.penalty_alpha ?? undefined,
    useCache: j.use_cache ?? true,
    temperature: j.temperature ?? 1.0,
    // HF reads null as None, and top_k None turns top-k off; every other null means HF's default.
    topK: j.top_k === null ? 0 : (j.top_k ?? 50),
    topP: j.top_p ?? 1.0,
    minP: j.min_p ?? undefined,
    typicalP: j.typical_p ?? 1.0,
    epsilonCutoff: j.epsilon_cutoff ?? 0,
    etaCutoff: j.eta_cutoff ?? 0,
    diversityPenalty: j.diversity_penalty ?? 0,
    repetitionPenalty: j.repetition_penalty ?? 1.0,
    lengthPenalty: j.length_penalty ?? 1.0,
    noRepeatNgramSize: j.no_repeat_ngram_size ?? 0,
    badWordsIds: j.bad_words_ids?.map((word) => [...word]) ?? undefined,
    suppressTokens: j.suppress_tokens ? [...j.suppress_tokens] : undefined,
    beginSuppressTokens: j.begin_suppress_tokens ? [...j.begin_suppress_tokens] : undefined,
    forcedBosTokenId: j.forced_bos_token_id ?? undefined,
    // [] would force nothing yet mask the whole row (HF does that): read it as off.
    forcedEosTokenId: emptyAsUndefined(toIdList(j.forced_eos_token_id)),
    sequenceBias: j.sequence_bias?.map(([tokens, bias]) => ({ tokens: [...tokens], bias })) ?? undefined,
    exponentialDecayLengthPenalty: j.exponential_decay_length_penalty
      ? { startIndex: j.exponential_decay_length_penalty[0], decayFactor: j.exponential_decay_length_penalty[1] }
      : undefined,
    renormalizeLogits: j.renormalize_logits ?? false,
    removeInvalidValues: j.remove_invalid_values ?? false,
    watermarkingConfig: j.watermarking_config ? parseWatermarkingConfig(j.watermarking_config) : undefined,
    numReturnSequences: j.num_return_sequences ?? 1,
    outputScores: j.output_scores ?? false,
    outputLogits: j.output_logits ?? false,
    outputAttentions: j.output_attentions ?? false,
    outputHiddenStates: j.output_hidden_states ?? false,
    returnDictInGenerate: j.return_dict_in_generate ?? false,
    padTokenId: j.pad_token_id ?? undefined,
    bosTokenId: j.bos_token_id ?? undefined,
    eosTokenId: toIdList(j.eos_token_id),
    assistantModel: j.assistant_model ?? undefined,
    numAssistantTokens: j.num_assistant_tokens ?? 20,
    numAssistantTokensSchedule: j.num_assistant_tokens_schedule ?? 'constant',
    // HF's default since transformers 4.45.
    assistantConfidenceThreshold: j.assistant_confidence_threshold ?? 0.4,
    promptLookupNumTokens: j.prompt_lookup_num_tokens ?? undefined,
    maxMatchingNgramSize: j.max_matching_ngram_size ?? undefined,
    seed: j.seed ?? undefined,
    outputLogprobs: j.output_logprobs ?? false,
    extra: structuredClone(extra),
  };
  return { mode: deriveDecodingMode(base), ...base };
}

/** eos_token_id: [] stays [] — the config says "no EOS" (as in HF), unlike an absent field. */
function toIdList(value: number | number[] | null | undefined): number[] | undefined {
  if (value == null) return undefined;
  return typeof value === 'number' ? [value] : [...value];
}

function emptyAsUndefined(list: number[] | undefined): number[] | undefined {
  return list?.length === 0 ? undefined : list;
}

function articleFor(kind: string): string {
  return kind === 'integer' ? 'an integer' : kind === 'json' ? 'valid JSON' : `a ${kind}`;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Every known snake_case key, in file order; used by the serializer and by mergeConfig. */
export const generationConfigKeys = Object.keys(generationConfigFields) as (keyof typeof generationConfigFields)[];
