import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeSettings, DEFAULT_SETTINGS } from '../../../extension/settings/InkwellSettings';
import { MODEL_PATH_SETTINGS, modelPathValue, type InspectedSetting } from '../../../extension/settings/modelPathValue';

// A workspace could set inkwell.modelFolder (no setting scope, no
// untrustedWorkspaces declaration), so opening a cloned repository made Inkwell load and run that
// repository's model files. The extension now takes a model path from the workspace only when the
// workspace is trusted, and leaves a note naming what it ignored.

/** decodeSettings as SettingsStore.read drives it, over inspect() results per key. */
function settingsFor(inspected: Record<string, InspectedSetting>, trusted: boolean, folders: readonly string[] = []) {
  const notes: string[] = [];
  const { settings } = decodeSettings((key) => {
    if (!MODEL_PATH_SETTINGS.includes(key)) return undefined;
    const chosen = modelPathValue(key, inspected[key], { trusted, workspaceFolder: '/work/repo', exists: (p) => folders.includes(p) });
    if (chosen.ignored) notes.push(chosen.ignored);
    return chosen.value;
  });
  return { settings, notes };
}

describe('modelPathValue: which model folder a workspace may choose', () => {
  const cloned = { modelFolder: { workspaceValue: '/tmp/evil-repo/model' }, assistantModelFolder: { workspaceFolderValue: './drafts' } };

  it('in an untrusted workspace, a workspace value is ignored and a note says which and why', () => {
    const { settings, notes } = settingsFor(cloned, false);
    assert.equal(settings.modelFolder, DEFAULT_SETTINGS.modelFolder);
    assert.equal(settings.assistantModelFolder, DEFAULT_SETTINGS.assistantModelFolder);
    assert.equal(notes.length, 2);
    assert.match(notes[0]!, /^inkwell\.modelFolder "\/tmp\/evil-repo\/model" from this workspace's settings is ignored because this workspace is not trusted/);
    assert.match(notes[0]!, /Using the default\. Trust the workspace to use it\.$/);
    assert.match(notes[1]!, /^inkwell\.assistantModelFolder "\.\/drafts" from this workspace's settings is ignored/);
  });

  it("in an untrusted workspace, the user's own absolute path or Hub id is used", () => {
    const { settings, notes } = settingsFor({ modelFolder: { globalValue: '/models/coder', workspaceValue: '/tmp/evil-repo/model' }, assistantModelFolder: { globalValue: 'onnx-community/tiny' } }, false);
    assert.equal(settings.modelFolder, '/models/coder');
    assert.equal(settings.assistantModelFolder, 'onnx-community/tiny');
    assert.deepEqual(notes.map((n) => /Using your user setting "\/models\/coder"/.test(n)), [true]);
  });

  it("in an untrusted workspace, the user's relative path is not used either: it would be read from the workspace", () => {
    const { settings, notes } = settingsFor({ modelFolder: { globalValue: './models/coder' } }, false);
    assert.equal(settings.modelFolder, '');
    assert.match(notes[0]!, /^inkwell\.modelFolder: your relative path "\.\/models\/coder" would be read from the workspace; it is ignored because this workspace is not trusted/);
  });

  it('in an untrusted workspace, a Hub model id is used unless the workspace has a folder of that name', () => {
    assert.equal(settingsFor({ modelFolder: { globalValue: 'onnx-community/tiny@main' } }, false).settings.modelFolder, 'onnx-community/tiny@main');
    const shadowed = settingsFor({ modelFolder: { globalValue: 'onnx-community/tiny@main' } }, false, ['/work/repo/onnx-community/tiny']);
    assert.equal(shadowed.settings.modelFolder, '');
    assert.match(shadowed.notes[0]!, /your relative path "onnx-community\/tiny@main" would be read from the workspace/);
  });

  it('in a trusted workspace, the workspace folder, then the workspace, then the user decide, without a note', () => {
    const trusted = { trusted: true, workspaceFolder: '/work/repo', exists: () => true };
    assert.deepEqual(modelPathValue('modelFolder', { globalValue: '/u', workspaceValue: '/w', workspaceFolderValue: '/f' }, trusted), { value: '/f' });
    assert.deepEqual(modelPathValue('modelFolder', { globalValue: '/u', workspaceValue: '/w' }, trusted), { value: '/w' });
    assert.deepEqual(modelPathValue('modelFolder', { globalValue: 'relative/ok' }, trusted), { value: 'relative/ok' });
    assert.deepEqual(modelPathValue('modelFolder', undefined, trusted), { value: undefined });
    const { settings, notes } = settingsFor(cloned, true);
    assert.equal(settings.modelFolder, '/tmp/evil-repo/model');
    assert.deepEqual(notes, []);
  });

  it('an untrusted workspace that sets nothing gets the user value, without a note', () => {
    assert.deepEqual(modelPathValue('modelFolder', { globalValue: '/u' }, { trusted: false }), { value: '/u' });
    assert.deepEqual(modelPathValue('modelFolder', {}, { trusted: false }), { value: undefined });
  });
});

describe('package.json: restricted mode is declared for the model paths', () => {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

  it('declares limited support for untrusted workspaces, with a description and the model paths restricted', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.match(untrusted?.description ?? '', /inkwell\.modelFolder/);
    assert.deepEqual([...(untrusted?.restrictedConfigurations ?? [])].sort(), MODEL_PATH_SETTINGS.map((k) => `inkwell.${k}`).sort());
  });

  it('the model path settings keep the default (window) scope: restriction, not scope, guards them', () => {
    // machine-overridable was tried: under code-server (a remote window) a machine-scoped value in
    // the user's settings was dropped at the first settings write, and the bundled model replaced
    // the user's (the e2e watermark test caught it). restrictedConfigurations + modelPathValue
    // keep an untrusted workspace's value out.
    for (const key of MODEL_PATH_SETTINGS) {
      const scope = manifest.contributes.configuration.properties[`inkwell.${key}`]?.scope;
      assert.ok(scope !== 'machine' && scope !== 'machine-overridable', `${key}: ${scope}`);
    }
  });
});
