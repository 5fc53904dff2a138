/** How speculative decoding did on one request (GenerationResult.assisted). */
export interface AssistedStats {
  /** Tokens proposed by the drafters (prompt lookup, assistant), summed over steps. */
  readonly drafted: number;
  /** Drafted tokens the main model accepted (a block cut by EOS or a stop string still counts what verification accepted). */
  readonly accepted: number;
  /** accepted / drafted; 0 when nothing was drafted. */
  readonly acceptanceRate: number;
  /** Main-model forward passes, the prefill included. */
  readonly mainForwards: number;
  /** Generated tokens per main-model forward (plain decoding: 1). */
  readonly tokensPerMainForward: number;
}
