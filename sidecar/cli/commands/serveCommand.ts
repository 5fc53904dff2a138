import { parseArgs } from 'node:util';
import { StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { InkwellError } from '../../engine/InkwellError';
import { DEVICE_REQUESTS, MODEL_DTYPES } from '../../runtime/index';
import { createServer } from '../../server/createServer';
import type { CliOutput } from '../CliOutput';
import { choiceFlag } from '../parseFlags';

export const serveUsage = 'inkwell serve --stdio [--model DIR] [--device auto|cuda|webgpu|cpu] [--dtype auto|q4|fp32|…] [--assistant DIR] [--no-prompt-cache]';

/**
 * The sidecar: an LSP server on stdin/stdout (textDocument/inlineCompletion plus inkwell/*).
 * stdout carries JSON-RPC only, so console.log is redirected to stderr for the process's life.
 * Runs until the client sends exit or closes stdin.
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
  const server = createServer({
    reader: new StreamMessageReader(process.stdin),
    writer: new StreamMessageWriter(process.stdout),
    ...(typeof values.model === 'string' && { modelDir: values.model }),
    ...(typeof values.assistant === 'string' && { assistantDir: values.assistant }),
    ...(device && { device }),
    ...(dtype && { dtype }),
    logToStderr: true,
    promptCache: values['no-prompt-cache'] !== true,
  });
  server.connection.listen();
  await new Promise<void>((resolve) => process.stdin.once('close', resolve));
  await server.dispose();
  return 0;
}
