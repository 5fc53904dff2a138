import { isBeamMode, mergeConfig, type GenerationConfig } from '../engine';
import { maxPromptTokens } from '../engine';
import type { FimFormat } from './fimFormat';

/** New tokens per completion when the user's config sets none. */
export const DEFAULT_COMPLETION_MAX_NEW_TOKENS = 64;

export interface CompletionGeneration {
  readonly config: GenerationConfig;
  /** Sequences each completion returns (sampling and beam modes: num_return_sequences). */
  readonly returns: number;
  /** Prompt tokens the completion prompt may use. */
  readonly budget: number;
  /**
   * One sequence from a token-at-a-time mode (greedy, sampling, assisted): the runs that can
   * reuse a document's KV cache and draft with an assistant (beams and contrastive search cannot).
   */
  readonly stepwise: boolean;
}

/**
 * The generation a completion runs, from the user's config: a default length, the FIM format's
 * stop ids added to EOS, and prompt-lookup drafting when asked for (one sequence from a
 * token-at-a-time mode only: beams and contrastive search cannot draft). The prompt budget leaves
 * room for the new tokens within the model's positions. The server and the model evaluation
 * (models/pipeline/eval) both build completions with it.
 */
export function completionGeneration(
  base: GenerationConfig,
  options: { tokenizerEos: readonly number[]; format: FimFormat | undefined; promptLookupTokens: number; contextTokens: number; maxPositions: number },
): CompletionGeneration {
  const eos = [...new Set([...(base.eosTokenId ?? options.tokenizerEos), ...(options.format?.stopTokenIds ?? [])])];
  const stepwise = !(base.doSample && base.numReturnSequences > 1) && (base.mode === 'greedy' || base.mode === 'sample' || base.mode === 'assisted');
  const lookup = options.promptLookupTokens;
  const config = mergeConfig(base, {
    max_new_tokens: base.maxNewTokens ?? DEFAULT_COMPLETION_MAX_NEW_TOKENS,
    ...(eos.length > 0 && { eos_token_id: eos }),
    // Completions copy a lot from the file: drafting from the prompt is cheap and lossless.
    ...(lookup > 0 && stepwise && base.promptLookupNumTokens === undefined && { prompt_lookup_num_tokens: lookup }),
  });
  const maxNew = config.maxNewTokens ?? DEFAULT_COMPLETION_MAX_NEW_TOKENS;
  return {
    config,
    // Sampling and every beam mode return num_return_sequences sequences; greedy and contrastive one.
    returns: config.doSample || isBeamMode(config.mode) ? config.numReturnSequences : 1,
    // At least 16 ids even when max_new_tokens fills the positions (generation then stops at the
    // positions' end), but never more than any prompt may have.
    budget: Math.min(maxPromptTokens(options.maxPositions), Math.max(16, Math.min(options.contextTokens, options.maxPositions - maxNew - 1))),
    stepwise,
  };
}
