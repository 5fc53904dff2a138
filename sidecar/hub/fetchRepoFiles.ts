import { listFiles, modelInfo } from '@huggingface/hub';
import { isCommitHash } from '../runtime/model/modelReference';
import type { HubSettings } from './hubSettings';
import { toHubError } from './hubErrors';
import type { RepoFile } from './planDownload';

/**
 * The commit a revision points to on the Hub and every file of the repo at that commit (size and
 * LFS sha256 as the Hub gives them), through @huggingface/hub's model-info and tree APIs.
 */
export async function fetchRepoFiles(options: { repoId: string; revision: string; settings: HubSettings; fetch: typeof fetch }): Promise<{ commit: string; files: RepoFile[] }> {
  const { repoId, revision, settings } = options;
  const hub = { hubUrl: settings.endpoint, accessToken: settings.accessToken, fetch: options.fetch };
  try {
    const info = await modelInfo({ name: repoId, revision, additionalFields: ['sha'], ...hub });
    const commit = info.sha;
    if (!isCommitHash(commit)) throw new Error(`the model info has no commit sha (got ${JSON.stringify(commit)})`);
    const files: RepoFile[] = [];
    for await (const entry of listFiles({ repo: { type: 'model', name: repoId }, revision: commit, recursive: true, ...hub })) {
      if (entry.type !== 'file') continue;
      files.push({ path: entry.path, size: entry.lfs?.size ?? entry.size, oid: entry.oid ?? '', ...(entry.lfs && { lfsSha256: entry.lfs.oid }) });
    }
    return { commit, files };
  } catch (error) {
    throw toHubError(error, { repoId, revision, endpoint: settings.endpoint, hasToken: settings.accessToken !== undefined });
  }
}
