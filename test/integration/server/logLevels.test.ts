import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InkwellRequests } from '../../../sidecar/protocol';
import { SidecarProcess } from '../../support/SidecarProcess';
import { smallModel } from '../../support/testModels';

const MessageType = { error: 1, warning: 2, info: 3, log: 4 } as const;

/**
 * What the extension's output channel shows: vscode-languageclient labels a server's stderr
 * lines [error] and its window/logMessage lines by their type. Normal lines must arrive as info,
 * once; a failure as an error.
 */
describe('sidecar log levels', () => {
  let sidecar: SidecarProcess;
  let empty: string;

  before(async () => {
    empty = mkdtempSync(join(tmpdir(), 'inkwell-not-a-model-'));
    sidecar = await SidecarProcess.start({ init: { modelDir: smallModel(), device: 'cpu' } });
    await sidecar.waitForStatus((s) => s.state === 'ready', 'model ready');
  });
  after(async () => {
    await sidecar?.stop();
    rmSync(empty, { recursive: true, force: true });
  });

  it('a model load logs info lines over LSP and nothing on stderr', () => {
    const loading = sidecar.logMessages.find((m) => /^loading model /.test(m.message));
    const ready = sidecar.logMessages.find((m) => /^model ready: /.test(m.message));
    assert.equal(loading?.type, MessageType.info, JSON.stringify(sidecar.logMessages));
    assert.equal(ready?.type, MessageType.info);
    assert.doesNotMatch(sidecar.stderr.join(''), /loading model|model ready/, 'stderr would show them again, as errors');
  });

  it('a model that fails to load is logged as an error', async () => {
    await assert.rejects(sidecar.connection.sendRequest(InkwellRequests.loadModel, { dir: empty, device: 'cpu' }));
    const failed = sidecar.logMessages.find((m) => m.message.includes(`model ${empty} failed to load`));
    assert.equal(failed?.type, MessageType.error, JSON.stringify(sidecar.logMessages));
  });
});
