import { DataType, type GraphBuilder } from '../onnx/GraphBuilder';

export interface CausalMask {
  /** true where query i may attend key j: causal AND attention_mask, [batch, 1, seq, total_seq]. */
  readonly allowed: string;
  /** The cache length before this step (total_seq - seq), an int64 scalar. */
  readonly past: string;
}

/**
 * The causal+padding mask every layer shares. Causality uses positions in the key sequence (past +
 * current), not position ids: with left padding, position ids skip the pads while the cache still
 * holds them.
 */
export function addCausalMask(b: GraphBuilder, inputIds: string, attentionMask: string): CausalMask {
  b.scope = 'mask';
  const seq = b.op('Gather', [b.op('Shape', [inputIds]), b.int64([1], [])], { axis: 0 });
  const total = b.op('Gather', [b.op('Shape', [attentionMask]), b.int64([1], [])], { axis: 0 });
  const past = b.op('Sub', [total, seq]);
  const one = b.int64([1], []);
  const keyIndex = b.op('Range', [b.int64([0], []), total, one]); // [T]
  const queryIndex = b.op('Unsqueeze', [b.op('Range', [past, total, one]), b.int64([1])]); // [S,1]
  const causal = b.op('LessOrEqual', [keyIndex, queryIndex]); // [S,T]
  const padding = b.op('Unsqueeze', [b.op('Cast', [attentionMask], { to: DataType.BOOL }), b.int64([1, 2])]); // [B,1,1,T]
  const allowed = b.op('And', [causal, padding]);
  b.scope = '';
  return { allowed, past };
}
