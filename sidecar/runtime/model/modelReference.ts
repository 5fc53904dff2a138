import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { InkwellError } from '../../engine';

/** A Hugging Face Hub model: `org/name`, at a branch, tag or commit (`main` when none is given). */
export interface HubModelId {
  readonly repoId: string;
  readonly revision: string;
}

export const DEFAULT_REVISION = 'main';
const COMMIT_HASH = /^[0-9a-f]{40}$/;
// huggingface_hub's validate_repo_id, with the namespace required: a bare `gpt2` would be
// ambiguous with a folder of that name, and every ONNX export lives under an organisation.
const REPO_ID = /^[\w.-]+\/[\w.-]+$/;
const REVISION = /^[\w.\-/]+$/;

/**
 * `org/name` or `org/name@revision` as a Hub model id; undefined when the text does not have
 * that shape (it is then a folder path). Throws when it has the shape but breaks the Hub's
 * rules, so a typo is named instead of reported as a missing folder.
 */
export function parseHubModelId(text: string): HubModelId | undefined {
  const at = text.indexOf('@');
  const repoId = at < 0 ? text : text.slice(0, at);
  const revision = at < 0 ? DEFAULT_REVISION : text.slice(at + 1);
  if (!REPO_ID.test(repoId)) return undefined;
  const bad = (why: string, field: string) =>
    new InkwellError('invalid-argument', `model "${text}": ${why}`, { details: { field, value: text } });
  if (repoId.length > 96) throw bad('a repo id has at most 96 characters', 'repoId');
  if (repoId.includes('--') || repoId.includes('..') || repoId.endsWith('.git')) {
    throw bad('a repo id cannot contain "--" or "..", nor end with ".git"', 'repoId');
  }
  if (revision === '' || !REVISION.test(revision) || revision.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw bad('the revision after "@" must be a branch, tag or commit (letters, digits, "-", "_", ".", "/"; no empty or ".." parts)', 'revision');
  }
  return { repoId, revision };
}

export function isCommitHash(revision: string): boolean {
  return COMMIT_HASH.test(revision);
}

/**
 * The Hub cache folder, found as huggingface_hub finds it: HF_HUB_CACHE, else the legacy
 * HUGGINGFACE_HUB_CACHE, else HF_HOME/hub, else $XDG_CACHE_HOME/huggingface/hub, else
 * ~/.cache/huggingface/hub.
 */
export function hubCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE;
  if (cache) return expandHome(cache);
  return join(hfHome(env), 'hub');
}

/** HF_HOME, else $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface (where the token file lives). */
export function hfHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HF_HOME) return expandHome(env.HF_HOME);
  return join(env.XDG_CACHE_HOME ? expandHome(env.XDG_CACHE_HOME) : join(homedir(), '.cache'), 'huggingface');
}

/** HF_HUB_OFFLINE as huggingface_hub reads it: 1, ON, YES or TRUE in any case. */
export function hubOffline(env: NodeJS.ProcessEnv = process.env): boolean {
  return ['1', 'ON', 'YES', 'TRUE'].includes((env.HF_HUB_OFFLINE ?? '').toUpperCase());
}

/** `models--org--name`: the repo's folder in the cache. */
export function repoCacheFolder(cacheDir: string, repoId: string): string {
  return join(cacheDir, `models--${repoId.split('/').join('--')}`);
}

/** The commit a revision points to in the cache, or undefined when the cache has no ref for it. */
export function cachedCommit(repoFolder: string, revision: string): string | undefined {
  if (isCommitHash(revision)) return revision;
  try {
    const commit = readFileSync(join(repoFolder, 'refs', revision), 'utf8').trim();
    return isCommitHash(commit) ? commit : undefined;
  } catch {
    return undefined;
  }
}

export interface ResolveOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** Where relative folder paths start. */
  readonly cwd?: string;
  /** The cache to look in (the CLI's --cache-dir); else hubCacheDir(env). */
  readonly cacheDir?: string;
}

/**
 * A model reference, as every place that takes a model accepts it, to a folder: a path that
 * exists is that folder (as in transformers' from_pretrained, a folder wins over a repo id);
 * `org/name[@revision]` is the snapshot huggingface_hub, transformers or `inkwell download` left in
 * the Hub cache. Never touches the network. Anything else comes back as a path, for the folder
 * reader to report.
 */
export function resolveModelReference(reference: string, options: ResolveOptions = {}): string {
  const env = options.env ?? process.env;
  const path = resolve(options.cwd ?? process.cwd(), expandHome(reference));
  if (isAbsolute(reference) || reference.startsWith('.') || reference.startsWith('~') || exists(path)) return path;
  const hub = parseHubModelId(reference);
  if (!hub) return path;
  const cacheDir = options.cacheDir ?? hubCacheDir(env);
  const repoFolder = repoCacheFolder(cacheDir, hub.repoId);
  const fetchHint = `download it with: inkwell download ${reference}`;
  if (!exists(repoFolder)) {
    throw new InkwellError('model-not-found', `model ${reference} is neither a folder nor in the Hugging Face cache (${cacheDir}); ${fetchHint}`, {
      details: { field: 'model', value: reference, file: repoFolder },
    });
  }
  const commit = cachedCommit(repoFolder, hub.revision);
  const snapshot = commit && join(repoFolder, 'snapshots', commit);
  if (!snapshot || !exists(snapshot)) {
    throw new InkwellError('model-not-found', `model ${reference}: the Hugging Face cache (${cacheDir}) has no snapshot for revision ${hub.revision}; ${fetchHint}`, {
      details: { field: 'model', value: reference, file: join(repoFolder, 'refs', hub.revision) },
    });
  }
  return snapshot;
}

/** The Hub model id a resolved folder came from, for display: `org/name` for a snapshot in a cache, else undefined. */
export function hubModelIdOfSnapshot(dir: string): string | undefined {
  const match = /(?:^|[\\/])models--([^\\/]+?)[\\/]snapshots[\\/][0-9a-f]{40}[\\/]?$/.exec(dir);
  return match ? match[1]!.split('--').join('/') : undefined;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
}
