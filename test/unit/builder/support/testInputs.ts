import type { ReferenceInputs } from '../../../../sidecar/builder/reference/ReferenceDecoder';

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Deterministic token ids in [3, vocab) (0..2 are the fake tokenizer's specials). */
export function tokens(count: number, seed: number, vocab: number): number[] {
  let x = seed * 2654435761;
  return Array.from({ length: count }, () => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return 3 + (x % (vocab - 3));
  });
}

/** A batch without padding, positions 0..n-1. */
export function plainBatch(rows: readonly (readonly number[])[]): ReferenceInputs {
  return {
    inputIds: rows,
    attentionMask: rows.map((r) => r.map(() => 1)),
    positionIds: rows.map((r) => r.map((_, i) => i)),
  };
}

/** Prompts of different lengths, left-padded with token 0; positions as HF computes them (pads get 1). */
export function leftPaddedBatch(prompts: readonly (readonly number[])[]): ReferenceInputs {
  const width = Math.max(...prompts.map((p) => p.length));
  return {
    inputIds: prompts.map((p) => [...Array(width - p.length).fill(0), ...p]),
    attentionMask: prompts.map((p) => [...Array(width - p.length).fill(0), ...p.map(() => 1)]),
    positionIds: prompts.map((p) => [...Array(width - p.length).fill(1), ...p.map((_, i) => i)]),
  };
}

/** Rows [b, s, :] of a [batch, seq, width] tensor. */
export function row(data: Float32Array, seq: number, width: number, b: number, s: number): Float32Array {
  return data.subarray((b * seq + s) * width, (b * seq + s + 1) * width);
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
