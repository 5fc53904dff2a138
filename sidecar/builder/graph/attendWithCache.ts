import { DataType, type ElemType, type GraphBuilder } from '../onnx/GraphBuilder';

/** Masked scores get the lowest float32, not -inf: a fully masked row (a pad query) then softmaxes to a uniform row instead of NaN. */
const MASKED_SCORE = -3.4028234663852886e38;

export interface LayerCache {
  readonly pastKey: string;
  readonly pastValue: string;
  readonly presentKey: string;
  readonly presentValue: string;
  /** This step's keys/values alone (new_key_values.{i}.*): lets a runtime keep the cache in place instead of copying present out every step. */
  readonly newKey: string;
  readonly newValue: string;
  /** The cache tensors' element type: float32, or float16 to halve what crosses into JS each step. */
  readonly type: ElemType;
}

/** Layer i's cache I/O names, as optimum names them. */
export function layerCache(layer: number, type: ElemType): LayerCache {
  return {
    pastKey: `past_key_values.${layer}.key`,
    pastValue: `past_key_values.${layer}.value`,
    presentKey: `present.${layer}.key`,
    presentValue: `present.${layer}.value`,
    newKey: `new_key_values.${layer}.key`,
    newValue: `new_key_values.${layer}.value`,
    type,
  };
}

export interface AttentionHeads {
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
}

/**
 * Appends this step's keys and values to the cache and attends: q [B, heads, S, D] (already scaled),
 * k and v [B, kvHeads, S, D], `allowed` [B, 1, S, T]. Query heads are grouped by their KV head through
 * a reshape ([B, heads, S, D] → [B, kvHeads, group*S, D]), so keys and values are never repeated.
 * Returns the merged context [B, S, heads*D].
 */
export function attendWithCache(b: GraphBuilder, shape: AttentionHeads, q: string, k: string, v: string, allowed: string, cache: LayerCache): string {
  const { heads, kvHeads, headDim: d } = shape;
  const group = heads / kvHeads;
  const appendToCache = (past: string, current: string, present: string, added: string): string => {
    if (cache.type === DataType.FLOAT) {
      b.op('Identity', [current], {}, added);
      return b.op('Concat', [past, current], { axis: 2 }, present);
    }
    const stored = b.op('Concat', [past, b.op('Cast', [current], { to: cache.type }, added)], { axis: 2 }, present);
    return b.op('Cast', [stored], { to: DataType.FLOAT });
  };
  const keys = appendToCache(cache.pastKey, k, cache.presentKey, cache.newKey); // [B,kv,T,D]
  const values = appendToCache(cache.pastValue, v, cache.presentValue, cache.newValue);

  const grouped = group === 1 ? q : b.op('Reshape', [q, b.int64([0, kvHeads, -1, d])]);
  let scores = b.op('MatMul', [grouped, b.op('Transpose', [keys], { perm: [0, 1, 3, 2] })]);
  if (group !== 1) scores = b.op('Reshape', [scores, b.int64([0, heads, -1, 0])]); // [B,heads,S,T]
  const masked = b.op('Where', [allowed, scores, b.float32([MASKED_SCORE])]);
  let probs = b.op('Softmax', [masked], { axis: -1 });
  if (group !== 1) probs = b.op('Reshape', [probs, b.int64([0, kvHeads, -1, 0])]);
  let context = b.op('MatMul', [probs, values]);
  if (group !== 1) context = b.op('Reshape', [context, b.int64([0, heads, -1, d])]);
  return b.op('Reshape', [b.op('Transpose', [context], { perm: [0, 2, 1, 3] }), b.int64([0, 0, heads * d])]);
}
