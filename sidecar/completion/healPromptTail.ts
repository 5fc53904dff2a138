import type { TextTokenizer } from '../engine';
import type { CompletionPrompt } from './buildCompletionPrompt';

/** A vocabulary's token texts, sorted, for "which tokens start with this text" (token healing). */
export class TokenTexts {
  private readonly texts: readonly (string | undefined)[];
  private readonly sorted: readonly { readonly text: string; readonly id: number }[];

  constructor(tokenizer: Pick<TextTokenizer, 'vocabSize' | 'decode' | 'isSpecial'>) {
    const texts: (string | undefined)[] = [];
    for (let id = 0; id < tokenizer.vocabSize; id++) {
      // Special tokens never heal a word; a token that is part of a UTF-8 sequence has no text of its own.
      const text = tokenizer.isSpecial(id) ? undefined : tokenizer.decode([id]);
      texts.push(text === undefined || text === '' || text.includes('\uFFFD') ? undefined : text);
    }
    this.texts = texts;
    this.sorted = texts.flatMap((text, id) => (text === undefined ? [] : [{ text, id }])).sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : a.id - b.id));
  }

  text(id: number): string | undefined {
    return this.texts[id];
  }

  /** Every id whose text starts with `prefix` (binary search to the first, then a run). */
  startingWith(prefix: string): number[] {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid]!.text < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < this.sorted.length && this.sorted[i]!.text.startsWith(prefix); i++) out.push(this.sorted[i]!.id);
    return out;
  }
}

export interface HealedPrompt {
  readonly ids: readonly number[];
  /** The text of the removed token: the completion's first token starts with it, and it is cut from the completion. */
  readonly healed: string;
  /** GenerationRequest.firstTokens; undefined when nothing was healed. */
  readonly firstTokens: readonly number[] | undefined;
}

/** A word or number character: the end of a partial identifier, keyword or literal. */
const WORD_END = /[\p{L}\p{N}_]$/u;

/**
 * Token healing (Guidance's, and transformers' `token_healing`): a cursor inside a word leaves the
 * prompt ending in a token the model rarely saw split there (`Captur` for `Captured`), so the
 * likeliest continuation is a new word, not the word's rest. The prefix's last token is taken off
 * when it ends in a word character and a longer token starts with it, and the first generated
 * token must start with its text: the model chooses how the word goes on with the whole word in
 * view. Works in any order: the removed id is the prefix's last, wherever the prefix sits.
 */
export function healPromptTail(prompt: CompletionPrompt, vocab: TokenTexts): HealedPrompt {
  const unchanged = { ids: prompt.ids, healed: '', firstTokens: undefined };
  if (prompt.prefixTokens < 2) return unchanged;
  const last = prompt.ids[prompt.prefixEnd - 1]!;
  const text = vocab.text(last);
  if (text === undefined || !WORD_END.test(text)) return unchanged;
  const firstTokens = vocab.startingWith(text);
  if (firstTokens.length <= 1) return unchanged; // nothing longer: the token is the whole word
  return { ids: [...prompt.ids.slice(0, prompt.prefixEnd - 1), ...prompt.ids.slice(prompt.prefixEnd)], healed: text, firstTokens };
}
