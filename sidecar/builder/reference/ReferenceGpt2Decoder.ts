import { InkwellError } from '../../engine';
import type { DecoderSpec } from '../DecoderSpec';
import type { ReferenceInputs, ReferenceOutputs } from './ReferenceDecoder';
import { readReferenceWeights, requireTensor } from './readReferenceWeights';
import { attend, geluTanh, layerNorm, linear, writeCacheRows } from './referenceMath';

/**
 * GPT-2 written as plain loops (Float64 accumulation), for tests only, over the ONNX file's own
 * initializers (HF names, Conv1D weights [in, out]). Positions are derived from the attention mask
 * as transformers does for generation (cumsum - 1, pads 0); `positionIds` in the inputs is ignored,
 * like the graph, which has no such input.
 */
export class ReferenceGpt2Decoder {
  constructor(
    readonly spec: DecoderSpec,
    private readonly tensors: ReadonlyMap<string, Float32Array>,
  ) {
    if (spec.modelType !== 'gpt2') {
      throw new InkwellError('invalid-argument', `ReferenceGpt2Decoder computes gpt2 decoders, not ${spec.modelType}; use ReferenceDecoder.`, { details: { modelType: spec.modelType } });
    }
  }

  static load(modelDir: string, onnxFile = 'onnx/model.onnx'): ReferenceGpt2Decoder {
    const { spec, tensors } = readReferenceWeights(modelDir, onnxFile);
    return new ReferenceGpt2Decoder(spec, tensors);
  }

  private tensor(name: string, size: number): Float32Array {
    return requireTensor(this.tensors, name, size);
  }

  private conv1d(x: Float64Array, rows: number, name: string, inF: number, outF: number): Float64Array {
    return linear(x, rows, this.tensor(`${name}.weight`, inF * outF), inF, outF, this.tensor(`${name}.bias`, outF));
  }

  private layerNorm(x: Float64Array, rows: number, name: string): Float64Array {
    const { hidden, rmsNormEps } = this.spec;
    return layerNorm(x, rows, this.tensor(`${name}.weight`, hidden), this.tensor(`${name}.bias`, hidden), rmsNormEps);
  }

  forward(inputs: ReferenceInputs): ReferenceOutputs {
    const { spec } = this;
    const { hidden: hs, heads, headDim: d, vocab, intermediate, maxPositions } = spec;
    const batch = inputs.inputIds.length;
    const seq = inputs.inputIds[0].length;
    const pastLength = inputs.past?.length ?? 0;
    const total = pastLength + seq;
    const logits = new Float32Array(batch * seq * vocab);
    const lastHidden = new Float32Array(batch * seq * hs);
    const keys = Array.from({ length: spec.layers }, () => new Float32Array(batch * heads * total * d));
    const values = Array.from({ length: spec.layers }, () => new Float32Array(batch * heads * total * d));
    const wte = this.tensor('transformer.wte.weight', vocab * hs);
    const wpe = this.tensor('transformer.wpe.weight', maxPositions * hs);

    for (let b = 0; b < batch; b++) {
      const mask = inputs.attentionMask[b];
      if (mask.length !== total) {
        throw new InkwellError('invalid-argument', `attention_mask row ${b} has ${mask.length} entries, expected ${total}.`);
      }
      const positions = positionsFromMask(mask).slice(pastLength);
      let h: Float64Array = new Float64Array(seq * hs);
      inputs.inputIds[b].forEach((id, s) => {
        for (let i = 0; i < hs; i++) h[s * hs + i] = wte[id * hs + i] + wpe[positions[s] * hs + i];
      });
      for (let l = 0; l < spec.layers; l++) {
        const p = `transformer.h.${l}`;
        const qkv = this.conv1d(this.layerNorm(h, seq, `${p}.ln_1`), seq, `${p}.attn.c_attn`, hs, 3 * hs);
        const q = new Float64Array(seq * hs);
        const k = new Float64Array(seq * hs);
        const v = new Float64Array(seq * hs);
        for (let s = 0; s < seq; s++) {
          q.set(qkv.subarray(s * 3 * hs, s * 3 * hs + hs), s * hs);
          k.set(qkv.subarray(s * 3 * hs + hs, s * 3 * hs + 2 * hs), s * hs);
          v.set(qkv.subarray(s * 3 * hs + 2 * hs, (s + 1) * 3 * hs), s * hs);
        }
        const shape = { batchIndex: b, heads, headDim: d, pastLength, seq };
        writeCacheRows(keys[l], inputs.past?.keys[l], k, shape);
        writeCacheRows(values[l], inputs.past?.values[l], v, shape);
        const context = attend(q, keys[l], values[l], { batchIndex: b, seq, total, heads, kvHeads: heads, headDim: d, mask });
        const attnOut = this.conv1d(context, seq, `${p}.attn.c_proj`, hs, hs);
        for (let i = 0; i < h.length; i++) h[i] += attnOut[i];
        const up = this.conv1d(this.layerNorm(h, seq, `${p}.ln_2`), seq, `${p}.mlp.c_fc`, hs, intermediate);
        for (let i = 0; i < up.length; i++) up[i] = geluTanh(up[i]);
        const down = this.conv1d(up, seq, `${p}.mlp.c_proj`, intermediate, hs);
        for (let i = 0; i < h.length; i++) h[i] += down[i];
      }
      h = this.layerNorm(h, seq, 'transformer.ln_f');
      lastHidden.set(h, b * seq * hs);
      logits.set(linear(h, seq, wte, hs, vocab, undefined, true), b * seq * vocab);
    }
    return { logits, lastHiddenState: lastHidden, present: { length: total, keys, values } };
  }
}

/** max(cumsum(mask) - 1, 0) over the whole mask row (past + current). */
export function positionsFromMask(mask: readonly number[]): number[] {
  let count = 0;
  return mask.map((m) => {
    count += m !== 0 ? 1 : 0;
    return Math.max(count - 1, 0);
  });
}
