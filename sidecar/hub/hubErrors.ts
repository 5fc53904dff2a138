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
