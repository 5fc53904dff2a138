import { parentPort } from 'node:worker_threads';
import { InkwellError } from '../../engine';
import type { OnnxCausalLM } from '../onnx/OnnxCausalLM';
import { openOnnxModel } from '../onnx/openOnnxModel';
import { SharedFloatsWriter } from './SharedFloats';
import type { SerializedError, WorkerReply, WorkerRequest } from './workerMessages';

/**
 * Worker-thread entry: owns one onnxruntime session so that a blocking `session.run` never
 * stalls the main thread's event loop. Requests are handled strictly in order.
 */
let model: OnnxCausalLM | undefined;
let queue: Promise<void> = Promise.resolve();
/** Abort controllers of queued or running forward requests, by request id. */
const controllers = new Map<number, AbortController>();
/**
 * One pair of shared output areas per KV cache: a generation reads its step's logits before it
 * asks for the next step on that cache, so its area is never overwritten under it, while
 * another generation's steps (on another cache) write elsewhere.
 */
const outputAreas = new Map<number, { logits: SharedFloatsWriter; hidden: SharedFloatsWriter }>();

function areasFor(cacheId: number): { logits: SharedFloatsWriter; hidden: SharedFloatsWriter } {
  let areas = outputAreas.get(cacheId);
  if (!areas) outputAreas.set(cacheId, (areas = { logits: new SharedFloatsWriter(), hidden: new SharedFloatsWriter() }));
  return areas;
}

function serialize(e: unknown): SerializedError {
  const err = e instanceof Error ? e : new Error(String(e));
  return {
    name: err.name,
    code: InkwellError.is(err) ? err.code : undefined,
    message: err.message,
    details: InkwellError.is(err) ? JSON.parse(JSON.stringify(err.details)) : undefined,
  };
}

function loaded(): OnnxCausalLM {
  if (!model) throw new InkwellError('invalid-argument', 'no model is loaded in the worker');
  return model;
}

async function handle(req: WorkerRequest): Promise<Extract<WorkerReply, { ok: true }>['value']> {
  switch (req.op) {
    case 'open': {
      if (model) await model.dispose();
      model = undefined;
      outputAreas.clear();
      const opened = await openOnnxModel(req.options);
      model = opened.model;
      return { info: opened.model.info, dtype: opened.dtype, file: opened.file, attempts: opened.attempts, loadMs: opened.loadMs, warnings: opened.warnings };
    }
    case 'createCache':
      return loaded().createCache(req.batch);
    case 'forward': {
      const signal = controllers.get(req.id)?.signal;
      const { cache, output } = await loaded().forward(req.cache, req.input, signal);
      const areas = areasFor(cache.id);
      return {
        cache,
        logits: areas.logits.write(output.logits),
        hiddenStates: output.hiddenStates ? areas.hidden.write(output.hiddenStates) : undefined,
      };
    }
    case 'cropCache':
      return loaded().cropCache(req.cache, req.length);
    case 'selectCacheRows':
      return loaded().selectCacheRows(req.cache, req.rows);
    case 'releaseCache':
      outputAreas.delete(req.cache.id);
      await loaded().releaseCache(req.cache);
      return null;
    case 'dispose':
      outputAreas.clear();
      await model?.dispose();
      model = undefined;
      return null;
    case 'abort':
      return null;
    default: {
      const never: never = req;
      throw new Error(`unknown worker request ${JSON.stringify(never)}`);
    }
  }
}

parentPort?.on('message', (req: WorkerRequest) => {
  if (req.op === 'abort') {
    controllers.get(req.target)?.abort();
    return;
  }
  if (req.op === 'forward') controllers.set(req.id, new AbortController());
  queue = queue.then(async () => {
    let reply: WorkerReply;
    try {
      reply = { id: req.id, ok: true, value: await handle(req) };
    } catch (e) {
      reply = { id: req.id, ok: false, error: serialize(e) };
    }
    controllers.delete(req.id);
    parentPort!.postMessage(reply);
  });
});
