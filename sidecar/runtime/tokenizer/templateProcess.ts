import { Template } from '@huggingface/jinja';
import { Script } from 'node:vm';
import type { TemplateReply, TemplateRequest } from './templateMessages';

/**
 * Entry of the chat-template child process (TemplateRenderer forks it). A template is code from
 * the model folder: it may loop for hours or build a billion-item list. Here a runaway loop is
 * stopped by vm's watchdog (which interrupts any JS the script calls), and a value too big for
 * the heap limit the process starts with ends this process — V8 ends the whole process on such
 * errors, which is why templates do not run in a worker thread of the sidecar.
 */
let parsed: { source: string; template: Template } | undefined;
let job: (() => string) | undefined;
const runJob = new Script('globalThis.__inkwellTemplateJob()');
(globalThis as { __inkwellTemplateJob?: () => string }).__inkwellTemplateJob = () => job!();

function reply(message: TemplateReply): void {
  process.send?.(message);
}

function firstLine(error: unknown): string {
  const line = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** Runs `work` under the time limit: undefined when the watchdog stopped it. */
function limited<T>(work: () => T, timeMs: number): { value: T } | undefined {
  let value: T | undefined;
  job = () => {
    value = work();
    return '';
  };
  try {
    runJob.runInThisContext({ timeout: timeMs });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return undefined;
    throw error;
  } finally {
    job = undefined;
  }
  return { value: value as T };
}

function handle(request: TemplateRequest): TemplateReply {
  const started = performance.now();
  if (parsed?.source !== request.source) {
    parsed = undefined;
    try {
      const template = limited(() => new Template(request.source), request.timeMs);
      if (!template) return { kind: 'timed-out', id: request.id };
      parsed = { source: request.source, template: template.value };
    } catch (error) {
      return { kind: 'failed', id: request.id, stage: 'parse', message: firstLine(error) };
    }
  }
  const template = parsed.template;
  let text: { value: string } | undefined;
  try {
    text = limited(() => template.render(request.context as Record<string, unknown>), Math.max(1, Math.ceil(request.timeMs - (performance.now() - started))));
  } catch (error) {
    return { kind: 'failed', id: request.id, stage: 'render', message: firstLine(error) };
  }
  if (!text) return { kind: 'timed-out', id: request.id };
  if (text.value.length > request.maxOutputChars) return { kind: 'too-long', id: request.id, chars: text.value.length };
  return { kind: 'rendered', id: request.id, text: text.value };
}

process.on('message', (request: TemplateRequest) => reply(handle(request)));
// The sidecar went away (even in the middle of a render, which the watchdog ends): so does this.
process.on('disconnect', () => process.exit(0));
reply({ kind: 'ready' });
