// Runs inside the extension host: "Inkwell: Detect Watermark" against the real sidecar and the
// e2e model. The watermarked text was sampled by extensionHost.test.ts with the CLI (same model,
// the scheme's default key) and its path arrives as INKWELL_E2E_WATERMARKED_FILE.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { reportPrefix } from './PlainReporter';

/** The shape of the command's result (extension/watermark/detectWatermarkCommand.ts). */
interface WatermarkDetection {
  readonly result: {
    readonly verdict: 'watermarked' | 'not-watermarked' | 'too-short';
    readonly scored: number;
    readonly green: number;
    readonly z: number;
    readonly p: number;
    readonly tokens: readonly { readonly start: number; readonly end: number; readonly status: 'green' | 'red' | 'unscored' | 'repeated' }[];
    readonly detectMs: number;
  };
  readonly baseOffset: number;
  readonly highlights: { readonly document: vscode.Uri | undefined; readonly counts: { readonly green: number; readonly red: number } };
}

async function detect(options?: { ignoreRepeatedNgrams: boolean }): Promise<WatermarkDetection> {
  const detection = await vscode.commands.executeCommand<WatermarkDetection | undefined>('inkwell.detectWatermark', options);
  assert.ok(detection, 'inkwell.detectWatermark returned nothing (see the error notification / Inkwell log)');
  return detection;
}

function countOf(detection: WatermarkDetection, status: 'green' | 'red'): number {
  return detection.result.tokens.filter((t) => t.status === status).length;
}

async function hoverText(document: vscode.TextDocument, offset: number): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(offset));
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

let untitledCount = 0;

/**
 * Opens a new untitled editor holding `content`. `openTextDocument({ content })` names it
 * Untitled-N, and right after the previous test reverted and closed its Untitled-1 the extension
 * host has once handed back that closing document (682 characters instead of 100,000): a name of
 * our own is never reused, and the content goes in by an edit we wait for.
 */
async function showUntitled(content: string): Promise<vscode.TextEditor> {
  const uri = vscode.Uri.parse(`untitled:inkwell-e2e-${process.pid}-${++untitledCount}.txt`);
  const document = await vscode.workspace.openTextDocument(uri);
  assert.equal(document.getText(), '', `${uri.toString()} is new`);
  const editor = await vscode.window.showTextDocument(document);
  assert.equal(editor.document, document);
  await edit(document, content);
  assert.equal(document.getText().length, content.length);
  return editor;
}

/** Inserts `text` at the start (onDidChangeTextDocument fires before applyEdit resolves). */
async function edit(document: vscode.TextDocument, text: string): Promise<void> {
  const change = new vscode.WorkspaceEdit();
  change.insert(document.uri, new vscode.Position(0, 0), text);
  assert.equal(await vscode.workspace.applyEdit(change), true);
}

/** 100,000 characters of code-like lines from a seeded generator: few repeated n-grams, so most tokens are scored. */
function largeText(length: number): string {
  let state = 12345;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
  const words = ['const', 'value', 'index', 'return', 'await', 'items', 'result', 'node', 'count', 'map', 'filter', 'reduce', 'length', 'push'];
  const lines: string[] = [];
  let size = 0;
  while (size < length) {
    const line = `  ${words[next() % words.length]}${next() % 1000} = ${words[next() % words.length]}(${next() % 97}, "${(next() % 65536).toString(36)}");`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join('\n').slice(0, length);
}

describe('watermark', () => {
  const watermarkedFile = process.env.INKWELL_E2E_WATERMARKED_FILE;

  before(async function () {
    // Loading the model can take a while on a cold machine; the command waits for it.
    this.timeout(120_000);
    await vscode.extensions.getExtension('inkwell-dev.inkwell')!.activate();
    assert.ok(watermarkedFile, 'INKWELL_E2E_WATERMARKED_FILE is not set (extensionHost.test.ts writes the fixture)');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('contributes "Inkwell: Detect Watermark" and "Inkwell: Clear Watermark Highlights"', async () => {
    const contributed: { command: string; title: string; category?: string }[] = vscode.extensions.getExtension('inkwell-dev.inkwell')!.packageJSON.contributes.commands;
    const title = (id: string) => contributed.filter((c) => c.command === id).map((c) => `${c.category}: ${c.title}`)[0];
    assert.equal(title('inkwell.detectWatermark'), 'Inkwell: Detect Watermark');
    assert.equal(title('inkwell.clearWatermarkHighlights'), 'Inkwell: Clear Watermark Highlights');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has('inkwell.detectWatermark') && registered.has('inkwell.clearWatermarkHighlights'));
  });

  it('finds the mark in generated text (whole document), colours every scored token, and hovers tell their status', async function () {
    this.timeout(120_000);
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(watermarkedFile!));
    const { document } = editor;
    const detection = await detect();
    const { result, highlights } = detection;
    assert.equal(result.verdict, 'watermarked', `z = ${result.z}, ${result.green} of ${result.scored} green`);
    assert.ok(result.z >= 4 && result.p < 1e-4);
    assert.equal(detection.baseOffset, 0, 'an empty selection scores the whole document');
    assert.equal(highlights.document?.toString(), document.uri.toString());
    assert.deepEqual(highlights.counts, { green: countOf(detection, 'green'), red: countOf(detection, 'red') });
    // A scored token that is a piece of one character (the sampled text has U+FFFD and other
    // multi-byte characters) has no characters of its own: the token that completes the
    // character carries its span. So: at most one decoration per scored token, and exactly one
    // in ASCII text (below).
    assert.ok(highlights.counts.green + highlights.counts.red <= result.scored);
    assert.ok(highlights.counts.green + highlights.counts.red >= result.scored * 0.75, `${highlights.counts.green + highlights.counts.red} decorations, ${result.scored} scored`);

    const green = result.tokens.find((t) => t.status === 'green')!;
    const red = result.tokens.find((t) => t.status === 'red')!;
    const greenHover = await hoverText(document, green.start);
    assert.match(greenHover, /green/);
    assert.match(greenHover, /scored/);
    assert.match(await hoverText(document, red.start), /red.*scored/s);
    const first = result.tokens[0]!;
    assert.equal(first.status, 'unscored', 'the first token has no context');
    assert.match(await hoverText(document, first.start), /skipped/);

    await vscode.commands.executeCommand('inkwell.clearWatermarkHighlights');
    assert.deepEqual(highlights.counts, { green: 0, red: 0 });
    assert.equal(highlights.document, undefined);
    assert.equal(await hoverText(document, green.start), '', 'no hover once cleared');
  });

  it('does not find the mark in plain source (sample.ts)', async function () {
    this.timeout(60_000);
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, 'sample.ts'));
    const detection = await detect();
    const { result, highlights } = detection;
    assert.notEqual(result.verdict, 'watermarked', `z = ${result.z}`);
    assert.ok(result.z < 4);
    assert.equal(highlights.counts.green + highlights.counts.red, result.scored, 'ASCII text: one decoration per scored token');
    assert.equal(highlights.counts.green, result.green);
  });

  it('scores only the selection and maps its spans through the selection start; an edit clears the colours', async function () {
    this.timeout(60_000);
    const prefix = 'function plain(a: number): number {\n  return a + 1;\n}\n\n';
    const watermarked = readFileSync(watermarkedFile!, 'utf8');
    const editor = await showUntitled(prefix + watermarked);
    const { document } = editor;
    editor.selection = new vscode.Selection(document.positionAt(prefix.length), document.positionAt(document.getText().length));
    const detection = await detect();
    assert.equal(detection.baseOffset, prefix.length);
    assert.equal(detection.result.verdict, 'watermarked');
    assert.deepEqual(detection.highlights.counts, { green: countOf(detection, 'green'), red: countOf(detection, 'red') });
    const green = detection.result.tokens.find((t) => t.status === 'green')!;
    assert.match(await hoverText(document, prefix.length + green.start), /green/);
    assert.equal(await hoverText(document, 5), '', 'no hover outside the scored text');

    await edit(document, '// edited\n');
    assert.deepEqual(detection.highlights.counts, { green: 0, red: 0 }, 'an edit clears the highlights');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('scores 100,000 characters without blocking the extension host (times logged)', async function () {
    this.timeout(120_000);
    const editor = await showUntitled(largeText(100_000));
    assert.equal(editor.document.getText().length, 100_000);
    // Repeats counted once (the default) and every token scored: the most decorations there can be.
    for (const options of [undefined, { ignoreRepeatedNgrams: false }]) {
      // A timer cannot fire while the host is busy: its longest gap is the longest stall.
      let longestGapMs = 0;
      let last = performance.now();
      const ticker = setInterval(() => {
        const now = performance.now();
        longestGapMs = Math.max(longestGapMs, now - last);
        last = now;
      }, 10);
      const started = performance.now();
      const detection = await detect(options);
      const totalMs = performance.now() - started;
      clearInterval(ticker);
      const { result, highlights } = detection;
      assert.deepEqual(highlights.counts, { green: countOf(detection, 'green'), red: countOf(detection, 'red') });
      assert.equal(highlights.counts.green + highlights.counts.red, result.scored, 'ASCII text: one decoration per scored token');
      console.log(
        `${reportPrefix}    [watermark] 100,000 characters, ${options ? 'every repeat scored' : 'repeats once'}: ${result.tokens.length} tokens, ` +
          `${result.scored} scored → ${highlights.counts.green} green + ${highlights.counts.red} red decorations; command ${totalMs.toFixed(0)} ms ` +
          `(sidecar scoring ${result.detectMs.toFixed(0)} ms); longest extension-host stall ${longestGapMs.toFixed(0)} ms; ${result.verdict}, z = ${result.z.toFixed(2)}`,
      );
    }
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
