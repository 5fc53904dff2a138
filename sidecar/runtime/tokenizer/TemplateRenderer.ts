import { fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { abortError, InkwellError, type InkwellErrorCode } from '../../engine';
import type { TemplateReply, TemplateRequest } from './templateMessages';

export interface TemplateLimits {
  /** Parsing and rendering together. */
  readonly timeMs: number;
  /** The template process's JS heap: a template that builds huge values ends that process, not the sidecar. */
  readonly memoryMb: number;
  /** Longest output: this many characters plus twice what the messages hold. */
  readonly baseOutputChars: number;
}

/** Real chat templates render in milliseconds with a few MB; these only stop hostile ones. */
export const DEFAULT_TEMPLATE_LIMITS: TemplateLimits = { timeMs: 3_000, memoryMb: 512, baseOutputChars: 1 << 20 };

/** How long an unused template process stays up for the next render. */
const IDLE_MS = 30_000;
/** The process stops a render itself at timeMs; past this much more, it is killed. */
const KILL_GRACE_MS = 2_000;

export interface RenderRequest {
  readonly source: string;
  readonly context: Readonly<Record<string, unknown>>;
  /** Characters of input the output may repeat (the messages' contents). */
  readonly inputChars: number;
  /** Names the template in errors: the file it came from. */
  readonly origin: string;
}

/**
 * The bundled templateProcess.js next to this code in dist/, or — from the TypeScript sources
 * (tests) — the .ts entry under tsx.
 */
function startProcess(memoryMb: number): ChildProcess {
  const heap = `--max-old-space-size=${memoryMb}`;
  const js = join(__dirname, 'templateProcess.js');
  const options: ForkOptions = { stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced' };
  if (existsSync(js)) return fork(js, [], { ...options, execArgv: [heap] });
  return fork(join(__dirname, 'templateProcess.ts'), [], { ...options, execArgv: ['--import', 'tsx', heap] });
}

/**
 * Renders Jinja templates in a child process under a time, memory and output limit, one render
 * at a time. Not a worker thread: V8 ends the whole process when a heap limit is hit or an array
 * outgrows its maximum size (`range(10**9)`), whichever thread it happens in. The process starts
 * on the first render, is replaced after a template ends it, stops by itself after IDLE_MS unused,
 * and does not keep the sidecar (or a CLI run) alive between renders.
 */
export class TemplateRenderer {
  private child: { process: ChildProcess; ready: Promise<void> } | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private idleTimer: NodeJS.Timeout | undefined;
  private nextId = 1;

  constructor(readonly limits: TemplateLimits = DEFAULT_TEMPLATE_LIMITS) {}

  render(request: RenderRequest, signal?: AbortSignal): Promise<string> {
    const run = this.queue.then(() => this.renderNow(request, signal));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops the template process now (a later render starts a new one). */
  dispose(): void {
    clearTimeout(this.idleTimer);
    const child = this.child;
    this.child = undefined;
    child?.process.kill('SIGKILL');
  }

  private async renderNow(request: RenderRequest, signal: AbortSignal | undefined): Promise<string> {
    if (signal?.aborted) throw abortError();
    clearTimeout(this.idleTimer);
    const child = this.start();
    setRef(child.process, true);
    try {
      await child.ready;
      if (signal?.aborted) throw abortError();
      return await this.exchange(child.process, request, signal);
    } finally {
      if (this.child === child) {
        setRef(child.process, false);
        this.idleTimer = setTimeout(() => this.dispose(), IDLE_MS).unref();
      }
    }
  }

  private start(): { process: ChildProcess; ready: Promise<void> } {
    if (this.child) return this.child;
    const process = startProcess(this.limits.memoryMb);
    // Each render listens for the failures that concern it; one between renders must not become
    // an uncaught 'error' event.
    process.on('error', () => undefined);
    const ready = new Promise<void>((resolve, reject) => {
      const done = () => process.off('message', onMessage).off('exit', onExit).off('error', onError);
      const onMessage = (m: TemplateReply) => {
        if (m.kind !== 'ready') return;
        done();
        resolve();
      };
      const onError = (e: Error) => {
        done();
        reject(new InkwellError('runtime-failure', `the chat template process did not start: ${e.message}`));
      };
      const onExit = (code: number | null, signal: string | null) => onError(new Error(`it ended (${signal ?? `exit code ${code}`})`));
      process.on('message', onMessage).on('exit', onExit).on('error', onError);
    });
    const child = { process, ready };
    // A process that ended (killed from outside, say) is replaced by the next render.
    process.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    ready.catch(() => {
      if (this.child === child) this.dispose();
    });
    this.child = child;
    return child;
  }

  private exchange(child: ChildProcess, request: RenderRequest, signal: AbortSignal | undefined): Promise<string> {
    const id = this.nextId++;
    const { timeMs, memoryMb, baseOutputChars } = this.limits;
    const maxOutputChars = baseOutputChars + 2 * request.inputChars;
    const named = `the chat template (${request.origin})`;
    const tooSlow = `${named} ran longer than the ${timeMs} ms Inkwell allows a template and was stopped`;
    return new Promise<string>((resolve, reject) => {
      const finish = (stop: boolean, settle: () => void) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        child.off('message', onMessage).off('exit', onExit);
        if (stop) this.dispose();
        settle();
      };
      const fail = (stop: boolean, code: InkwellErrorCode, message: string, limit?: Record<string, number>) =>
        finish(stop, () => reject(new InkwellError(code, message, { details: { field: 'chat_template', file: request.origin, ...limit } })));
      const onMessage = (m: TemplateReply) => {
        if (m.kind === 'ready' || m.id !== id) return;
        switch (m.kind) {
          case 'rendered':
            return finish(false, () => resolve(m.text));
          case 'timed-out':
            return fail(false, 'tokenizer-invalid', tooSlow, { timeMs });
          case 'too-long':
            return fail(false, 'tokenizer-invalid', `${named} rendered ${m.chars} characters, over the limit of ${maxOutputChars} (${baseOutputChars} plus twice the messages' length)`, { maxOutputChars });
          case 'failed':
            if (m.stage === 'parse') return fail(false, 'tokenizer-invalid', `${named} does not parse: ${m.message}`);
            return fail(false, 'invalid-argument', `${named} failed to render: ${m.message}`);
          default: {
            const never: never = m;
            return fail(true, 'runtime-failure', `unexpected reply from the chat template process: ${JSON.stringify(never)}`);
          }
        }
      };
      // V8 ends the process on a heap or array-size limit (SIGABRT, SIGTRAP): the template built
      // something too big.
      const onExit = (code: number | null, exitSignal: string | null) =>
        fail(true, 'tokenizer-invalid', `${named} ended its process (${exitSignal ?? `exit code ${code}`}): it built a value over the ${memoryMb} MB of memory, or the array size, Inkwell allows a template`, { memoryMb });
      const onAbort = () => finish(true, () => reject(abortError()));
      // The process stops the render itself at timeMs; this is for one that cannot answer.
      const timer = setTimeout(() => fail(true, 'tokenizer-invalid', tooSlow, { timeMs }), timeMs + KILL_GRACE_MS);
      signal?.addEventListener('abort', onAbort, { once: true });
      child.on('message', onMessage).on('exit', onExit);
      const message: TemplateRequest = { id, source: request.source, context: request.context, timeMs, maxOutputChars };
      child.send(message);
    });
  }
}

/** Whether the process and its IPC channel keep the event loop alive. */
function setRef(child: ChildProcess, ref: boolean): void {
  const channel = (child as { channel?: { ref(): void; unref(): void } }).channel;
  if (ref) {
    child.ref();
    channel?.ref();
  } else {
    child.unref();
    channel?.unref();
  }
}
