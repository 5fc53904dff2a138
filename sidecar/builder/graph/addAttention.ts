import type { DecoderSpec } from '../DecoderSpec';
import { DataType, type ElemType, type GraphBuilder } from '../onnx/GraphBuilder';
import { hasOutputBias } from '../weights/WeightSource';
import type { AttentionInputs } from './addAttentionInputs';
import type { ParameterWriter } from './ParameterWriter';

/** Masked scores get the lowest float32, not -inf: a fully masked row (a pad query) then softmaxes to a uniform row instead of NaN. */
const MASKED_SCORE = -3.4028234663852886e38;

export interface LayerCache {
  readonly pastKey: string;
  readonly pastValue: string;
  readonly presentKey: string;
  readonly presentValue: string;
  /** The cache tensors' element type: float32, or float16 to halve what crosses into JS each step. */
  readonly type: ElemType;
}

/**
 * Grouped-query self-attention with standard ops. Query heads are grouped by their KV head through a
 * reshape ([B, heads, S, D] → [B, kvHeads, group*S, D]), so keys and values are never repeated.
 */
export function addAttention(
  b: GraphBuilder,
  w: ParameterWriter,
  spec: DecoderSpec,
  layer: number,
  x: string,
  shared: AttentionInputs,
  cache: LayerCache,
): string {
  const { hidden, heads, kvHeads, headDim: d } = spec;
  const group = heads / kvHeads;
  const p = `model.layers.${layer}.self_attn`;
  b.scope = `layers.${layer}/attn`;

  const project = (name: string, count: number): string => {
    const y = w.linear(x, `${p}.${name}`, hidden, count * d, spec.attentionBias);
    return b.op('Reshape', [y, b.int64([0, 0, count, d])]); // [B,S,heads,D]
  };
  const rotate = (t: string): string => {
    const [first, second] = b.node('Split', [t], { axis: -1 }, { outputCount: 2 });
    const swapped = b.op('Concat', [second, first], { axis: -1 });
    return b.op('Add', [b.op('Mul', [t, shared.cos]), b.op('Mul', [swapped, shared.sinSigned])]);
  };
  const toHeadsFirst = (t: string): string => b.op('Transpose', [t], { perm: [0, 2, 1, 3] });

  const q = b.op('Mul', [toHeadsFirst(rotate(project('q_proj', heads))), b.float32([1 / Math.sqrt(d)])]);
  const k = toHeadsFirst(rotate(project('k_proj', kvHeads)));
  const v = toHeadsFirst(project('v_proj', kvHeads));

  const appendToCache = (past: string, current: string, present: string): string => {
    if (cache.type === DataType.FLOAT) return b.op('Concat', [past, current], { axis: 2 }, present);
    const stored = b.op('Concat', [past, b.op('Cast', [current], { to: cache.type })], { axis: 2 }, present);
    return b.op('Cast', [stored], { to: DataType.FLOAT });
  };
  const keys = appendToCache(cache.pastKey, k, cache.presentKey); // [B,kv,T,D]
  const values = appendToCache(cache.pastValue, v, cache.presentValue);

  const grouped = group === 1 ? q : b.op('Reshape', [q, b.int64([0, kvHeads, -1, d])]);
  let scores = b.op('MatMul', [grouped, b.op('Transpose', [keys], { perm: [0, 1, 3, 2] })]);
  if (group !== 1) scores = b.op('Reshape', [scores, b.int64([0, heads, -1, 0])]); // [B,heads,S,T]
  const masked = b.op('Where', [shared.allowed, scores, b.float32([MASKED_SCORE])]);
  let probs = b.op('Softmax', [masked], { axis: -1 });
  if (group !== 1) probs = b.op('Reshape', [probs, b.int64([0, kvHeads, -1, 0])]);
  let context = b.op('MatMul', [probs, values]);
  if (group !== 1) context = b.op('Reshape', [context, b.int64([0, heads, -1, d])]);
  const merged = b.op('Reshape', [toHeadsFirst(context), b.int64([0, 0, heads * d])]);
  return w.linear(merged, `${p}.o_proj`, heads * d, hidden, hasOutputBias(spec));
}
