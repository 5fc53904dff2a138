import type { GenerationConfig } from '../config/GenerationConfig';
import type { Clock } from '../stopping/Clock';
import type { FinishReason } from '../stopping/FinishReason';
import type { AssistantModel } from './assisted/AssistantModel';
import type { AssistedStats } from './assisted/AssistedStats';
import type { AllowedTokens } from '../processors/allowTokens';
import type { PromptCache } from './PromptCache';

export interface GenerationRequest {
  /** Token ids of each prompt (already templated and encoded); one batch row per prompt and return sequence. */
  readonly prompts: readonly (readonly number[])[];
  readonly config: GenerationConfig;
  /** Aborting ends every sequence with finishReason 'aborted'; the partial result is returned, not thrown. */
  readonly signal?: AbortSignal;
  /** Milliseconds; for timings and max_time. Defaults to performance.now. */
  readonly clock?: Clock;
  /** Also report each token's log-probability under the raw model logits (one extra softmax per token). */
  readonly rawLogprobs?: boolean;
  /**
   * Keeps the KV cache between requests: the prompt's prefix shared with the ids the cache
   * holds is not prefilled again. One prompt and one returned sequence only; the cache must
   * belong to the generating model. A run waits while an earlier one still holds the cache.
   */
  readonly promptCache?: PromptCache;
  /** The draft model of assisted generation (config.assistant_model names its folder; the caller loads it). */
  readonly assistant?: AssistantModel;
  /**
   * Token healing: the ids a sequence's next token may be, given what it has generated (the prompt
   * was cut back before its last token, and the text must begin with what was cut). Every mode
   * honours it.
   */
  readonly allowedTokens?: AllowedTokens;
}

/** Streamed while generating. The deltas of one sequence, in order, concatenate to its final text. */
export type GenerationEvent =
  | {
      readonly type: 'token';
      /** Index into GenerationResult.sequences (prompt-major: prompt × numReturnSequences + j). */
      readonly sequence: number;
      readonly tokenId: number;
      /** Text made final by this token; '' while a character or a possible stop string is pending. */
      readonly delta: string;
      /** log-probability of the token under the processed distribution (output_logprobs). */
      readonly logprob?: number;
      /** Under the model's raw distribution (request.rawLogprobs). */
      readonly rawLogprob?: number;
    }
  | {
      readonly type: 'finish';
      readonly sequence: number;
      readonly finishReason: FinishReason;
      /** The held-back tail released at the end ('' if none). */
      readonly delta: string;
    }
  | { readonly type: 'done'; readonly result: GenerationResult };

export interface SequenceTimings {
  /** From generate() to this sequence's first token (prefill included). */
  readonly timeToFirstTokenMs: number;
  /** From its first token to its last one. */
  readonly decodeMs: number;
  /** Tokens after the first, per second of decodeMs. */
  readonly decodeTokensPerSecond: number;
}

export interface RunTimings {
  readonly totalMs: number;
  readonly prefillMs: number;
  /** Real (unpadded) prompt tokens fed to the model by a prefill that completed (0 if none did). */
  readonly prefillTokens: number;
  /** Leading prompt tokens served from request.promptCache instead of being prefilled (0 without one). */
  readonly reusedTokens: number;
  readonly prefillTokensPerSecond: number;
  /** Time in decode steps (after the first token), forward passes included. */
  readonly decodeMs: number;
  readonly decodeSteps: number;
  /** Generated tokens (all sequences) after each one's first, per second of decodeMs. */
  readonly decodeTokensPerSecond: number;
  /**
   * Mean time per token-producing step spent outside model calls: logits processors, sampling,
   * stopping, detokenisation and bookkeeping. The engine's own cost; the bench reports it.
   */
  readonly overheadMs: number;
}

export interface SequenceResult {
  readonly sequence: number;
  /** Which prompt it continues. */
  readonly prompt: number;
  /** Decoded without special tokens; a stop string and what follows it are trimmed. */
  readonly text: string;
  /** Generated ids only (a final EOS included, as HF does). */
  readonly tokenIds: readonly number[];
  readonly logprobs?: readonly number[];
  readonly rawLogprobs?: readonly number[];
  readonly finishReason: FinishReason;
  readonly timings: SequenceTimings;
}

export interface GenerationResult {
  readonly sequences: readonly SequenceResult[];
  readonly timings: RunTimings;
  /** The seed the sampler used (config.seed, or the random one drawn), to replay a run. */
  readonly seed: number;
  /** Speculative decoding's counts, when the run was assisted (assistant model or prompt lookup). */
  readonly assisted?: AssistedStats;
}
