import { checkTokenIdsFit } from '../config/checkTokenIdsFit';
import type { GenerationConfig } from '../config/GenerationConfig';
import { allowTokens, type AllowedTokens } from './allowTokens';
import { badWords } from './badWords';
import { beginSuppressTokens } from './beginSuppressTokens';
import { epsilonCutoff } from './epsilonCutoff';
import { etaCutoff } from './etaCutoff';
import { exponentialDecayLengthPenalty } from './exponentialDecayLengthPenalty';
import { forcedBos } from './forcedBos';
import { forcedEos } from './forcedEos';
import type { LogitsProcessor, RowContext } from './LogitsProcessor';
import { minLength } from './minLength';
import { minNewTokens } from './minNewTokens';
import { minP } from './minP';
import { noRepeatNgram } from './noRepeatNgram';
import { removeInvalidValues } from './removeInvalidValues';
import { renormalize } from './renormalize';
import { repetitionPenalty } from './repetitionPenalty';
import type { ScoreRow } from './ScoreRow';
import { sequenceBias } from './sequenceBias';
import { suppressTokens } from './suppressTokens';
import { temperature } from './temperature';
import { topK } from './topK';
import { topP } from './topP';
import { typicalP } from './typicalP';
import { vocabMask } from './vocabMask';
import { watermark } from './watermark';

export interface PipelineContext {
  /** Width of a logits row (the model's vocabulary). */
  readonly width: number;
  /** Ids >= this are masked; the tokenizer's vocabulary size. */
  readonly tokenizerVocabSize: number;
  /** The effective EOS ids (config's, else the tokenizer's). */
  readonly eosTokenIds: readonly number[];
  /** GenerationRequest.allowedTokens: the ids each next token may be (token healing). */
  readonly allowedTokens?: AllowedTokens;
}

export interface LogitsPipeline {
  readonly processors: readonly LogitsProcessor[];
  apply(row: ScoreRow, context: RowContext): void;
}

type Entry = (c: GenerationConfig, p: PipelineContext) => LogitsProcessor | undefined;

/**
 * The order is HF's GenerationMixin._get_logits_processor (transformers 4.5x): processors
 * first, then — only when sampling — the former "warpers", then renormalisation last.
 * Rows of this table are skipped when their setting is off, exactly as HF's conditions.
 */
const table: readonly Entry[] = [
  (_, p) => (p.tokenizerVocabSize < p.width ? vocabMask(p.tokenizerVocabSize) : undefined),
  (c) => (c.sequenceBias ? sequenceBias(c.sequenceBias) : undefined),
  (c, p) => (c.repetitionPenalty !== 1 ? repetitionPenalty(c.repetitionPenalty, p.width) : undefined),
  (c) => (c.noRepeatNgramSize > 0 ? noRepeatNgram(c.noRepeatNgramSize) : undefined),
  (c, p) => (c.badWordsIds ? badWords(c.badWordsIds, p.eosTokenIds) : undefined),
  (c, p) => (c.minLength > 0 && p.eosTokenIds.length > 0 ? minLength(c.minLength, p.eosTokenIds) : undefined),
  (c, p) =>
    c.minNewTokens !== undefined && c.minNewTokens > 0 && p.eosTokenIds.length > 0
      ? minNewTokens(c.minNewTokens, p.eosTokenIds)
      : undefined,
  (c) => (c.forcedBosTokenId !== undefined ? forcedBos(c.forcedBosTokenId) : undefined),
  (c) => (c.forcedEosTokenId ? forcedEos(c.forcedEosTokenId) : undefined),
  (c) => (c.removeInvalidValues ? removeInvalidValues() : undefined),
  (c, p) =>
    c.exponentialDecayLengthPenalty
      ? exponentialDecayLengthPenalty(c.exponentialDecayLengthPenalty, p.eosTokenIds)
      : undefined,
  (c) => (c.suppressTokens ? suppressTokens(c.suppressTokens) : undefined),
  (c) => (c.beginSuppressTokens ? beginSuppressTokens(c.beginSuppressTokens, c.forcedBosTokenId !== undefined) : undefined),
  (_c, p) => (p.allowedTokens ? allowTokens(p.allowedTokens) : undefined),
  // Warpers: sampling only, min_tokens_to_keep = 1 (beam sampling will pass more).
  (c) => (c.doSample && c.temperature !== 1 ? temperature(c.temperature) : undefined),
  (c) => (c.doSample && c.topK !== 0 ? topK(c.topK) : undefined),
  (c, p) => (c.doSample && c.topP < 1 ? topP(c.topP, p.width) : undefined),
  (c) => (c.doSample && c.minP !== undefined ? minP(c.minP) : undefined),
  (c, p) => (c.doSample && c.typicalP < 1 ? typicalP(c.typicalP, p.width) : undefined),
  (c) => (c.doSample && c.epsilonCutoff > 0 && c.epsilonCutoff < 1 ? epsilonCutoff(c.epsilonCutoff) : undefined),
  (c) => (c.doSample && c.etaCutoff > 0 && c.etaCutoff < 1 ? etaCutoff(c.etaCutoff) : undefined),
  // inkwell-wm-v1 says "after every other logits processor": after the warpers (HF appends its
  // WatermarkLogitsProcessor before them), so δ is in the units the sampler sees, a token the
  // warpers cut stays cut, and on a sparse row only the survivors are hashed. Renormalisation
  // stays last: it only shifts the row, so greens keep their +δ relative to the rest.
  (c, p) => (c.watermarkingConfig ? watermark(c.watermarkingConfig, p.width) : undefined),
  (c) => (c.renormalizeLogits ? renormalize() : undefined),
];

export function buildLogitsPipeline(config: GenerationConfig, context: PipelineContext): LogitsPipeline {
  // Also checked here because the pipeline is a public building block (beam search, benches).
  checkTokenIdsFit(config, context.width);
  const processors = table.map((entry) => entry(config, context)).filter((p) => p !== undefined);
  const plan = executionOrder(processors);
  return {
    processors,
    apply(row, rowContext) {
      for (const processor of plan) processor.apply(row, rowContext);
    },
  };
}

/**
 * HF's order, except that top-k runs before temperature when they are adjacent. Dividing by a
 * positive temperature preserves the order of scores, so top-k keeps the same tokens either
 * way, and the division then touches k survivors instead of the whole vocabulary (a full pass
 * saved per step). The only possible difference: two distinct scores that round to the same
 * float32 after division would tie in HF's order; here the better one alone survives.
 */
function executionOrder(processors: readonly LogitsProcessor[]): readonly LogitsProcessor[] {
  const plan = [...processors];
  for (let i = 0; i + 1 < plan.length; i++) {
    if (plan[i]!.name === 'temperature' && plan[i + 1]!.name === 'top-k') {
      [plan[i], plan[i + 1]] = [plan[i + 1]!, plan[i]!];
    }
  }
  return plan;
}
