import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { workPaths } from '../workPaths';

export const fetchCorpusUsage = `fetch-corpus [--work DIR]
    Installs the pinned extra npm packages of corpus/npmCorpus (package.json + package-lock.json:
    TypeScript-heavy, permissively licensed) into WORK/npm-corpus with --ignore-scripts; the corpus
    stage reads them as one more npm root.`;

export async function fetchCorpusCommand(argv: readonly string[], signal: AbortSignal): Promise<void> {
  const { values } = parseArgs({ args: [...argv], options: { work: { type: 'string' } } });
  const target = join(workPaths(values.work).root, 'npm-corpus');
  mkdirSync(target, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(join(__dirname, 'npmCorpus', file), join(target, file));
  // No install scripts: these packages are read as text, never run.
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--engine-strict=false'], { cwd: target, stdio: 'inherit', signal });
  if (result.status !== 0) throw new InkwellError('invalid-argument', `npm ci in ${target} failed (exit ${result.status ?? result.signal})`, { details: { field: 'npm-corpus' } });
}
