import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { smallModel } from '../../support/testModels';

const cli = join(__dirname, '..', '..', '..', 'dist', 'inkwell.js');
const scratch = mkdtempSync(join(tmpdir(), 'inkwell-privacy-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/**
 * Nothing is written outside the paths Inkwell chooses: a generation and an inspection through the real CLI
 * (the model in a worker thread and on the main thread), with HOME, XDG folders and TMPDIR pointed at
 * empty folders and without ORT_DISABLE_TELEMETRY in its environment (the test runner sets it;
 * the product must set it itself), leaves them empty. Before the fix onnxruntime wrote
 * mat-debug-<pid>.log into TMPDIR and ~/.cache/Microsoft/DeveloperTools/.onnxruntime/{deviceid,onnxruntime.db}.
 */
describe('privacy: no files outside our paths', () => {
  const commands: Record<string, string[]> = {
    // The model in a worker thread, as the sidecar runs it.
    generate: ['generate', '--model', smallModel(), '--prompt', 'def f(x):', '--set', 'max_new_tokens=4', '--device', 'cpu'],
    // The model on the main thread.
    inspect: ['inspect', '--model', smallModel()],
  };
  for (const [name, command] of Object.entries(commands)) {
    it(`inkwell ${name} writes nothing to HOME, XDG folders or TMPDIR`, () => {
      const root = join(scratch, name);
      const dirs = { HOME: join(root, 'home'), TMPDIR: join(root, 'tmp'), XDG_CACHE_HOME: join(root, 'cache'), XDG_CONFIG_HOME: join(root, 'config'), XDG_DATA_HOME: join(root, 'data') };
      for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
      const env: NodeJS.ProcessEnv = { ...process.env, ...dirs };
      delete env.ORT_DISABLE_TELEMETRY;
      const r = spawnSync(process.execPath, [cli, ...command], { encoding: 'utf8', env, timeout: 120_000 });
      assert.equal(r.status, 0, r.stderr);
      for (const [name, dir] of Object.entries(dirs)) assert.deepEqual(filesUnder(dir), [], `${name} (${dir})`);
    });
  }
});
