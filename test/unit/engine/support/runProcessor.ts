import type { LogitsProcessor, RowContext } from '../../../../sidecar/engine/processors/LogitsProcessor';
import { ScoreRow } from '../../../../sidecar/engine/processors/ScoreRow';

/** Applies one processor to a copy of `scores` and returns the result as a plain array. */
export function runProcessor(
  processor: LogitsProcessor,
  scores: readonly number[],
  context: Partial<RowContext> = {},
): number[] {
  const row = ScoreRow.of(scores);
  processor.apply(row, { ids: [], promptLength: 0, maxLength: 100, ...context });
  return [...row.scores];
}

export const NEG = Number.NEGATIVE_INFINITY;

/** Float32 rounding of expected values, since rows are Float32Array. */
export const f32 = (values: readonly number[]) => values.map((v) => Math.fround(v));
