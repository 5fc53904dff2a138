import { HubApiError } from '@huggingface/hub';
import { InkwellError, isAbortError } from '../engine';
import { HubDownloadError } from './HubDownloadError';

/**
 * The one place a failure of @huggingface/hub or fetch becomes our error, with one line that
 * says what to do. Messages name the repo, the revision and the endpoint, never the token
 * (HubApiError's message carries the URL, which never holds it).
 */
export function toHubError(error: unknown, context: { repoId: string; revision: string; endpoint: string; path?: string; hasToken: boolean }): Error {
  if (isAbortError(error) || InkwellError.is(error) || HubDownloadError.is(error)) return error as Error;
  const what = context.path ? `${context.repoId}/${context.path} (revision ${context.revision})` : `${context.repoId} (revision ${context.revision})`;
  if (error instanceof HubApiError) {
    const status = error.statusCode;
    if (status === 401 || status === 403) {
      const fix = context.hasToken
        ? 'HF_TOKEN is set but has no access: accept the model\'s terms on its page or use a token that can read it'
        : 'the repo is private or gated: set HF_TOKEN to a token that can read it';
      return new InkwellError('invalid-argument', `${what} at ${context.endpoint}: ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}; ${fix}`, {
        cause: error,
        details: { field: 'repoId', value: context.repoId, status },
      });
    }
    if (status === 404) {
      const detail = context.path ? 'the file is not there' : `no such model repo or revision (a private repo also answers 404 without HF_TOKEN)`;
      return new InkwellError('model-not-found', `${what} was not found at ${context.endpoint}: ${detail}`, {
        cause: error,
        details: { field: context.path ? 'path' : 'repoId', value: context.path ?? context.repoId, status },
      });
    }
    return new HubDownloadError('server-error', `${what}: the Hub at ${context.endpoint} answered ${status}; try again later`, { cause: error });
  }
  const cause = (error as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (error instanceof TypeError && error.message === 'fetch failed') {
    return new HubDownloadError('unreachable', `cannot reach ${context.endpoint} (${cause?.code ?? cause?.message ?? 'network error'}) for ${what}`, { cause: error });
  }
  return new HubDownloadError('bad-response', `${what}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}

const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);
const NOT_WRITABLE: Readonly<Record<string, string>> = { EROFS: 'a read-only file system', EACCES: 'permission denied', EPERM: 'operation not permitted' };

/**
 * A failure to write the cache (disk full, read-only, no permission) as one line that says what
 * to do, or undefined for any other error. Exit 2 in the CLI: the machine, not the Hub, must
 * change. A partial file that was being written stays for the next run to resume.
 */
export function cacheWriteError(error: unknown, cacheDir: string, writing?: string): InkwellError | undefined {
  const code = errnoCode(error);
  if (code === undefined) return undefined;
  const where = writing ? ` while writing ${writing}` : '';
  if (NO_SPACE.has(code)) {
    return new InkwellError('invalid-argument', `no space left in the Hugging Face cache ${cacheDir}${where} (${code}); the partial file is kept: free some space and run the same command to resume, or pass --cache-dir`, {
      cause: error,
      details: { field: 'cache-dir', value: cacheDir, errno: code },
    });
  }
  const why = NOT_WRITABLE[code];
  if (why === undefined) return undefined;
  return new InkwellError('invalid-argument', `cannot write to the Hugging Face cache ${cacheDir}${where}: ${why} (${code}); pass --cache-dir (or set HF_HUB_CACHE) to a folder you can write`, {
    cause: error,
    details: { field: 'cache-dir', value: cacheDir, errno: code },
  });
}

function errnoCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 4; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) return e.code;
  }
  return undefined;
}

