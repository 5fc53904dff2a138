// Runs the same in-host suites under desktop VS Code through @vscode/test-electron, for a machine
// that has (or can download) VS Code and a display (on a headless Linux box: `xvfb-run -a`):
//
//   node --import tsx test/e2e/host/runWithElectron.ts
//
// INKWELL_VSCODE_PATH picks an installed VS Code binary; otherwise test-electron downloads
// INKWELL_VSCODE_VERSION (default 1.100.3, the VS Code inside the code-server the e2e tests use).
// It cannot run on this project's machines: they reach no VS Code download, so there the suites
// run through code-server instead (test/e2e/extensionHost.test.ts).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildHostTests } from '../support/buildHostTests';
import { e2eCacheDir, e2eWorkspace, repoRoot } from '../support/CodeServer';
import { inkwellTestSettings } from '../support/inkwellTestSettings';
import { writeUserSettings } from '../support/userSettings';

async function main(): Promise<number> {
  const extensionTestsPath = await buildHostTests();
  mkdirSync(join(e2eCacheDir, 'runs'), { recursive: true });
  const root = mkdtempSync(join(e2eCacheDir, 'runs', 'electron-'));
  const userDataDir = join(root, 'data');
  writeUserSettings(userDataDir, inkwellTestSettings());
  const executable = process.env.INKWELL_VSCODE_PATH;
  return runTests({
    ...(executable ? { vscodeExecutablePath: executable } : { version: process.env.INKWELL_VSCODE_VERSION ?? '1.100.3' }),
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath,
    launchArgs: [e2eWorkspace, '--user-data-dir', userDataDir, '--extensions-dir', join(root, 'extensions'), '--disable-extensions'],
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('in-host tests under desktop VS Code failed:', error);
    process.exit(1);
  },
);
