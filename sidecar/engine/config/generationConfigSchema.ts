import { z } from 'zod';

/**
 * The shape of Hugging Face's generation_config.json (snake_case, as in the file). Only types
 * are checked here; ranges and cross-field rules live in checkGenerationConfig so that their
 * messages can name the allowed range. Every field may be absent or null, as in HF's files.
 */
/**
 * Any JSON number but NaN, even one too large to be exact (1e20) or Infinity (JSON.parse reads
 * 1e400 so): it has the right type, and checkGenerationConfig refuses it naming the range.
 */
const num = z.custom<number>((v) => typeof v === 'number' && !Number.isNaN(v));
/** A whole number in that sense; 2.5 is the wrong type. */
const int = num.refine((v) => Number.isInteger(v) || !Number.isFinite(v));
const tokenId = int;
const tokenIds = z.array(tokenId);
const opt = <T extends z.ZodType>(schema: T) => schema.nullish();

export const generationConfigFields = {
  // Length
  max_length: opt(int),
  max_new_tokens: opt(int),
  min_length: opt(int),
  min_new_tokens: opt(int),
  early_stopping: opt(z.union([z.boolean(), z.literal('never')])),
  max_time: opt(num),
  stop_strings: opt(z.union([z.string(), z.array(z.string())])),
  // Strategy
  do_sample: opt(z.boolean()),
  num_beams: opt(int),
  num_beam_groups: opt(int),
  penalty_alpha: opt(num),
  use_cache: opt(z.boolean()),
  // Logits shaping
  temperature: opt(num),
  top_k: opt(int),
  top_p: opt(num),
  min_p: opt(num),
  typical_p: opt(num),
  epsilon_cutoff: opt(num),
  eta_cutoff: opt(num),
  diversity_penalty: opt(num),
  repetition_penalty: opt(num),
  length_penalty: opt(num),
  no_repeat_ngram_size: opt(int),
  bad_words_ids: opt(z.array(tokenIds)),
  suppress_tokens: opt(tokenIds),
  begin_suppress_tokens: opt(tokenIds),
  forced_bos_token_id: opt(tokenId),
  forced_eos_token_id: opt(z.union([tokenId, tokenIds])),
  sequence_bias: opt(z.array(z.tuple([tokenIds, num]))),
  exponential_decay_length_penalty: opt(z.tuple([int, num])),
  renormalize_logits: opt(z.boolean()),
  remove_invalid_values: opt(z.boolean()),
  watermarking_config: opt(z.record(z.string(), z.unknown())),
  // Output
  num_return_sequences: opt(int),
  output_scores: opt(z.boolean()),
  output_logits: opt(z.boolean()),
  output_attentions: opt(z.boolean()),
  output_hidden_states: opt(z.boolean()),
  return_dict_in_generate: opt(z.boolean()),
  // Special tokens
  pad_token_id: opt(tokenId),
  bos_token_id: opt(tokenId),
  eos_token_id: opt(z.union([tokenId, tokenIds])),
  // Assisted decoding (stored for later issues)
  assistant_model: opt(z.string()),
  num_assistant_tokens: opt(int),
  num_assistant_tokens_schedule: opt(z.enum(['constant', 'heuristic', 'heuristic_transient'])),
  assistant_confidence_threshold: opt(num),
  prompt_lookup_num_tokens: opt(int),
  max_matching_ngram_size: opt(int),
  // Inkwell's own
  seed: opt(int),
  output_logprobs: opt(z.boolean()),
} as const;

/** Keys HF writes for bookkeeping; kept on write but not worth a warning. */
export const metadataKeys: readonly string[] = ['transformers_version', '_from_model_config'];

export const generationConfigSchema = z.looseObject(generationConfigFields);

export type GenerationConfigJson = z.infer<typeof generationConfigSchema>;
export type GenerationConfigKey = keyof typeof generationConfigFields;

/** What a field holds, in words, for type errors and for coercing `--set key=value` strings. */
export type FieldKind = 'integer' | 'number' | 'boolean' | 'string' | 'json';

export const fieldKinds: Readonly<Record<GenerationConfigKey, FieldKind>> = {
  max_length: 'integer',
  max_new_tokens: 'integer',
  min_length: 'integer',
  min_new_tokens: 'integer',
  early_stopping: 'json',
  max_time: 'number',
  stop_strings: 'json',
  do_sample: 'boolean',
  num_beams: 'integer',
  num_beam_groups: 'integer',
  penalty_alpha: 'number',
  use_cache: 'boolean',
  temperature: 'number',
  top_k: 'integer',
  top_p: 'number',
  min_p: 'number',
  typical_p: 'number',
  epsilon_cutoff: 'number',
  eta_cutoff: 'number',
  diversity_penalty: 'number',
  repetition_penalty: 'number',
  length_penalty: 'number',
  no_repeat_ngram_size: 'integer',
  bad_words_ids: 'json',
  suppress_tokens: 'json',
  begin_suppress_tokens: 'json',
  forced_bos_token_id: 'integer',
  forced_eos_token_id: 'json',
  sequence_bias: 'json',
  exponential_decay_length_penalty: 'json',
  renormalize_logits: 'boolean',
  remove_invalid_values: 'boolean',
  watermarking_config: 'json',
  num_return_sequences: 'integer',
  output_scores: 'boolean',
  output_logits: 'boolean',
  output_attentions: 'boolean',
  output_hidden_states: 'boolean',
  return_dict_in_generate: 'boolean',
  pad_token_id: 'integer',
  bos_token_id: 'integer',
  eos_token_id: 'json',
  assistant_model: 'string',
  num_assistant_tokens: 'integer',
  num_assistant_tokens_schedule: 'string',
  assistant_confidence_threshold: 'number',
  prompt_lookup_num_tokens: 'integer',
  max_matching_ngram_size: 'integer',
  seed: 'integer',
  output_logprobs: 'boolean',
};

/** The expected type of each field in words, for messages. */
export const fieldTypeWords: Partial<Record<GenerationConfigKey, string>> = {
  early_stopping: 'a boolean or "never"',
  stop_strings: 'a string or a list of strings',
  bad_words_ids: 'a list of lists of token ids',
  suppress_tokens: 'a list of token ids',
  begin_suppress_tokens: 'a list of token ids',
  forced_eos_token_id: 'a token id or a list of token ids',
  eos_token_id: 'a token id or a list of token ids',
  sequence_bias: 'a list of [[token ids], bias] pairs',
  exponential_decay_length_penalty: 'a pair [start_index, decay_factor]',
  watermarking_config: 'an object',
  num_assistant_tokens_schedule: '"constant", "heuristic" or "heuristic_transient"',
};

export function isGenerationConfigKey(key: string): key is GenerationConfigKey {
  return Object.hasOwn(generationConfigFields, key);
}
