/** How one single-line completion compares with the line's true rest. */
export interface FimScore {
  /** The prediction equals the expected text (both without trailing whitespace, as shaping trims). */
  readonly exact: boolean;
  /** Characters of the expected text matched before the first difference, over its length. */
  readonly prefixFraction: number;
  /** The prediction is non-empty and a prefix of the expected text (useful but possibly short). */
  readonly nonEmptyPrefix: boolean;
  /** No completion was shown (dropped by the shaping rules, or nothing generated). */
  readonly empty: boolean;
}

export function scoreFim(predicted: string | undefined, expectedMiddle: string): FimScore {
  const expected = expectedMiddle.split('\n')[0]!.trimEnd();
  const got = (predicted ?? '').trimEnd();
  let same = 0;
  while (same < got.length && same < expected.length && got[same] === expected[same]) same++;
  return {
    exact: got === expected,
    prefixFraction: expected.length === 0 ? (got.length === 0 ? 1 : 0) : same / expected.length,
    nonEmptyPrefix: got.length > 0 && expected.startsWith(got),
    empty: got.length === 0,
  };
}

/** Nearest-rank quantile (q in [0, 1]); NaN for an empty list. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
