import type { DecoderSpec } from '../DecoderSpec';
import { DataType, type GraphBuilder } from '../onnx/GraphBuilder';
import { addCausalMask } from './addCausalMask';

/** Per-step tensors every layer shares: computed once per run, not once per layer. */
export interface AttentionInputs {
  /** cos(position * inv_freq), [batch, seq, 1, head_dim]. */
  readonly cos: string;
  /** sin(...) with the first half negated, [batch, seq, 1, head_dim]: rotate_half folded into the table. */
  readonly sinSigned: string;
  /** true where query i may attend key j: causal AND attention_mask, [batch, 1, seq, total_seq]. */
  readonly allowed: string;
}

/** HF's inv_freq: 1 / theta^(2i/d), computed in float32 like the PyTorch reference. */
export function inverseFrequencies(headDim: number, theta: number): Float32Array {
  const half = headDim / 2;
  const out = new Float32Array(half);
  for (let i = 0; i < half; i++) out[i] = 1 / Math.fround(theta ** Math.fround((2 * i) / headDim));
  return out;
}

export function addAttentionInputs(b: GraphBuilder, spec: DecoderSpec, positionIds: string, inputIds: string, attentionMask: string): AttentionInputs {
  b.scope = 'rotary';
  const d = spec.headDim;
  const inv = inverseFrequencies(d, spec.ropeTheta);
  const invFull = [...inv, ...inv]; // HF concatenates freqs with themselves: cos/sin cover the full head_dim
  const positions = b.op('Unsqueeze', [b.op('Cast', [positionIds], { to: DataType.FLOAT }), b.int64([2])]); // [B,S,1]
  const angles = b.op('Unsqueeze', [b.op('Mul', [positions, b.float32(invFull, [d])]), b.int64([2])]); // [B,S,1,D]
  const cos = b.op('Cos', [angles]);
  const sign = Array.from({ length: d }, (_, i) => (i < d / 2 ? -1 : 1));
  const sinSigned = b.op('Mul', [b.op('Sin', [angles]), b.float32(sign, [d])]);

  const { allowed } = addCausalMask(b, inputIds, attentionMask);
  return { cos, sinSigned, allowed };
}
