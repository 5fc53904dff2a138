// Runs inside the extension host: Inkwell's commands and settings through the real vscode API,
// against the real sidecar the extension started.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';

const section = () => vscode.workspace.getConfiguration('inkwell');

/** Resolves once `inkwell.<key>` satisfies `ok` (settings writes land asynchronously). */
async function settingBecomes(key: string, ok: (value: unknown) => boolean, what: string): Promise<void> {
  if (ok(section().get(key))) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for inkwell.${key}: ${what} (it is ${JSON.stringify(section().get(key))})`));
    }, 20_000);
    const sub = vscode.workspace.onDidChangeConfiguration(() => {
      if (!ok(section().get(key))) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

describe('commands', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'inkwell-host-'));
  let original: unknown;

  before(async () => {
    await vscode.extensions.getExtension('inkwell-dev.inkwell')!.activate();
    original = section().get('generationConfig');
  });

  after(async () => {
    await section().update('generationConfig', original, vscode.ConfigurationTarget.Global);
    await section().update('completions.enabled', undefined, vscode.ConfigurationTarget.Global);
  });

  it('Export Generation Config writes the effective config as JSON', async () => {
    const file = vscode.Uri.file(join(scratch, 'exported.json'));
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('inkwell.exportGenerationConfig', file);
    assert.equal(written?.fsPath, file.fsPath);
    const json = JSON.parse(readFileSync(file.fsPath, 'utf8')) as Record<string, unknown>;
    assert.equal(json.max_new_tokens, 16, 'the test settings ask for 16 new tokens');
  });

  it('Import Generation Config applies a valid file to the settings', async () => {
    const file = join(scratch, 'creative.json');
    writeFileSync(file, JSON.stringify({ do_sample: true, temperature: 0.8, top_p: 0.9, max_new_tokens: 16 }));
    const imported = await vscode.commands.executeCommand<boolean>('inkwell.importGenerationConfig', vscode.Uri.file(file));
    assert.equal(imported, true);
    await settingBecomes('generationConfig', (v) => (v as { temperature?: number } | undefined)?.temperature === 0.8, 'temperature 0.8');
    assert.equal((section().get('generationConfig') as { top_p?: number }).top_p, 0.9);
  });

  it('Import Generation Config refuses an invalid file and leaves the settings untouched', async () => {
    const before = JSON.stringify(section().get('generationConfig'));
    const file = join(scratch, 'bad.json');
    writeFileSync(file, JSON.stringify({ do_sample: true, top_p: 5 }));
    const imported = await vscode.commands.executeCommand<boolean>('inkwell.importGenerationConfig', vscode.Uri.file(file));
    assert.equal(imported, false);
    writeFileSync(join(scratch, 'broken.json'), '{ "temperature": ');
    assert.equal(await vscode.commands.executeCommand<boolean>('inkwell.importGenerationConfig', vscode.Uri.file(join(scratch, 'broken.json'))), false);
    assert.equal(JSON.stringify(section().get('generationConfig')), before);
  });

  it('Toggle Completions flips inkwell.completions.enabled', async () => {
    const was = section().get<boolean>('completions.enabled');
    await vscode.commands.executeCommand('inkwell.toggleCompletions');
    await settingBecomes('completions.enabled', (v) => v === !was, `${!was}`);
    await vscode.commands.executeCommand('inkwell.toggleCompletions');
    await settingBecomes('completions.enabled', (v) => v === was, `${was}`);
  });
});
