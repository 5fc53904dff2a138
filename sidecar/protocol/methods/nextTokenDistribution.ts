import { RequestType } from 'vscode-languageserver-protocol';
import { z } from 'zod';
import { exactlyOnePrompt, exactlyOnePromptIssue, promptOrMessages } from './promptOrMessages';

export const nextTokenDistributionParamsSchema = z
  .strictObject({
    ...promptOrMessages,
    /** How many tokens to show (1..100, default 12). */
    topN: z.number().int().min(1).max(100).optional(),
  })
  .refine(exactlyOnePrompt, exactlyOnePromptIssue);

export type NextTokenDistributionParams = Readonly<z.infer<typeof nextTokenDistributionParamsSchema>>;

export interface DistributionStage {
  /** 'raw', then each logits processor's name in the order it applies (e.g. 'temperature', 'top-k'). */
  readonly name: string;
  /** Probability of each of NextTokenDistributionResult.tokens after this stage. */
  readonly probs: readonly number[];
  /** Tokens of the whole vocabulary with non-zero probability after this stage. */
  readonly kept: number;
  /** Entropy of the stage's distribution, in nats. */
  readonly entropy: number;
}

export interface NextTokenDistributionResult {
  readonly tokens: readonly { readonly id: number; readonly text: string }[];
  readonly stages: readonly DistributionStage[];
  /**
   * How the next token is chosen from the last stage: 'greedy' takes the most probable, 'sample'
   * draws from it; the beam modes add these log-probabilities to each beam's score (and their
   * stages are computed on log-probabilities); contrastive search re-ranks the top_k.
   */
  readonly decoding: 'greedy' | 'sample' | 'beam' | 'beam-sample' | 'group-beam' | 'contrastive';
  readonly promptTokens: number;
  readonly forwardMs: number;
  readonly warnings: readonly string[];
}

/** Top-N next tokens and their probability after each logits-processor stage. */
export const nextTokenDistributionRequest = new RequestType<NextTokenDistributionParams, NextTokenDistributionResult, void>(
  'inkwell/nextTokenDistribution',
);
