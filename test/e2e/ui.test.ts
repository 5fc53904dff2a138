// Inkwell as a user meets it: VS Code (code-server) in Chromium with the extension loaded from
// this repo (or the .vsix named by INKWELL_E2E_VSIX, or the folder INKWELL_E2E_EXTENSION_PATH),
// on the generated test model. Needs
// `node test/e2e/setup.mjs` and a built dist/. Screenshots: test/.cache/e2e/screenshots/.
import * as assert from 'node:assert/strict';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { FakeHub, repoFromFolder } from '../support/FakeHub';
import { smallModel } from '../support/testModels';
import { CodeServer, e2eWorkspace, repoRoot } from './support/CodeServer';
import { inkwellTestSettings } from './support/inkwellTestSettings';
import { launchBrowser, openWorkbench, screenshot } from './support/launchBrowser';
import { descendants, signal, type ProcessInfo } from './support/processTree';
import { waitForFile } from './support/waitForFile';
import { writeWatermarkedFixture } from './support/watermarkedFixture';
import { Workbench } from './support/Workbench';

const status = 'Inkwell:';
const ready = /Inkwell: ready/;
const notReady = /Inkwell: (starting|loading|error)/;
const timeouts = { activation: 60_000, modelReady: 120_000, ghostText: 30_000, ui: 20_000, settings: 10_000, generate: 60_000 };

/** Word suggestions would take Tab from the ghost text; nothing else should pop up either. */
const editorSettings = {
  'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
  'editor.suggestOnTriggerCharacters': false,
  'editor.wordBasedSuggestions': 'off',
  'editor.inlineSuggest.enabled': true,
  'editor.autoClosingBrackets': 'never',
  'editor.autoClosingQuotes': 'never',
  'files.autoSave': 'off',
  'workbench.editor.empty.hint': 'hidden',
};

/**
 * Ghost text as inserted: the rest of the cursor's line, then any further lines. The editor
 * renders control characters as their Control Pictures (U+2400 NUL .. U+241F, U+2421 DEL), which
 * a random-weights model does produce; map them back.
 */
async function ghostText(workbench: Workbench): Promise<string> {
  const editor = workbench.activeEditor;
  const inline = await editor.locator('.ghost-text-decoration').allTextContents();
  const below = await editor.locator('.ghost-text .view-line').allTextContents();
  return [inline.join(''), ...below]
    .join('\n')
    .replace(/[\u2400-\u241f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x2400))
    .replace(/\u2421/g, '\x7f');
}

/** Whitespace as the renderer shows it differs from the file's (tabs, nbsp): compare without it. */
const squashed = (text: string) => text.replace(/[\s\x00-\x1f]+/g, ' ').trim();

/** The sidecar: the process under the extension host running `dist/inkwell.js serve`. */
function findSidecar(serverPid: number): ProcessInfo {
  const tree = descendants(serverPid);
  const extensionHost = tree.find((p) => p.cmdline.includes('--type=extensionHost'));
  assert.ok(extensionHost, `no extension host under code-server:\n${tree.map((p) => `${p.pid} ${p.cmdline}`).join('\n')}`);
  const sidecars = descendants(extensionHost.pid).filter((p) => p.cmdline.includes('dist/inkwell.js serve'));
  assert.equal(sidecars.length, 1, `expected one sidecar under the extension host ${extensionHost.pid}, found ${sidecars.length}`);
  return sidecars[0];
}

describe('Inkwell in VS Code (code-server + Chromium)', { timeout: 8 * 60_000 }, () => {
  let server: CodeServer;
  let browser: BrowserContext;
  let workbench: Workbench;
  let samplePy: string;
  let failed = false;
  // "Download Model…" runs against a local server speaking the Hub's API (the real Hub cannot be
  // reached from here), into a cache of the test's own.
  let hub: FakeHub;
  let hubCache: string;
  const HUB_REPO = 'inkwell-test/small-coder';
  const SLOW_REPO = 'inkwell-test/slow-coder';
  const started = performance.now();

  /** Runs one step; on failure saves failure-<name>.png and the server log's path. */
  async function step(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      failed = true;
      if (workbench !== undefined) {
        const path = await screenshot(workbench.page, `failure-${name}`).catch(() => 'none');
        console.log(`step "${name}" failed; screenshot: ${path}; code-server log: ${server.logFile}`);
      }
      throw error;
    }
  }

  before(async () => {
    const vsix = process.env.INKWELL_E2E_VSIX;
    const extensionDevelopmentPath = process.env.INKWELL_E2E_EXTENSION_PATH ?? repoRoot;
    const repo = repoFromFolder(HUB_REPO, smallModel());
    hub = await new FakeHub([repo, { ...repo, repoId: SLOW_REPO }]).start();
    hubCache = mkdtempSync(join(tmpdir(), 'inkwell-e2e-hub-'));
    server = await CodeServer.start({
      name: 'ui',
      ...(vsix ? { vsix } : { extensionDevelopmentPath }),
      settings: { ...inkwellTestSettings(), ...editorSettings },
      env: { HF_ENDPOINT: hub.url, HF_HUB_CACHE: hubCache },
    });
    // A copy, so saving edits never touches the committed samples.
    const folder = join(server.root, 'workspace');
    cpSync(e2eWorkspace, folder, { recursive: true });
    // Before the workbench opens: quick open's file list is built from the folder early, and a
    // file copied in later was sometimes missing from it ("No matching results" on a fresh clone).
    copyFileSync(writeWatermarkedFixture(), join(folder, 'watermarked.txt'));
    samplePy = join(folder, 'sample.py');
    browser = await launchBrowser(server.root);
    await step('activation', async () => {
      const page = await openWorkbench(browser, server.workbenchUrl(folder), '#workbench\\.parts\\.statusbar', timeouts.activation);
      workbench = new Workbench(page);
      await workbench.waitFor(workbench.statusItem(status), `a status bar item "${status}" (the extension's activation)`, timeouts.activation);
    });
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    await hub?.stop();
    if (hubCache) rmSync(hubCache, { recursive: true, force: true });
    if (!failed) server?.remove();
    console.log(`UI test: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });

  it('shows the ready state in the status bar', () =>
    step('ready', () => workbench.waitForStatus(status, ready, timeouts.modelReady)));

  it('shows ghost text in sample.py; accept-word takes one word, Tab the rest', () =>
    step('ghost-text', async () => {
      await workbench.openFile('sample.py');
      await workbench.goToLine(11); // the empty line inside greet()
      // The random test model's suggestion here has several words on one line (a completion after text
      // on a line ends with that line unless it opens a block: stopAtStatementEnd).
      const typed = '    count = len(';
      await workbench.type(typed);
      try {
        await workbench.waitFor(workbench.activeEditor.locator('.ghost-text-decoration, .ghost-text'), 'ghost text (.ghost-text-decoration) after typing in sample.py', timeouts.ghostText);
      } finally {
        await screenshot(workbench.page, 'ghost-text');
      }
      const suggestion = await ghostText(workbench);
      assert.notEqual(suggestion.trim(), '', 'the ghost text is empty');
      assert.match(suggestion.trim(), /\s/, `this check needs a suggestion of two words or more, got ${JSON.stringify(suggestion)}`);
      // VS Code's accept-word key takes the first word; the rest stays as ghost text.
      await workbench.page.keyboard.press('Control+ArrowRight'); // editor.action.inlineSuggest.acceptNextWord
      await workbench.page.keyboard.press('Control+S');
      let partial = '';
      await waitForFile(samplePy, (text) => {
        partial = text.split('\n')[10]!.slice(typed.length);
        return partial.length > 0;
      }, timeouts.settings, `sample.py saved with the first word of ${JSON.stringify(suggestion)}`);
      console.log(`accept word: ${JSON.stringify(partial)} of ${JSON.stringify(suggestion)}`);
      assert.ok(squashed(suggestion).startsWith(squashed(partial)) && squashed(partial).length < squashed(suggestion).length, `accepted ${JSON.stringify(partial)}: not one word of ${JSON.stringify(suggestion)}`);
      await workbench.page.keyboard.press('Tab');
      await workbench.page.keyboard.press('Control+S');
      await waitForFile(samplePy, (text) => squashed(text).includes(squashed(typed + suggestion)), timeouts.settings,
        `sample.py saved with the accepted suggestion ${JSON.stringify(typed + suggestion)}`);
    }));

  it('writes a temperature changed in the panel to the user settings', () =>
    step('panel-settings', async () => {
      await workbench.runCommand('Inkwell: Open Panel');
      const temperature = workbench.webview().locator('input[name="temperature"]');
      await workbench.waitFor(temperature, 'input[name="temperature"] in the Inkwell panel', timeouts.ui);
      // The Creative preset turns sampling on, so temperature, top-k and top-p all take effect.
      await workbench.webview().locator('button[data-preset="Creative"]').click();
      await waitForFile(server.settingsPath, (text) => {
        const config = (JSON.parse(text) as Record<string, unknown>)['inkwell.generationConfig'] as { do_sample?: unknown } | undefined;
        return config?.do_sample === true;
      }, timeouts.settings, 'inkwell.generationConfig.do_sample = true after the Creative preset');
      await temperature.fill('0.42');
      await temperature.press('Enter');
      await waitForFile(server.settingsPath, (text) => {
        const config = (JSON.parse(text) as Record<string, unknown>)['inkwell.generationConfig'] as { temperature?: unknown } | undefined;
        return config?.temperature === 0.42;
      }, timeouts.settings, 'inkwell.generationConfig.temperature = 0.42 in the user settings.json');
      // Only the user's own choices are saved, never the model's token ids.
      const saved = (JSON.parse(readFileSync(server.settingsPath, 'utf8')) as Record<string, Record<string, unknown>>)['inkwell.generationConfig']!;
      assert.equal(saved.pad_token_id, undefined);
      assert.equal(saved.eos_token_id, undefined);
      assert.equal(saved.top_p, 0.95, 'the rest of the preset stays');
      // The chart follows the edited config: one stage per processor of the sampling pipeline.
      const chart = workbench.webview().locator('#distribution-chart');
      await workbench.waitFor(chart.filter({ hasText: 'top-p' }).filter({ hasText: 'temperature' }), 'temperature and top-p stages in #distribution-chart', timeouts.ui);
    }));

  it('streams a generation in the playground', () =>
    step('playground', async () => {
      const panel = workbench.webview();
      const prompt = panel.locator('textarea#playground-prompt');
      await workbench.waitFor(prompt, 'textarea#playground-prompt in the Inkwell panel', timeouts.ui);
      await prompt.fill('def add(a, b):\n');
      await panel.locator('#playground-generate').click();
      try {
        await workbench.waitFor(panel.locator('#playground-output').filter({ hasText: /\S/ }), 'streamed text in #playground-output', timeouts.generate);
      } finally {
        await screenshot(workbench.page, 'panel');
      }
      const speed = await panel.locator('#playground-speed').textContent({ timeout: 1_000 }).catch(() => null);
      console.log(`playground output: ${JSON.stringify(await panel.locator('#playground-output').textContent())}; speed: ${speed}`);
    }));

  it('lists each returned beam with its score in the playground', () =>
    step('playground-beams', async () => {
      const panel = workbench.webview();
      const savedConfig = () => (JSON.parse(readFileSync(server.settingsPath, 'utf8')) as Record<string, Record<string, unknown>>)['inkwell.generationConfig'] ?? {};
      const setField = async (name: string, value: string, wanted: number) => {
        const input = panel.locator(`input[name="${name}"]`);
        // The form's sections fold; open the one holding the field, as a user would.
        const section = panel.locator('details.section', { has: input });
        if ((await section.getAttribute('open')) === null) await section.locator('summary').click();
        await input.fill(value);
        await input.press('Enter');
        await waitForFile(server.settingsPath, () => (savedConfig()[name] ?? 1) === wanted, timeouts.settings, `inkwell.generationConfig.${name} = ${wanted}`);
      };
      await setField('num_beams', '3', 3);
      await setField('num_return_sequences', '2', 2);
      const output = panel.locator('#playground-output');
      await panel.locator('#playground-generate').click();
      try {
        await workbench.waitFor(output.filter({ hasText: 'sequence 2 · score' }), 'two scored beams in #playground-output', timeouts.generate);
      } finally {
        await screenshot(workbench.page, 'panel-beams');
      }
      const scores = [...((await output.textContent()) ?? '').matchAll(/score (-?[\d.]+)/g)].map((m) => Number(m[1]));
      assert.equal(scores.length, 2, `scores shown: ${scores}`);
      assert.ok(scores[0]! >= scores[1]! && scores[0]! <= 0, `best first, log-probability scale: ${scores}`);
      // Back to one sequence, one beam, for the steps after.
      await setField('num_return_sequences', '1', 1);
      await setField('num_beams', '1', 1);
    }));

  it('restarts a killed sidecar and completes again', () =>
    step('sidecar-restart', async () => {
      const killed = findSidecar(server.pid);
      signal(killed.pid, 'SIGKILL');
      // The restart may be quicker than a look at the status bar: seeing the bad state is optional.
      await workbench.waitForStatus(status, notReady, 10_000).catch(() => undefined);
      await workbench.waitForStatus(status, ready, timeouts.modelReady);
      const restarted = findSidecar(server.pid);
      assert.notEqual(restarted.pid, killed.pid, 'the sidecar that is ready is the one that was killed');

      await workbench.openFile('sample.py');
      await workbench.goToLine(readFileSync(samplePy, 'utf8').split('\n').length);
      await workbench.page.keyboard.press('End');
      await workbench.page.keyboard.press('Enter');
      await workbench.type('print(');
      try {
        await workbench.waitFor(workbench.activeEditor.locator('.ghost-text-decoration, .ghost-text'), 'ghost text after the sidecar restarted', timeouts.ghostText);
      } finally {
        await screenshot(workbench.page, 'ghost-text-after-restart');
      }
    }));

  it('colours a watermarked selection green and red and hovers a token', () =>
    step('watermark', async () => {
      await workbench.openFile('watermarked.txt');
      await workbench.page.keyboard.press('Control+A');
      await workbench.runCommand('Inkwell: Detect Watermark');
      const verdict = workbench.page.locator('.notifications-toasts .notification-toast').filter({ hasText: 'Inkwell: watermarked' });
      await workbench.waitFor(verdict, 'the notification "Inkwell: watermarked — z = …"', timeouts.generate);
      // Decoration types render as ced-<key>-<n> classes in the editor's overlay layer.
      const decorated = workbench.activeEditor.locator('.view-overlays [class*="ced-"]');
      await workbench.waitFor(decorated, 'green and red token decorations', timeouts.ui);
      await workbench.page.keyboard.press('Control+Home'); // drop the selection, which would cover the colours
      const hover = workbench.page.locator('.monaco-hover').filter({ hasText: 'Inkwell watermark' });
      try {
        // A hover needs the pointer to arrive over a token after the editor settled: try a few
        // decorated tokens, moving away in between, before giving up.
        let shown = false;
        for (let attempt = 0; attempt < 5 && !shown; attempt++) {
          const boxes = (await Promise.all((await decorated.all()).map((d) => d.boundingBox()))).filter((b) => b !== null && b.width > 20);
          assert.ok(boxes.length > 0, 'no decorated token wide enough to hover');
          const box = boxes[attempt % boxes.length]!;
          await workbench.page.mouse.move(5, 5);
          await workbench.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
          shown = await hover.first().waitFor({ state: 'visible', timeout: 4_000 }).then(() => true, () => false);
        }
        assert.ok(shown, 'the hover "Inkwell watermark: token … is green/red" never appeared over a decorated token (5 tries)');
      } finally {
        await screenshot(workbench.page, 'watermark');
      }
    }));

  it('downloads a model from the Hub: the picker, progress with Cancel (the partial file stays), then Use This Model and Select Model', () =>
    step('download-model', async () => {
      const { page } = workbench;
      const q4 = repoFromFolder(SLOW_REPO, smallModel()).files.find((f) => f.path === 'onnx/model_q4.onnx')!;
      // The slow repo's graph stops after 64 KB and hangs there until the test lets go.
      hub.addFault({ match: new RegExp(`^GET /cdn/${q4.lfs!.sha256}`), stallAfterBytes: 64_000 });

      await workbench.runCommandToPick('Inkwell: Download Model…', 'onnx-community/Qwen2.5-Coder-0.5B-Instruct', timeouts.ui);
      await screenshot(page, 'download-pick');
      await workbench.quickInputRow('Enter a repo id').click();
      await workbench.waitFor(page.locator('.quick-input-widget').filter({ hasText: 'A Hub repo id' }), 'the repo id input box', timeouts.ui);
      await workbench.quickInputSubmit(SLOW_REPO);
      const q4Row = workbench.quickInputRow('q4');
      await workbench.waitFor(q4Row.filter({ hasText: /\d+(\.\d)? (KB|MB)/ }), 'the dtype pick with each size', timeouts.generate);
      await screenshot(page, 'download-dtypes');
      await q4Row.click();

      const progress = workbench.notification(`Downloading ${SLOW_REPO} (q4)`);
      await workbench.waitFor(progress, 'the download progress notification', timeouts.generate);
      // Cancel once the graph is being written (it stalls at 64 KB): on a busy machine the small
      // files before it took longer than a fixed second, and Cancel then came before any blob.
      const blobs = join(hubCache, `models--${SLOW_REPO.replace('/', '--')}`, 'blobs');
      const partial = join(blobs, `${q4.lfs!.sha256}.incomplete`);
      for (const deadline = performance.now() + timeouts.generate; !existsSync(partial); await page.waitForTimeout(100)) {
        assert.ok(performance.now() < deadline, `the graph's partial file ${partial} within ${timeouts.generate} ms of the progress notification`);
      }
      await screenshot(page, 'download-progress');
      await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
      await workbench.waitFor(workbench.notification('was cancelled'), 'the notification that the download was cancelled', timeouts.ui);
      await screenshot(page, 'download-cancelled');
      assert.ok(existsSync(partial), `the partial file is kept for resume (blobs: ${existsSync(blobs) ? readdirSync(blobs).join(', ') : 'none'})`);
      hub.dropStalled();

      await workbench.runCommandToPick('Inkwell: Download Model…', 'Enter a repo id', timeouts.ui);
      await workbench.quickInputRow('Enter a repo id').click();
      await workbench.waitFor(page.locator('.quick-input-widget').filter({ hasText: 'A Hub repo id' }), 'the repo id input box', timeouts.ui);
      await workbench.quickInputSubmit(HUB_REPO);
      await workbench.waitFor(workbench.quickInputRow('q4'), 'the dtype pick', timeouts.generate);
      await workbench.quickInputRow('q4').click();
      const finished = workbench.notification(`${HUB_REPO} (q4) is downloaded`);
      await workbench.waitFor(finished, 'the notification that the download finished', timeouts.generate);
      await finished.locator('.monaco-button', { hasText: 'Use This Model' }).click();
      await waitForFile(server.settingsPath, (text) => (JSON.parse(text) as Record<string, unknown>)['inkwell.modelFolder'] === HUB_REPO, timeouts.settings, `inkwell.modelFolder = ${HUB_REPO}`);
      await workbench.waitForStatus(status, ready, timeouts.modelReady);

      await workbench.runCommandToPick('Inkwell: Select Model…', HUB_REPO, timeouts.ui);
      const listed = workbench.quickInputRow(HUB_REPO);
      await screenshot(page, 'select-model');
      assert.match((await listed.textContent()) ?? '', /q4/);
      await page.keyboard.press('Escape');
    }));
});

