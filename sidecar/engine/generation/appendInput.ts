import type { ForwardInput } from '../model/LanguageModel';

/**
 * The forward input that appends `tokens` to a one-row, unpadded cache already holding `past`
 * positions: a prompt's suffix after a reused prefix, a drafted block to verify, an assistant's
 * catch-up. The mask covers every position, old and new.
 */
export function appendInput(tokens: readonly number[], past: number): Omit<ForwardInput, 'logits'> {
  const seqLen = tokens.length;
  return {
    inputIds: Int32Array.from(tokens),
    positionIds: Int32Array.from({ length: seqLen }, (_, i) => past + i),
    attentionMask: new Uint8Array(past + seqLen).fill(1),
    batch: 1,
    seqLen,
  };
}
