import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeModel, type MakeModelOptions } from '../../../../sidecar/builder/makeModel';
import { fakeTokenizer } from './fakeTokenizer';

const REPO = path.resolve(__dirname, '../../../..');
const BUILDER = path.join(REPO, 'sidecar/builder');
const CACHE = path.join(REPO, 'test/.cache/builder');

/** Hash of the builder's sources (the tokenizer excluded): a changed graph writer invalidates cached models. */
function sourceHash(): string {
  const hash = crypto.createHash('sha256');
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'tokenizer') visit(full);
      else if (entry.isFile() && entry.name.endsWith('.ts')) hash.update(full).update(fs.readFileSync(full));
    }
  };
  visit(BUILDER);
  return hash.digest('hex').slice(0, 16);
}

let builderHash: string | undefined;

export type TestModelOptions = Omit<MakeModelOptions, 'dir' | 'tokenizer' | 'specialTokens' | 'weights'>;

/**
 * A model folder under test/.cache/builder/<hash of options and builder sources>/, built on first
 * use. Built in a temporary folder and renamed, so parallel test files never see half a model.
 */
export function cachedModel(options: TestModelOptions): string {
  builderHash ??= sourceHash();
  const key = crypto.createHash('sha256').update(JSON.stringify(options)).update(builderHash).digest('hex').slice(0, 16);
  const dir = path.join(CACHE, key);
  if (fs.existsSync(path.join(dir, 'config.json'))) return dir;
  const temp = `${dir}.${process.pid}.building`;
  fs.rmSync(temp, { recursive: true, force: true });
  const tokenizer = fakeTokenizer();
  makeModel({ ...options, dir: temp, tokenizer, specialTokens: { bos: 1, eos: 2, pad: 0 } });
  try {
    fs.renameSync(temp, dir);
  } catch (error) {
    if (!fs.existsSync(path.join(dir, 'config.json'))) throw error;
    fs.rmSync(temp, { recursive: true, force: true }); // another test process won the race
  }
  return dir;
}
