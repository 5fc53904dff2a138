import './disableOrtTelemetry';
import * as ort from 'onnxruntime-node';
import { abortError, InkwellError } from '../../engine';
import type { ForwardInput, ForwardOutput, KvCache, LanguageModel, ModelInfo } from '../../engine';
import type { ModelArchitecture } from '../model/modelArchitecture';
import { halfToFloat } from './float16';
import type { GraphSignature } from './graphSignature';
import { ConcatKvStore } from './ConcatKvStore';
import { expandMask, type KvStore } from './KvStore';
import { SlotKvStore } from './SlotKvStore';

interface CacheEntry {
  store: KvStore;
}

/** 'auto' keeps the cache in place when the graph has new_key_values outputs; 'concat' always uses present. */
export type KvStrategy = 'auto' | 'concat';


function toInt64(src: ArrayLike<number>): BigInt64Array {
  const out = new BigInt64Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = BigInt(src[i]!);
  return out;
}

/**
 * A decoder on an onnxruntime session, in the calling thread. Past key/values stay here as
 * onnxruntime tensors: each step's `present` outputs become the next step's `past` inputs, so
 * the cache never crosses a thread boundary. Wrap it in a worker (WorkerLanguageModel) to keep
 * the caller's event loop free while a step runs.
 */
export class OnnxCausalLM implements LanguageModel {
  readonly info: ModelInfo;
  private readonly caches = new Map<number, CacheEntry>();
  private nextId = 1;
  /** Which KvStore new caches use: 'slots' (in place) or 'concat' (present → past). */
  readonly cacheLayout: 'slots' | 'concat';
  private readonly kvHeads: number;
  private readonly headDim: number;

  constructor(
    private readonly session: ort.InferenceSession,
    private readonly signature: GraphSignature,
    architecture: ModelArchitecture,
    info: Omit<ModelInfo, 'hiddenSize' | 'modelType'>,
    private readonly kvStrategy: KvStrategy = 'auto',
    /** GroupQueryAttention in the graph: a left-padded batch would be silently wrong, so it is refused. */
    private readonly rightPaddingOnly = false,
  ) {
    this.kvHeads = signature.kvHeads ?? architecture.numKvHeads;
    this.headDim = signature.headDim ?? architecture.headDim;
    this.cacheLayout = signature.newKv && kvStrategy === 'auto' ? 'slots' : 'concat';
    this.info = Object.freeze({
      ...info,
      modelType: architecture.modelType,
      hiddenSize: signature.hiddenStatesOutput ? architecture.hiddenSize : undefined,
    });
  }

  async createCache(batch: number): Promise<KvCache> {
    if (!Number.isInteger(batch) || batch < 1) {
      throw new InkwellError('invalid-argument', `batch = ${batch} must be an integer >= 1`, { details: { field: 'batch' } });
    }
    const { past, newKv, kvType } = this.signature;
    const store: KvStore =
      newKv && this.cacheLayout === 'slots'
        ? new SlotKvStore(newKv, kvType, batch, this.kvHeads, this.headDim)
        : ConcatKvStore.empty(past.map((p) => p.output), kvType, batch, this.kvHeads, this.headDim);
    return this.register({ store });
  }

  async forward(cache: KvCache, input: ForwardInput, signal?: AbortSignal): Promise<{ cache: KvCache; output: ForwardOutput }> {
    if (signal?.aborted) throw abortError();
    const entry = this.entry(cache);
    const store = entry.store;
    const { batch, seqLen } = input;
    if (batch !== store.batch) {
      throw new InkwellError('invalid-argument', `forward: batch ${batch} does not match the cache's ${store.batch} rows`);
    }
    const total = store.length + seqLen;
    if (input.inputIds.length !== batch * seqLen || input.attentionMask.length !== batch * total) {
      throw new InkwellError('invalid-argument', `forward: expected ${batch}×${seqLen} ids and ${batch}×${total} mask entries`);
    }
    if (total > this.info.maxPositions) {
      throw new InkwellError('invalid-argument', `sequence length ${total} exceeds the model's ${this.info.maxPositions} positions`, {
        details: { field: 'max_length', value: total, max: this.info.maxPositions },
      });
    }
    if (input.logits === 'all' || seqLen <= PREFILL_CHUNK) {
      const output = await this.step(store, input);
      return { cache: this.handle(cache.id, entry), output };
    }
    // A long prompt runs in chunks: the graph computes logits for every position, and only the
    // last chunk's are needed (a 2k-token prompt on a 152k vocabulary would otherwise return 1.2 GB).
    // It also lets an abort land between chunks. On failure the cache is rolled back whole.
    const startLength = store.length;
    let output: ForwardOutput | undefined;
    // hiddenStates 'all': every chunk's states, joined per row in position order.
    const hiddenChunks: Float32Array[] = [];
    try {
      for (let start = 0; start < seqLen; start += PREFILL_CHUNK) {
        if (start > 0 && signal?.aborted) throw abortError();
        output = await this.step(store, chunkOf(input, startLength, start, Math.min(PREFILL_CHUNK, seqLen - start)));
        if (input.hiddenStates === 'all' && output.hiddenStates) hiddenChunks.push(output.hiddenStates);
      }
    } catch (e) {
      store.crop(startLength);
      throw e;
    }
    if (hiddenChunks.length > 0) output = { logits: output!.logits, hiddenStates: joinChunks(hiddenChunks, input.batch, seqLen) };
    return { cache: this.handle(cache.id, entry), output: output! };
  }

  /** One session.run over `input`, appending its positions to `store`. */
  private async step(store: KvStore, input: ForwardInput): Promise<ForwardOutput> {
    const { batch, seqLen } = input;
    const names = this.signature;
    if (this.rightPaddingOnly && input.attentionMask.includes(0)) {
      // GroupQueryAttention takes each row's length from the mask's sum and counts positions from
      // the row's start: left pads would be attended to and shift every position.
      throw new InkwellError(
        'invalid-argument',
        'this graph uses GroupQueryAttention (onnxruntime-genai exports do), which assumes every row starts at position 0 and cannot run a left-padded batch of prompts of different lengths; generate one prompt per request, or use an optimum / onnx-community export of the model',
        { details: { field: 'prompts' } },
      );
    }
    const feeds: Record<string, ort.Tensor> = {
      [names.inputIds]: new ort.Tensor('int64', toInt64(input.inputIds), [batch, seqLen]),
    };
    if (names.attentionMask !== undefined) {
      const mask = expandMask(input.attentionMask, batch, store.length, store.slots, seqLen);
      feeds[names.attentionMask] = new ort.Tensor('int64', mask, [batch, store.slots + seqLen]);
    }
    if (names.positionIds !== undefined) feeds[names.positionIds] = new ort.Tensor('int64', toInt64(input.positionIds), [batch, seqLen]);
    const past = store.pastTensors();
    this.signature.past.forEach((p, i) => (feeds[p.input] = past[i]!));

    const fetches = [names.logits, ...store.fetches()];
    const hiddenName = input.hiddenStates ? this.signature.hiddenStatesOutput : undefined;
    if (hiddenName) fetches.push(hiddenName);

    let results: ort.InferenceSession.ReturnType;
    try {
      results = await this.session.run(feeds, fetches);
    } catch (cause) {
      throw new InkwellError('runtime-failure', `onnxruntime failed to run a step: ${(cause as Error).message}`, { cause });
    }
    store.absorb(results, seqLen);

    const logitsTensor = results[names.logits]!;
    const output: { logits: Float32Array; hiddenStates?: Float32Array } = {
      logits: selectPositions(floatData(logitsTensor), batch, seqLen, logitsTensor.dims[2]!, input.logits),
    };
    if (hiddenName) {
      const h = results[hiddenName]!;
      output.hiddenStates = selectPositions(floatData(h), batch, seqLen, h.dims[2]!, input.hiddenStates === 'all' ? 'all' : input.logits);
    }
    return output;
  }

  async cropCache(cache: KvCache, length: number): Promise<KvCache> {
    const entry = this.entry(cache);
    if (!Number.isInteger(length) || length < 0 || length > entry.store.length) {
      throw new InkwellError('invalid-argument', `cropCache: length ${length} must be within 0..${entry.store.length}`);
    }
    entry.store.crop(length);
    return this.handle(cache.id, entry);
  }

  async selectCacheRows(cache: KvCache, rows: readonly number[]): Promise<KvCache> {
    const entry = this.entry(cache);
    if (rows.length === 0 || rows.some((r) => !Number.isInteger(r) || r < 0 || r >= entry.store.batch)) {
      throw new InkwellError('invalid-argument', `selectCacheRows: rows must be a non-empty list within 0..${entry.store.batch - 1}`);
    }
    entry.store = entry.store.select(rows);
    return this.handle(cache.id, entry);
  }

  async releaseCache(cache: KvCache): Promise<void> {
    this.caches.delete(cache.id);
  }

  async dispose(): Promise<void> {
    this.caches.clear();
    await this.session.release();
  }

  private register(entry: CacheEntry): KvCache {
    const id = this.nextId++;
    this.caches.set(id, entry);
    return this.handle(id, entry);
  }

  private handle(id: number, entry: CacheEntry): KvCache {
    return { id, batch: entry.store.batch, length: entry.store.length };
  }

  private entry(cache: KvCache): CacheEntry {
    const entry = this.caches.get(cache.id);
    if (!entry) throw new InkwellError('invalid-argument', `KV cache ${cache.id} was released or never existed`);
    return entry;
  }
}

/** Prompt positions per session.run when only the last position's logits are wanted. */
export const PREFILL_CHUNK = 256;

/** Positions [start, start+len) of every row, with the mask prefix those positions see. */
function chunkOf(input: ForwardInput, pastLength: number, start: number, len: number): ForwardInput {
  const { batch, seqLen } = input;
  const fullMask = pastLength + seqLen;
  const maskLen = pastLength + start + len;
  const inputIds = new Int32Array(batch * len);
  const positionIds = new Int32Array(batch * len);
  const attentionMask = new Uint8Array(batch * maskLen);
  for (let b = 0; b < batch; b++) {
    inputIds.set(input.inputIds.subarray(b * seqLen + start, b * seqLen + start + len), b * len);
    positionIds.set(input.positionIds.subarray(b * seqLen + start, b * seqLen + start + len), b * len);
    attentionMask.set(input.attentionMask.subarray(b * fullMask, b * fullMask + maskLen), b * maskLen);
  }
  return { ...input, inputIds, positionIds, attentionMask, seqLen: len };
}

function floatData(t: ort.Tensor): Float32Array {
  if (t.type === 'float16') return halfToFloat(t.data as Uint16Array);
  return t.data as Float32Array;
}

/** [batch, seqLen, width] → the last position of each row, or everything. */
/** Per-chunk [batch, chunkLen, width] arrays joined into [batch, seqLen, width]. */
function joinChunks(chunks: readonly Float32Array[], batch: number, seqLen: number): Float32Array {
  const width = chunks.reduce((n, c) => n + c.length, 0) / (batch * seqLen);
  const out = new Float32Array(batch * seqLen * width);
  let position = 0;
  for (const chunk of chunks) {
    const len = chunk.length / (batch * width);
    for (let b = 0; b < batch; b++) out.set(chunk.subarray(b * len * width, (b + 1) * len * width), (b * seqLen + position) * width);
    position += len;
  }
  return out;
}

function selectPositions(data: Float32Array, batch: number, seqLen: number, width: number, which: 'last' | 'all'): Float32Array {
  // onnxruntime hands out a fresh array per output, and the worker copies it into its shared area:
  // nothing downstream needs an own buffer, so whole outputs pass through uncopied.
  if (which === 'all' || seqLen === 1) return data;
  const out = new Float32Array(batch * width);
  for (let b = 0; b < batch; b++) {
    const start = (b * seqLen + seqLen - 1) * width;
    out.set(data.subarray(start, start + width), b * width);
  }
  return out;
}
