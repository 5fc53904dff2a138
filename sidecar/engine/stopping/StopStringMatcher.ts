/**
 * Finds stop strings in decoded text, which is where they live: a stop string may start in the
 * middle of one token and end inside another, so matching token ids would miss it. Each call
 * looks only at the region new text could have completed a match in.
 */
export class StopStringMatcher {
  private readonly stops: readonly string[];
  private readonly longest: number;

  constructor(stopStrings: readonly string[]) {
    this.stops = stopStrings.filter((s) => s.length > 0);
    this.longest = this.stops.reduce((n, s) => Math.max(n, s.length), 0);
  }

  get isEmpty(): boolean {
    return this.stops.length === 0;
  }

  /**
   * Start of the earliest stop string in `text` that ends after `previousLength` (the length
   * before the latest append), or -1.
   */
  find(text: string, previousLength: number): number {
    if (this.longest === 0) return -1;
    const from = Math.max(0, previousLength - this.longest + 1);
    let best = -1;
    for (const stop of this.stops) {
      const at = text.indexOf(stop, from);
      if (at >= 0 && (best < 0 || at < best)) best = at;
    }
    return best;
  }

  /** Length of the longest suffix of `text` that is a proper prefix of a stop string: text to hold back. */
  pendingSuffix(text: string): number {
    let held = 0;
    for (const stop of this.stops) {
      for (let n = Math.min(stop.length - 1, text.length); n > held; n--) {
        if (text.endsWith(stop.slice(0, n))) {
          held = n;
          break;
        }
      }
    }
    return held;
  }
}
