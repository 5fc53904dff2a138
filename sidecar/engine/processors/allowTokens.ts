import type { LogitsProcessor } from './LogitsProcessor';

/**
 * The ids a sequence's next token may be, given the ids it has generated so far; undefined once
 * nothing constrains it any more (GenerationRequest.allowedTokens).
 */
export type AllowedTokens = (generated: readonly number[]) => readonly number[] | undefined;

/**
 * Masks every id `allowed` does not list for the row's next token (each row asks with its own
 * generated ids, so beams and drafts are constrained alike). Token healing: the prompt was cut
 * back before its last token and the generated text must begin with what was cut, over one token
 * or several.
 */
export function allowTokens(allowed: AllowedTokens): LogitsProcessor {
  let kept = new Float32Array(0);
  return {
    name: 'allow-tokens',
    apply(row, context) {
      const ids = allowed(context.ids.slice(context.promptLength));
      if (ids === undefined) return;
      if (kept.length < ids.length) kept = new Float32Array(ids.length);
      const scores = row.scores;
      ids.forEach((id, i) => (kept[i] = id < scores.length ? scores[id]! : Number.NEGATIVE_INFINITY));
      scores.fill(Number.NEGATIVE_INFINITY);
      ids.forEach((id, i) => {
        if (id < scores.length) scores[id] = kept[i]!;
      });
    },
  };
}
