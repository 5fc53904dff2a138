import type { FinishReason } from '../stopping/FinishReason';
import type { SequenceText } from '../streaming/SequenceText';
import type { RowContext } from '../processors/LogitsProcessor';
import type { GenerationEvent } from './GenerationEvent';

type TokenEvent = Extract<GenerationEvent, { type: 'token' }>;

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

  /**
   * Appends one chosen token at time `now`; returns its token event and the reason it ends the
   * sequence, if it does (EOS, a completed stop string, max length), for the loop to emit and act
   * on. An EOS is kept in the ids (as HF) but never decoded into the text.
   */
  append(tokenId: number, isEos: boolean, now: number, logprob?: number, rawLogprob?: number): { event: TokenEvent; ends: FinishReason | undefined } {
    this.firstTokenAt ??= now;
    this.lastTokenAt = now;
    this.ids.push(tokenId);
    this.generated.push(tokenId);
    if (logprob !== undefined) this.logprobs.push(logprob);
    if (rawLogprob !== undefined) this.rawLogprobs.push(rawLogprob);
    const delta = isEos ? '' : this.text.push(tokenId);
    const event: TokenEvent = {
      type: 'token',
      sequence: this.sequence,
      tokenId,
      delta,
      ...(logprob !== undefined && { logprob }),
      ...(rawLogprob !== undefined && { rawLogprob }),
    };
    const ends = isEos ? 'eos' : this.text.stopped ? 'stop-string' : this.ids.length >= this.maxLength ? 'length' : undefined;
    return { event, ends };
  }
}
