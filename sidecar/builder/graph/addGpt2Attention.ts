import type { DecoderSpec } from '../DecoderSpec';
import type { GraphBuilder } from '../onnx/GraphBuilder';
import { attendWithCache, type LayerCache } from './attendWithCache';
import type { ParameterWriter } from './ParameterWriter';

/** GPT-2 self-attention: one fused, biased q/k/v projection (c_attn), split in three; no rotary. */
export function addGpt2Attention(b: GraphBuilder, w: ParameterWriter, spec: DecoderSpec, layer: number, x: string, allowed: string, cache: LayerCache): string {
  const { hidden, heads, headDim: d } = spec;
  const p = `transformer.h.${layer}.attn`;
  b.scope = `layers.${layer}/attn`;
  const qkv = w.conv1d(x, `${p}.c_attn`, hidden, 3 * hidden);
  const parts = b.node('Split', [qkv, b.int64([hidden, hidden, hidden])], { axis: -1 }, { outputCount: 3 });
  const [q, k, v] = parts.map((t) => b.op('Transpose', [b.op('Reshape', [t, b.int64([0, 0, heads, d])])], { perm: [0, 2, 1, 3] })); // [B,heads,S,D]
  const scaled = b.op('Mul', [q, b.float32([1 / Math.sqrt(d)])]);
  const merged = attendWithCache(b, spec, scaled, k, v, allowed, cache);
  return w.conv1d(merged, `${p}.c_proj`, hidden, hidden);
}
