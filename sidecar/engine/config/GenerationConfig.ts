import type { WatermarkingConfig } from './WatermarkingConfig';

/**
 * A validated, deeply frozen generation config: HF's generation_config.json in camelCase.
 * Build one with parseGenerationConfig (from the file format) or mergeConfig (overrides).
 * Lists are normalised (eosTokenId is always a list), absent optionals are `undefined`.
 */

/**
 * Derived the way HF's GenerationConfig.get_generation_mode does: beams and groups first,
 * then do_sample, then contrastive search (top_k > 1 with penalty_alpha > 0), then assisted
 * decoding on top of greedy/sample.
 */
export type DecodingMode =
  | 'greedy'
  | 'sample'
  | 'beam'
  | 'beam-sample'
  | 'group-beam'
  | 'contrastive'
  | 'assisted';

export interface SequenceBias {
  readonly tokens: readonly number[];
  readonly bias: number;
}

export interface ExponentialDecayLengthPenalty {
  /** Generated tokens after which the EOS logit starts to grow. */
  readonly startIndex: number;
  readonly decayFactor: number;
}

export interface GenerationConfig {
  readonly mode: DecodingMode;
  // Length
  readonly maxLength: number;
  readonly maxNewTokens: number | undefined;
  readonly minLength: number;
  readonly minNewTokens: number | undefined;
  readonly earlyStopping: boolean | 'never';
  /** Seconds. */
  readonly maxTime: number | undefined;
  readonly stopStrings: readonly string[];
  // Strategy
  readonly doSample: boolean;
  readonly numBeams: number;
  readonly numBeamGroups: number;
  readonly penaltyAlpha: number | undefined;
  readonly useCache: boolean;
  // Logits shaping
  readonly temperature: number;
  readonly topK: number;
  readonly topP: number;
  readonly minP: number | undefined;
  readonly typicalP: number;
  readonly epsilonCutoff: number;
  readonly etaCutoff: number;
  readonly diversityPenalty: number;
  readonly repetitionPenalty: number;
  readonly lengthPenalty: number;
  readonly noRepeatNgramSize: number;
  readonly badWordsIds: readonly (readonly number[])[] | undefined;
  readonly suppressTokens: readonly number[] | undefined;
  readonly beginSuppressTokens: readonly number[] | undefined;
  readonly forcedBosTokenId: number | undefined;
  readonly forcedEosTokenId: readonly number[] | undefined;
  readonly sequenceBias: readonly SequenceBias[] | undefined;
  readonly exponentialDecayLengthPenalty: ExponentialDecayLengthPenalty | undefined;
  readonly renormalizeLogits: boolean;
  readonly removeInvalidValues: boolean;
  readonly watermarkingConfig: WatermarkingConfig | undefined;
  // Output
  readonly numReturnSequences: number;
  readonly outputScores: boolean;
  readonly outputLogits: boolean;
  readonly outputAttentions: boolean;
  readonly outputHiddenStates: boolean;
  readonly returnDictInGenerate: boolean;
  // Special tokens
  readonly padTokenId: number | undefined;
  readonly bosTokenId: number | undefined;
  /** Undefined: use the tokenizer's EOS ids; []: the config has none, so no EOS stopping. */
  readonly eosTokenId: readonly number[] | undefined;
  // Assisted decoding (generation/assisted/)
  readonly assistantModel: string | undefined;
  readonly numAssistantTokens: number;
  readonly numAssistantTokensSchedule: 'constant' | 'heuristic' | 'heuristic_transient';
  /** Stop drafting once the assistant gives its drafted token less than this probability (0: never). */
  readonly assistantConfidenceThreshold: number;
  readonly promptLookupNumTokens: number | undefined;
  readonly maxMatchingNgramSize: number | undefined;
  // Inkwell's own
  /** uint32; undefined draws a random seed per run. */
  readonly seed: number | undefined;
  readonly outputLogprobs: boolean;
  /** Keys we do not know, kept verbatim so that writing the file back loses nothing. */
  readonly extra: Readonly<Record<string, unknown>>;
}
