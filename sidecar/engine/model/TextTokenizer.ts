/** What the engine needs from a tokenizer (the runtime wraps tokenizer.json behind this). */
export interface TextTokenizer {
  /** Number of ids the tokenizer can produce (base vocabulary plus added tokens). */
  readonly vocabSize: number;
  readonly eosTokenIds: readonly number[];
  readonly bosTokenId: number | undefined;
  readonly padTokenId: number | undefined;
  encode(text: string, options?: { addSpecialTokens?: boolean }): number[];
  decode(ids: readonly number[], options?: { skipSpecialTokens?: boolean }): string;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  /** True for added/special tokens (EOS, FIM markers …). */
  isSpecial(id: number): boolean;
}
