import '../onnx/disableOrtTelemetry';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { abortError } from '../../engine';
import type { ForwardInput, ForwardOutput, KvCache, LanguageModel, ModelInfo } from '../../engine';
import type { OpenModelOptions } from '../onnx/openOnnxModel';
import { SharedFloatsReader } from './SharedFloats';
import { WorkerChannel } from './WorkerChannel';
import type { ForwardReply, OpenedReply } from './workerMessages';

/**
 * Starts the worker: the bundled script next to this code in dist/, or — when running from the
 * TypeScript sources under tsx (tests) — the .ts entry behind tsx's CommonJS hook, since a
 * worker does not inherit the parent's loader hooks.
 */
function startWorker(): Worker {
  const js = join(__dirname, 'modelWorker.js');
  if (existsSync(js)) return new Worker(js);
  const ts = join(__dirname, 'modelWorker.ts');
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(ts)});`, { eval: true });
}

/**
 * A LanguageModel whose onnxruntime session lives in a worker thread. Each call is one message;
 * the KV cache stays in the worker, and logits come back through a shared area per KV cache.
 */
/** How long dispose waits for requests in flight before it goes ahead anyway. */
const DISPOSE_WAIT_MS = 10_000;

export class WorkerLanguageModel implements LanguageModel {
  /** The shared output areas of each KV cache (see modelWorker's outputAreas). */
  private readonly outputAreas = new Map<number, { logits: SharedFloatsReader; hidden: SharedFloatsReader }>();

  private constructor(
    private readonly worker: Worker,
    private readonly channel: WorkerChannel,
    readonly info: ModelInfo,
    readonly opened: OpenedReply,
  ) {}

  static async open(options: OpenModelOptions): Promise<WorkerLanguageModel> {
    const worker = startWorker();
    const channel = new WorkerChannel(worker);
    try {
      const opened = (await channel.call({ op: 'open', options })) as OpenedReply;
      return new WorkerLanguageModel(worker, channel, opened.info, opened);
    } catch (e) {
      await worker.terminate();
      throw e;
    }
  }

  async createCache(batch: number): Promise<KvCache> {
    return (await this.channel.call({ op: 'createCache', batch })) as KvCache;
  }

  async forward(cache: KvCache, input: ForwardInput, signal?: AbortSignal): Promise<{ cache: KvCache; output: ForwardOutput }> {
    if (signal?.aborted) throw abortError();
    const sent = this.channel.send({ op: 'forward', cache, input });
    // A long prefill runs in chunks in the worker; an abort reaches it between chunks.
    const onAbort = () => this.channel.notify({ op: 'abort', target: sent.id });
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const reply = (await sent.reply) as ForwardReply;
      let areas = this.outputAreas.get(reply.cache.id);
      if (!areas) this.outputAreas.set(reply.cache.id, (areas = { logits: new SharedFloatsReader(), hidden: new SharedFloatsReader() }));
      const output: { logits: Float32Array; hiddenStates?: Float32Array } = { logits: areas.logits.read(reply.logits) };
      if (reply.hiddenStates) output.hiddenStates = areas.hidden.read(reply.hiddenStates);
      return { cache: reply.cache, output };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async cropCache(cache: KvCache, length: number): Promise<KvCache> {
    return (await this.channel.call({ op: 'cropCache', cache, length })) as KvCache;
  }

  async selectCacheRows(cache: KvCache, rows: readonly number[]): Promise<KvCache> {
    return (await this.channel.call({ op: 'selectCacheRows', cache, rows })) as KvCache;
  }

  async releaseCache(cache: KvCache): Promise<void> {
    this.outputAreas.delete(cache.id);
    await this.channel.call({ op: 'releaseCache', cache });
  }

  async dispose(): Promise<void> {
    // Let whatever the worker is running finish first (its callers were told to stop).
    await this.channel.idle(DISPOSE_WAIT_MS);
    if (this.channel.alive) {
      try {
        await this.channel.call({ op: 'dispose' });
      } catch {
        // The worker is going away either way.
      }
    }
    this.channel.close('the model was disposed');
    await this.worker.terminate();
  }
}
