import { z } from 'zod';
import type { DecodingMode, ExponentialDecayLengthPenalty, SequenceBias } from './GenerationConfig';
import { parseWatermarkingConfig, watermarkingConfigJson, type WatermarkingConfig } from './WatermarkingConfig';

/**
 * The one table of generation config fields. GenerationConfig (the camelCase type), the zod
 * schema of generation_config.json, parseGenerationConfig, serializeGenerationConfig and
 * configFieldInfo (the panel's form) are all derived from it: adding a field is one entry here
 * (plus its range rule in checkGenerationConfig when it has a range, which a test holds to
 * `range`). Entries are in the file's order (HF's GenerationConfig.__init__), which is the order
 * serializeGenerationConfig writes.
 */

/** What a field holds, in words, for type errors and for coercing `--set key=value` strings. */
export type FieldKind = 'integer' | 'number' | 'boolean' | 'string' | 'json';

export type FieldGroup = 'length' | 'strategy' | 'shaping' | 'penalties' | 'output' | 'tokens' | 'advanced';

/** The allowed range checkGenerationConfig enforces, in every mode (a test walks both ways). */
export interface FieldRange {
  readonly min?: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
}

/** How the panel's form shows a field; fields without one (output_attentions …) are not shown. */
export interface FieldForm {
  readonly group: FieldGroup;
  /** Position in the form: fields are shown by ascending order (any number between two places a new one). */
  readonly order: number;
  /** One line on what the parameter does to the text. */
  readonly help: string;
  /** Where a slider stops when the allowed range is wider or open (temperature: > 0, slider to 2). */
  readonly sliderMin?: number;
  readonly sliderMax?: number;
  readonly step?: number;
  /** The values a select offers (the form shows the field as an enum). */
  readonly options?: readonly unknown[];
}

export interface ConfigField<C extends string = string, S extends z.ZodType = z.ZodType, V = unknown> {
  /** The name inside Inkwell (GenerationConfig's key); the table's key is HF's snake_case name. */
  readonly camel: C;
  /** The JSON value's type; absent and null are allowed for every field, as in HF's files. */
  readonly schema: S;
  readonly kind: FieldKind;
  /** The expected type in words, for type errors, where `kind` alone says too little. */
  readonly typeWords?: string;
  /** The GenerationConfig value when the file leaves the field out (HF's default). */
  readonly default: V;
  /** File value (type-checked by `schema`) to GenerationConfig value. */
  read(json: z.output<S> | null | undefined): V;
  /** GenerationConfig value back to the file's; undefined is not written. */
  write(value: V): unknown;
  readonly range?: FieldRange;
  /**
   * The decoding modes whose search reads the value. do_sample, which picks between all of
   * them, lists all; the form marks a field read when sampling and otherwise at most by
   * contrastive search (top_k) as "ignored while do_sample is off".
   */
  readonly modes: readonly DecodingMode[];
  readonly form?: FieldForm;
}

/**
 * Any JSON number but NaN, even one too large to be exact (1e20) or Infinity (JSON.parse reads
 * 1e400 so): it has the right type, and checkGenerationConfig refuses it naming the range.
 */
const num = z.custom<number>((v) => typeof v === 'number' && !Number.isNaN(v));
/** A whole number in that sense; 2.5 is the wrong type. */
const int = num.refine((v) => Number.isInteger(v) || !Number.isFinite(v));
const tokenId = int;
const tokenIds = z.array(tokenId);
const oneOrMoreIds = z.union([tokenId, tokenIds]);

export const ALL_MODES: readonly DecodingMode[] = ['greedy', 'sample', 'beam', 'beam-sample', 'group-beam', 'contrastive', 'assisted'];
/** Modes that draw tokens (assisted decoding samples when do_sample is on). */
const SAMPLING: readonly DecodingMode[] = ['sample', 'beam-sample', 'assisted'];
const BEAMS: readonly DecodingMode[] = ['beam', 'beam-sample', 'group-beam'];

interface Spec<C extends string, S extends z.ZodType> {
  readonly camel: C;
  readonly schema: S;
  readonly kind: FieldKind;
  readonly typeWords?: string;
  readonly range?: FieldRange;
  /** Every mode when left out. */
  readonly modes?: readonly DecodingMode[];
  readonly form?: FieldForm;
}

/** A field whose absent or null value is HF's default, kept as is otherwise. */
function withDefault<const C extends string, S extends z.ZodType>(spec: Spec<C, S> & { readonly default: z.output<S> }): ConfigField<C, S, z.output<S>> {
  return { modes: ALL_MODES, ...spec, read: (json) => json ?? spec.default, write: (value) => value };
}

/** A field that is unset (undefined) unless the file sets it. */
function optional<const C extends string, S extends z.ZodType>(spec: Spec<C, S>): ConfigField<C, S, z.output<S> | undefined> {
  return { modes: ALL_MODES, ...spec, default: undefined, read: (json) => json ?? undefined, write: (value) => value };
}

/** A field whose GenerationConfig value has another shape than the file's. */
function custom<const C extends string, S extends z.ZodType, V>(
  spec: Spec<C, S> & { readonly default: V; read(json: z.output<S> | null | undefined): V; write(value: V): unknown },
): ConfigField<C, S, V> {
  return { modes: ALL_MODES, ...spec };
}

/** eos_token_id: [] stays [] — the config says "no EOS" (as in HF), unlike an absent field. */
function toIdList(value: number | number[] | null | undefined): readonly number[] | undefined {
  if (value == null) return undefined;
  return typeof value === 'number' ? [value] : [...value];
}

/** One id is written as a number, as HF's files have it. */
function fromIdList(list: readonly number[] | undefined): number | number[] | undefined {
  return list === undefined ? undefined : list.length === 1 ? list[0] : [...list];
}

const idLists = (lists: readonly (readonly number[])[] | undefined) => lists?.map((ids) => [...ids]);
const copyIds = (ids: readonly number[] | null | undefined): readonly number[] | undefined => (ids ? [...ids] : undefined);

export const generationConfigFields = {
  // Length
  max_length: withDefault({
    camel: 'maxLength', schema: int, kind: 'integer', default: 20, range: { min: 1 },
    form: { group: 'length', order: 13, step: 1, help: 'Bound on prompt plus generated tokens; used only when max_new_tokens is unset.' },
  }),
  max_new_tokens: optional({
    camel: 'maxNewTokens', schema: int, kind: 'integer', range: { min: 1 },
    form: { group: 'length', order: 11, sliderMax: 4096, step: 1, help: 'Upper bound on generated tokens; longer completions take longer.' },
  }),
  min_length: withDefault({
    camel: 'minLength', schema: int, kind: 'integer', default: 0, range: { min: 0 },
    form: { group: 'length', order: 14, step: 1, help: 'Forbid end-of-text until prompt plus generated tokens reach this length.' },
  }),
  min_new_tokens: optional({
    camel: 'minNewTokens', schema: int, kind: 'integer', range: { min: 0 },
    form: { group: 'length', order: 12, sliderMax: 4096, step: 1, help: 'Forbid end-of-text until this many tokens are generated.' },
  }),
  early_stopping: withDefault({
    camel: 'earlyStopping', schema: z.union([z.boolean(), z.literal('never')]), kind: 'json', typeWords: 'a boolean or "never"', default: false, modes: BEAMS,
    form: { group: 'strategy', order: 21, options: [false, true, 'never'], help: 'Beam search: true stops when enough beams finished; "never" searches until no better text is possible.' },
  }),
  /** Seconds. */
  max_time: optional({
    camel: 'maxTime', schema: num, kind: 'number', range: { min: 0, minExclusive: true },
    form: { group: 'length', order: 15, sliderMax: 600, step: 0.1, help: 'Stop after this many seconds, whatever has been generated.' },
  }),
  stop_strings: custom({
    camel: 'stopStrings', schema: z.union([z.string(), z.array(z.string())]), kind: 'json', typeWords: 'a string or a list of strings',
    default: [] as readonly string[],
    read: (json): readonly string[] => (json == null ? [] : typeof json === 'string' ? [json] : [...json]),
    write: (value) => (value.length === 0 ? undefined : [...value]),
    form: { group: 'length', order: 16, help: 'Stop when the text contains one of these strings (a string or a list); the string is cut off.' },
  }),
  // Strategy
  do_sample: withDefault({
    camel: 'doSample', schema: z.boolean(), kind: 'boolean', default: false,
    form: { group: 'strategy', order: 1, help: 'Off: always take the most likely token (predictable). On: draw tokens at random, shaped by the settings below.' },
  }),
  num_beams: withDefault({
    camel: 'numBeams', schema: int, kind: 'integer', default: 1, range: { min: 1, max: 64 }, modes: BEAMS,
    form: { group: 'strategy', order: 17, step: 1, help: 'Above 1 keeps several candidate texts and returns the most likely overall (slower, blander).' },
  }),
  num_beam_groups: withDefault({
    camel: 'numBeamGroups', schema: int, kind: 'integer', default: 1, range: { min: 1, max: 64 }, modes: ['group-beam'],
    form: { group: 'strategy', order: 18, step: 1, help: 'Splits beams into groups pushed apart by diversity_penalty (diverse beam search).' },
  }),
  penalty_alpha: optional({
    camel: 'penaltyAlpha', schema: num, kind: 'number', range: { min: 0, max: 1 }, modes: ['contrastive'],
    form: { group: 'strategy', order: 22, step: 0.05, help: 'Contrastive search: how strongly to avoid tokens whose representation repeats the context.' },
  }),
  use_cache: withDefault({ camel: 'useCache', schema: z.boolean(), kind: 'boolean', default: true }),
  // Logits shaping
  temperature: withDefault({
    camel: 'temperature', schema: num, kind: 'number', default: 1.0, range: { min: 0, minExclusive: true }, modes: SAMPLING,
    form: { group: 'shaping', order: 2, sliderMax: 2, step: 0.05, help: 'Lower makes likely tokens likelier (predictable text); higher flattens the odds (varied, riskier text).' },
  }),
  top_k: custom({
    camel: 'topK', schema: int, kind: 'integer', default: 50, range: { min: 0 }, modes: [...SAMPLING, 'contrastive'],
    // HF reads null as None, and top_k None turns top-k off; every other null means HF's default.
    read: (json): number => (json === null ? 0 : (json ?? 50)),
    write: (value) => value,
    form: { group: 'shaping', order: 3, sliderMax: 1000, step: 1, help: 'Sample only among the k most likely tokens; 0 turns the limit off.' },
  }),
  top_p: withDefault({
    camel: 'topP', schema: num, kind: 'number', default: 1.0, range: { min: 0, minExclusive: true, max: 1 }, modes: SAMPLING,
    form: { group: 'shaping', order: 4, step: 0.01, help: 'Sample only among the most likely tokens whose probabilities add up to p (nucleus); 1 turns it off.' },
  }),
  min_p: optional({
    camel: 'minP', schema: num, kind: 'number', range: { min: 0, max: 1 }, modes: SAMPLING,
    form: { group: 'shaping', order: 5, step: 0.01, help: 'Drop tokens less likely than min_p times the most likely one; scales with the model\'s confidence.' },
  }),
  typical_p: withDefault({
    camel: 'typicalP', schema: num, kind: 'number', default: 1.0, range: { min: 0, minExclusive: true, max: 1 }, modes: SAMPLING,
    form: { group: 'shaping', order: 6, step: 0.01, help: 'Keep tokens whose surprise is close to the average (locally typical sampling); 1 turns it off.' },
  }),
  epsilon_cutoff: withDefault({
    camel: 'epsilonCutoff', schema: num, kind: 'number', default: 0, range: { min: 0, max: 1, maxExclusive: true }, modes: SAMPLING,
    form: { group: 'shaping', order: 7, step: 0.0001, help: 'Drop tokens with probability below this absolute floor; 0 turns it off.' },
  }),
  eta_cutoff: withDefault({
    camel: 'etaCutoff', schema: num, kind: 'number', default: 0, range: { min: 0, max: 1, maxExclusive: true }, modes: SAMPLING,
    form: { group: 'shaping', order: 8, step: 0.0001, help: 'Entropy-aware floor: drops unlikely tokens more aggressively when the model is confident; 0 turns it off.' },
  }),
  diversity_penalty: withDefault({
    camel: 'diversityPenalty', schema: num, kind: 'number', default: 0, range: { min: 0 }, modes: ['group-beam'],
    form: { group: 'strategy', order: 19, sliderMax: 10, step: 0.1, help: 'How strongly beam groups avoid the tokens other groups chose at the same step.' },
  }),
  repetition_penalty: withDefault({
    camel: 'repetitionPenalty', schema: num, kind: 'number', default: 1.0, range: { min: 0, minExclusive: true },
    form: { group: 'penalties', order: 9, sliderMax: 3, step: 0.05, help: 'Above 1 discourages tokens already in the text (less looping); below 1 encourages them.' },
  }),
  length_penalty: withDefault({
    camel: 'lengthPenalty', schema: num, kind: 'number', default: 1.0, modes: BEAMS,
    form: { group: 'strategy', order: 20, sliderMin: -5, sliderMax: 5, step: 0.1, help: 'Beam search: above 0 favours longer texts, below 0 shorter ones.' },
  }),
  no_repeat_ngram_size: withDefault({
    camel: 'noRepeatNgramSize', schema: int, kind: 'integer', default: 0, range: { min: 0 },
    form: { group: 'penalties', order: 10, sliderMax: 20, step: 1, help: 'Forbid repeating any n-gram of this size; 0 turns it off.' },
  }),
  bad_words_ids: custom({
    camel: 'badWordsIds', schema: z.array(tokenIds), kind: 'json', typeWords: 'a list of lists of token ids',
    default: undefined as readonly (readonly number[])[] | undefined,
    read: (json) => idLists(json ?? undefined),
    write: idLists,
    form: { group: 'tokens', order: 28, help: 'Token sequences that must never be generated, as a list of lists of token ids.' },
  }),
  suppress_tokens: custom({
    camel: 'suppressTokens', schema: tokenIds, kind: 'json', typeWords: 'a list of token ids', default: undefined as readonly number[] | undefined,
    read: copyIds, write: (value) => value && [...value],
    form: { group: 'tokens', order: 29, help: 'Token ids that are never generated.' },
  }),
  begin_suppress_tokens: custom({
    camel: 'beginSuppressTokens', schema: tokenIds, kind: 'json', typeWords: 'a list of token ids', default: undefined as readonly number[] | undefined,
    read: copyIds, write: (value) => value && [...value],
    form: { group: 'tokens', order: 30, help: 'Token ids that are never generated as the first token.' },
  }),
  forced_bos_token_id: optional({
    camel: 'forcedBosTokenId', schema: tokenId, kind: 'integer', range: { min: 0 },
    form: { group: 'tokens', order: 32, step: 1, help: 'Force this token first.' },
  }),
  forced_eos_token_id: custom({
    camel: 'forcedEosTokenId', schema: oneOrMoreIds, kind: 'json', typeWords: 'a token id or a list of token ids', default: undefined as readonly number[] | undefined,
    // [] would force nothing yet mask the whole row (HF does that): read it as off.
    read: (json) => {
      const ids = toIdList(json);
      return ids?.length === 0 ? undefined : ids;
    },
    write: fromIdList,
    form: { group: 'tokens', order: 33, help: 'Force this end token (or one of these) when the length limit is reached.' },
  }),
  sequence_bias: custom({
    camel: 'sequenceBias', schema: z.array(z.tuple([tokenIds, num])), kind: 'json', typeWords: 'a list of [[token ids], bias] pairs',
    default: undefined as readonly SequenceBias[] | undefined,
    read: (json) => json?.map(([tokens, bias]): SequenceBias => ({ tokens: [...tokens], bias })) ?? undefined,
    write: (value) => value?.map((entry) => [[...entry.tokens], entry.bias]),
    form: { group: 'tokens', order: 31, help: 'Add a bias to token sequences: a list of [[token ids], bias] pairs.' },
  }),
  exponential_decay_length_penalty: custom({
    camel: 'exponentialDecayLengthPenalty', schema: z.tuple([int, num]), kind: 'json', typeWords: 'a pair [start_index, decay_factor]',
    default: undefined as ExponentialDecayLengthPenalty | undefined,
    read: (json) => (json ? { startIndex: json[0], decayFactor: json[1] } : undefined),
    write: (value) => value && [value.startIndex, value.decayFactor],
    form: { group: 'penalties', order: 36, help: '[start, factor]: after start tokens, make end-of-text exponentially likelier.' },
  }),
  renormalize_logits: withDefault({
    camel: 'renormalizeLogits', schema: z.boolean(), kind: 'boolean', default: false,
    form: { group: 'advanced', order: 26, help: 'Re-normalise scores after all processors (matters only for reported probabilities).' },
  }),
  remove_invalid_values: withDefault({
    camel: 'removeInvalidValues', schema: z.boolean(), kind: 'boolean', default: false,
    form: { group: 'advanced', order: 27, help: 'Replace NaN and infinite scores so that a broken step cannot crash sampling.' },
  }),
  watermarking_config: custom({
    camel: 'watermarkingConfig', schema: z.record(z.string(), z.unknown()), kind: 'json', typeWords: 'an object',
    default: undefined as WatermarkingConfig | undefined,
    read: (json) => (json ? parseWatermarkingConfig(json) : undefined),
    write: (value) => value && watermarkingConfigJson(value),
  }),
  // Output
  num_return_sequences: withDefault({
    camel: 'numReturnSequences', schema: int, kind: 'integer', default: 1, range: { min: 1, max: 256 },
    form: { group: 'output', order: 23, sliderMax: 16, step: 1, help: 'How many alternative texts to return (needs sampling or beams); completions show them as alternatives.' },
  }),
  output_scores: withDefault({ camel: 'outputScores', schema: z.boolean(), kind: 'boolean', default: false }),
  output_logits: withDefault({ camel: 'outputLogits', schema: z.boolean(), kind: 'boolean', default: false }),
  output_attentions: withDefault({ camel: 'outputAttentions', schema: z.boolean(), kind: 'boolean', default: false }),
  output_hidden_states: withDefault({ camel: 'outputHiddenStates', schema: z.boolean(), kind: 'boolean', default: false }),
  return_dict_in_generate: withDefault({ camel: 'returnDictInGenerate', schema: z.boolean(), kind: 'boolean', default: false }),
  // Special tokens
  pad_token_id: optional({
    camel: 'padTokenId', schema: tokenId, kind: 'integer', range: { min: 0 },
    form: { group: 'tokens', order: 35, step: 1, help: 'Padding token for batches; unset uses the tokenizer\'s or the EOS token.' },
  }),
  bos_token_id: optional({ camel: 'bosTokenId', schema: tokenId, kind: 'integer', range: { min: 0 } }),
  /** Undefined: use the tokenizer's EOS ids; []: the config has none, so no EOS stopping. */
  eos_token_id: custom({
    camel: 'eosTokenId', schema: oneOrMoreIds, kind: 'json', typeWords: 'a token id or a list of token ids', default: undefined as readonly number[] | undefined,
    read: toIdList,
    write: fromIdList,
    form: { group: 'tokens', order: 34, help: 'End-of-text token id(s); unset uses the tokenizer\'s, [] never stops on a token.' },
  }),
  // Assisted decoding (generation/assisted/)
  assistant_model: optional({
    camel: 'assistantModel', schema: z.string(), kind: 'string', modes: ['assisted'],
    form: { group: 'advanced', order: 41, help: 'Speculative decoding: folder of a smaller model with the same tokenizer that drafts tokens.' },
  }),
  num_assistant_tokens: withDefault({
    camel: 'numAssistantTokens', schema: int, kind: 'integer', default: 20, range: { min: 1 }, modes: ['assisted'],
    form: { group: 'advanced', order: 38, sliderMax: 64, step: 1, help: 'Speculative decoding: tokens the assistant model drafts per step.' },
  }),
  num_assistant_tokens_schedule: withDefault({
    camel: 'numAssistantTokensSchedule', schema: z.enum(['constant', 'heuristic', 'heuristic_transient']), kind: 'string',
    typeWords: '"constant", "heuristic" or "heuristic_transient"', default: 'constant', modes: ['assisted'],
    form: {
      group: 'advanced', order: 39, options: ['constant', 'heuristic', 'heuristic_transient'],
      help: 'Speculative decoding: keep the draft length, or grow it by 2 after a fully accepted draft and shrink it by 1 otherwise.',
    },
  }),
  /** Stop drafting once the assistant gives its drafted token less than this probability (0: never). */
  assistant_confidence_threshold: withDefault({
    // HF's default since transformers 4.45.
    camel: 'assistantConfidenceThreshold', schema: num, kind: 'number', default: 0.4, range: { min: 0, max: 1 }, modes: ['assisted'],
    form: { group: 'advanced', order: 40, step: 0.05, help: 'Speculative decoding: the assistant stops drafting when its token is less likely than this (0: never).' },
  }),
  prompt_lookup_num_tokens: optional({
    camel: 'promptLookupNumTokens', schema: int, kind: 'integer', range: { min: 1 }, modes: ['assisted'],
    form: { group: 'advanced', order: 37, sliderMax: 64, step: 1, help: 'Speculative decoding: draft this many tokens by copying from the prompt.' },
  }),
  max_matching_ngram_size: optional({ camel: 'maxMatchingNgramSize', schema: int, kind: 'integer', range: { min: 1 }, modes: ['assisted'] }),
  // Inkwell's own
  /** uint32; unset draws a random seed per run (every run reports the seed it used). */
  seed: optional({
    camel: 'seed', schema: int, kind: 'integer', range: { min: 0, max: 0xffff_ffff },
    form: { group: 'output', order: 24, step: 1, help: 'Fixes the random draws so that sampling repeats exactly; unset draws a new seed each time.' },
  }),
  output_logprobs: withDefault({
    camel: 'outputLogprobs', schema: z.boolean(), kind: 'boolean', default: false,
    form: { group: 'output', order: 25, help: 'Also report each generated token\'s log-probability.' },
  }),
} as const;

export type GenerationConfigFields = typeof generationConfigFields;
export type GenerationConfigKey = keyof GenerationConfigFields;

/** Every known snake_case key, in file order. */
export const generationConfigKeys = Object.keys(generationConfigFields) as GenerationConfigKey[];

/** The table as [key, field] pairs, in file order, typed loosely enough to loop over. */
export const generationConfigEntries = Object.entries(generationConfigFields) as [GenerationConfigKey, ConfigField<string, z.ZodType, unknown>][];

export function isGenerationConfigKey(key: string): key is GenerationConfigKey {
  return Object.hasOwn(generationConfigFields, key);
}
