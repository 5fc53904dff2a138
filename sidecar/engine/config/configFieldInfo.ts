import type { GenerationConfigKey } from './generationConfigSchema';

/** How one generation parameter is presented to people (the panel's form, `inkwell config`). */
export interface ConfigFieldInfo {
  readonly key: GenerationConfigKey;
  readonly group: 'length' | 'strategy' | 'shaping' | 'penalties' | 'output' | 'tokens' | 'advanced';
  readonly kind: 'integer' | 'number' | 'boolean' | 'string' | 'enum' | 'json';
  /** HF's default; null where the default is "unset". */
  readonly default: unknown;
  readonly min?: number;
  readonly max?: number;
  readonly minExclusive?: boolean;
  readonly maxExclusive?: boolean;
  /** Where a slider stops when the allowed range is wider or open (temperature: > 0, slider to 2). */
  readonly sliderMin?: number;
  readonly sliderMax?: number;
  readonly step?: number;
  readonly options?: readonly unknown[];
  /** One line on what the parameter does to the text. */
  readonly help: string;
  /** Read only when sampling (do_sample = true). */
  readonly samplingOnly?: boolean;
}

type Info = Omit<ConfigFieldInfo, 'key'>;

/**
 * Every user-facing field of GenerationConfig, in the order a form shows them. min/max are the
 * range checkGenerationConfig enforces, in every mode (a test walks both ways); sliderMin/
 * sliderMax only say where a form's slider stops. Bookkeeping fields that only make sense to
 * Python callers (output_attentions, return_dict_in_generate …) are left out.
 */
const FIELDS: Partial<Record<GenerationConfigKey, Info>> = {
  do_sample: { group: 'strategy', kind: 'boolean', default: false, help: 'Off: always take the most likely token (predictable). On: draw tokens at random, shaped by the settings below.' },
  temperature: { group: 'shaping', kind: 'number', default: 1, min: 0, minExclusive: true, sliderMax: 2, step: 0.05, samplingOnly: true, help: 'Lower makes likely tokens likelier (predictable text); higher flattens the odds (varied, riskier text).' },
  top_k: { group: 'shaping', kind: 'integer', default: 50, min: 0, sliderMax: 1000, step: 1, samplingOnly: true, help: 'Sample only among the k most likely tokens; 0 turns the limit off.' },
  top_p: { group: 'shaping', kind: 'number', default: 1, min: 0, minExclusive: true, max: 1, step: 0.01, samplingOnly: true, help: 'Sample only among the most likely tokens whose probabilities add up to p (nucleus); 1 turns it off.' },
  min_p: { group: 'shaping', kind: 'number', default: null, min: 0, max: 1, step: 0.01, samplingOnly: true, help: 'Drop tokens less likely than min_p times the most likely one; scales with the model\'s confidence.' },
  typical_p: { group: 'shaping', kind: 'number', default: 1, min: 0, minExclusive: true, max: 1, step: 0.01, samplingOnly: true, help: 'Keep tokens whose surprise is close to the average (locally typical sampling); 1 turns it off.' },
  epsilon_cutoff: { group: 'shaping', kind: 'number', default: 0, min: 0, max: 1, maxExclusive: true, step: 0.0001, samplingOnly: true, help: 'Drop tokens with probability below this absolute floor; 0 turns it off.' },
  eta_cutoff: { group: 'shaping', kind: 'number', default: 0, min: 0, max: 1, maxExclusive: true, step: 0.0001, samplingOnly: true, help: 'Entropy-aware floor: drops unlikely tokens more aggressively when the model is confident; 0 turns it off.' },
  repetition_penalty: { group: 'penalties', kind: 'number', default: 1, min: 0, minExclusive: true, sliderMax: 3, step: 0.05, help: 'Above 1 discourages tokens already in the text (less looping); below 1 encourages them.' },
  no_repeat_ngram_size: { group: 'penalties', kind: 'integer', default: 0, min: 0, sliderMax: 20, step: 1, help: 'Forbid repeating any n-gram of this size; 0 turns it off.' },
  max_new_tokens: { group: 'length', kind: 'integer', default: null, min: 1, sliderMax: 4096, step: 1, help: 'Upper bound on generated tokens; longer completions take longer.' },
  min_new_tokens: { group: 'length', kind: 'integer', default: null, min: 0, sliderMax: 4096, step: 1, help: 'Forbid end-of-text until this many tokens are generated.' },
  max_length: { group: 'length', kind: 'integer', default: 20, min: 1, step: 1, help: 'Bound on prompt plus generated tokens; used only when max_new_tokens is unset.' },
  min_length: { group: 'length', kind: 'integer', default: 0, min: 0, step: 1, help: 'Forbid end-of-text until prompt plus generated tokens reach this length.' },
  max_time: { group: 'length', kind: 'number', default: null, min: 0, minExclusive: true, sliderMax: 600, step: 0.1, help: 'Stop after this many seconds, whatever has been generated.' },
  stop_strings: { group: 'length', kind: 'json', default: null, help: 'Stop when the text contains one of these strings (a string or a list); the string is cut off.' },
  num_beams: { group: 'strategy', kind: 'integer', default: 1, min: 1, max: 64, step: 1, help: 'Above 1 keeps several candidate texts and returns the most likely overall (slower, blander).' },
  num_beam_groups: { group: 'strategy', kind: 'integer', default: 1, min: 1, max: 64, step: 1, help: 'Splits beams into groups pushed apart by diversity_penalty (diverse beam search).' },
  diversity_penalty: { group: 'strategy', kind: 'number', default: 0, min: 0, sliderMax: 10, step: 0.1, help: 'How strongly beam groups avoid the tokens other groups chose at the same step.' },
  length_penalty: { group: 'strategy', kind: 'number', default: 1, sliderMin: -5, sliderMax: 5, step: 0.1, help: 'Beam search: above 0 favours longer texts, below 0 shorter ones.' },
  early_stopping: { group: 'strategy', kind: 'enum', default: false, options: [false, true, 'never'], help: 'Beam search: true stops when enough beams finished; "never" searches until no better text is possible.' },
  penalty_alpha: { group: 'strategy', kind: 'number', default: null, min: 0, max: 1, step: 0.05, help: 'Contrastive search: how strongly to avoid tokens whose representation repeats the context.' },
  num_return_sequences: { group: 'output', kind: 'integer', default: 1, min: 1, max: 256, sliderMax: 16, step: 1, help: 'How many alternative texts to return (needs sampling or beams); completions show them as alternatives.' },
  seed: { group: 'output', kind: 'integer', default: null, min: 0, max: 0xffff_ffff, step: 1, help: 'Fixes the random draws so that sampling repeats exactly; unset draws a new seed each time.' },
  output_logprobs: { group: 'output', kind: 'boolean', default: false, help: 'Also report each generated token\'s log-probability.' },
  renormalize_logits: { group: 'advanced', kind: 'boolean', default: false, help: 'Re-normalise scores after all processors (matters only for reported probabilities).' },
  remove_invalid_values: { group: 'advanced', kind: 'boolean', default: false, help: 'Replace NaN and infinite scores so that a broken step cannot crash sampling.' },
  bad_words_ids: { group: 'tokens', kind: 'json', default: null, help: 'Token sequences that must never be generated, as a list of lists of token ids.' },
  suppress_tokens: { group: 'tokens', kind: 'json', default: null, help: 'Token ids that are never generated.' },
  begin_suppress_tokens: { group: 'tokens', kind: 'json', default: null, help: 'Token ids that are never generated as the first token.' },
  sequence_bias: { group: 'tokens', kind: 'json', default: null, help: 'Add a bias to token sequences: a list of [[token ids], bias] pairs.' },
  forced_bos_token_id: { group: 'tokens', kind: 'integer', default: null, min: 0, step: 1, help: 'Force this token first.' },
  forced_eos_token_id: { group: 'tokens', kind: 'json', default: null, help: 'Force this end token (or one of these) when the length limit is reached.' },
  eos_token_id: { group: 'tokens', kind: 'json', default: null, help: 'End-of-text token id(s); unset uses the tokenizer\'s, [] never stops on a token.' },
  pad_token_id: { group: 'tokens', kind: 'integer', default: null, min: 0, step: 1, help: 'Padding token for batches; unset uses the tokenizer\'s or the EOS token.' },
  exponential_decay_length_penalty: { group: 'penalties', kind: 'json', default: null, help: '[start, factor]: after start tokens, make end-of-text exponentially likelier.' },
  prompt_lookup_num_tokens: { group: 'advanced', kind: 'integer', default: null, min: 1, sliderMax: 64, step: 1, help: 'Speculative decoding: draft this many tokens by copying from the prompt.' },
  num_assistant_tokens: { group: 'advanced', kind: 'integer', default: 20, min: 1, sliderMax: 64, step: 1, help: 'Speculative decoding: tokens the assistant model drafts per step.' },
  num_assistant_tokens_schedule: { group: 'advanced', kind: 'enum', default: 'constant', options: ['constant', 'heuristic', 'heuristic_transient'], help: 'Speculative decoding: keep the draft length, or grow it by 2 after a fully accepted draft and shrink it by 1 otherwise.' },
  assistant_confidence_threshold: { group: 'advanced', kind: 'number', default: 0.4, min: 0, max: 1, step: 0.05, help: 'Speculative decoding: the assistant stops drafting when its token is less likely than this (0: never).' },
  assistant_model: { group: 'advanced', kind: 'string', default: null, help: 'Speculative decoding: folder of a smaller model with the same tokenizer that drafts tokens.' },
};

export const configFieldInfo: readonly ConfigFieldInfo[] = Object.entries(FIELDS).map(([key, info]) => ({ key: key as GenerationConfigKey, ...info }));
