import type { RowContext } from '../../processors/LogitsProcessor';

/**
 * Drafted tokens for the main model to verify. `probabilities[i]` is the drafter's processed
 * distribution q that token i was drawn from (one dense row per token, valid until the next
 * propose()); absent for a deterministic proposal (prompt lookup), which verification treats
 * as q = one-hot on the token.
 */
export interface Draft {
  readonly tokens: readonly number[];
  readonly probabilities?: readonly Float64Array[];
}

/**
 * HF's CandidateGenerator: propose a continuation of `context.ids`, then learn from how many
 * of the proposed tokens the main model accepted.
 */
export interface CandidateGenerator {
  /** At most `maxTokens` tokens; an empty draft means "nothing to propose" (a plain step follows). */
  propose(context: RowContext, maxTokens: number, signal: AbortSignal): Promise<Draft>;
  learn(drafted: number, accepted: number): void;
  /** Frees what the generator holds (the assistant's KV cache). */
  dispose(): Promise<void>;
}

export const emptyDraft: Draft = Object.freeze({ tokens: Object.freeze([]) as readonly number[] });
