import * as ort from 'onnxruntime-node';
import { fromFloat16Array, toFloat16Array } from '../../../../sidecar/builder/onnx/float16';
import type { DecoderSpec } from '../../../../sidecar/builder/DecoderSpec';
import type { ReferenceCache, ReferenceInputs } from '../../../../sidecar/builder/reference/ReferenceDecoder';

export interface OrtOutputs {
  readonly logits: Float32Array;
  readonly lastHiddenState?: Float32Array;
  /** present.* as float32, in the reference's layout, ready to feed back or compare. */
  readonly present: ReferenceCache;
  readonly raw: ort.InferenceSession.OnnxValueMapType;
}

const int64 = (rows: readonly (readonly number[])[]): ort.Tensor =>
  new ort.Tensor('int64', BigInt64Array.from(rows.flat(), (v) => BigInt(v)), [rows.length, rows[0].length]);

/** Runs a decoder graph with the same inputs the reference takes (float16 caches converted at the edge). */
export class OrtDecoder {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly spec: DecoderSpec,
    private readonly cacheType: 'float32' | 'float16',
  ) {}

  static async open(file: string, spec: DecoderSpec, cacheType: 'float32' | 'float16' = 'float32'): Promise<OrtDecoder> {
    return new OrtDecoder(await ort.InferenceSession.create(file, { executionProviders: ['cpu'] }), spec, cacheType);
  }

  private cacheTensor(values: Float32Array | undefined, batch: number, length: number): ort.Tensor {
    const dims = [batch, this.spec.kvHeads, length, this.spec.headDim];
    const data = values ?? new Float32Array(0);
    if (this.cacheType === 'float32') return new ort.Tensor('float32', data, dims);
    // Values fed back came from float16 outputs, so this conversion is exact.
    return new ort.Tensor('float16', toFloat16Array(data), dims);
  }

  async run(inputs: ReferenceInputs): Promise<OrtOutputs> {
    const batch = inputs.inputIds.length;
    const pastLength = inputs.past?.length ?? 0;
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64(inputs.inputIds),
      attention_mask: int64(inputs.attentionMask),
      position_ids: int64(inputs.positionIds),
    };
    for (let l = 0; l < this.spec.layers; l++) {
      feeds[`past_key_values.${l}.key`] = this.cacheTensor(inputs.past?.keys[l], batch, pastLength);
      feeds[`past_key_values.${l}.value`] = this.cacheTensor(inputs.past?.values[l], batch, pastLength);
    }
    const raw = await this.session.run(feeds);
    const asFloat32 = (t: ort.Tensor): Float32Array => (t.type === 'float16' ? fromFloat16Array(t.data as Uint16Array) : (t.data as Float32Array));
    const keys: Float32Array[] = [];
    const values: Float32Array[] = [];
    for (let l = 0; l < this.spec.layers; l++) {
      keys.push(asFloat32(raw[`present.${l}.key`]));
      values.push(asFloat32(raw[`present.${l}.value`]));
    }
    return {
      logits: raw.logits.data as Float32Array,
      lastHiddenState: raw.last_hidden_state?.data as Float32Array | undefined,
      present: { length: pastLength + inputs.inputIds[0].length, keys, values },
      raw,
    };
  }

  release(): Promise<void> {
    return this.session.release();
  }
}
