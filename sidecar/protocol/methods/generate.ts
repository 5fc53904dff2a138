import { RequestType } from 'vscode-languageserver-protocol';
import { z } from 'zod';
import { exactlyOnePrompt, exactlyOnePromptIssue, promptOrMessages } from './promptOrMessages';

/** inkwell/generate: generates from a prompt or chat messages. */
export const generateParamsSchema = z
  .strictObject({
    ...promptOrMessages,
    /** When set, tokens are streamed as inkwell/generateProgress notifications carrying this id. */
    streamId: z.string().min(1).max(200).optional(),
  })
  .refine(exactlyOnePrompt, exactlyOnePromptIssue);

export type GenerateParams = Readonly<z.infer<typeof generateParamsSchema>>;

export type FinishReason = 'eos' | 'length' | 'stop-string' | 'max-time' | 'aborted';

export interface GeneratedSequence {
  readonly text: string;
  readonly tokenIds: readonly number[];
  readonly finishReason: FinishReason;
}

export interface GenerationTimings {
  readonly totalMs: number;
  readonly timeToFirstTokenMs: number;
  readonly prefillMs: number;
  readonly prefillTokens: number;
  readonly reusedTokens: number;
  readonly decodeMs: number;
  readonly decodeTokensPerSecond: number;
}

export interface GenerateResult {
  readonly sequences: readonly GeneratedSequence[];
  readonly timings: GenerationTimings;
  readonly seed: number;
  readonly warnings: readonly string[];
  /** When cancelled: tokens the engine produced after the server saw the cancellation. */
  readonly tokensAfterCancel?: number;
  /**
   * Beam modes only: each sequence's score, in the order of `sequences` (best first): the sum of
   * its processed log-probabilities / length ** length_penalty (HF's sequences_scores).
   */
  readonly sequenceScores?: readonly number[];
}

/** Generate from a prompt or chat messages; streams inkwell/generateProgress when params.streamId is set. */
export const generateRequest = new RequestType<GenerateParams, GenerateResult, void>('inkwell/generate');
