import type { TextTokenizer } from '../../../../sidecar/engine/model/TextTokenizer';

/**
 * A toy tokenizer: id i is the i-th character of `alphabet`; ids from `alphabet.length` on are
 * special tokens (the first of them is EOS) and decode to nothing.
 */
export class CharTokenizer implements TextTokenizer {
  readonly eosTokenIds: readonly number[];
  readonly bosTokenId = undefined;
  readonly padTokenId: number | undefined;

  constructor(
    private readonly alphabet: string,
    readonly vocabSize: number = alphabet.length + 1,
    padTokenId?: number,
  ) {
    this.eosTokenIds = [alphabet.length];
    this.padTokenId = padTokenId;
  }

  encode(text: string): number[] {
    return [...text].map((c) => {
      const id = this.alphabet.indexOf(c);
      if (id < 0) throw new Error(`CharTokenizer: no token for ${JSON.stringify(c)}`);
      return id;
    });
  }

  decode(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): string {
    return ids.map((id) => (id < this.alphabet.length ? this.alphabet[id] : options.skipSpecialTokens ? '' : `<${id}>`)).join('');
  }

  tokenToId(token: string): number | undefined {
    const id = this.alphabet.indexOf(token);
    return id < 0 ? undefined : id;
  }

  idToToken(id: number): string | undefined {
    return this.alphabet[id];
  }

  isSpecial(id: number): boolean {
    return id >= this.alphabet.length;
  }
}
