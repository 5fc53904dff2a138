import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_REVISION, cachedCommit, parseHubModelId } from '../runtime/model/modelReference';
import { parseModelArchitecture } from '../runtime/model/modelArchitecture';
import { DTYPE_FILES, MODEL_DTYPES } from '../runtime/model/modelFolder';
import { MODEL_FILE_LIMITS, readModelJson, statModelPath } from '../runtime/model/readModelFile';

export interface CachedModel {
  /** What a model setting or --model takes: `org/name`, or `org/name@commit` when no ref points at the snapshot. */
  readonly reference: string;
  readonly repoId: string;
  readonly commit: string;
  readonly modelType: string;
  /** The dtypes whose graph the snapshot holds. */
  readonly dtypes: readonly string[];
  /** Bytes of the snapshot's files (symlinks followed). */
  readonly bytes: number;
}

/**
 * The models in a Hugging Face cache that Inkwell can load: every snapshot of a `models--org--name`
 * folder that looks like a model folder (config.json with a supported model_type, tokenizer.json,
 * an onnx/ graph; tokenizer.json is not parsed here, the load checks it). Whoever wrote them (huggingface_hub, transformers, `inkwell download`); nothing is
 * fetched. A snapshot that does not load is left out, not reported: the cache holds other
 * libraries' models too.
 */
export function listCachedModels(cacheDir: string): CachedModel[] {
  const out: CachedModel[] = [];
  for (const entry of safeList(cacheDir).sort()) {
    if (!entry.startsWith('models--')) continue;
    const repoId = entry.slice('models--'.length).split('--').join('/');
    if (!parseHubModelId(repoId)) continue;
    const repoFolder = join(cacheDir, entry);
    const mainCommit = cachedCommit(repoFolder, DEFAULT_REVISION);
    for (const commit of safeList(join(repoFolder, 'snapshots')).sort()) {
      const snapshot = join(repoFolder, 'snapshots', commit);
      let modelType: string;
      let dtypes: string[];
      try {
        const config = readModelJson(join(snapshot, 'config.json'), MODEL_FILE_LIMITS.config);
        if (config === null || typeof config !== 'object' || Array.isArray(config)) continue;
        modelType = parseModelArchitecture(config as Record<string, unknown>, 'config.json').modelType;
        if (!statModelPath(join(snapshot, 'tokenizer.json'))?.isFile()) continue;
        dtypes = MODEL_DTYPES.filter((d) => statModelPath(join(snapshot, 'onnx', DTYPE_FILES[d]))?.isFile());
      } catch {
        continue; // a symlink loop, a denied permission …: not a usable model
      }
      if (dtypes.length === 0) continue;
      out.push({
        reference: commit === mainCommit ? repoId : `${repoId}@${commit}`,
        repoId,
        commit,
        modelType,
        dtypes,
        bytes: folderBytes(snapshot),
      });
    }
  }
  return out;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const name of safeList(dir)) {
    const path = join(dir, name);
    try {
      const stats = statSync(path);
      total += stats.isDirectory() ? folderBytes(path) : stats.size;
    } catch {
      // A dangling link: counts as nothing.
    }
  }
  return total;
}
