/** Exact sampling-without-replacement probabilities and a chi-square statistic, for beam sampling tests. */

/**
 * Exact probability of drawing each k-subset without replacement, weights ∝ exp(score): the sum
 * over its orderings of Π w_i / (remaining weight), enumerated independently of the code under test.
 */
export function subsetProbabilities(scores: readonly number[], k: number): Map<string, number> {
  const weights = scores.map((s) => Math.exp(s));
  const out = new Map<string, number>();
  const walk = (taken: number[], p: number, left: number) => {
    if (taken.length === k) {
      const key = [...taken].sort((a, b) => a - b).join(',');
      out.set(key, (out.get(key) ?? 0) + p);
      return;
    }
    weights.forEach((w, i) => {
      if (!taken.includes(i) && w > 0) walk([...taken, i], (p * w) / left, left - w);
    });
  };
  walk([], 1, weights.reduce((a, b) => a + b, 0));
  return out;
}

/** Pearson's chi-square of observed counts against expected probabilities. */
export function chiSquare(counts: Map<string, number>, expected: Map<string, number>, n: number): number {
  let x2 = 0;
  for (const [key, p] of expected) x2 += ((counts.get(key) ?? 0) - n * p) ** 2 / (n * p);
  return x2;
}
