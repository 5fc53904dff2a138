import type { onnx } from 'onnx-proto';
import type { DecoderSpec } from '../DecoderSpec';
import { DataType, GraphBuilder } from '../onnx/GraphBuilder';
import type { WeightSource } from '../weights/WeightSource';
import { addCausalMask } from './addCausalMask';
import { addGpt2Attention } from './addGpt2Attention';
import { layerCache } from './attendWithCache';
import type { DecoderGraphOptions } from './buildDecoderGraph';
import { decoderIo, DIMS } from './decoderIo';
import { ParameterWriter } from './ParameterWriter';

/**
 * A GPT-2 graph (learned token and position embeddings, pre-LayerNorm blocks, fused c_attn, gelu_new
 * MLP, head tied to wte) with the I/O of an older optimum export: no position_ids input. Positions
 * come from the mask inside the graph, so left-padded rows count from their first real token.
 */
export function buildGpt2Graph(spec: DecoderSpec, weights: WeightSource, options: DecoderGraphOptions): onnx.ModelProto {
  const b = new GraphBuilder();
  const w = new ParameterWriter(b, weights, options.precision);
  const cacheType = options.precision === 'fp16' ? DataType.FLOAT16 : DataType.FLOAT;
  const { inputs, outputs } = decoderIo(spec, cacheType, false);
  const { hidden, intermediate, rmsNormEps: eps } = spec;

  const mask = addCausalMask(b, 'input_ids', 'attention_mask');
  const positions = addPositionsFromMask(b, 'attention_mask', mask.past);
  b.scope = 'embed';
  const wte = w.stored('transformer.wte.weight', [spec.vocab, hidden]);
  const wpe = w.stored('transformer.wpe.weight', [spec.maxPositions, hidden]);
  const gather = (table: string, ids: string): string => w.toFloat32(b.op('Gather', [table, ids], { axis: 0 }));
  let h = b.op('Add', [gather(wte, 'input_ids'), gather(wpe, positions)]);

  for (let i = 0; i < spec.layers; i++) {
    const p = `transformer.h.${i}`;
    b.scope = `layers.${i}`;
    const attnIn = w.layerNorm(h, `${p}.ln_1`, hidden, eps);
    h = b.op('Add', [h, addGpt2Attention(b, w, spec, i, attnIn, mask.allowed, layerCache(i, cacheType))]);
    b.scope = `layers.${i}/mlp`;
    const mlpIn = w.layerNorm(h, `${p}.ln_2`, hidden, eps);
    const act = addGeluTanh(b, w.conv1d(mlpIn, `${p}.mlp.c_fc`, hidden, intermediate));
    h = b.op('Add', [h, w.conv1d(act, `${p}.mlp.c_proj`, intermediate, hidden)]);
  }

  b.scope = 'head';
  const normed = w.layerNorm(h, 'transformer.ln_f', hidden, eps, options.hiddenStates ? 'last_hidden_state' : undefined);
  if (options.hiddenStates) outputs.push({ name: 'last_hidden_state', type: DataType.FLOAT, dims: [DIMS.batch, DIMS.seq, hidden] });
  // The tied head reads wte transposed; onnxruntime folds the Transpose at load.
  b.op('MatMul', [normed, b.op('Transpose', [w.toFloat32(wte)], { perm: [1, 0] })], {}, 'logits');
  return b.toModel(inputs, outputs, `gpt2 decoder, ${spec.layers} layers x ${hidden}, ${options.precision} weights`);
}

/**
 * position = max(cumsum(attention_mask) - 1, 0) over past + current tokens, keeping the current
 * ones: the positions transformers computes for generation, so a left-padded prompt gets the
 * positions it has alone. Pads get 0 (they are masked as keys and their outputs are never read).
 */
function addPositionsFromMask(b: GraphBuilder, attentionMask: string, past: string): string {
  b.scope = 'positions';
  const one = b.int64([1], []);
  const counted = b.op('CumSum', [attentionMask, one]); // axis 1
  const positions = b.op('Max', [b.op('Sub', [counted, one]), b.int64([0], [])]); // [B,T]
  const start = b.op('Unsqueeze', [past, b.int64([0])]);
  return b.op('Slice', [positions, start, b.int64([Number.MAX_SAFE_INTEGER]), b.int64([1])]); // [B,S]
}

/** gelu_new: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
function addGeluTanh(b: GraphBuilder, x: string): string {
  const cubed = b.op('Mul', [b.op('Mul', [x, x]), x]);
  const inner = b.op('Mul', [b.op('Add', [x, b.op('Mul', [cubed, b.float32([0.044715])])]), b.float32([Math.sqrt(2 / Math.PI)])]);
  return b.op('Mul', [b.op('Mul', [x, b.float32([0.5])]), b.op('Add', [b.op('Tanh', [inner]), b.float32([1])])]);
}
