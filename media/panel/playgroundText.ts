/**
 * What the playground shows when a generation ends: the one text as it is, or every returned
 * sequence under a header, with its beam score when the mode has one (beam search: the sum of
 * log-probabilities / length ** length_penalty, best first).
 */
export function playgroundText(texts: readonly string[], scores?: readonly number[]): string {
  if (texts.length <= 1 && scores === undefined) return texts[0] ?? '';
  return texts
    .map((text, i) => {
      const score = scores?.[i];
      return `── sequence ${i + 1}${score === undefined ? '' : ` · score ${score.toFixed(3)}`} ──\n${text}`;
    })
    .join('\n\n');
}
