// Runs the mocha suites of test/e2e/host/ inside a real VS Code extension host (code-server's),
// with the extension loaded from this repo (or INKWELL_E2E_EXTENSION_PATH) as a development
// extension. INKWELL_E2E_GREP narrows the run to matching tests. Needs
// `node test/e2e/setup.mjs` and a built dist/ (`node sidecar/build.mjs`).
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { format } from 'node:util';
import { buildHostTests } from './support/buildHostTests';
import { CodeServer, e2eWorkspace, repoRoot } from './support/CodeServer';
import { inkwellTestSettings } from './support/inkwellTestSettings';
import { reportPrefix } from './host/PlainReporter';
import { launchBrowser } from './support/launchBrowser';
import { watermarkedFileEnv, writeWatermarkedFixture } from './support/watermarkedFixture';
import { withTimeout } from './support/withTimeout';

const runTimeoutMs = 180_000;

interface AutomationLogFile {
  relativePath: string;
  contents: string;
}

test('in-host mocha suites pass in the extension host of code-server', { timeout: runTimeoutMs + 60_000 }, async () => {
  const started = performance.now();
  const extensionTestsPath = await buildHostTests();
  const server = await CodeServer.start({
    name: 'host',
    extensionDevelopmentPath: process.env.INKWELL_E2E_EXTENSION_PATH ?? repoRoot,
    settings: inkwellTestSettings(),
    env: { [watermarkedFileEnv]: writeWatermarkedFixture() },
  });
  const browser = await launchBrowser(server.root);
  const mochaLines: string[] = [];
  const workbenchLog: string[] = [];
  let exitCode: number | undefined;
  try {
    const page = await browser.newPage();
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number, _logs: AutomationLogFile[]) => resolve(code));
    });
    // The workbench's log, the extension host's console included, comes through here.
    // A console call arrives as its argument list.
    await page.exposeFunction('codeAutomationLog', (level: string, args: unknown[] | string) => {
      const text = Array.isArray(args) ? format(...args) : String(args);
      if (text.startsWith(reportPrefix)) mochaLines.push(text.slice(reportPrefix.length));
      else workbenchLog.push(`[${level}] ${text}`);
    });
    await page.goto(server.workbenchUrl(e2eWorkspace, { extensionTestsPath }));
    exitCode = await withTimeout(exited, runTimeoutMs, 'mocha run() in the extension host to finish (codeAutomationExit)');
    assert.ok(mochaLines.length > 0, 'the extension host exited without any mocha output');
    assert.equal(exitCode, 0, `in-host tests failed (exit code ${exitCode}); mocha's output is printed above`);
  } finally {
    console.log(mochaLines.join('\n'));
    if (exitCode !== 0) {
      if (mochaLines.length === 0) console.log(workbenchLog.join('\n'));
      console.log(`code-server log: ${server.logFile}`);
    }
    console.log(`in-host run: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await browser.close();
    await server.stop();
    if (exitCode === 0) server.remove(); // a failed run keeps its folder: logs, settings, profile
  }
});
