import { expNonPositive } from '../../math/expNonPositive';
import type { LogitsPipeline } from '../../processors/buildLogitsPipeline';
import type { RowContext } from '../../processors/LogitsProcessor';
import { ScoreRow } from '../../processors/ScoreRow';

/**
 * One logits row through the generation's processors, as TokenChooser shapes it, plus its
 * dense softmax: the p (main model) and q (assistant) of speculative sampling come from the
 * same pipeline table, so temperature, top-k, top-p, penalties … shape both alike.
 */
export class ProcessedRow {
  readonly row: ScoreRow;

  constructor(
    private readonly pipeline: LogitsPipeline,
    width: number,
  ) {
    this.row = new ScoreRow(width);
  }

  load(logits: Float32Array, context: RowContext): ScoreRow {
    this.row.load(logits);
    this.pipeline.apply(this.row, context);
    return this.row;
  }

  /** softmax of the processed row into `out` (0 where a processor masked the token). */
  probabilities(out: Float64Array): Float64Array {
    const row = this.row;
    const s = row.scores;
    out.fill(0);
    const max = row.max();
    if (max === Infinity) {
      out[s.indexOf(Infinity)] = 1;
      return out;
    }
    if (!Number.isFinite(max)) {
      out[0] = 1; // as TokenSampler: a fully masked row yields token 0
      return out;
    }
    let total = 0;
    const visit = (i: number) => {
      const v = s[i]!;
      if (v === Number.NEGATIVE_INFINITY) return;
      const e = expNonPositive(v - max);
      out[i] = e;
      total += e;
    };
    if (row.sparse) for (let k = 0; k < row.count; k++) visit(row.candidates[k]!);
    else for (let i = 0; i < s.length; i++) visit(i);
    for (let i = 0; i < out.length; i++) out[i]! /= total;
    return out;
  }
}

/** Inverse-CDF draw from a dense distribution given a uniform `u` in [0, 1); `total` need not be 1. */
export function drawFrom(weights: Float64Array, u: number, total: number = sum(weights)): number {
  let target = u * total;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w <= 0) continue;
    last = i;
    target -= w;
    if (target < 0) return i;
  }
  return Math.max(last, 0);
}

function sum(weights: Float64Array): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i]!;
  return total;
}
