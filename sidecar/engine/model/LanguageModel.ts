/**
 * The seam between the pure-TypeScript engine and whatever computes logits (onnxruntime in
 * sidecar/runtime, a plain TS reference in tests). The engine imports only this file's types.
 *
 * Shapes are flat, row-major typed arrays. A KV cache is an opaque handle owned by the model;
 * every forward() appends `seqLen` positions to it.
 */

export interface ModelInfo {
  /** config.json model_type, e.g. "llama", "qwen2", "gpt2". */
  readonly modelType: string;
  /** Width of the logits (may exceed the tokenizer's vocabulary, as in Qwen2.5). */
  readonly vocabSize: number;
  /** Hidden size of the last hidden state when the graph exposes it, else undefined. */
  readonly hiddenSize: number | undefined;
  /** Longest sequence the model accepts (config max_position_embeddings or n_positions). */
  readonly maxPositions: number;
  /** Which onnx file is loaded, e.g. "fp32", "fp16", "q4". */
  readonly dtype: string;
  /** The execution provider the session runs on ("cpu", "webgpu", "cuda", or "reference"). */
  readonly executionProvider: string;
}

export interface ForwardInput {
  /** batch × seqLen token ids. */
  readonly inputIds: Int32Array;
  readonly batch: number;
  readonly seqLen: number;
  /** batch × (cache.length + seqLen): 1 for a real token, 0 for left padding. */
  readonly attentionMask: Uint8Array;
  /** batch × seqLen absolute positions (ignored by graphs without position_ids). */
  readonly positionIds: Int32Array;
  /** 'last': logits of the last position of each row (batch × vocab); 'all': batch × seqLen × vocab. */
  readonly logits: 'last' | 'all';
  /**
   * Also return the last hidden state, when the graph has one: true for the same positions as
   * logits, 'all' for every position whatever `logits` says (contrastive search's prefill needs
   * every prompt position's state but only the last logits row).
   */
  readonly hiddenStates?: boolean | 'all';
}

/**
 * The arrays may be views of memory the model reuses per KV cache: they stay valid until the
 * next forward() on the same cache (other caches do not touch them). Copy what must outlive that.
 */
export interface ForwardOutput {
  readonly logits: Float32Array;
  /** The positions ForwardInput.hiddenStates asked for, × hiddenSize. */
  readonly hiddenStates?: Float32Array;
}

/** Opaque handle to past key/values that live inside the model implementation. */
export interface KvCache {
  readonly id: number;
  /** Rows in the cache. */
  readonly batch: number;
  /** Positions held (including left padding). */
  readonly length: number;
}

export interface LanguageModel {
  readonly info: ModelInfo;
  /** An empty cache for `batch` rows. */
  createCache(batch: number): Promise<KvCache>;
  /** Runs one step over `input`, appending its positions to `cache`; returns the new handle state. */
  forward(cache: KvCache, input: ForwardInput, signal?: AbortSignal): Promise<{ cache: KvCache; output: ForwardOutput }>;
  /** Keeps the first `length` positions (speculative rollback, prompt reuse). */
  cropCache(cache: KvCache, length: number): Promise<KvCache>;
  /** Keeps/reorders/duplicates rows: new row i is old row rows[i] (beam search, num_return_sequences). */
  selectCacheRows(cache: KvCache, rows: readonly number[]): Promise<KvCache>;
  /** Frees a cache; using the handle afterwards is an error. */
  releaseCache(cache: KvCache): Promise<void>;
  dispose(): Promise<void>;
}
