import type { GenerationConfig } from '../config/GenerationConfig';
import type { LogitsPipeline } from '../processors/buildLogitsPipeline';
import type { RowContext } from '../processors/LogitsProcessor';
import { ScoreRow } from '../processors/ScoreRow';
import { argmax } from '../sampling/argmax';
import { logSoftmaxAt, rawLogSoftmaxAt } from '../sampling/logSoftmaxAt';
import { TokenSampler } from '../sampling/sampleToken';
import type { Xoshiro128 } from '../sampling/Xoshiro128';

export interface Choice {
  readonly tokenId: number;
  readonly logprob: number | undefined;
  readonly rawLogprob: number | undefined;
}

/**
 * Picks the next token of one row from its raw logits: processors, then greedy argmax or a
 * seeded multinomial draw. One ScoreRow is reused for every row and step (no 152k allocations).
 */
export class TokenChooser {
  private readonly row: ScoreRow;
  private readonly sampler: TokenSampler;

  constructor(
    private readonly config: GenerationConfig,
    private readonly pipeline: LogitsPipeline,
    private readonly rng: Xoshiro128,
    width: number,
    private readonly rawLogprobs: boolean,
  ) {
    this.row = new ScoreRow(width);
    this.sampler = new TokenSampler(width);
  }

  choose(logits: Float32Array, context: RowContext): Choice {
    const row = this.row;
    row.load(logits);
    this.pipeline.apply(row, context);
    const tokenId = this.config.doSample ? this.sampler.sample(row, this.rng.nextFloat()) : argmax(row);
    return {
      tokenId,
      logprob: this.config.outputLogprobs ? logSoftmaxAt(row, tokenId) : undefined,
      rawLogprob: this.rawLogprobs ? rawLogSoftmaxAt(logits, tokenId) : undefined,
    };
  }
}
