import type { LogitsProcessor } from './LogitsProcessor';

/**
 * The first generated token must be one of `ids` (everything else is masked at that step only):
 * token healing, where the prompt was cut back to before a partial word and the model must
 * produce a token that starts with what was cut (GenerationRequest.firstTokens).
 */
export function allowFirstTokens(ids: readonly number[]): LogitsProcessor {
  const kept = new Float32Array(ids.length);
  return {
    name: 'allow-first-tokens',
    apply(row, context) {
      if (context.ids.length !== context.promptLength) return;
      const scores = row.scores;
      ids.forEach((id, i) => (kept[i] = id < scores.length ? scores[id]! : Number.NEGATIVE_INFINITY));
      scores.fill(Number.NEGATIVE_INFINITY);
      ids.forEach((id, i) => {
        if (id < scores.length) scores[id] = kept[i]!;
      });
    },
  };
}
