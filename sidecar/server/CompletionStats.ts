import type { AssistedStats } from '../engine';

/** Counters the status shows for completions. */
export class CompletionStats {
  requests = 0;
  served = 0;
  cacheHits = 0;
  cancelled = 0;
  reusedTokens = 0;
  prefillTokens = 0;
  drafted = 0;
  accepted = 0;
  assistedTokens = 0;
  mainForwards = 0;
  /** Tokens generated after the last cancellation arrived (the engine stops at its next step). */
  lastStepsAfterCancel: number | undefined;

  addAssisted(run: AssistedStats): void {
    this.drafted += run.drafted;
    this.accepted += run.accepted;
    this.mainForwards += run.mainForwards;
    this.assistedTokens += run.tokensPerMainForward * run.mainForwards;
  }

  snapshot() {
    const { requests, served, cacheHits, cancelled, reusedTokens, prefillTokens, lastStepsAfterCancel } = this;
    return {
      requests, served, cacheHits, cancelled, reusedTokens, prefillTokens,
      ...(lastStepsAfterCancel !== undefined && { lastStepsAfterCancel }),
      ...(this.mainForwards > 0 && {
        assisted: {
          drafted: this.drafted,
          accepted: this.accepted,
          acceptanceRate: this.drafted > 0 ? this.accepted / this.drafted : 0,
          tokensPerMainForward: this.assistedTokens / this.mainForwards,
        },
      }),
    };
  }
}
