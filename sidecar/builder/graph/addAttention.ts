import type { DecoderSpec } from '../DecoderSpec';
import type { GraphBuilder } from '../onnx/GraphBuilder';
import { hasOutputBias } from '../weights/WeightSource';
import type { AttentionInputs } from './addAttentionInputs';
import { attendWithCache, type LayerCache } from './attendWithCache';
import type { ParameterWriter } from './ParameterWriter';

export type { LayerCache } from './attendWithCache';

/** Llama/Qwen2 grouped-query self-attention with rotary positions, in standard ops. */
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

  const merged = attendWithCache(b, spec, q, k, v, shared.allowed, cache);
  return w.linear(merged, `${p}.o_proj`, heads * d, hidden, hasOutputBias(spec));
}
