import { pipeline } from 'node:stream';
import { parseArgs } from 'node:util';
import { StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { InkwellError } from '../../engine';
import { DEVICE_REQUESTS, MODEL_DTYPES } from '../../runtime/index';
import { createServer } from '../../server/createServer';
import { FramingGuard } from '../../server/FramingGuard';
import type { CliOutput } from '../CliOutput';
import { choiceFlag } from '../parseFlags';

export const serveUsage = 'inkwell serve --stdio [--model DIR] [--device auto|cuda|webgpu|cpu] [--dtype auto|q4|fp32|…] [--assistant DIR] [--no-prompt-cache]';

/** How long disposing (workers, caches) may take before the process exits anyway. */
const DISPOSE_DEADLINE_MS = 2000;

/**
 * The sidecar: an LSP server on stdin/stdout (textDocument/inlineCompletion plus inkwell/*).
 * stdout carries JSON-RPC only, so console.log is redirected to stderr for the process's life.
 *
 * Runs until its client goes away, then exits (the process, not just this function: the
 * connection library keeps timers of its own, so waiting for an empty event loop can wait
 * forever):
 * - `exit` after `shutdown`: 0 (createServer);
 * - stdin ends, also in the middle of a message: 0, logged;
 * - the bytes on stdin break LSP's framing or a message is over MAX_MESSAGE_BYTES: 1, logged
 *   (FramingGuard says why a stream cannot be resynchronised); the extension restarts us;
 * - the client's process dies (`--clientProcessId`, which vscode-languageclient passes, or
 *   initialize's `processId`): vscode-languageserver's own watchdog checks every 3 s and exits.
 */
export async function serveCommand(argv: readonly string[], _io: CliOutput, _signal: AbortSignal): Promise<number> {
  const { values } = parseArgs({
    args: [...argv],
    options: { stdio: { type: 'boolean' }, 'no-prompt-cache': { type: 'boolean' }, model: { type: 'string' }, assistant: { type: 'string' }, device: { type: 'string' }, dtype: { type: 'string' }, clientProcessId: { type: 'string' } },
    allowPositionals: false,
    strict: false,
  });
  if (values.stdio !== true) {
    throw new InkwellError('invalid-argument', 'inkwell serve: only --stdio is supported (the LSP client talks over stdin/stdout)', { details: { field: 'stdio' } });
  }
  const device = values.device === undefined ? undefined : choiceFlag('device', String(values.device), 'auto', DEVICE_REQUESTS);
  const dtype = values.dtype === undefined ? undefined : choiceFlag('dtype', String(values.dtype), 'auto', ['auto', ...MODEL_DTYPES] as const);
  console.log = console.error;
  console.info = console.error;
  // The sidecar outlives a stray rejection (a request's cleanup failing late): log it, keep serving.
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`[inkwell] unhandled rejection (kept running): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}\n`);
  });
  const input = new FramingGuard();
  // A failing stdin fails `input` too, so one place below sees every way the stream can end.
  pipeline(process.stdin, input, () => undefined);
  const gone = clientGone(input);
  const server = createServer({
    reader: new StreamMessageReader(input),
    writer: new StreamMessageWriter(process.stdout),
    ...(typeof values.model === 'string' && { modelDir: values.model }),
    ...(typeof values.assistant === 'string' && { assistantDir: values.assistant }),
    ...(device && { device }),
    ...(dtype && { dtype }),
    promptCache: values['no-prompt-cache'] !== true,
  });
  server.connection.listen();
  const { code, reason } = await gone;
  process.stderr.write(`[inkwell] ${reason}\n`);
  await Promise.race([server.dispose().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, DISPOSE_DEADLINE_MS).unref())]);
  process.exit(code);
}

/** Resolves once the client's byte stream is over: ended (0) or broken (1), with the line to log. */
function clientGone(input: FramingGuard): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => {
    input.once('error', (error) => {
      const violation = InkwellError.is(error) && error.code === 'transport-invalid';
      resolve({
        code: 1,
        reason: violation
          ? `exiting: the client's messages cannot be read any more: ${error.message} (the client should start a new sidecar)`
          : `exiting: reading stdin failed: ${error.message}`,
      });
    });
    input.once('close', () => {
      const cutOff = input.cutOff;
      resolve({ code: 0, reason: `the client closed stdin${cutOff ? ` (${cutOff})` : ''}; exiting` });
    });
  });
}
