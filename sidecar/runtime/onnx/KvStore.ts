import type * as ort from 'onnxruntime-node';

/**
 * Where one cache's past key/values live between steps. Two strategies share this contract:
 * ConcatKvStore (any standard export: the graph's `present` outputs become the next `past`) and
 * SlotKvStore (graphs with new_key_values outputs: fixed buffers written in place).
 */
export interface KvStore {
  readonly batch: number;
  /** Real positions held. */
  readonly length: number;
  /** Positions the past tensors span (>= length; the extra slots are masked out). */
  readonly slots: number;
  /** Past tensors in signature order, for the next run. */
  pastTensors(): ort.Tensor[];
  /** The fetch names this store needs from a run. */
  fetches(): readonly string[];
  /** Takes a run's outputs for `seqLen` new positions. */
  absorb(results: ort.InferenceSession.ReturnType, seqLen: number): void;
  crop(length: number): void;
  /** A store holding rows[i] of this one as row i. */
  select(rows: readonly number[]): KvStore;
}

/**
 * The engine's attention mask covers `length + seqLen` positions; the graph's past spans `slots`.
 * Unused slots between the real past and the new tokens are masked with 0.
 */
export function expandMask(mask: Uint8Array, batch: number, length: number, slots: number, seqLen: number): BigInt64Array {
  const total = slots + seqLen;
  const out = new BigInt64Array(batch * total);
  for (let b = 0; b < batch; b++) {
    const src = b * (length + seqLen);
    const dst = b * total;
    for (let i = 0; i < length; i++) if (mask[src + i]) out[dst + i] = 1n;
    for (let i = 0; i < seqLen; i++) if (mask[src + length + i]) out[dst + slots + i] = 1n;
  }
  return out;
}
