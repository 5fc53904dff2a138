import type { TextTokenizer } from '../model/TextTokenizer';

/** Longest run of tokens that may still be one unfinished character (4 UTF-8 bytes, with slack). */
const MAX_PENDING_TOKENS = 6;

/**
 * Turns a growing list of token ids into text deltas without ever cutting a UTF-8 character:
 * byte-level tokens can end in the middle of one (an emoji is often 2–4 tokens), and decoding
 * such a tail yields U+FFFD, which is held back until the next tokens complete it.
 *
 * Only a short window is decoded per step: ids[prefix, read) is text already emitted, used as
 * context so that decoders that treat the first token specially (SentencePiece's leading
 * space) decode the new tokens the same way a full decode would.
 */
export class IncrementalDetokenizer {
  private readonly ids: number[] = [];
  private prefix = 0;
  private read = 0;
  private text = '';

  constructor(
    private readonly tokenizer: TextTokenizer,
    private readonly skipSpecialTokens = true,
  ) {}

  /** Everything emitted so far. */
  get emitted(): string {
    return this.text;
  }

  /** Adds a token; returns the text that became final ('' while a character is unfinished). */
  push(id: number): string {
    this.ids.push(id);
    return this.advance(false);
  }

  /** Emits whatever is pending, even an unfinished character (end of generation). */
  flush(): string {
    return this.advance(true);
  }

  private advance(force: boolean): string {
    if (this.read === this.ids.length) return '';
    const options = { skipSpecialTokens: this.skipSpecialTokens };
    const before = this.prefix === this.read ? '' : this.tokenizer.decode(this.ids.slice(this.prefix, this.read), options);
    const after = this.tokenizer.decode(this.ids.slice(this.prefix), options);
    // A decoder may rewrite earlier text (space clean-up); wait until the window agrees again.
    const grew = after.length > before.length && after.startsWith(before);
    const unfinished = after.endsWith('\uFFFD') && this.ids.length - this.read <= MAX_PENDING_TOKENS;
    if (!force && (!grew || unfinished)) return '';
    const delta = grew ? after.slice(before.length) : '';
    this.prefix = this.read;
    this.read = this.ids.length;
    this.text += delta;
    return delta;
  }
}
