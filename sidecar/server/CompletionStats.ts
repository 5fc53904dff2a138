/** Counters the status shows for completions. */
export class CompletionStats {
  requests = 0;
  served = 0;
  cacheHits = 0;
  cancelled = 0;
  reusedTokens = 0;
  prefillTokens = 0;

  snapshot() {
    const { requests, served, cacheHits, cancelled, reusedTokens, prefillTokens } = this;
    return { requests, served, cacheHits, cancelled, reusedTokens, prefillTokens };
  }
}
