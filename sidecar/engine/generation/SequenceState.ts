import type { FinishReason } from '../stopping/FinishReason';
import type { SequenceText } from '../streaming/SequenceText';
import type { RowContext } from '../processors/LogitsProcessor';

/** One generated sequence while the loop runs (mutable; the loop owns it). */
export class SequenceState implements RowContext {
  readonly ids: number[];
  readonly generated: number[] = [];
  readonly logprobs: number[] = [];
  readonly rawLogprobs: number[] = [];
  finishReason: FinishReason | undefined;
  firstTokenAt: number | undefined;
  lastTokenAt: number | undefined;

  constructor(
    readonly sequence: number,
    readonly prompt: number,
    promptIds: readonly number[],
    /** Prompt + generated tokens allowed (HF's max_length, capped by the positions its pads leave). */
    readonly maxLength: number,
    /** Leading pads of this row in the prefill batch (they stay in its KV cache). */
    readonly padCount: number,
    readonly text: SequenceText,
  ) {
    this.ids = [...promptIds];
    this.promptLength = promptIds.length;
  }

  readonly promptLength: number;

  get finished(): boolean {
    return this.finishReason !== undefined;
  }
}
