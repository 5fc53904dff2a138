import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { e2eCacheDir, repoRoot } from './CodeServer';

const hostDir = join(repoRoot, 'test', 'e2e', 'host');
export const hostTestsOutDir = join(e2eCacheDir, 'host');

/**
 * Bundles test/e2e/host/index.ts and each *.host.ts into test/.cache/e2e/host/ and returns the
 * path of index.js, the extensionTestsPath. `vscode` stays external (the extension host provides
 * it); so does mocha, which Node resolves from the repo's node_modules because the output lies
 * inside the repo.
 */
export async function buildHostTests(): Promise<string> {
  const suites = readdirSync(hostDir).filter((name) => name.endsWith('.host.ts'));
  // index.js runs every *.host.js it finds, so a deleted suite must not linger from a past build.
  rmSync(hostTestsOutDir, { recursive: true, force: true });
  await build({
    absWorkingDir: repoRoot,
    entryPoints: ['index.ts', ...suites].map((name) => join(hostDir, name)),
    outdir: hostTestsOutDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return join(hostTestsOutDir, 'index.js');
}
