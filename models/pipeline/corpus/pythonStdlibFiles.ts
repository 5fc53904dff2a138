import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CandidateFile } from './CandidateFile';
import { walkFiles } from './walkFiles';

/** Installed packages live beside the standard library but are not part of it. */
const NOT_STDLIB = new Set(['site-packages', 'dist-packages', '__pycache__']);

/**
 * The Python standard library of a Debian python3.X (`/usr/lib/python3.11`), under the Python
 * license (SPDX Python-2.0: the PSF agreement and its predecessors, as CPython's LICENSE file
 * stacks them). The origin names the Debian package that installed each file, from dpkg's file
 * lists; a file no package lists (added by hand) is left out.
 */
export function* pythonStdlibFiles(stdlib: string, dpkgInfo = '/var/lib/dpkg/info', onUnowned: (path: string) => void = () => {}): Generator<CandidateFile> {
  const owners = debianOwners(stdlib, dpkgInfo);
  for (const path of walkFiles(stdlib, (name) => NOT_STDLIB.has(name))) {
    if (!path.endsWith('.py')) continue;
    const owner = owners.get(path);
    if (owner === undefined) {
      onUnowned(path);
      continue;
    }
    yield { path, origin: `debian ${owner}/stdlib`, license: 'Python-2.0', declaredLicense: 'Python-2.0', language: 'python' };
  }
}

/**
 * path → Debian package name (architecture suffix dropped). Every list is read: parts of the
 * standard library come in packages not named after the Python version (python3-distutils).
 */
function debianOwners(stdlib: string, dpkgInfo: string): Map<string, string> {
  const owners = new Map<string, string>();
  let lists: string[];
  try {
    lists = readdirSync(dpkgInfo).filter((n) => n.endsWith('.list')).sort();
  } catch {
    return owners;
  }
  for (const list of lists) {
    const pkg = list.replace(/\.list$/, '').replace(/:[^:]+$/, '');
    for (const line of readFileSync(join(dpkgInfo, list), 'utf8').split('\n')) {
      if (line.startsWith(`${stdlib}/`) && !owners.has(line)) owners.set(line, pkg);
    }
  }
  return owners;
}
