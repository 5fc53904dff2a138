// The extension host's test entry (extensionTestsPath): runs every *.host.js suite bundled beside
// this file with mocha, inside the real extension host with the real `vscode` API. Built by
// test/e2e/support/buildHostTests.ts; driven through code-server by test/e2e/extensionHost.test.ts
// and through desktop VS Code by test/e2e/host/runWithElectron.ts.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { PlainReporter } from './PlainReporter';

/** Called by the extension host; rejects when any test fails, which makes VS Code exit non-zero. */
export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: PlainReporter,
    color: false,
    timeout: 60_000,
    // INKWELL_E2E_GREP narrows the run to matching tests (it reaches the extension host's env).
    ...(process.env.INKWELL_E2E_GREP ? { grep: process.env.INKWELL_E2E_GREP } : {}),
  });
  for (const name of readdirSync(__dirname).filter((n) => n.endsWith('.host.js')).sort()) {
    mocha.addFile(join(__dirname, name));
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} in-host test(s) failed`);
}
