import { parseArgs } from 'node:util';
import { InkwellError, isAbortError } from '../../engine';
import { downloadModel } from '../../hub/downloadModel';
import { formatBytes } from '../../protocol/formatBytes';
import { HubDownloadError } from '../../hub/HubDownloadError';
import { hubFetch } from '../../hub/hubFetch';
import { readHubSettings } from '../../hub/hubSettings';
import { listModelVariants } from '../../hub/listModelVariants';
import type { DownloadEvent } from '../../protocol/downloadEvents';
import { DEFAULT_REVISION, MODEL_DTYPES, parseHubModelId, type ModelDtype } from '../../runtime/index';
import { processOutput, type CliOutput } from '../CliOutput';
import { choiceFlag } from '../parseFlags';

export const downloadUsage =
  'inkwell download REPO_ID [--revision R] [--dtype auto|q4|fp16|fp32|…] [--cache-dir DIR] [--endpoint URL] [--json] [--list]   (into the Hugging Face cache; then --model REPO_ID works offline; --list: every dtype and its size, nothing fetched)';

/**
 * Downloads one dtype of a Hub model into the Hugging Face cache. stdout gets the snapshot folder
 * (or, with --json, one DownloadEvent a line); progress goes to stderr. Bad input — an unknown
 * repo, no ONNX graph for the dtype, an unsupported model_type, too little disk — exits 2 with
 * one line; a failure on the way (5xx, a dropped connection, a corrupt file) exits 1 and keeps
 * the partial file for the next run to resume.
 */
export async function downloadCommand(argv: readonly string[], io: CliOutput, signal: AbortSignal): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { revision: { type: 'string' }, dtype: { type: 'string' }, 'cache-dir': { type: 'string' }, endpoint: { type: 'string' }, json: { type: 'boolean' }, list: { type: 'boolean' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (cause) {
    throw new InkwellError('invalid-argument', `inkwell download: ${(cause as Error).message.split('\n')[0]}`, { cause });
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) {
    throw new InkwellError('invalid-argument', `inkwell download: expected one REPO_ID (e.g. onnx-community/Qwen2.5-Coder-0.5B-Instruct), got ${positionals.length}`, { details: { field: 'repoId' } });
  }
  const reference = positionals[0]!;
  const hub = parseHubModelId(reference);
  if (!hub) {
    throw new InkwellError('invalid-argument', `inkwell download: REPO_ID "${reference}" is not of the form org/name (letters, digits, "-", "_", ".")`, { details: { field: 'repoId', value: reference } });
  }
  if (values.revision !== undefined && reference.includes('@')) {
    throw new InkwellError('invalid-argument', `inkwell download: give the revision once, either ${reference} or --revision ${values.revision}`, { details: { field: 'revision' } });
  }
  const revision = values.revision ?? hub.revision;
  if (values.revision !== undefined) parseHubModelId(`${hub.repoId}@${revision}`); // same rules as org/name@rev
  const dtype = choiceFlag<ModelDtype | 'auto'>('dtype', values.dtype, 'auto', ['auto', ...MODEL_DTYPES]);
  if (values['cache-dir'] === '') throw new InkwellError('invalid-argument', '--cache-dir must not be empty', { details: { field: 'cache-dir' } });
  const settings = readHubSettings({ endpoint: values.endpoint, cacheDir: values['cache-dir'] });

  const json = values.json === true;
  if (values.list === true) {
    if (values.dtype !== undefined) throw new InkwellError('invalid-argument', 'inkwell download: --list shows every dtype; drop --dtype', { details: { field: 'dtype' } });
    return listVariants({ repoId: hub.repoId, revision, settings, signal, fetch: hubFetch() }, io, json);
  }
  const tty = !json && io === processOutput && process.stderr.isTTY === true;
  const onEvent = json ? (event: DownloadEvent) => io.out(`${JSON.stringify(event)}\n`) : humanProgress(io, tty);
  try {
    const result = await downloadModel({ repoId: hub.repoId, revision, dtype, settings, signal, onEvent, fetch: hubFetch() });
    if (!json) {
      io.out(`${result.path}\n`);
      const name = revision === DEFAULT_REVISION ? hub.repoId : `${hub.repoId}@${revision}`;
      io.err(`use it: inkwell generate --model ${name}${result.dtype === 'q4' ? '' : ` --dtype ${result.dtype}`} --prompt …\n`);
    }
    return 0;
  } catch (error) {
    const report = (code: string, message: string) => {
      if (json) io.out(`${JSON.stringify({ event: 'error', code, message } satisfies DownloadEvent)}\n`);
      io.err(`${tty ? '\n' : ''}inkwell: ${message}\n`);
    };
    if (isAbortError(error)) {
      report('cancelled', 'download cancelled; the partial file is kept in the cache: run the same command to resume');
      return 130;
    }
    if (HubDownloadError.is(error)) {
      report(error.reason, error.message);
      return 1;
    }
    if (json && InkwellError.is(error)) report(error.code, error.message.split('\n')[0]!);
    if (json && InkwellError.is(error)) return 2; // already reported; main would print it again
    throw error;
  }
}

async function listVariants(options: Parameters<typeof listModelVariants>[0], io: CliOutput, json: boolean): Promise<number> {
  try {
    const listed = await listModelVariants(options);
    if (json) {
      io.out(`${JSON.stringify({ event: 'variants', ...listed, variants: [...listed.variants] } satisfies DownloadEvent)}\n`);
    } else {
      io.out(`${listed.repoId}@${listed.commit.slice(0, 10)}: ${formatBytes(listed.freeBytes)} free in ${listed.cacheDir}\n`);
      for (const v of listed.variants) io.out(`  --dtype ${v.dtype.padEnd(9)} ${formatBytes(v.bytes).padStart(8)} in ${v.files} files\n`);
    }
    return 0;
  } catch (error) {
    if (isAbortError(error)) {
      if (json) io.out(`${JSON.stringify({ event: 'error', code: 'cancelled', message: 'cancelled' } satisfies DownloadEvent)}\n`);
      return 130;
    }
    if (!json) throw error;
    const code = HubDownloadError.is(error) ? error.reason : InkwellError.is(error) ? error.code : undefined;
    if (code === undefined) throw error;
    io.out(`${JSON.stringify({ event: 'error', code, message: (error as Error).message.split('\n')[0]! } satisfies DownloadEvent)}\n`);
    return HubDownloadError.is(error) ? 1 : 2;
  }
}

function humanProgress(io: CliOutput, tty: boolean): (event: DownloadEvent) => void {
  return (event) => {
    switch (event.event) {
      case 'plan': {
        const cached = event.files.filter((f) => f.cached).length;
        io.err(`${event.repoId}@${event.commit.slice(0, 10)} (${event.dtype}): ${event.files.length} files, ${formatBytes(event.totalBytes)}; ${formatBytes(event.downloadBytes)} to download${cached ? `, ${cached} already cached` : ''}\n`);
        return;
      }
      case 'progress':
        if (tty && event.file !== '') {
          const eta = event.etaSeconds === null ? '' : `, ${Math.ceil(event.etaSeconds)} s left`;
          io.err(`\r\x1b[2K${event.file}: ${formatBytes(event.bytes)} of ${formatBytes(event.totalBytes)} at ${formatBytes(event.bytesPerSecond)}/s${eta}`);
        }
        return;
      case 'file':
        if (!event.cached) io.err(`${tty ? '\r\x1b[2K' : ''}${event.path} ${formatBytes(event.size)}${event.resumedFrom > 0 ? ` (resumed at ${formatBytes(event.resumedFrom)})` : ''}\n`);
        return;
      case 'done':
        io.err(`${tty ? '\r\x1b[2K' : ''}done: ${formatBytes(event.downloadedBytes)} in ${event.seconds.toFixed(1)} s\n`);
        return;
      case 'error':
      case 'variants':
        return;
      default: {
        const never: never = event;
        return never;
      }
    }
  };
}
