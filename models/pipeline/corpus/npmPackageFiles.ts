import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { languageOf, type CandidateFile } from './CandidateFile';
import { npmPackageLicense } from './npmPackageLicense';
import { walkFiles } from './walkFiles';

/**
 * Source files of every package in a node_modules folder, nested node_modules included, each
 * under its own package's license. Only the package.json at a package's root counts: inner ones
 * (`esm/package.json` with just `"type"`) do not start a new package.
 */
export function* npmPackageFiles(nodeModules: string): Generator<CandidateFile> {
  for (const dir of packageDirs(nodeModules)) yield* packageFiles(dir);
}

function packageDirs(nodeModules: string): string[] {
  const dirs: string[] = [];
  let names: string[];
  try {
    names = readdirSync(nodeModules).sort();
  } catch {
    return dirs;
  }
  for (const name of names) {
    if (name.startsWith('.')) continue; // .bin, .package-lock.json, .cache
    const path = join(nodeModules, name);
    if (name.startsWith('@')) {
      try {
        for (const scoped of readdirSync(path).sort()) dirs.push(join(path, scoped));
      } catch {
        // a file named @something: not a scope
      }
    } else {
      dirs.push(path);
    }
  }
  return dirs;
}

function* packageFiles(dir: string): Generator<CandidateFile> {
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return; // not a package (or a broken one): no license to go by
  }
  const name = typeof pkg.name === 'string' ? pkg.name : dir;
  const version = typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  const license = npmPackageLicense(pkg);
  const nested: string[] = [];
  const skip = (entry: string, path: string): boolean => {
    if (entry === 'node_modules') nested.push(path);
    return entry === 'node_modules' || entry === '.git';
  };
  for (const path of walkFiles(dir, skip)) {
    const language = languageOf(path);
    if (language === undefined) continue;
    yield { path, origin: `npm:${name}@${version}`, license: license.spdx, declaredLicense: license.declared, language };
  }
  for (const inner of nested) yield* npmPackageFiles(inner);
}
