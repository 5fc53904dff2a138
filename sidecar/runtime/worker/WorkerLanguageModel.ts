import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { abortError, InkwellError } from '../../engine/InkwellError';
import type { ForwardInput, ForwardOutput, KvCache, LanguageModel, ModelInfo } from '../../engine/model/LanguageModel';
import type { OpenModelOptions } from '../onnx/openOnnxModel';
import { SharedFloatsReader } from './SharedFloats';
import type { ForwardReply, OpenedReply, SerializedError, WorkerReply, WorkerRequest } from './workerMessages';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

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

function revive(e: SerializedError): Error {
  if (e.code !== undefined) return new InkwellError(e.code, e.message, { details: e.details ?? {} });
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}


/**
 * A LanguageModel whose onnxruntime session lives in a worker thread. Each call is one message;
 * the KV cache stays in the worker, and logits come back as transferred buffers.
 */
export class WorkerLanguageModel implements LanguageModel {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private crashed: Error | undefined;
  /** The shared output areas of each KV cache (see modelWorker's outputAreas). */
  private readonly outputAreas = new Map<number, { logits: SharedFloatsReader; hidden: SharedFloatsReader }>();

  private constructor(
    private readonly worker: Worker,
    readonly info: ModelInfo,
    readonly opened: OpenedReply,
  ) {}

  static async open(options: OpenModelOptions): Promise<WorkerLanguageModel> {
    const worker = startWorker();
    // A temporary host for the 'open' round trip, before the instance exists.
    const host = new WorkerHost(worker);
    try {
      const opened = (await host.call({ op: 'open', options })) as OpenedReply;
      host.detach();
      const model = new WorkerLanguageModel(worker, opened.info, opened);
      model.attach();
      return model;
    } catch (e) {
      host.detach();
      await worker.terminate();
      throw e;
    }
  }

  async createCache(batch: number): Promise<KvCache> {
    return (await this.call({ op: 'createCache', batch })) as KvCache;
  }

  async forward(cache: KvCache, input: ForwardInput, signal?: AbortSignal): Promise<{ cache: KvCache; output: ForwardOutput }> {
    if (signal?.aborted) throw abortError();
    const id = this.nextId;
    // A long prefill runs in chunks in the worker; an abort reaches it between chunks.
    const onAbort = () => this.worker.postMessage({ id: this.nextId++, op: 'abort', target: id } satisfies WorkerRequest);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const reply = (await this.call({ op: 'forward', cache, input })) as ForwardReply;
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
    return (await this.call({ op: 'cropCache', cache, length })) as KvCache;
  }

  async selectCacheRows(cache: KvCache, rows: readonly number[]): Promise<KvCache> {
    return (await this.call({ op: 'selectCacheRows', cache, rows })) as KvCache;
  }

  async releaseCache(cache: KvCache): Promise<void> {
    this.outputAreas.delete(cache.id);
    await this.call({ op: 'releaseCache', cache });
  }

  async dispose(): Promise<void> {
    if (!this.crashed) {
      try {
        await this.call({ op: 'dispose' });
      } catch {
        // The worker is going away either way.
      }
    }
    this.crashed ??= new InkwellError('worker-crashed', 'the model was disposed');
    await this.worker.terminate();
  }

  private attach(): void {
    this.worker.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.value);
      else p.reject(revive(reply.error));
    });
    const fail = (why: string, cause?: unknown) => {
      if (this.crashed) return;
      this.crashed = new InkwellError('worker-crashed', `the model worker stopped: ${why}`, { cause });
      for (const p of this.pending.values()) p.reject(this.crashed);
      this.pending.clear();
    };
    this.worker.on('error', (e) => fail(e.message, e));
    this.worker.on('exit', (code) => fail(`exit code ${code}`));
  }

  private call(body: RequestBody): Promise<unknown> {
    if (this.crashed) return Promise.reject(this.crashed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...body, id } as WorkerRequest);
    });
  }
}

/** One-shot request/reply over a worker before the model object exists. */
class WorkerHost {
  private readonly onMessage: (reply: WorkerReply) => void;
  private readonly onError: (e: Error) => void;
  private readonly onExit: (code: number) => void;
  private waiter: Pending | undefined;

  constructor(private readonly worker: Worker) {
    this.onMessage = (reply) => (reply.ok ? this.waiter?.resolve(reply.value) : this.waiter?.reject(revive(reply.error)));
    this.onError = (e) => this.waiter?.reject(new InkwellError('worker-crashed', `the model worker failed to start: ${e.message}`, { cause: e }));
    this.onExit = (code) => this.waiter?.reject(new InkwellError('worker-crashed', `the model worker exited with code ${code} while loading`));
    worker.on('message', this.onMessage).on('error', this.onError).on('exit', this.onExit);
  }

  call(body: RequestBody): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.worker.postMessage({ ...body, id: 0 } as WorkerRequest);
    });
  }

  detach(): void {
    this.worker.off('message', this.onMessage).off('error', this.onError).off('exit', this.onExit);
  }
}
