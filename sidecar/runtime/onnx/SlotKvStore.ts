import './disableOrtTelemetry';
import * as ort from 'onnxruntime-node';
import type { KvStore } from './KvStore';
import { gatherRows, type KvData } from './kvTensorOps';

/** Capacity grows in steps of this many positions; unused slots cost a little masked attention. */
const SLOT_CHUNK = 128;

/**
 * The cache stays in fixed [batch, kvHeads, capacity, headDim] buffers that are fed as the past
 * whole (slots past `length` are masked out), and each run's new_key_values are written in
 * place. onnxruntime-node copies every output into a fresh JS buffer, so fetching the full
 * `present` each step costs a copy of the whole cache; fetching only the new entries does not.
 * Cropping is O(1): it just forgets positions.
 */
export class SlotKvStore implements KvStore {
  private buffers: KvData[];
  private capacity: number;

  constructor(
    private readonly newKvNames: readonly string[],
    private readonly type: 'float32' | 'float16',
    public batch: number,
    private readonly kvHeads: number,
    private readonly headDim: number,
    public length = 0,
    buffers?: KvData[],
    capacity = 0,
  ) {
    this.capacity = capacity;
    this.buffers = buffers ?? newKvNames.map(() => this.alloc(0));
  }

  get slots(): number {
    return this.capacity;
  }

  pastTensors(): ort.Tensor[] {
    const dims = [this.batch, this.kvHeads, this.capacity, this.headDim];
    return this.buffers.map((data) => (this.type === 'float16' ? new ort.Tensor('float16', data as Uint16Array, dims) : new ort.Tensor('float32', data as Float32Array, dims)));
  }

  fetches(): readonly string[] {
    return this.newKvNames;
  }

  absorb(results: ort.InferenceSession.ReturnType, seqLen: number): void {
    const needed = this.length + seqLen;
    if (needed > this.capacity) this.grow(Math.ceil(needed / SLOT_CHUNK) * SLOT_CHUNK);
    const d = this.headDim;
    this.newKvNames.forEach((name, i) => {
      const src = results[name]!.data as KvData;
      const dst = this.buffers[i]!;
      for (let bh = 0; bh < this.batch * this.kvHeads; bh++) {
        dst.set(src.subarray(bh * seqLen * d, (bh + 1) * seqLen * d), (bh * this.capacity + this.length) * d);
      }
    });
    this.length = needed;
  }

  crop(length: number): void {
    this.length = length;
  }

  select(rows: readonly number[]): KvStore {
    if (rows.length === this.batch) {
      this.reorderInPlace(rows);
      return this;
    }
    const dims = [this.batch, this.kvHeads, this.capacity, this.headDim];
    const buffers = this.buffers.map((data) => gatherRows(data, dims, rows));
    return new SlotKvStore(this.newKvNames, this.type, rows.length, this.kvHeads, this.headDim, this.length, buffers, this.capacity);
  }

  /**
   * Beam search's per-step reorder (same batch): only rows whose source changes are written, only
   * their real positions are copied, and no new buffers are allocated (a fresh multi-MB buffer
   * per step costs page faults as well as the copy). A source that is itself overwritten is
   * saved first.
   */
  private reorderInPlace(rows: readonly number[]): void {
    const d = this.headDim;
    const rowSize = this.kvHeads * this.capacity * d;
    const used = this.length * d;
    for (const data of this.buffers) {
      const saved = new Map<number, KvData>();
      rows.forEach((source, target) => {
        if (source !== target && rows[source] !== source && !saved.has(source)) {
          saved.set(source, data.slice(source * rowSize, (source + 1) * rowSize));
        }
      });
      rows.forEach((source, target) => {
        if (source === target) return;
        const from = saved.get(source);
        for (let h = 0; h < this.kvHeads; h++) {
          const offset = h * this.capacity * d;
          const block = from ? from.subarray(offset, offset + used) : data.subarray(source * rowSize + offset, source * rowSize + offset + used);
          data.set(block, target * rowSize + offset);
        }
      });
    }
  }

  private alloc(capacity: number): KvData {
    const n = this.batch * this.kvHeads * capacity * this.headDim;
    return this.type === 'float16' ? new Uint16Array(n) : new Float32Array(n);
  }

  /** New buffers of a larger capacity, holding the real positions. */
  private grow(capacity: number): void {
    const d = this.headDim;
    this.buffers = this.buffers.map((old) => {
      const next = this.alloc(capacity);
      for (let bh = 0; bh < this.batch * this.kvHeads; bh++) {
        next.set(old.subarray(bh * this.capacity * d, (bh * this.capacity + this.length) * d), bh * capacity * d);
      }
      return next;
    });
    this.capacity = capacity;
  }
}
