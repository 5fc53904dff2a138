import { InkwellError } from '../../engine';
import type { DecoderSpec } from '../DecoderSpec';
import { inverseFrequencies } from '../graph/addAttentionInputs';
import { TRANSPOSED_SUFFIX } from '../graph/ParameterWriter';
import { hasOutputBias } from '../weights/WeightSource';
import { readReferenceWeights, requireTensor } from './readReferenceWeights';
import { attend, linear, rmsNorm, rotate, silu, writeCacheRows } from './referenceMath';

/** Per layer, [batch, kvHeads, length, headDim] row-major, like the graph's present.* outputs. */
export interface ReferenceCache {
  readonly length: number;
  readonly keys: readonly Float32Array[];
  readonly values: readonly Float32Array[];
}

export interface ReferenceInputs {
  /** [batch][seq] */
  readonly inputIds: readonly (readonly number[])[];
  /** [batch][past + seq] */
  readonly attentionMask: readonly (readonly number[])[];
  /** [batch][seq] */
  readonly positionIds: readonly (readonly number[])[];
  readonly past?: ReferenceCache;
}

export interface ReferenceOutputs {
  /** [batch, seq, vocab] */
  readonly logits: Float32Array;
  /** [batch, seq, hidden], after the final norm */
  readonly lastHiddenState: Float32Array;
  readonly present: ReferenceCache;
}

/**
 * The decoder written as plain loops (Float64 accumulation), for tests only. It reads the weights
 * from the ONNX file's initializers by name, so it checks independently that the graph computes
 * the architecture that config.json describes.
 */
export class ReferenceDecoder {
  private readonly invFreq: Float32Array;

  constructor(
    readonly spec: DecoderSpec,
    private readonly tensors: ReadonlyMap<string, Float32Array>,
  ) {
    if (spec.modelType === 'gpt2') {
      throw new InkwellError('invalid-argument', 'ReferenceDecoder computes Llama/Qwen2 decoders; use ReferenceGpt2Decoder for gpt2.', { details: { modelType: spec.modelType } });
    }
    this.invFreq = inverseFrequencies(spec.headDim, spec.ropeTheta);
  }

  static load(modelDir: string, onnxFile = 'onnx/model.onnx'): ReferenceDecoder {
    const { spec, tensors } = readReferenceWeights(modelDir, onnxFile);
    return new ReferenceDecoder(spec, tensors);
  }

  private tensor(name: string, size: number): Float32Array {
    return requireTensor(this.tensors, name, size);
  }

  /** y = x @ W^T + b, reading the [in, out] initializer the graph's MatMul uses. */
  private project(x: Float64Array, rows: number, name: string, inF: number, outF: number, bias: boolean): Float64Array {
    const w = this.tensor(`${name}.weight${TRANSPOSED_SUFFIX}`, inF * outF);
    return linear(x, rows, w, inF, outF, bias ? this.tensor(`${name}.bias`, outF) : undefined);
  }

  forward(inputs: ReferenceInputs): ReferenceOutputs {
    const { spec } = this;
    const { hidden: hs, heads, kvHeads, headDim: d, vocab, intermediate } = spec;
    const batch = inputs.inputIds.length;
    const seq = inputs.inputIds[0].length;
    const pastLength = inputs.past?.length ?? 0;
    const total = pastLength + seq;
    const logits = new Float32Array(batch * seq * vocab);
    const lastHidden = new Float32Array(batch * seq * hs);
    const keys = Array.from({ length: spec.layers }, () => new Float32Array(batch * kvHeads * total * d));
    const values = Array.from({ length: spec.layers }, () => new Float32Array(batch * kvHeads * total * d));
    const embed = this.tensor('model.embed_tokens.weight', vocab * hs);

    for (let b = 0; b < batch; b++) {
      const mask = inputs.attentionMask[b];
      if (mask.length !== total) {
        throw new InkwellError('invalid-argument', `attention_mask row ${b} has ${mask.length} entries, expected ${total}.`);
      }
      let h: Float64Array = new Float64Array(seq * hs);
      inputs.inputIds[b].forEach((id, s) => h.set(embed.subarray(id * hs, (id + 1) * hs), s * hs));
      const positions = inputs.positionIds[b];
      for (let l = 0; l < spec.layers; l++) {
        const p = `model.layers.${l}`;
        const x = rmsNorm(h, seq, this.tensor(`${p}.input_layernorm.weight`, hs), spec.rmsNormEps);
        const q = rotate(this.project(x, seq, `${p}.self_attn.q_proj`, hs, heads * d, spec.attentionBias), seq, heads, d, positions, this.invFreq);
        const k = rotate(this.project(x, seq, `${p}.self_attn.k_proj`, hs, kvHeads * d, spec.attentionBias), seq, kvHeads, d, positions, this.invFreq);
        const v = this.project(x, seq, `${p}.self_attn.v_proj`, hs, kvHeads * d, spec.attentionBias);
        writeCacheRows(keys[l], inputs.past?.keys[l], k, { batchIndex: b, heads: kvHeads, headDim: d, pastLength, seq });
        writeCacheRows(values[l], inputs.past?.values[l], v, { batchIndex: b, heads: kvHeads, headDim: d, pastLength, seq });
        const context = attend(q, keys[l], values[l], { batchIndex: b, seq, total, heads, kvHeads, headDim: d, mask });
        const attnOut = this.project(context, seq, `${p}.self_attn.o_proj`, heads * d, hs, hasOutputBias(spec));
        for (let i = 0; i < h.length; i++) h[i] += attnOut[i];
        const y = rmsNorm(h, seq, this.tensor(`${p}.post_attention_layernorm.weight`, hs), spec.rmsNormEps);
        const gate = this.project(y, seq, `${p}.mlp.gate_proj`, hs, intermediate, false);
        const up = this.project(y, seq, `${p}.mlp.up_proj`, hs, intermediate, false);
        for (let i = 0; i < gate.length; i++) gate[i] = silu(gate[i]) * up[i];
        const down = this.project(gate, seq, `${p}.mlp.down_proj`, intermediate, hs, false);
        for (let i = 0; i < h.length; i++) h[i] += down[i];
      }
      h = rmsNorm(h, seq, this.tensor('model.norm.weight', hs), spec.rmsNormEps);
      lastHidden.set(h, b * seq * hs);
      const out = spec.tied ? linear(h, seq, embed, hs, vocab, undefined, true) : this.project(h, seq, 'lm_head', hs, vocab, false);
      logits.set(out, b * seq * vocab);
    }
    return { logits, lastHiddenState: lastHidden, present: { length: total, keys, values } };
  }
}
