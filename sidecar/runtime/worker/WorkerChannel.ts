import type { Worker } from 'node:worker_threads';
import { InkwellError } from '../../engine';
import type { SerializedError, WorkerReply, WorkerRequest } from './workerMessages';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
export type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

function revive(e: SerializedError): Error {
  if (e.code !== undefined) return new InkwellError(e.code, e.message, { details: e.details ?? {} });
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

/**
 * Request/reply over the model worker: each request gets an id, each reply settles the request
 * with that id, and a worker that errors or exits rejects everything pending with 'worker-crashed'.
 */
export class WorkerChannel {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private crashed: Error | undefined;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: WorkerReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (reply.ok) p.resolve(reply.value);
      else p.reject(revive(reply.error));
      if (this.pending.size === 0) this.wakeIdle();
    });
    worker.on('error', (e) => this.fail(e.message, e));
    worker.on('exit', (code) => this.fail(`exit code ${code}`));
  }

  get alive(): boolean {
    return this.crashed === undefined;
  }

  /** Sends a request; `id` lets a later message (an abort) refer to it. */
  send(body: RequestBody): { id: number; reply: Promise<unknown> } {
    const id = this.nextId++;
    if (this.crashed) return { id, reply: Promise.reject(this.crashed) };
    const reply = new Promise<unknown>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.worker.postMessage({ ...body, id } as WorkerRequest);
    return { id, reply };
  }

  call(body: RequestBody): Promise<unknown> {
    return this.send(body).reply;
  }

  /** A message that is never answered (an abort). */
  notify(body: RequestBody): void {
    if (!this.crashed) this.worker.postMessage({ ...body, id: this.nextId++ } as WorkerRequest);
  }

  /**
   * Resolves when no request is waiting for its reply, or after `timeoutMs` (a hung worker must
   * not block disposal forever). Disposing a session while a run or a cache release is in
   * flight in the worker crashes the process (onnxruntime aborts), so dispose waits for this.
   */
  idle(timeoutMs: number): Promise<void> {
    if (this.pending.size === 0 || this.crashed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const waiters = this.idleWaiters;
      function done() {
        clearTimeout(timer);
        const i = waiters.indexOf(done);
        if (i >= 0) waiters.splice(i, 1);
        resolve();
      }
      waiters.push(done);
    });
  }

  /** Stops the channel for good (after dispose): later calls reject. */
  close(why: string): void {
    this.fail(why);
  }

  private fail(why: string, cause?: unknown): void {
    if (this.crashed) return;
    this.crashed = new InkwellError('worker-crashed', `the model worker stopped: ${why}`, { cause });
    for (const p of this.pending.values()) p.reject(this.crashed);
    this.pending.clear();
    this.wakeIdle();
  }

  private wakeIdle(): void {
    for (const wake of [...this.idleWaiters]) wake();
  }
}
