import type { onnx } from 'onnx-proto';
import type { DecoderSpec } from '../DecoderSpec';
import { DataType, GraphBuilder } from '../onnx/GraphBuilder';
import type { WeightSource } from '../weights/WeightSource';
import { addAttention } from './addAttention';
import { addAttentionInputs } from './addAttentionInputs';
import { layerCache } from './attendWithCache';
import { buildGpt2Graph } from './buildGpt2Graph';
import { decoderIo, DIMS } from './decoderIo';
import { ParameterWriter, type WeightPrecision } from './ParameterWriter';

export interface DecoderGraphOptions {
  /** fp16 stores weights and the KV cache as float16; compute and logits stay float32. */
  readonly precision: WeightPrecision;
  /** Adds a `last_hidden_state` output (after the final norm). */
  readonly hiddenStates?: boolean;
}

export { DIMS } from './decoderIo';

/**
 * A decoder-only Llama/Qwen2 graph with the I/O of an optimum "text-generation-with-past" export:
 * input_ids, attention_mask, position_ids, past_key_values.{i}.key/value → logits, present.{i}.key/value.
 * GPT-2 goes to buildGpt2Graph (no position_ids input).
 */
export function buildDecoderGraph(spec: DecoderSpec, weights: WeightSource, options: DecoderGraphOptions): onnx.ModelProto {
  if (spec.modelType === 'gpt2') return buildGpt2Graph(spec, weights, options);
  const b = new GraphBuilder();
  const w = new ParameterWriter(b, weights, options.precision);
  const cacheType = options.precision === 'fp16' ? DataType.FLOAT16 : DataType.FLOAT;
  const { inputs, outputs } = decoderIo(spec, cacheType, true);

  b.scope = 'embed';
  const embedding = w.stored('model.embed_tokens.weight', [spec.vocab, spec.hidden]);
  let h = w.toFloat32(b.op('Gather', [embedding, 'input_ids'], { axis: 0 })); // gather first: only S rows get cast
  const shared = addAttentionInputs(b, spec, 'position_ids', 'input_ids', 'attention_mask');

  for (let i = 0; i < spec.layers; i++) {
    const p = `model.layers.${i}`;
    b.scope = `layers.${i}`;
    const attnIn = w.rmsNorm(h, `${p}.input_layernorm`, spec.hidden, spec.rmsNormEps);
    h = b.op('Add', [h, addAttention(b, w, spec, i, attnIn, shared, layerCache(i, cacheType))]);
    b.scope = `layers.${i}/mlp`;
    const mlpIn = w.rmsNorm(h, `${p}.post_attention_layernorm`, spec.hidden, spec.rmsNormEps);
    const gate = w.linear(mlpIn, `${p}.mlp.gate_proj`, spec.hidden, spec.intermediate, false);
    const up = w.linear(mlpIn, `${p}.mlp.up_proj`, spec.hidden, spec.intermediate, false);
    const act = b.op('Mul', [b.op('Mul', [gate, b.op('Sigmoid', [gate])]), up]);
    h = b.op('Add', [h, w.linear(act, `${p}.mlp.down_proj`, spec.intermediate, spec.hidden, false)]);
  }

  b.scope = 'head';
  const hiddenName = options.hiddenStates ? 'last_hidden_state' : undefined;
  const normed = w.rmsNorm(h, 'model.norm', spec.hidden, spec.rmsNormEps, hiddenName);
  if (options.hiddenStates) outputs.push({ name: 'last_hidden_state', type: DataType.FLOAT, dims: [DIMS.batch, DIMS.seq, spec.hidden] });
  if (spec.tied) {
    // The tied head reads the embedding matrix transposed; onnxruntime folds the Transpose at load.
    const head = b.op('Transpose', [w.toFloat32(embedding)], { perm: [1, 0] });
    b.op('MatMul', [normed, head], {}, 'logits');
  } else {
    w.linear(normed, 'lm_head', spec.hidden, spec.vocab, false, 'logits');
  }
  const doc = `${spec.modelType} decoder, ${spec.layers} layers x ${spec.hidden}, ${options.precision} weights`;
  return b.toModel(inputs, outputs, doc);
}
