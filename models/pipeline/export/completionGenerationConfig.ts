import { generationConfigJson } from '../../../sidecar/builder/hfConfigFiles';

/** Completions stop by the line rules long before this; it bounds a runaway multi-line one. */
export const COMPLETION_MAX_NEW_TOKENS = 64;

export interface CompletionTokenIds {
  readonly eos: number;
  /** <|fim_prefix|>, <|fim_suffix|>, <|fim_middle|> when the tokenizer has them. */
  readonly fim: readonly number[];
}

/**
 * generation_config.json of the bundled model, tuned for inline completion:
 * - greedy (`do_sample: false`): a completion should be the model's single best guess and the
 *   same for the same text; greedy is also what makes assisted decoding's output identical to
 *   plain decoding's with the cheapest acceptance rule;
 * - `max_new_tokens` 64: the server's own completion default (CompletionFeature), about 8 short
 *   lines, which the line rules cut earlier anyway;
 * - `eos_token_id`: EOS and the three FIM markers. Our server adds the FIM stops itself
 *   (fimFormat), but other runtimes (transformers, transformers.js) read only this list, and a
 *   model that emits a FIM marker has lost track of the hole: stopping there is right for them too.
 */
export function completionGenerationConfig(ids: CompletionTokenIds): Record<string, unknown> {
  const eos = [...new Set([ids.eos, ...ids.fim])];
  return {
    ...generationConfigJson({ eos, pad: ids.eos }),
    do_sample: false,
    max_new_tokens: COMPLETION_MAX_NEW_TOKENS,
  };
}
