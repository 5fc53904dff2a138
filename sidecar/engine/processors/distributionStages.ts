import { isBeamMode } from '../config/deriveDecodingMode';
import type { GenerationConfig } from '../config/GenerationConfig';
import { InkwellError } from '../InkwellError';
import { logSumExp } from '../math/logSumExp';
import { buildLogitsPipeline, type PipelineContext } from './buildLogitsPipeline';
import type { ProcessorName } from './LogitsProcessor';
import { ScoreRow } from './ScoreRow';

export interface DistributionContext extends PipelineContext {
  /** The ids the next token would follow (prompt so far); processors such as repetition_penalty read them. */
  readonly promptIds: readonly number[];
}

export interface DistributionStage {
  /** 'raw' for the model's logits, else the processor just applied. */
  readonly name: 'raw' | ProcessorName;
  /** Probability of each of TokenDistribution.tokenIds, in the same order (0 where masked). */
  readonly probs: readonly number[];
  /** Tokens of the whole row with a nonzero probability at this stage. */
  readonly kept: number;
  /** Shannon entropy of the whole row's distribution, in nats. */
  readonly entropy: number;
}

export interface TokenDistribution {
  /** Union of the top-N tokens before any processor and after the last one, most likely (raw) first. */
  readonly tokenIds: readonly number[];
  readonly stages: readonly DistributionStage[];
}

/**
 * The next-token distribution of one logits row after each logits processor the config enables,
 * for showing how the pipeline reshapes it. Stages follow HF's order (the `processors` list of
 * buildLogitsPipeline) and each is applied in that order, so the probabilities are HF's even where
 * the pipeline itself runs top-k before temperature (the same survivors, a cheaper path).
 * Each stage is the softmax of the row after that processor; a -Infinity score has probability 0.
 * In beam modes the processors act on log-probabilities, as in beam search itself.
 */
export function distributionStages(
  logits: Float32Array,
  config: GenerationConfig,
  context: DistributionContext,
  topN: number,
): TokenDistribution {
  if (logits.length !== context.width) {
    throw new InkwellError('invalid-argument', `logits has ${logits.length} entries: expected one row of width ${context.width}`, {
      details: { field: 'logits', length: logits.length, width: context.width },
    });
  }
  if (!Number.isInteger(topN) || topN < 1) {
    throw new InkwellError('invalid-argument', `topN = ${topN} must be an integer >= 1`, { details: { field: 'topN', value: topN } });
  }
  const { processors } = buildLogitsPipeline(config, context);
  const promptLength = context.promptIds.length;
  const rowContext = {
    ids: context.promptIds,
    promptLength,
    maxLength: config.maxNewTokens !== undefined ? promptLength + config.maxNewTokens : config.maxLength,
  };

  const row = new ScoreRow(context.width);
  row.load(logits);
  const probabilities = [softmax(row.scores)];
  // Beam search shapes log-probabilities (HF: log_softmax, then the processors), so a penalty
  // that scales scores (repetition_penalty) moves them differently than on raw logits. The vocab
  // mask comes first there too, as if the masked ids did not exist.
  let normalised = !isBeamMode(config.mode);
  for (const processor of processors) {
    if (!normalised && processor.name !== 'vocab-mask') {
      logSoftmaxInPlace(row.scores);
      normalised = true;
    }
    processor.apply(row, rowContext);
    probabilities.push(softmax(row.scores));
  }

  const raw = probabilities[0]!;
  const chosen = new Set([...topIndices(raw, topN), ...topIndices(probabilities.at(-1)!, topN)]);
  const tokenIds = [...chosen].sort((a, b) => raw[b]! - raw[a]! || a - b);
  const names: ('raw' | ProcessorName)[] = ['raw', ...processors.map((p) => p.name)];
  return {
    tokenIds,
    stages: probabilities.map((p, i) => ({
      name: names[i]!,
      probs: tokenIds.map((id) => p[id]!),
      kept: p.reduce((n, v) => (v > 0 ? n + 1 : n), 0),
      entropy: entropyOf(p),
    })),
  };
}

function logSoftmaxInPlace(scores: Float32Array): void {
  const lse = logSumExp(scores);
  if (!Number.isFinite(lse)) return; // nothing finite: the row stays as it is
  for (let i = 0; i < scores.length; i++) scores[i] = scores[i]! - lse;
}

/** softmax in float64; -Infinity → 0; a row with nothing finite is all zeros. */
function softmax(scores: Float32Array): Float64Array {
  const p = new Float64Array(scores.length);
  let max = Number.NEGATIVE_INFINITY;
  for (const v of scores) if (v > max) max = v;
  if (max === Number.NEGATIVE_INFINITY) return p;
  let sum = 0;
  for (let i = 0; i < scores.length; i++) sum += p[i] = Math.exp(scores[i]! - max);
  for (const [i, v] of p.entries()) p[i] = v / sum;
  return p;
}

function entropyOf(p: Float64Array): number {
  let h = 0;
  for (const v of p) if (v > 0) h -= v * Math.log(v);
  return h;
}

/** Indices of the `n` largest nonzero probabilities (fewer when fewer are nonzero); ties by lower id. */
function topIndices(p: Float64Array, n: number): number[] {
  const better = (a: number, b: number) => p[a]! > p[b]! || (p[a] === p[b] && a < b);
  if (n > 256) {
    // Large n (the UI asked for the whole vocabulary): one sort instead of O(width · n) shifts.
    const all: number[] = [];
    for (let i = 0; i < p.length; i++) if (p[i]! > 0) all.push(i);
    return all.sort((a, b) => p[b]! - p[a]! || a - b).slice(0, n);
  }
  const top: number[] = [];
  for (let i = 0; i < p.length; i++) {
    if (!(p[i]! > 0)) continue;
    if (top.length === n && !better(i, top[n - 1]!)) continue;
    // Binary search for the insertion point keeps this O(width · log n) plus the shifts.
    let lo = 0;
    let hi = top.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (better(top[mid]!, i)) lo = mid + 1;
      else hi = mid;
    }
    top.splice(lo, 0, i);
    if (top.length > n) top.pop();
  }
  return top;
}
