import type { ReferenceDecoder } from '../../sidecar/builder/reference/ReferenceDecoder';

/**
 * A beam hypothesis's score computed from scratch: one reference forward pass (plain TS, fp32
 * weights) over prompt + tokens, a float64 log-softmax at each generated position, summed and
 * divided by length ** lengthPenalty (HF's BeamHypotheses.add). Valid when no logits processor
 * changes the log-probabilities and the tokenizer covers the whole logits width (no vocab mask).
 */
export function referenceSequenceScore(reference: ReferenceDecoder, prompt: readonly number[], tokens: readonly number[], lengthPenalty = 1): number {
  const ids = [...prompt, ...tokens];
  const { logits } = reference.forward({ inputIds: [ids], attentionMask: [ids.map(() => 1)], positionIds: [ids.map((_, i) => i)] });
  const width = logits.length / ids.length;
  let sum = 0;
  tokens.forEach((token, t) => {
    const row = logits.subarray((prompt.length - 1 + t) * width, (prompt.length + t) * width);
    let max = -Infinity;
    for (const x of row) max = Math.max(max, x);
    let z = 0;
    for (const x of row) z += Math.exp(x - max);
    sum += row[token]! - max - Math.log(z);
  });
  return sum / tokens.length ** lengthPenalty;
}
