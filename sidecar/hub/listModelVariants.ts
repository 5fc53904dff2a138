import { InkwellError } from '../engine';
import type { ModelDtype } from '../runtime/model/modelFolder';
import { freeBytesAt } from './downloadModel';
import { fetchRepoFiles } from './fetchRepoFiles';
import type { HubSettings } from './hubSettings';
import { onnxVariants, planDownload } from './planDownload';

export interface ModelVariants {
  readonly repoId: string;
  readonly revision: string;
  readonly commit: string;
  /** Every dtype the repo has a graph for, in the order 'auto' prefers them, with what downloading it fetches. */
  readonly variants: readonly { readonly dtype: ModelDtype; readonly bytes: number; readonly files: number }[];
  /** Free bytes where the cache lives. */
  readonly freeBytes: number;
  readonly cacheDir: string;
}

/**
 * What `inkwell download` could fetch for each dtype of a Hub model, without fetching it: the
 * model-info and tree APIs only. The extension's "Download Model…" shows it before the user picks.
 */
export async function listModelVariants(options: { repoId: string; revision: string; settings: HubSettings; signal?: AbortSignal; fetch?: typeof fetch; freeBytes?: (dir: string) => number }): Promise<ModelVariants> {
  const { repoId, revision, settings } = options;
  if (settings.offline) {
    throw new InkwellError('invalid-argument', `HF_HUB_OFFLINE is set: the Hub cannot be asked what ${repoId} has; unset HF_HUB_OFFLINE`, { details: { field: 'HF_HUB_OFFLINE' } });
  }
  const signalFetch: typeof fetch = (input, init) => (options.fetch ?? fetch)(input, { ...init, signal: options.signal });
  const { commit, files } = await fetchRepoFiles({ repoId, revision, settings, fetch: signalFetch });
  const dtypes = onnxVariants(files);
  // planDownload refuses a repo without ONNX or without config/tokenizer, naming what is missing.
  const variants = (dtypes.length === 0 ? [planDownload(repoId, files, 'auto')] : dtypes.map((dtype) => planDownload(repoId, files, dtype))).map((plan) => ({
    dtype: plan.dtype,
    bytes: plan.files.reduce((sum, f) => sum + f.size, 0),
    files: plan.files.length,
  }));
  return { repoId, revision, commit, variants, freeBytes: (options.freeBytes ?? freeBytesAt)(settings.cacheDir), cacheDir: settings.cacheDir };
}
