import { generate, InkwellError, sequenceScoresOf, type FinishReason, type GenerationConfig, type LanguageModel, type TextTokenizer } from '../../engine';

/** One run of a sweep (its first returned sequence), or why the engine refused it. */
export type SweepRow =
  | {
      readonly tokens: number;
      readonly tokenIds: readonly number[];
      readonly tokensPerSecond: number;
      readonly finishReason: FinishReason;
      /** The first sequence's beam score (HF's sequences_scores); null outside beam modes. */
      readonly sequenceScore: number | null;
      readonly text: string;
    }
  | { readonly error: { readonly code: string; readonly message: string; readonly field?: string } };

/**
 * Runs one config of a sweep. A config the engine or the model refuses (InkwellError
 * invalid-config / invalid-argument: a mode not implemented, contrastive search on a model
 * without hidden states, beam search with stop strings …) becomes an error row, so one refusal
 * does not hide the other rows; anything else (a crashed worker) is a real failure and throws.
 */
export async function runSweepRow(
  model: LanguageModel,
  tokenizer: TextTokenizer,
  prompt: readonly number[],
  config: GenerationConfig,
  signal: AbortSignal,
): Promise<SweepRow> {
  try {
    const result = await generate(model, tokenizer, { prompts: [prompt], config, signal }).result();
    const s = result.sequences[0]!;
    return {
      tokens: s.tokenIds.length,
      tokenIds: s.tokenIds,
      tokensPerSecond: result.timings.decodeTokensPerSecond,
      finishReason: s.finishReason,
      sequenceScore: sequenceScoresOf(result)?.[0] ?? null,
      text: s.text,
    };
  } catch (error) {
    const refused = InkwellError.is(error) && (error.code === 'invalid-config' || error.code === 'invalid-argument');
    if (!refused) throw error;
    return refusedRow(error);
  }
}

export type RefusedRow = Extract<SweepRow, { readonly error: unknown }>;

export function refusedRow(error: InkwellError): RefusedRow {
  const field = typeof error.details.field === 'string' ? error.details.field : undefined;
  return { error: { code: error.code, message: error.message.split('\n')[0]!, ...(field !== undefined && { field }) } };
}
