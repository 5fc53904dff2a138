// What `npm start` shows a new user: the extension with no model setting, so the bundled default
// (models/default, the trained code model), completing code in sample.py. Needs
// `node test/e2e/setup.mjs` and a built dist/. Screenshot: test/.cache/e2e/screenshots/ghost-text-default.png.
import * as assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { CodeServer, e2eWorkspace, repoRoot } from './support/CodeServer';
import { launchBrowser, openWorkbench, screenshot } from './support/launchBrowser';
import { Workbench } from './support/Workbench';

const status = 'Inkwell:';
const timeouts = { activation: 60_000, modelReady: 120_000, ghostText: 30_000 };

describe('the bundled default model in VS Code', { timeout: 5 * 60_000 }, () => {
  let server: CodeServer;
  let browser: BrowserContext;
  let workbench: Workbench;
  let failed = false;

  before(async () => {
    server = await CodeServer.start({
      name: 'default-model',
      extensionDevelopmentPath: process.env.INKWELL_E2E_EXTENSION_PATH ?? repoRoot,
      // No inkwell.modelFolder: the bundled default. Only what keeps other pop-ups off Tab.
      settings: {
        'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
        'editor.suggestOnTriggerCharacters': false,
        'editor.wordBasedSuggestions': 'off',
        'editor.inlineSuggest.enabled': true,
        'workbench.editor.empty.hint': 'hidden',
      },
    });
    const folder = join(server.root, 'workspace');
    cpSync(e2eWorkspace, folder, { recursive: true });
    browser = await launchBrowser(server.root);
    const page = await openWorkbench(browser, server.workbenchUrl(folder), '#workbench\\.parts\\.statusbar', timeouts.activation);
    workbench = new Workbench(page);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (!failed) server?.remove();
  });

  it('loads models/default and shows ghost text in sample.py', async () => {
    try {
      await workbench.waitForStatus(status, /Inkwell: ready/, timeouts.modelReady);
      await workbench.openFile('sample.py');
      await workbench.goToLine(11); // the empty line inside greet()
      await workbench.type('    message = message + ');
      await workbench.waitFor(workbench.activeEditor.locator('.ghost-text-decoration, .ghost-text'), 'ghost text after typing in sample.py', timeouts.ghostText);
      const inline = (await workbench.activeEditor.locator('.ghost-text-decoration').allTextContents()).join('');
      console.log(`default model ghost text: ${JSON.stringify(inline)}`);
      assert.notEqual(inline.trim(), '', 'the ghost text is empty');
      // Shaped output: printable text, no control characters (the editor shows them as U+2400…).
      assert.doesNotMatch(inline, /[\u2400-\u2421\ufffd]/);
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      if (workbench !== undefined) await screenshot(workbench.page, 'ghost-text-default');
    }
  });
});
