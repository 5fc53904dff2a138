import type { ForwardInput, ForwardOutput, KvCache, LanguageModel, ModelInfo } from '../../../../sidecar/engine/model/LanguageModel';

/** Logits of the next token given the tokens a row attends to (pads excluded) and its position. */
export type LogitsFn = (attended: readonly number[], position: number, out: Float32Array) => void;

/** The last hidden state at a position, from the same arguments as LogitsFn (`out` is hiddenSize long). */
export type HiddenFn = LogitsFn;

interface CacheRow {
  tokens: number[];
  mask: number[];
}

/**
 * A deterministic in-memory LanguageModel. Its "KV cache" keeps, per row, every token fed and
 * its mask bit, so crop/select/release are real operations, and forward() checks the inputs
 * the engine sends (mask width, position ids = real tokens before, batch) and throws on error.
 */
export class FakeLanguageModel implements LanguageModel {
  readonly info: ModelInfo;
  /** Every forward input, copied, for tests to inspect. */
  readonly forwards: ForwardInput[] = [];
  readonly selects: number[][] = [];
  private readonly caches = new Map<number, CacheRow[]>();
  private nextId = 1;

  constructor(
    private readonly logitsFn: LogitsFn,
    options: {
      vocabSize: number;
      maxPositions?: number;
      onForward?: (input: ForwardInput) => void;
      /** Makes the model expose last hidden states (info.hiddenSize = hidden.size). */
      hidden?: { size: number; fn: HiddenFn };
    },
  ) {
    this.hidden = options.hidden;
    this.info = {
      modelType: 'fake',
      vocabSize: options.vocabSize,
      hiddenSize: options.hidden?.size,
      maxPositions: options.maxPositions ?? 4096,
      dtype: 'fp32',
      executionProvider: 'reference',
    };
    this.onForward = options.onForward;
  }

  private readonly onForward: ((input: ForwardInput) => void) | undefined;
  private readonly hidden: { size: number; fn: HiddenFn } | undefined;

  get liveCaches(): number {
    return this.caches.size;
  }

  async createCache(batch: number): Promise<KvCache> {
    const id = this.nextId++;
    this.caches.set(id, Array.from({ length: batch }, () => ({ tokens: [], mask: [] })));
    return this.handle(id);
  }

  async forward(cache: KvCache, input: ForwardInput, signal?: AbortSignal): Promise<{ cache: KvCache; output: ForwardOutput }> {
    await Promise.resolve();
    if (signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    const rows = this.rows(cache);
    const { batch, seqLen } = input;
    const past = cache.length;
    if (batch !== rows.length) throw new Error(`forward: batch ${batch} but the cache has ${rows.length} rows`);
    // As the ONNX runtime: pads count, the cache cannot outgrow the model's positions.
    if (past + seqLen > this.info.maxPositions) {
      throw new Error(`sequence length ${past + seqLen} exceeds the model's ${this.info.maxPositions} positions`);
    }
    if (input.inputIds.length !== batch * seqLen) throw new Error('forward: inputIds size');
    if (input.positionIds.length !== batch * seqLen) throw new Error('forward: positionIds size');
    if (input.attentionMask.length !== batch * (past + seqLen)) {
      throw new Error(`forward: attentionMask has ${input.attentionMask.length} entries, expected ${batch * (past + seqLen)}`);
    }
    this.forwards.push({
      ...input,
      inputIds: input.inputIds.slice(),
      attentionMask: input.attentionMask.slice(),
      positionIds: input.positionIds.slice(),
    });
    this.onForward?.(input);
    const width = this.info.vocabSize;
    const perRow = input.logits === 'all' ? seqLen : 1;
    const logits = new Float32Array(batch * perRow * width);
    const hiddenSize = this.hidden?.size ?? 0;
    const hiddenAll = input.hiddenStates === 'all';
    const hiddenPerRow = hiddenAll ? seqLen : perRow;
    const hidden = input.hiddenStates && this.hidden ? new Float32Array(batch * hiddenPerRow * hiddenSize) : undefined;
    rows.forEach((row, b) => {
      const maskRow = input.attentionMask.subarray(b * (past + seqLen), (b + 1) * (past + seqLen));
      for (let i = 0; i < past; i++) {
        if (maskRow[i] !== row.mask[i]) throw new Error(`forward: row ${b} changes the mask of cached position ${i}`);
      }
      for (let t = 0; t < seqLen; t++) {
        const token = input.inputIds[b * seqLen + t]!;
        if (token < 0 || token >= width) throw new Error(`forward: token ${token} outside the vocabulary`);
        const bit = maskRow[past + t]!;
        row.tokens.push(token);
        row.mask.push(bit);
        const attended = row.tokens.filter((_, i) => row.mask[i] === 1);
        if (bit === 1) {
          const expected = attended.length - 1;
          const got = input.positionIds[b * seqLen + t]!;
          if (got !== expected) throw new Error(`forward: row ${b} position ${got}, expected ${expected}`);
        }
        const slot = input.logits === 'all' ? t : t === seqLen - 1 ? 0 : -1;
        if (slot >= 0) {
          const offset = (b * perRow + slot) * width;
          this.logitsFn(attended, attended.length - 1, logits.subarray(offset, offset + width));
        }
        const hiddenSlot = hiddenAll ? t : slot;
        if (hidden && hiddenSlot >= 0) {
          const at = (b * hiddenPerRow + hiddenSlot) * hiddenSize;
          this.hidden!.fn(attended, attended.length - 1, hidden.subarray(at, at + hiddenSize));
        }
      }
    });
    return { cache: this.handle(cache.id), output: hidden ? { logits, hiddenStates: hidden } : { logits } };
  }

  async cropCache(cache: KvCache, length: number): Promise<KvCache> {
    for (const row of this.rows(cache)) {
      row.tokens.length = length;
      row.mask.length = length;
    }
    return this.handle(cache.id);
  }

  async selectCacheRows(cache: KvCache, rows: readonly number[]): Promise<KvCache> {
    const old = this.rows(cache);
    this.selects.push([...rows]);
    this.caches.set(
      cache.id,
      rows.map((r) => {
        const source = old[r];
        if (!source) throw new Error(`selectCacheRows: no row ${r}`);
        return { tokens: [...source.tokens], mask: [...source.mask] };
      }),
    );
    return this.handle(cache.id);
  }

  async releaseCache(cache: KvCache): Promise<void> {
    this.rows(cache);
    this.caches.delete(cache.id);
  }

  async dispose(): Promise<void> {
    this.caches.clear();
  }

  private rows(cache: KvCache): CacheRow[] {
    const rows = this.caches.get(cache.id);
    if (!rows) throw new Error(`cache ${cache.id} was released or never created`);
    return rows;
  }

  private handle(id: number): KvCache {
    const rows = this.caches.get(id)!;
    return { id, batch: rows.length, length: rows[0]?.tokens.length ?? 0 };
  }
}

/** Pseudo-random but fixed logits in [-4, 4) from a hash of the attended ids and the position. */
export function hashLogits(attended: readonly number[], position: number, out: Float32Array): void {
  let h = 0x811c9dc5 ^ position;
  for (const id of attended) h = Math.imul(h ^ id, 0x01000193);
  for (let v = 0; v < out.length; v++) {
    let x = Math.imul(h ^ (v * 0x9e3779b1), 0x85ebca6b);
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35);
    x ^= x >>> 16;
    out[v] = ((x >>> 0) / 0x1_0000_0000) * 8 - 4;
  }
}

/** Fixed pseudo-random hidden states in [-1, 1) from the attended ids and the position (a hash unlike hashLogits'). */
export function hashHidden(attended: readonly number[], position: number, out: Float32Array): void {
  hashLogits([...attended, 0x5eed], position, out);
  for (let i = 0; i < out.length; i++) out[i] = out[i]! / 4;
}

/** The same logits at every step: for distribution tests. */
export function fixedLogits(values: readonly number[]): LogitsFn {
  return (_attended, _position, out) => out.set(values);
}

/**
 * Makes `script` (token ids after the prompt) overwhelmingly likely, one token per step, then
 * `after` (usually EOS). The step is read off how many tokens the row attends to.
 */
export function scriptedLogits(promptLength: number, script: readonly number[], after: number): LogitsFn {
  return (attended, _position, out) => {
    out.fill(0);
    const step = attended.length - promptLength;
    out[step < script.length ? script[step]! : after] = 30;
  };
}
