import type { GenerationConfig } from '../../config/GenerationConfig';
import type { KvCache, LanguageModel } from '../../model/LanguageModel';
import type { LogitsPipeline } from '../../processors/buildLogitsPipeline';
import type { RowContext } from '../../processors/LogitsProcessor';
import { argmax } from '../../sampling/argmax';
import { logSoftmaxAt } from '../../sampling/logSoftmaxAt';
import type { Xoshiro128 } from '../../sampling/Xoshiro128';
import { emptyDraft, type CandidateGenerator, type Draft } from './CandidateGenerator';
import { DraftLengthSchedule } from './DraftLengthSchedule';
import { drawFrom, ProcessedRow } from './ProcessedRow';
import { appendInput } from '../appendInput';
import { reusePrefix } from '../reusePrefix';

/**
 * Drafts with a smaller model that shares the main model's vocabulary. It keeps its own KV
 * cache and the ids it holds; before each draft the cache is cropped to the prefix those ids
 * share with the sequence (what verification rejected goes), and only the rest is fed.
 * Tokens are chosen as the main model would (same processors; argmax, or a draw from q when
 * sampling), and drafting stops early when the drafted token's probability falls below
 * assistant_confidence_threshold (HF's rule: that token is still proposed).
 */
export class AssistantDrafter implements CandidateGenerator {
  private cache: KvCache | undefined;
  private readonly fed: number[] = [];
  private readonly row: ProcessedRow;
  private readonly schedule: DraftLengthSchedule;
  private readonly pool: Float64Array[] = [];

  constructor(
    private readonly model: LanguageModel,
    pipeline: LogitsPipeline,
    private readonly config: GenerationConfig,
    private readonly rng: Xoshiro128,
  ) {
    this.row = new ProcessedRow(pipeline, model.info.vocabSize);
    this.schedule = new DraftLengthSchedule(config);
  }

  /** The draft length the schedule asks for now. */
  get draftLength(): number {
    return this.schedule.length;
  }

  async propose(context: RowContext, maxTokens: number, signal: AbortSignal): Promise<Draft> {
    const ids = context.ids;
    // Feeding ids plus K − 1 drafted tokens must fit the assistant's positions.
    const count = Math.min(this.schedule.length, maxTokens, this.model.info.maxPositions - ids.length + 1);
    if (count <= 0) return emptyDraft;
    let logits = await this.sync(ids, signal);
    const tokens: number[] = [];
    const probabilities: Float64Array[] = [];
    const drafted = [...ids];
    for (let i = 0; ; i++) {
      const row = this.row.load(logits, { ids: drafted, promptLength: context.promptLength, maxLength: context.maxLength });
      let token: number;
      let confidence: number;
      if (this.config.doSample) {
        const q = this.row.probabilities((this.pool[i] ??= new Float64Array(this.model.info.vocabSize)));
        token = drawFrom(q, this.rng.nextFloat(), 1);
        confidence = q[token]!;
        probabilities.push(q);
      } else {
        token = argmax(row);
        confidence = this.config.assistantConfidenceThreshold > 0 ? Math.exp(logSoftmaxAt(row, token)) : 1;
      }
      tokens.push(token);
      drafted.push(token);
      if (tokens.length >= count || confidence < this.config.assistantConfidenceThreshold) break;
      logits = await this.feed([token], signal);
    }
    return this.config.doSample ? { tokens, probabilities } : { tokens };
  }

  learn(drafted: number, accepted: number): void {
    this.schedule.learn(drafted, accepted);
  }

  async dispose(): Promise<void> {
    const cache = this.cache;
    this.cache = undefined;
    if (cache !== undefined) await this.model.releaseCache(cache);
  }

  /** Crops the cache to what it shares with `ids`, feeds the rest; returns the next-token logits. */
  private async sync(ids: readonly number[], signal: AbortSignal): Promise<Float32Array> {
    const cache = this.cache;
    this.cache = undefined; // released or replaced by reusePrefix: never used again if it throws
    const reuse = await reusePrefix(this.model, cache, this.fed, ids);
    this.cache = reuse.cache;
    this.fed.length = reuse.reused;
    return this.feed(ids.slice(reuse.reused), signal);
  }

  private async feed(tokens: readonly number[], signal: AbortSignal): Promise<Float32Array> {
    const { cache, output } = await this.model.forward(this.cache!, { ...appendInput(tokens, this.cache!.length), logits: 'last' }, signal);
    this.cache = cache;
    this.fed.push(...tokens);
    return output.logits;
  }
}
