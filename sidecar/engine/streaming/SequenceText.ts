import type { TextTokenizer } from '../model/TextTokenizer';
import type { StopStringMatcher } from '../stopping/StopStringMatcher';
import { IncrementalDetokenizer } from './IncrementalDetokenizer';

/**
 * The text of one generated sequence as it streams. Deltas never contain a broken character
 * nor any part of a stop string: a tail that could still grow into a stop string is held back
 * until it either completes (the sequence stops and the tail is dropped) or diverges (it is
 * released). The concatenation of all deltas equals `text` at the end, exactly.
 */
export class SequenceText {
  private readonly detokenizer: IncrementalDetokenizer;
  private decoded = '';
  private emittedLength = 0;
  private stopAt = -1;

  constructor(
    tokenizer: TextTokenizer,
    private readonly stops: StopStringMatcher,
  ) {
    this.detokenizer = new IncrementalDetokenizer(tokenizer, true);
  }

  /** True once a stop string appeared; the sequence must end. */
  get stopped(): boolean {
    return this.stopAt >= 0;
  }

  /** The final text (valid after finish()): decoded text up to the first stop string. */
  get text(): string {
    return this.stopAt >= 0 ? this.decoded.slice(0, this.stopAt) : this.decoded;
  }

  /** Feeds one generated token; returns the text that may be shown now. */
  push(id: number): string {
    return this.append(this.detokenizer.push(id), false);
  }

  /** Ends the sequence; returns the last delta (held-back text, an unfinished character). */
  finish(): string {
    if (this.stopped) return this.release(this.stopAt);
    return this.append(this.detokenizer.flush(), true);
  }

  private append(piece: string, final: boolean): string {
    if (this.stopped) return '';
    const previousLength = this.decoded.length;
    this.decoded += piece;
    if (piece.length > 0) {
      const at = this.stops.find(this.decoded, previousLength);
      if (at >= 0) {
        this.stopAt = at;
        return this.release(at);
      }
    }
    const safe = final ? this.decoded.length : this.decoded.length - this.stops.pendingSuffix(this.decoded);
    return this.release(safe);
  }

  private release(upTo: number): string {
    if (upTo <= this.emittedLength) return '';
    const delta = this.decoded.slice(this.emittedLength, upTo);
    this.emittedLength = upTo;
    return delta;
  }
}
