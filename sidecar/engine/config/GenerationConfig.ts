import type { GenerationConfigFields, GenerationConfigKey } from './generationConfigFields';

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

/** One readonly property per entry of the field table, named by its camel name. */
type FieldValues = {
  readonly [K in GenerationConfigKey as GenerationConfigFields[K]['camel']]: GenerationConfigFields[K]['default'];
};

/**
 * A validated, deeply frozen generation config: HF's generation_config.json in camelCase.
 * Build one with parseGenerationConfig (from the file format) or mergeConfig (overrides).
 * Lists are normalised (eosTokenId is always a list), absent optionals are `undefined`. Its
 * fields, their types and defaults are the table in generationConfigFields.ts.
 */
export type GenerationConfig = {
  readonly mode: DecodingMode;
} & FieldValues & {
  /** Keys we do not know, kept verbatim so that writing the file back loses nothing. */
  readonly extra: Readonly<Record<string, unknown>>;
};
