import type { DecoderSpec } from '../DecoderSpec';
import { DataType, type ElemType, type ValueInfo } from '../onnx/GraphBuilder';

/** Symbolic dimension names as optimum / transformers.js exports use them. */
export const DIMS = {
  batch: 'batch_size',
  seq: 'sequence_length',
  past: 'past_sequence_length',
  total: 'total_sequence_length',
} as const;

/**
 * The I/O of an optimum "text-generation-with-past" export: input_ids, attention_mask, [position_ids,]
 * past_key_values.{i}.key/value → logits, present.{i}.key/value. Plus new_key_values.{i}.key/value,
 * this step's entries alone: other runtimes ignore them; ours uses them to keep the cache in place.
 */
export function decoderIo(spec: DecoderSpec, cacheType: ElemType, positionIds: boolean): { inputs: ValueInfo[]; outputs: ValueInfo[] } {
  const { batch, seq, past, total } = DIMS;
  const inputs: ValueInfo[] = [
    { name: 'input_ids', type: DataType.INT64, dims: [batch, seq] },
    { name: 'attention_mask', type: DataType.INT64, dims: [batch, total] },
  ];
  if (positionIds) inputs.push({ name: 'position_ids', type: DataType.INT64, dims: [batch, seq] });
  const outputs: ValueInfo[] = [{ name: 'logits', type: DataType.FLOAT, dims: [batch, seq, spec.vocab] }];
  for (let i = 0; i < spec.layers; i++) {
    for (const kind of ['key', 'value']) {
      inputs.push({ name: `past_key_values.${i}.${kind}`, type: cacheType, dims: [batch, spec.kvHeads, past, spec.headDim] });
      outputs.push({ name: `present.${i}.${kind}`, type: cacheType, dims: [batch, spec.kvHeads, total, spec.headDim] });
    }
  }
  for (let i = 0; i < spec.layers; i++) {
    for (const kind of ['key', 'value']) {
      outputs.push({ name: `new_key_values.${i}.${kind}`, type: cacheType, dims: [batch, spec.kvHeads, seq, spec.headDim] });
    }
  }
  return { inputs, outputs };
}
