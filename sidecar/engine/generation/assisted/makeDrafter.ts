import type { GenerationConfig } from '../../config/GenerationConfig';
import type { LogitsPipeline } from '../../processors/buildLogitsPipeline';
import type { Xoshiro128 } from '../../sampling/Xoshiro128';
import { AssistantDrafter } from './AssistantDrafter';
import type { AssistantModel } from './AssistantModel';
import type { CandidateGenerator } from './CandidateGenerator';
import { CombinedDrafter } from './CombinedDrafter';
import { PromptLookupDrafter } from './PromptLookupDrafter';

/** HF's default max_matching_ngram_size for prompt lookup. */
export const defaultMaxMatchingNgramSize = 2;

/** Prompt lookup when prompt_lookup_num_tokens is set, the assistant when one is loaded, both combined. */
export function makeDrafter(
  config: GenerationConfig,
  assistant: AssistantModel | undefined,
  pipeline: LogitsPipeline,
  rng: Xoshiro128,
): CandidateGenerator {
  const lookup =
    config.promptLookupNumTokens !== undefined
      ? new PromptLookupDrafter(config.promptLookupNumTokens, config.maxMatchingNgramSize ?? defaultMaxMatchingNgramSize)
      : undefined;
  const drafter = assistant !== undefined ? new AssistantDrafter(assistant.model, pipeline, config, rng) : undefined;
  if (lookup && drafter) return new CombinedDrafter(lookup, drafter);
  const only = lookup ?? drafter;
  if (only === undefined) throw new Error('makeDrafter: neither prompt lookup nor an assistant is configured');
  return only;
}
