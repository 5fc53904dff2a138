import type { TextTokenizer } from '../model/TextTokenizer';

const REPLACEMENT = '\uFFFD';
/** The window moves on once it holds this many tokens … */
const SLIDE_AT = 6;
/**
 * … keeping at least the newest token, or the newest 4 when the text ends in U+FFFD: an
 * unfinished character has at most 3 bytes, so it started within the last 3 tokens.
 */
const KEEP_CLEAN = 1;
const KEEP_UNFINISHED = 4;
/** Starts tried when the window moves, newest first: of 4 token boundaries in a row, one is a character boundary. */
const STARTS_TRIED = 4;
/** A decoder that never lets the window move (no tokenizer we know) is cut here, so the work stays linear. */
const MAX_WINDOW = 256;

/**
 * Turns a growing list of token ids into text deltas without ever cutting a UTF-8 character:
 * byte-level tokens can end in the middle of one (an emoji is often 2–4 tokens), and decoding
 * such a tail yields one U+FFFD, which is held back until the next token completes it.
 *
 * Only a short window of the newest ids is decoded per token, so the work is linear in the
 * number of tokens. `shown` is the part of the window's text already emitted. The window moves
 * on to start at token k only when the text of ids[k, end) is exactly the tail of the window's
 * text: from then on, decoding ids[k, …) gives the same new text that decoding from the window's
 * old start would. That holds when k is a character boundary (UTF-8 decoding resynchronises
 * there), and for decoders that treat a window's first token specially (SentencePiece drops its
 * leading space): that token is then already shown, so the difference stays behind the cut.
 */
export class IncrementalDetokenizer {
  private readonly ids: number[] = [];
  private start = 0;
  private shown = '';
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
    return this.start === this.ids.length ? '' : this.advance(true);
  }

  private decode(from: number): string {
    return this.tokenizer.decode(this.ids.slice(from), { skipSpecialTokens: this.skipSpecialTokens });
  }

  private advance(force: boolean): string {
    const decoded = this.decode(this.start);
    // A decoder may rewrite text it already gave (space clean-up): wait until the window agrees again.
    const agrees = decoded.startsWith(this.shown);
    // Only the last character can still change: an unfinished one decodes to a single U+FFFD.
    const final = !force && decoded.endsWith(REPLACEMENT) ? decoded.length - 1 : decoded.length;
    let delta = agrees && final > this.shown.length ? decoded.slice(this.shown.length, final) : '';
    this.shown += delta;
    const size = this.ids.length - this.start;
    if (size >= SLIDE_AT && !(agrees && this.slide(decoded)) && size >= MAX_WINDOW) {
      // Give up the context rather than the linear bound: show what is pending and start afresh.
      if (agrees) delta += decoded.slice(this.shown.length);
      this.start = this.ids.length;
      this.shown = '';
    }
    this.text += delta;
    return delta;
  }

  /** Moves the window's start forward (see the class comment); false when no start tried qualifies. */
  private slide(decoded: string): boolean {
    const first = this.ids.length - (decoded.endsWith(REPLACEMENT) ? KEEP_UNFINISHED : KEEP_CLEAN);
    for (let k = first; k > first - STARTS_TRIED && k > this.start; k--) {
      const tail = this.decode(k);
      const cut = decoded.length - tail.length;
      // An empty tail would leave the new window's first visible token (and its special case) still to come.
      if (tail.length > 0 && cut <= this.shown.length && decoded.endsWith(tail)) {
        this.start = k;
        this.shown = this.shown.slice(cut);
        return true;
      }
    }
    return false;
  }
}
