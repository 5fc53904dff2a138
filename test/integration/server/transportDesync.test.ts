import assert from 'node:assert/strict';
import { once } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import { InkwellRequests } from '../../../sidecar/protocol';
import { MAX_MESSAGE_BYTES } from '../../../sidecar/server/FramingGuard';
import { SidecarProcess } from '../../support/SidecarProcess';

/**
 * Bytes that break LSP's framing, written raw to the real sidecar's stdin. A broken stream
 * cannot be trusted again (a lost didChange or request cannot be recovered), so the sidecar
 * exits with code 1 and says why on stderr; the extension restarts it. Before, it stayed up and
 * never answered again. Each case is followed by a valid request that must not be answered.
 */
describe('sidecar transport: a stream that breaks LSP framing', () => {
  let sidecar: SidecarProcess | undefined;
  afterEach(async () => {
    await sidecar?.stop();
    sidecar = undefined;
  });

  async function exitsAfter(raw: string, why: RegExp): Promise<void> {
    sidecar = await SidecarProcess.start({ processId: null });
    assert.equal((await sidecar.connection.sendRequest(InkwellRequests.status)).state, 'starting', 'serves before the bad bytes');
    const closed = once(sidecar.child, 'close'); // stdout read to its end
    sidecar.child.stdin.write(raw);
    let answered = false;
    sidecar.connection.sendRequest(InkwellRequests.status).then(
      () => (answered = true),
      () => undefined,
    );
    assert.equal(await sidecar.exitCode(), 1, `stderr:\n${sidecar.stderr.join('')}`);
    await closed;
    const stderr = sidecar.stderr.join('');
    assert.match(stderr, /exiting: the client's messages cannot be read any more/);
    assert.match(stderr, why);
    assert.equal(answered, false, 'the request after the bad bytes was not answered');
  }

  it('exits on garbage without CRLF', async () => {
    await exitsAfter('hello, this is not a header', /expected a header such as "Content-Length: 52", got "hello,"/);
  });

  it('exits when a Content-Length is shorter than the body', async () => {
    await exitsAfter('Content-Length: 10\r\n\r\n{"jsonrpc":"2.0","id":500,"method":"inkwell/status"}', /expected a header such as "Content-Length: 52", got ":"/);
  });

  it('exits when a Content-Length is longer than the body (the next message\'s header lands in it)', async () => {
    await exitsAfter('Content-Length: 200\r\n\r\n{"jsonrpc":"2.0","id":500,"method":"inkwell/status"}', /a 200-byte message holds the header of the next one \("Content-Length: \d+"\): its Content-Length is larger than the body that was sent/);
  });

  it('exits on a negative Content-Length', async () => {
    await exitsAfter('Content-Length: -5\r\n\r\n{}', /Content-Length must be a byte count \(decimal digits\), got "-5"/);
  });

  it('exits on a non-numeric Content-Length', async () => {
    await exitsAfter('Content-Length: abc\r\n\r\n{}', /Content-Length must be a byte count \(decimal digits\), got "abc"/);
  });

  it('exits on Content-Length 1e12', async () => {
    await exitsAfter('Content-Length: 1e12\r\n\r\n{}', /Content-Length must be a byte count \(decimal digits\), got "1e12"/);
  });

  it('exits on a header without Content-Length', async () => {
    await exitsAfter('Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}', /a message header has no Content-Length/);
  });

  it('refuses a message over the size limit at its header, naming the limit', async () => {
    await exitsAfter(`Content-Length: ${MAX_MESSAGE_BYTES + 1}\r\n\r\n`, new RegExp(`a message of ${MAX_MESSAGE_BYTES + 1} bytes is over the limit of ${MAX_MESSAGE_BYTES} bytes \\(256 MiB\\) per message`));
  });
});
