/**
 * The prefill inputs for several prompts of different lengths, padded on the LEFT so that every
 * row's last real token sits in the last column (the position whose logits we read). Pads get
 * attention 0. Positions follow HF's cumsum(mask) − 1, clamped at 0 for the pads (HF writes 1
 * there; a masked position is never attended, so the value does not matter).
 */
export interface PaddedBatch {
  readonly batch: number;
  readonly seqLen: number;
  readonly inputIds: Int32Array;
  readonly attentionMask: Uint8Array;
  readonly positionIds: Int32Array;
  /** Leading pads of each row. */
  readonly padCounts: readonly number[];
}

export function leftPadBatch(prompts: readonly (readonly number[])[], padTokenId: number): PaddedBatch {
  const batch = prompts.length;
  const seqLen = prompts.reduce((n, p) => Math.max(n, p.length), 0);
  const inputIds = new Int32Array(batch * seqLen).fill(padTokenId);
  const attentionMask = new Uint8Array(batch * seqLen);
  const positionIds = new Int32Array(batch * seqLen);
  const padCounts: number[] = [];
  prompts.forEach((prompt, row) => {
    const pads = seqLen - prompt.length;
    padCounts.push(pads);
    const base = row * seqLen;
    for (let i = 0; i < prompt.length; i++) {
      inputIds[base + pads + i] = prompt[i]!;
      attentionMask[base + pads + i] = 1;
      positionIds[base + pads + i] = i;
    }
  });
  return { batch, seqLen, inputIds, attentionMask, positionIds, padCounts };
}
