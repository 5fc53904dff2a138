import type { TextTokenizer } from '../model/TextTokenizer';
import { IncrementalDetokenizer } from '../streaming/IncrementalDetokenizer';

export interface TokenSpan {
  /** UTF-16 offsets into the decoded text, [start, end). */
  readonly start: number;
  readonly end: number;
}

export interface TokenSpans {
  readonly spans: readonly TokenSpan[];
  /** The ids decoded again; equal to the encoded text for byte-level BPE tokenizers. */
  readonly text: string;
}

/**
 * Character spans of each token, from decoding them one after another (the tokenizer seam has
 * no offsets). A token that ends inside a character (a split emoji) gets an empty span, and
 * the token completing the character spans all of it.
 */
export function tokenSpans(tokenizer: TextTokenizer, ids: readonly number[]): TokenSpans {
  const detokenizer = new IncrementalDetokenizer(tokenizer, false);
  const spans: TokenSpan[] = [];
  let at = 0;
  for (let i = 0; i < ids.length; i++) {
    const delta = detokenizer.push(ids[i]!) + (i === ids.length - 1 ? detokenizer.flush() : '');
    spans.push({ start: at, end: at + delta.length });
    at += delta.length;
  }
  return { spans, text: detokenizer.emitted };
}
