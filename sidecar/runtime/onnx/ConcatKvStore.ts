import './disableOrtTelemetry';
import * as ort from 'onnxruntime-node';
import type { KvStore } from './KvStore';
import { cropLength, gatherRows, type KvData } from './kvTensorOps';

/** Standard exports: each run's `present` outputs (past + new, copied out by onnxruntime) become the next past. */
export class ConcatKvStore implements KvStore {
  constructor(
    private readonly outputNames: readonly string[],
    private tensors: ort.Tensor[],
    public batch: number,
    public length: number,
  ) {}

  static empty(outputNames: readonly string[], type: 'float32' | 'float16', batch: number, kvHeads: number, headDim: number): ConcatKvStore {
    const dims = [batch, kvHeads, 0, headDim];
    const tensors = outputNames.map(() => (type === 'float16' ? new ort.Tensor('float16', new Uint16Array(0), dims) : new ort.Tensor('float32', new Float32Array(0), dims)));
    return new ConcatKvStore(outputNames, tensors, batch, 0);
  }

  get slots(): number {
    return this.length;
  }

  pastTensors(): ort.Tensor[] {
    return this.tensors;
  }

  fetches(): readonly string[] {
    return this.outputNames;
  }

  absorb(results: ort.InferenceSession.ReturnType, seqLen: number): void {
    this.tensors = this.outputNames.map((n) => results[n]!);
    this.length += seqLen;
  }

  crop(length: number): void {
    if (length === this.length) return;
    this.tensors = this.tensors.map((t) => retensor(t, cropLength(t.data as KvData, t.dims, length), [t.dims[0]!, t.dims[1]!, length, t.dims[3]!]));
    this.length = length;
  }

  select(rows: readonly number[]): KvStore {
    const tensors = this.tensors.map((t) => retensor(t, gatherRows(t.data as KvData, t.dims, rows), [rows.length, t.dims[1]!, t.dims[2]!, t.dims[3]!]));
    return new ConcatKvStore(this.outputNames, tensors, rows.length, this.length);
  }
}

export function retensor(like: ort.Tensor, data: KvData, dims: number[]): ort.Tensor {
  return like.type === 'float16' ? new ort.Tensor('float16', data as Uint16Array, dims) : new ort.Tensor('float32', data as Float32Array, dims);
}
