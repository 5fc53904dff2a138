import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { exportModel } from '../../../models/pipeline/export/exportModel';
import { fileEntryOf, listModelFiles, readModelManifest } from '../../../models/pipeline/ship/modelManifest';

const REPO = join(__dirname, '..', '..', '..');
const MODELS = join(REPO, 'models');
const shipped = readdirSync(MODELS).filter((name) => existsSync(join(MODELS, name, 'manifest.json')));

/**
 * No untracked model ships: every folder under models/ with a manifest holds exactly the files
 * it lists, with those bytes, and exporting its committed checkpoint again gives the same bytes.
 */
describe('shipped models', () => {
  const temp = mkdtempSync(join(tmpdir(), 'inkwell-shipped-'));
  after(() => rmSync(temp, { recursive: true, force: true }));

  it('the bundled default ships', () => {
    assert.ok(shipped.includes('default'), `models/default/manifest.json is missing (found: ${shipped.join(', ') || 'none'})`);
  });

  for (const name of shipped) {
    const dir = join(MODELS, name);
    const manifest = readModelManifest(dir);

    it(`${name}: the folder holds exactly the listed files, with the listed sizes and hashes`, () => {
      assert.deepEqual(listModelFiles(dir), Object.keys(manifest.files).sort());
      for (const [file, entry] of Object.entries(manifest.files)) assert.deepEqual(fileEntryOf(join(dir, file)), entry, file);
    });

    it(`${name}: the committed checkpoint is the one recorded`, () => {
      for (const [file, entry] of Object.entries(manifest.checkpointFiles)) assert.deepEqual(fileEntryOf(join(REPO, manifest.checkpoint, file)), entry, `${manifest.checkpoint}/${file}`);
    });

    it(`${name}: exporting the checkpoint again gives the shipped bytes`, () => {
      const out = join(temp, name);
      exportModel({ checkpoint: join(REPO, manifest.checkpoint), out, tokenizerDir: dir, dtypes: manifest.dtypes, ...(manifest.fimOrder && { fimOrder: manifest.fimOrder }) });
      assert.deepEqual(listModelFiles(out), Object.keys(manifest.files).sort());
      for (const [file, entry] of Object.entries(manifest.files)) assert.deepEqual(fileEntryOf(join(out, file)), entry, file);
    });
  }
});
