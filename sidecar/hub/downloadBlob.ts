import { createHash, type Hash } from 'node:crypto';
import { createReadStream, mkdirSync, renameSync, rmSync, statSync, symlinkSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { fileDownloadInfo, HubApiError } from '@huggingface/hub';
import { abortError, InkwellError, isAbortError } from '../engine';
import { BlobLock } from './BlobLock';
import { cacheWriteError } from './hubErrors';
import { HubDownloadError } from './HubDownloadError';
import type { RepoFile } from './planDownload';

export interface BlobDownloadOptions {
  readonly repoId: string;
  readonly commit: string;
  readonly file: RepoFile;
  /** models--org--name in the cache. */
  readonly repoFolder: string;
  readonly hubUrl: string;
  readonly accessToken: string | undefined;
  /** fetch with our AbortSignal in it: @huggingface/hub's functions take no signal of their own. */
  readonly fetch: typeof fetch;
  readonly signal?: AbortSignal;
  /** Bytes received (each chunk as it is written). */
  readonly onBytes?: (bytes: number) => void;
  /** How many times a dropped connection is resumed within this call before giving up (the partial file stays for the next call). */
  readonly retries: number;
  readonly retryDelayMs: number;
}

export interface BlobDownloadResult {
  /** The blob (or the whole file) was already in the cache. */
  readonly cached: boolean;
  /** Bytes of a previous partial download that were kept (0 when it started from scratch). */
  readonly resumedFrom: number;
}

/** The blob's name in blobs/: the sha256 for an LFS file, the git blob id for the others (as huggingface_hub names them). */
export function blobName(file: RepoFile): string {
  return file.lfsSha256 ?? file.oid;
}

/**
 * One file of a snapshot into the standard cache: `blobs/<etag>.incomplete`, resumed with an
 * HTTP Range request where a previous try stopped, checked against the size and hash the tree
 * API gave, renamed to `blobs/<etag>` and only then linked from `snapshots/<commit>/<path>` — so
 * a partial or corrupt file never appears under snapshots/.
 *
 * @huggingface/hub's downloadFileToCacheDir has the same layout but restarts from byte 0 after a
 * dropped connection, reports no progress, checks no hash and takes no AbortSignal; this keeps
 * the client's resolve step (fileDownloadInfo: redirects, X-Linked-Size / X-Linked-Etag) and does
 * the byte transfer itself.
 */
export async function downloadBlob(options: BlobDownloadOptions): Promise<BlobDownloadResult> {
  const { file, repoFolder } = options;
  const blob = join(repoFolder, 'blobs', blobName(file));
  const pointer = join(repoFolder, 'snapshots', options.commit, ...file.path.split('/'));
  if (statOrUndefined(pointer)?.size === file.size) return { cached: true, resumedFrom: 0 };
  const lock = await BlobLock.acquire(join(dirname(repoFolder), '.locks', basename(repoFolder), `${blobName(file)}.inkwell.lock`), options.signal);
  try {
    if (statOrUndefined(blob)?.size === file.size) {
      linkPointer(blob, pointer);
      return { cached: true, resumedFrom: 0 };
    }
    const resumedFrom = await fetchToIncomplete(options, `${blob}.incomplete`);
    renameSync(`${blob}.incomplete`, blob);
    linkPointer(blob, pointer);
    return { cached: false, resumedFrom };
  } finally {
    lock.release();
  }
}

/** Fills `<blob>.incomplete` to the file's size and checks its hash; returns the bytes that were already there. */
async function fetchToIncomplete(options: BlobDownloadOptions, incomplete: string): Promise<number> {
  const { file } = options;
  mkdirSync(dirname(incomplete), { recursive: true });
  let offset = statOrUndefined(incomplete)?.size ?? 0;
  if (offset > file.size) {
    rmSync(incomplete);
    offset = 0;
  }
  const resumedFrom = offset;
  let hash = newHash(file);
  if (offset > 0) await hashFile(incomplete, hash);
  const what = `${options.repoId}/${file.path}`;

  for (let attempt = 0; offset < file.size || file.size === 0; attempt++) {
    if (options.signal?.aborted) throw abortError();
    try {
      const response = await openRange(options, offset);
      if (offset > 0 && response.status === 200) {
        // The server ignored Range: start over rather than append the whole file.
        rmSync(incomplete, { force: true });
        offset = 0;
        hash = newHash(file);
      }
      offset = await appendBody(response, incomplete, offset, file.size, hash, options.onBytes, what);
      if (file.size === 0) break;
    } catch (error) {
      if (isAbortError(error) || options.signal?.aborted) throw abortError();
      if (InkwellError.is(error) || HubDownloadError.is(error)) throw error;
      const unwritable = cacheWriteError(error, dirname(options.repoFolder), file.path);
      if (unwritable) throw unwritable; // a full disk does not empty itself between retries
      // 401, 404 …: asking again will not help. 5xx and 429 are retried like a dropped connection.
      if (error instanceof HubApiError && error.statusCode < 500 && error.statusCode !== 429) throw error;
      offset = statOrUndefined(incomplete)?.size ?? 0;
      if (attempt >= options.retries) {
        throw new HubDownloadError('interrupted', `${what}: the download broke off at ${offset} of ${file.size} bytes (${describe(error)}); run the same command again to resume`, { cause: error });
      }
      await delay(options.retryDelayMs * 2 ** attempt, options.signal);
    }
  }
  const expected = file.lfsSha256 ?? file.oid;
  const actual = hash.digest('hex');
  if (offset !== file.size || actual !== expected) {
    rmSync(incomplete, { force: true });
    throw new HubDownloadError(
      'corrupt',
      `${what}: the downloaded file does not match the Hub's ${file.lfsSha256 ? 'sha256' : 'git blob id'} (expected ${expected}, got ${actual}, ${offset} of ${file.size} bytes); the partial file was deleted, run the command again`,
    );
  }
  return resumedFrom;
}

/** The client resolves the file (redirects, size, etag); then a plain GET of the URL it found, from `offset`. */
async function openRange(options: BlobDownloadOptions, offset: number): Promise<Response> {
  const info = await fileDownloadInfo({
    repo: { type: 'model', name: options.repoId },
    path: options.file.path,
    revision: options.commit,
    hubUrl: options.hubUrl,
    accessToken: options.accessToken,
    fetch: options.fetch,
  });
  const what = `${options.repoId}/${options.file.path}`;
  if (!info) throw new InkwellError('model-not-found', `${what} at ${options.commit} was not found at ${options.hubUrl}`, { details: { field: 'path', value: options.file.path } });
  if (info.size !== options.file.size) {
    throw new HubDownloadError('bad-response', `${what}: the Hub says ${info.size} bytes when resolving and ${options.file.size} in its file list`);
  }
  const headers: Record<string, string> = { 'Accept-Encoding': 'identity' };
  if (offset > 0) headers.Range = `bytes=${offset}-`;
  if (options.accessToken && new URL(info.url).origin === new URL(options.hubUrl).origin) headers.Authorization = `Bearer ${options.accessToken}`;
  const response = await options.fetch(info.url, { headers });
  if (!response.ok) {
    await response.body?.cancel();
    const status = response.status;
    if (status >= 500 || status === 429) throw new Error(`HTTP ${status}`); // retried like a dropped connection
    throw new HubDownloadError('bad-response', `${what}: the download URL answered ${status}`);
  }
  if (offset > 0 && response.status === 206) {
    const start = Number(/^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1]);
    if (start !== offset) {
      await response.body?.cancel();
      throw new HubDownloadError('bad-response', `${what}: asked for bytes from ${offset}, got Content-Range ${response.headers.get('content-range')}`);
    }
  }
  return response;
}

async function appendBody(response: Response, path: string, offset: number, size: number, hash: Hash, onBytes: ((n: number) => void) | undefined, what: string): Promise<number> {
  const handle = await open(path, offset === 0 ? 'w' : 'a');
  try {
    if (!response.body) return offset;
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (offset + chunk.length > size) {
        throw new HubDownloadError('corrupt', `${what}: the server sent more than the ${size} bytes the Hub lists`);
      }
      await handle.write(chunk);
      hash.update(chunk);
      offset += chunk.length;
      onBytes?.(chunk.length);
    }
    if (offset < size) throw new Error(`the response ended at ${offset} of ${size} bytes`);
    return offset;
  } finally {
    await handle.close();
  }
}

function newHash(file: RepoFile): Hash {
  if (file.lfsSha256) return createHash('sha256');
  // A git blob id is sha1("blob <size>\0" + content).
  return createHash('sha1').update(`blob ${file.size}\0`);
}

async function hashFile(path: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
}

/** snapshots/<commit>/<path> → a relative link to ../../blobs/<etag>, swapped in atomically. */
function linkPointer(blob: string, pointer: string): void {
  mkdirSync(dirname(pointer), { recursive: true });
  const temporary = `${pointer}.inkwell-${process.pid}-${Math.random().toString(36).slice(2)}`;
  symlinkSync(relative(dirname(pointer), blob), temporary);
  renameSync(temporary, pointer);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string } })?.cause;
  return cause?.code ?? (error as Error)?.message ?? String(error);
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
