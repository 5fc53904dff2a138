import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InkwellError } from '../../engine';

/** Texts up to this many UTF-16 units are encoded in place: well under a few milliseconds. */
export const IN_PLACE_CHARACTERS = 16_384;

function startWorker(workerData: unknown): Worker {
  // The bundled tokenizerWorker.js next to this code in dist/, or the TypeScript source under tsx (tests).
  const js = join(__dirname, 'tokenizerWorker.js');
  if (existsSync(js)) return new Worker(js, { workerData });
  const ts = join(__dirname, 'tokenizerWorker.ts');
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(ts)});`, { eval: true, workerData });
}

/**
 * Encodes long texts in a worker thread with its own copy of the tokenizer, so that a 200k-character
 * prompt or watermark text (~0.25 s of tokenizing, measured) does not stop the request loop:
 * completions, status and cancellations go on meanwhile. The worker starts on the first long text
 * and does not keep the process alive; texts up to IN_PLACE_CHARACTERS are encoded in place.
 */
export class OffThreadEncoder {
  private worker: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, { resolve: (ids: number[]) => void; reject: (error: Error) => void }>();
  private disposed = false;

  constructor(
    private readonly tokenizerJson: Readonly<Record<string, unknown>>,
    private readonly tokenizerConfig: Readonly<Record<string, unknown>>,
    private readonly inPlace: (text: string, addSpecialTokens: boolean) => number[],
  ) {}

  encode(text: string, options: { addSpecialTokens?: boolean } = {}): Promise<number[]> {
    const addSpecialTokens = options.addSpecialTokens ?? false;
    if (text.length <= IN_PLACE_CHARACTERS) return Promise.resolve(this.inPlace(text, addSpecialTokens));
    if (this.disposed) return Promise.reject(new InkwellError('runtime-failure', 'the tokenizer was disposed (the model was replaced)'));
    const worker = this.ensureWorker();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, text, addSpecialTokens });
    });
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new InkwellError('runtime-failure', 'the tokenizer was disposed (the model was replaced)'));
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker({ tokenizerJson: this.tokenizerJson, tokenizerConfig: this.tokenizerConfig });
    worker.on('message', (message: { id: number; ids?: Int32Array; error?: string }) => {
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.ids) waiting.resolve(Array.from(message.ids));
      else waiting.reject(new InkwellError('runtime-failure', `tokenizing failed: ${message.error ?? 'unknown error'}`));
    });
    worker.on('error', (error) => {
      this.worker = undefined;
      this.failAll(new InkwellError('worker-crashed', `the tokenizer worker failed: ${error.message}`, { cause: error }));
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.failAll(new InkwellError('worker-crashed', 'the tokenizer worker exited'));
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const w of waiting) w.reject(error);
  }
}
