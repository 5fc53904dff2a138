import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, normalize, relative, sep } from 'node:path';
import { languageOf, type CandidateFile } from './CandidateFile';
import { parseDistMetadata, pythonDistLicense } from './pythonDistLicense';
import { walkFiles } from './walkFiles';

/** Files of one installed distribution (relative to the site folder) and its license. */
interface Distribution {
  readonly origin: string;
  readonly license: ReturnType<typeof pythonDistLicense>;
  readonly files: string[];
}

/**
 * Python files in a site-packages / dist-packages folder, each under the license of the
 * distribution that installed it: `*.dist-info` lists its files in RECORD; Debian's
 * `*.egg-info` lists them in installed-files.txt or names its top-level modules in
 * top_level.txt. Files no distribution claims have no known license and are reported as such.
 */
export function* pythonSitePackageFiles(site: string, onUnclaimed: (path: string) => void = () => {}): Generator<CandidateFile> {
  let names: string[];
  try {
    names = readdirSync(site).sort();
  } catch {
    return;
  }
  const claimed = new Set<string>();
  for (const name of names) {
    const dist = name.endsWith('.dist-info') ? distInfo(site, name) : name.endsWith('.egg-info') ? eggInfo(site, name) : undefined;
    if (dist === undefined) continue;
    for (const file of dist.files.sort()) {
      const path = join(site, file);
      if (languageOf(path) !== 'python' || claimed.has(path) || !existsSync(path)) continue;
      claimed.add(path);
      yield { path, origin: dist.origin, license: dist.license.spdx, declaredLicense: dist.license.declared, language: 'python' };
    }
  }
  const skip = (entry: string): boolean => entry === '__pycache__' || entry.endsWith('-info');
  for (const path of walkFiles(site, skip)) if (languageOf(path) === 'python' && !claimed.has(path)) onUnclaimed(path);
}

function distInfo(site: string, name: string): Distribution | undefined {
  const dir = join(site, name);
  const metadata = readOr(join(dir, 'METADATA'));
  const record = readOr(join(dir, 'RECORD'));
  if (metadata === undefined || record === undefined) return undefined;
  // RECORD is CSV: path,hash,size; a path with a comma is quoted.
  const files = record.split(/\r?\n/).filter(Boolean).map((line) => (line.startsWith('"') ? line.slice(1, line.indexOf('"', 1)) : line.split(',')[0]));
  return { origin: originOf(metadata, name), license: pythonDistLicense(metadata, licenseTexts(dir)), files: inside(site, files) };
}

function eggInfo(site: string, name: string): Distribution | undefined {
  const path = join(site, name);
  const isDir = statSync(path).isDirectory();
  const metadata = readOr(isDir ? join(path, 'PKG-INFO') : path);
  if (metadata === undefined) return undefined;
  let files: string[] = [];
  const installed = isDir ? readOr(join(path, 'installed-files.txt')) : undefined;
  if (installed !== undefined) {
    files = installed.split(/\r?\n/).filter(Boolean).map((f) => relative(site, join(path, f)));
  } else {
    const topLevel = isDir ? readOr(join(path, 'top_level.txt')) : undefined;
    for (const module of topLevel?.split(/\r?\n/).filter(Boolean) ?? [name.replace(/-[^-]*\.egg-info$/, '').replace(/\.egg-info$/, '')]) {
      const moduleDir = join(site, module);
      if (existsSync(join(site, `${module}.py`))) files.push(`${module}.py`);
      if (existsSync(moduleDir) && statSync(moduleDir).isDirectory()) {
        for (const file of walkFiles(moduleDir, (entry) => entry === '__pycache__')) files.push(relative(site, file));
      }
    }
  }
  return { origin: originOf(metadata, name), license: pythonDistLicense(metadata, isDir ? licenseTexts(path) : []), files: inside(site, files) };
}

function originOf(metadata: string, folder: string): string {
  const fields = parseDistMetadata(metadata);
  const name = fields.get('name')?.[0] ?? folder.replace(/\.(dist|egg)-info$/, '');
  const version = fields.get('version')?.[0] ?? '0';
  return `pypi:${name}@${version}`;
}

/** LICENSE*, LICENCE*, COPYING* and the PEP 639 licenses/ folder of a dist-info folder. */
function licenseTexts(dir: string): string[] {
  const texts: string[] = [];
  for (const path of walkFiles(dir)) {
    const rel = relative(dir, path);
    if (/^(licenses\/|(LICEN[CS]E|COPYING|NOTICE)[^/]*$)/i.test(rel)) texts.push(readOr(path) ?? '');
  }
  return texts;
}

/** Paths that stay inside the site folder (RECORD also lists ../../bin scripts). */
function inside(site: string, files: readonly string[]): string[] {
  return files.map((f) => normalize(f)).filter((f) => !f.startsWith(`..${sep}`) && f !== '..' && !f.startsWith(sep));
}

function readOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
