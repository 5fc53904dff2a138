import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CandidateFile } from './CandidateFile';
import { npmPackageFiles } from './npmPackageFiles';
import { pythonSitePackageFiles } from './pythonSitePackageFiles';
import { pythonStdlibFiles } from './pythonStdlibFiles';

export interface CorpusSources {
  readonly npmRoots: readonly string[];
  readonly pythonStdlibs: readonly string[];
  readonly pythonSites: readonly string[];
  readonly dpkgInfo: string;
}

/**
 * Where this machine keeps permissively licensable code: the repo's node_modules, the e2e tools'
 * node_modules of the checkout that owns it, the global node_modules beside this Node binary, the
 * pinned extra packages of `fetch-corpus`,
 * Debian's Python standard libraries, Debian's dist-packages and the site-packages of the default
 * `python3`. Folders that do not exist are left out (the summary lists what was used).
 */
export function defaultCorpusSources(repoRoot: string): CorpusSources {
  const npmRoots: string[] = [];
  const nodeModules = join(repoRoot, 'node_modules');
  if (existsSync(nodeModules)) {
    const real = realpathSync(nodeModules);
    npmRoots.push(real, join(dirname(real), 'test', 'tools', 'node_modules'));
  }
  npmRoots.push(join(dirname(dirname(process.execPath)), 'lib', 'node_modules'));
  // The pinned extra packages `npm run models -- fetch-corpus` installs (npmCorpus/package.json).
  npmRoots.push(join(repoRoot, 'models', '.work', 'npm-corpus', 'node_modules'));
  let stdlibs: string[] = [];
  try {
    stdlibs = readdirSync('/usr/lib').filter((n) => /^python3\.\d+$/.test(n)).sort().map((n) => join('/usr/lib', n));
  } catch {
    // no Debian Python
  }
  const sites = ['/usr/lib/python3/dist-packages', ...defaultPythonSites()];
  const real = (paths: string[]) => [...new Set(paths.filter((p) => existsSync(p)).map((p) => realpathSync(p)))];
  return { npmRoots: real(npmRoots), pythonStdlibs: real(stdlibs), pythonSites: real(sites), dpkgInfo: '/var/lib/dpkg/info' };
}

function defaultPythonSites(): string[] {
  const result = spawnSync('python3', ['-c', 'import json, site; print(json.dumps(site.getsitepackages()))'], { encoding: 'utf8' });
  if (result.status !== 0) return [];
  try {
    return (JSON.parse(result.stdout) as unknown[]).filter((p): p is string => typeof p === 'string');
  } catch {
    return [];
  }
}

/**
 * Every candidate file, npm first, then the standard library before installed Python packages,
 * so that a stdlib module vendored into a package is kept as stdlib (the first copy wins).
 */
export function* corpusCandidates(sources: CorpusSources, onUnlicensed: (path: string, why: string) => void): Generator<CandidateFile> {
  for (const root of sources.npmRoots) yield* npmPackageFiles(root);
  for (const stdlib of sources.pythonStdlibs) yield* pythonStdlibFiles(stdlib, sources.dpkgInfo, (p) => onUnlicensed(p, 'not-from-debian'));
  for (const site of sources.pythonSites) yield* pythonSitePackageFiles(site, (p) => onUnlicensed(p, 'unknown-license'));
}
