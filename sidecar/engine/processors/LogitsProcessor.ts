import type { ScoreRow } from './ScoreRow';

/** What a processor may know about the row it is shaping. */
export interface RowContext {
  /** Prompt and generated ids of this row so far, without left padding. */
  readonly ids: readonly number[];
  /** How many of `ids` are the prompt. */
  readonly promptLength: number;
  /** The row's total length limit (prompt + generated), as HF's max_length. */
  readonly maxLength: number;
}

/**
 * HF's LogitsProcessor contract for one row: reshape the next-token scores in place given the
 * ids so far. Rows are processed one at a time so a processor can keep scratch buffers.
 */
export interface LogitsProcessor {
  readonly name: ProcessorName;
  apply(row: ScoreRow, context: RowContext): void;
}

export type ProcessorName =
  | 'vocab-mask'
  | 'sequence-bias'
  | 'repetition-penalty'
  | 'no-repeat-ngram'
  | 'bad-words'
  | 'min-length'
  | 'min-new-tokens'
  | 'forced-bos'
  | 'forced-eos'
  | 'remove-invalid-values'
  | 'exponential-decay-length-penalty'
  | 'suppress-tokens'
  | 'begin-suppress-tokens'
  | 'allow-tokens'
  | 'temperature'
  | 'top-k'
  | 'top-p'
  | 'min-p'
  | 'typical-p'
  | 'epsilon-cutoff'
  | 'eta-cutoff'
  | 'watermark'
  | 'renormalize';
