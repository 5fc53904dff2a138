import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InkwellError } from '../engine';
import type { DownloadEvent } from '../protocol/downloadEvents';
import { parseModelArchitecture } from '../runtime/model/modelArchitecture';
import { readModelFolder, selectOnnxFile, type ModelDtype } from '../runtime/model/modelFolder';
import { cachedCommit, repoCacheFolder } from '../runtime/model/modelReference';
import { blobName, downloadBlob } from './downloadBlob';
import type { HubSettings } from './hubSettings';
import { cacheWriteError, toHubError } from './hubErrors';
import { planDownload, type RepoFile } from './planDownload';
import { ProgressMeter } from './ProgressMeter';
import { formatBytes } from '../protocol/formatBytes';
import { fetchRepoFiles } from './fetchRepoFiles';

export interface DownloadModelOptions {
  readonly repoId: string;
  readonly revision: string;
  readonly dtype: ModelDtype | 'auto';
  readonly settings: HubSettings;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: DownloadEvent) => void;
  /** Resumes within one call after a dropped connection (default 3). */
  readonly retries?: number;
  readonly retryDelayMs?: number;
  /** Free bytes where the cache lives (injected by tests). */
  readonly freeBytes?: (dir: string) => number;
  readonly fetch?: typeof fetch;
  /** Least time between two progress events (default 200 ms; tests use 0 to see every chunk). */
  readonly progressIntervalMs?: number;
}

export interface DownloadModelResult {
  /** snapshots/<commit>: a model folder every model setting and flag accepts (as does `org/name`). */
  readonly path: string;
  readonly commit: string;
  readonly dtype: ModelDtype;
  readonly downloadedBytes: number;
}

/**
 * Fetches what one dtype of a Hub model needs into the standard Hugging Face cache, after
 * checking that Inkwell can run it (a supported model_type, an ONNX graph for the dtype, room
 * on the disk). huggingface_hub and transformers find what this writes, and it reuses what they
 * wrote.
 */
export async function downloadModel(options: DownloadModelOptions): Promise<DownloadModelResult> {
  const { repoId, revision, settings } = options;
  const repoFolder = repoCacheFolder(settings.cacheDir, repoId);
  if (settings.offline) return fromCacheOffline(options, repoFolder);

  checkWritableCache(settings.cacheDir);
  const signalFetch: typeof fetch = (input, init) => (options.fetch ?? fetch)(input, { ...init, signal: options.signal });
  const context = { repoId, revision, endpoint: settings.endpoint, hasToken: settings.accessToken !== undefined };
  const emit = options.onEvent ?? (() => undefined);

  const { commit, files } = await fetchRepoFiles({ repoId, revision, settings, fetch: signalFetch });
  const plan = planDownload(repoId, files, options.dtype);

  const blobOptions = (file: RepoFile, onBytes?: (n: number) => void) => ({
    repoId, commit, file, repoFolder, hubUrl: settings.endpoint, accessToken: settings.accessToken, fetch: signalFetch,
    signal: options.signal, onBytes, retries: options.retries ?? 3, retryDelayMs: options.retryDelayMs ?? 500,
  });
  const fetchFile = async (file: RepoFile, onBytes?: (n: number) => void) => {
    try {
      return await downloadBlob(blobOptions(file, onBytes));
    } catch (error) {
      throw toHubError(error, { ...context, path: file.path });
    }
  };

  // config.json first (a few KB): an unsupported architecture stops here, before the graph.
  const configFile = plan.files.find((f) => f.path === 'config.json')!;
  const configResult = await fetchFile(configFile);
  const configBytes = configResult.cached ? 0 : configFile.size - configResult.resumedFrom;
  const configPath = join(repoFolder, 'snapshots', commit, 'config.json');
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  parseModelArchitecture(config, `${repoId}: config.json`);

  const state = plan.files.map((file) => (file === configFile ? { file, cached: configResult.cached, partialBytes: 0 } : { file, ...cacheState(repoFolder, commit, file) }));
  const totalBytes = plan.files.reduce((sum, f) => sum + f.size, 0);
  const downloadBytes = state.reduce((sum, s) => sum + (s.cached || s.file === configFile ? 0 : s.file.size - s.partialBytes), 0) + configBytes;
  const free = (options.freeBytes ?? freeBytesAt)(settings.cacheDir);
  if (downloadBytes > free) {
    throw new InkwellError('invalid-argument', `not enough disk space for ${repoId} (${plan.dtype}): needs ${formatBytes(downloadBytes)}, ${formatBytes(free)} free in ${settings.cacheDir}; free some space or pass --cache-dir`, {
      details: { field: 'cache-dir', needed: downloadBytes, free },
    });
  }
  emit({ event: 'plan', repoId, revision, commit, dtype: plan.dtype, files: state.map((s) => ({ path: s.file.path, size: s.file.size, cached: s.cached })), totalBytes, downloadBytes });

  const meter = new ProgressMeter(downloadBytes, options.progressIntervalMs);
  meter.add(configBytes);
  let downloaded = configBytes;
  for (const { file } of state) {
    const result = file === configFile ? configResult : await fetchFile(file, (n) => {
      downloaded += n;
      const sample = meter.add(n);
      if (sample) emit({ event: 'progress', file: file.path, ...sample });
    });
    emit({ event: 'file', path: file.path, size: file.size, resumedFrom: result.resumedFrom, cached: result.cached });
    // Where the file ended, whatever the sampling interval skipped: a slow graph then starts from a count that is right.
    if (!result.cached && file !== configFile) emit({ event: 'progress', file: file.path, ...meter.final() });
  }
  emit({ event: 'progress', file: '', ...meter.final() });

  if (revision !== commit) writeRef(repoFolder, revision, commit);
  const path = join(repoFolder, 'snapshots', commit);
  emit({ event: 'done', repoId, commit, dtype: plan.dtype, path, downloadedBytes: downloaded, seconds: meter.seconds() });
  return { path, commit, dtype: plan.dtype, downloadedBytes: downloaded };
}

/** HF_HUB_OFFLINE: nothing touches the network; what the cache has for the revision and dtype is the answer. */
function fromCacheOffline(options: DownloadModelOptions, repoFolder: string): DownloadModelResult {
  const { repoId, revision } = options;
  const commit = cachedCommit(repoFolder, revision);
  const path = commit && join(repoFolder, 'snapshots', commit);
  const offlineError = (why: string) =>
    new InkwellError('invalid-argument', `HF_HUB_OFFLINE is set and ${repoId}@${revision} ${why} in ${options.settings.cacheDir}; unset HF_HUB_OFFLINE to download it`, {
      details: { field: 'HF_HUB_OFFLINE', value: repoId },
    });
  if (!commit || !path || !existsSync(path)) throw offlineError('is not');
  let dtype: ModelDtype;
  try {
    dtype = selectOnnxFile(readModelFolder(path), options.dtype).dtype;
  } catch (error) {
    throw offlineError(`is not complete for --dtype ${options.dtype} (${(error as Error).message.split('\n')[0]})`);
  }
  options.onEvent?.({ event: 'done', repoId, commit, dtype, path, downloadedBytes: 0, seconds: 0 });
  return { path, commit, dtype, downloadedBytes: 0 };
}

function cacheState(repoFolder: string, commit: string, file: RepoFile): { cached: boolean; partialBytes: number } {
  const size = (path: string) => {
    try {
      return statSync(path).size;
    } catch {
      return undefined;
    }
  };
  const blob = join(repoFolder, 'blobs', blobName(file));
  if (size(join(repoFolder, 'snapshots', commit, file.path)) === file.size || size(blob) === file.size) return { cached: true, partialBytes: 0 };
  const partial = size(`${blob}.incomplete`) ?? 0;
  return { cached: false, partialBytes: partial <= file.size ? partial : 0 };
}

/** refs/<revision> → commit, written last and atomically: a ref names only a complete snapshot. */
function writeRef(repoFolder: string, revision: string, commit: string): void {
  const ref = join(repoFolder, 'refs', ...revision.split('/'));
  mkdirSync(dirname(ref), { recursive: true });
  const temporary = `${ref}.inkwell-${process.pid}`;
  writeFileSync(temporary, commit);
  renameSync(temporary, ref);
}

/** The cache folder exists (made if needed) and can be written, before anything is fetched. */
function checkWritableCache(cacheDir: string): void {
  try {
    mkdirSync(cacheDir, { recursive: true });
    accessSync(cacheDir, constants.W_OK);
  } catch (error) {
    throw cacheWriteError(error, cacheDir) ?? error;
  }
}

export function freeBytesAt(dir: string): number {
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const stats = statfsSync(existing);
  return stats.bavail * stats.bsize;
}
