import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import { InkwellRequests } from '../../../sidecar/protocol';
import { SidecarProcess } from '../../support/SidecarProcess';
import { smallModel } from '../../support/testModels';

/**
 * The real sidecar must exit, promptly and without a crash, whenever its client goes away: its
 * stdin closes (whatever it was doing then) or the client's process dies without closing it.
 * The sidecars here are started with `processId: null`, so that only the closed stdin can end
 * them, except in the tests of the process watch.
 */
describe('sidecar lifetime: the client goes away', () => {
  let sidecar: SidecarProcess | undefined;
  afterEach(async () => {
    await sidecar?.stop();
    sidecar = undefined;
  });

  it('exits with 0 when stdin closes after a header whose body never came', async () => {
    sidecar = await SidecarProcess.start({ processId: null });
    sidecar.child.stdin.end('Content-Length: 100\r\n\r\n');
    assert.equal(await sidecar.exitCode(), 0);
    assert.match(sidecar.stderr.join(''), /the client closed stdin \(it ended 0 bytes into a 100-byte message\); exiting/);
  });

  it('exits with 0 when stdin closes while a model loads, and does not keep the model', async () => {
    sidecar = await SidecarProcess.start({ processId: null, init: { modelDir: smallModel(), device: 'cpu' } });
    await sidecar.waitForStatus((s) => s.state === 'loading', 'model loading');
    sidecar.child.stdin.end();
    assert.equal(await sidecar.exitCode(), 0, `stderr:\n${sidecar.stderr.join('')}`);
    assert.doesNotMatch(sidecar.stderr.join(''), /Connection is closed|failed to load/);
  });

  it('exits with 0, without an uncaught ConnectionError, when stdin closes during completions', async () => {
    sidecar = await SidecarProcess.start({ processId: null, init: { modelDir: smallModel(), device: 'cpu', generation: { do_sample: false } } });
    await sidecar.waitForStatus((s) => s.state === 'ready', 'model ready');
    const uri = 'file:///gone.py';
    await sidecar.openDocument(uri, 'def add(a, b):\n    ');
    const params = { textDocument: { uri }, position: { line: 1, character: 4 }, context: { triggerKind: 1 } };
    const requests = Array.from({ length: 30 }, () => sidecar!.connection.sendRequest('textDocument/inlineCompletion', params).catch(() => undefined));
    // Close once the first one is answered: the rest are queued or running, and each one that
    // finishes afterwards reports tokens/s to the status timer.
    await Promise.race(requests);
    sidecar.child.stdin.end();
    assert.equal(await sidecar.exitCode(), 0, `stderr:\n${sidecar.stderr.join('')}`);
    assert.doesNotMatch(sidecar.stderr.join(''), /ConnectionError|Connection is closed/);
  });

  for (const how of ['initialize processId', '--clientProcessId'] as const) {
    it(`exits when the client process named by ${how} dies while stdin stays open`, async () => {
      const client = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      await once(client, 'spawn');
      sidecar = await SidecarProcess.start(how === '--clientProcessId' ? { processId: null, args: [`--clientProcessId=${client.pid}`] } : { processId: client.pid! });
      assert.equal((await sidecar.connection.sendRequest(InkwellRequests.status)).state, 'starting');
      client.kill('SIGKILL');
      await once(client, 'exit');
      // vscode-languageserver's watchdog: 1, since no shutdown came first.
      assert.equal(await sidecar.exitCode(), 1);
      assert.equal(sidecar.child.stdin.writableEnded, false, 'stdin was never closed');
    });
  }
});
