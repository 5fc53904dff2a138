/** Counters the status shows for completions. */
export class CompletionStats {
  requests = 0;
  served = 0;
  cacheHits = 0;
  cancelled = 0;
  reusedTokens = 0;
  prefillTokens = 0;
  /** Tokens generated after the last cancellation arrived (the engine stops at its next step). */
  lastStepsAfterCancel: number | undefined;

  snapshot() {
    const { requests, served, cacheHits, cancelled, reusedTokens, prefillTokens, lastStepsAfterCancel } = this;
    return { requests, served, cacheHits, cancelled, reusedTokens, prefillTokens, ...(lastStepsAfterCancel !== undefined && { lastStepsAfterCancel }) };
  }
}
