/**
 * Live tokens per second while a run streams: counted from the first token, so that the
 * prefill (time to first token) does not drag the rate down, as in the sidecar's own
 * decodeTokensPerSecond.
 */
export class TokenRate {
  private first: number | undefined;
  private last = 0;
  private tokens = 0;

  /** Records one streamed token at time `now` (ms). */
  add(now: number): void {
    if (this.first === undefined) this.first = now;
    this.last = now;
    this.tokens += 1;
  }

  /** Tokens per second after the first token; undefined until there are two. */
  perSecond(): number | undefined {
    if (this.first === undefined || this.tokens < 2 || this.last <= this.first) return undefined;
    return ((this.tokens - 1) * 1000) / (this.last - this.first);
  }
}
