import { outOfRange } from './configError';
import type { GenerationConfig } from './GenerationConfig';

/**
 * Token ids of the config must index a logits row; parsing cannot know the width, so this runs
 * once a model is known. Without it an oversized pad_token_id reaches onnxruntime's Gather (out
 * of bounds) and an oversized forced id masks the whole row, so argmax falls back to id 0.
 * bos_token_id is left out: generation never feeds it, and a stray value should not block a model.
 * Throws InkwellError('invalid-config') naming the field, the id and the allowed range.
 */
export function checkTokenIdsFit(c: GenerationConfig, width: number): void {
  const fit = (field: string, ids: readonly number[] | undefined) => {
    for (const id of ids ?? []) if (id >= width) throw outOfRange(field, id, `must be < ${width} (the model's vocabulary)`);
  };
  fit('pad_token_id', c.padTokenId === undefined ? undefined : [c.padTokenId]);
  fit('eos_token_id', c.eosTokenId);
  fit('forced_bos_token_id', c.forcedBosTokenId === undefined ? undefined : [c.forcedBosTokenId]);
  fit('forced_eos_token_id', c.forcedEosTokenId);
  fit('suppress_tokens', c.suppressTokens);
  fit('begin_suppress_tokens', c.beginSuppressTokens);
  c.badWordsIds?.forEach((word, i) => fit(`bad_words_ids[${i}]`, word));
  c.sequenceBias?.forEach((entry, i) => fit(`sequence_bias[${i}]`, entry.tokens));
}
