import assert from 'node:assert/strict';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, it } from 'node:test';
import { FramingGuard } from '../../../sidecar/server/FramingGuard';

function frame(body: string, headers = ''): string {
  return `${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Runs `chunks` through a guard; resolves with what came out, or rejects with its error. */
async function run(chunks: readonly Buffer[], maxMessageBytes?: number): Promise<{ out: Buffer; cutOff: string | undefined }> {
  const guard = new FramingGuard(maxMessageBytes);
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      out.push(chunk);
      callback();
    },
  });
  await pipeline(Readable.from(chunks), guard, sink);
  return { out: Buffer.concat(out), cutOff: guard.cutOff };
}

/** The same bytes cut into two chunks at every position (short inputs), and one byte at a time. */
function everySplit(bytes: Buffer): Buffer[][] {
  const oneByteChunks = [...bytes].map((b) => Buffer.of(b));
  if (bytes.length > 512) return [[bytes], oneByteChunks];
  return [...Array.from({ length: bytes.length + 1 }, (_, at) => [bytes.subarray(0, at), bytes.subarray(at)]), oneByteChunks];
}

async function violation(raw: string, maxMessageBytes?: number): Promise<string> {
  const bytes = Buffer.from(raw, 'latin1');
  let first: string | undefined;
  for (const chunks of everySplit(bytes)) {
    try {
      await run(chunks, maxMessageBytes);
      assert.fail(`passed when cut into ${chunks.map((c) => c.length).join(' + ')} bytes: ${JSON.stringify(raw.slice(0, 80))}`);
    } catch (error) {
      assert.equal((error as { code?: unknown }).code, 'transport-invalid', String(error));
      first ??= (error as Error).message;
      assert.equal((error as Error).message, first, 'the same finding wherever the chunks are cut');
    }
  }
  return first!;
}

describe('FramingGuard', () => {
  const valid = Buffer.from(
    [
      frame('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}'),
      frame('{"jsonrpc":"2.0","method":"x","params":{"text":"Content-Length: 5\\r\\n\\r\\nnot a header"}}', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n'),
      frame('{\r\n  "jsonrpc": "2.0",\r\n\r\n  "method": "pretty"\r\n}'),
      frame(''),
      frame('{"jsonrpc":"2.0","method":"é ü","params":{}}', 'content-length-extra: 1\r\n'),
    ].join(''),
    'utf8',
  );

  it('passes valid messages through unchanged, however the stream is cut', async () => {
    for (const chunks of everySplit(valid)) {
      const { out, cutOff } = await run(chunks);
      assert.deepEqual(out, valid);
      assert.equal(cutOff, undefined);
    }
  });

  it('fails on the first byte that cannot start or continue a header', async () => {
    assert.equal(await violation('garbage without a line end'), 'expected a header such as "Content-Length: 52", got "garbage "');
    assert.equal(await violation(`${frame('{}')}{"jsonrpc"`), 'expected a header such as "Content-Length: 52", got "{"');
    assert.equal(await violation('Content-Length: 2\n\n{}'), 'a header line must end with CRLF, not a bare LF (after "Content-Length: 2")');
    assert.equal(await violation('Content-Length: 2\rX'), 'a header line must end with CRLF; got CR then "X"');
    assert.equal(await violation(`X${'a'.repeat(2000)}`), 'a header line is longer than 1024 bytes');
    assert.equal(await violation('garbage\r\n'), 'a header line has no ":": "garbage"');
    assert.equal(await violation('X-Extra: 1\r\n'.repeat(1000)), 'a message header is longer than 8192 bytes');
  });

  it('fails on a Content-Length that is not a byte count, missing, repeated, or over the limit', async () => {
    for (const value of ['-5', 'abc', '1e12', '', '12 34', '0x10']) {
      assert.match(await violation(`Content-Length: ${value}\r\n\r\n`), /^Content-Length must be a byte count \(decimal digits\), got /, value);
    }
    assert.equal(await violation('Content-Type: application/vscode-jsonrpc\r\n\r\n{}'), 'a message header has no Content-Length');
    assert.equal(await violation('\r\n'), 'a message header has no Content-Length');
    assert.equal(await violation('Content-Length: 2\r\ncontent-length: 2\r\n\r\n{}'), 'a message header has two Content-Length lines');
    assert.equal(await violation('Content-Length: 1000\r\n\r\n', 999), 'a message of 1000 bytes is over the limit of 999 bytes per message');
    const atLimit = Buffer.from(frame('x'.repeat(999)));
    assert.deepEqual((await run([atLimit], 999)).out, atLimit, 'the limit itself is allowed');
  });

  it('finds the header of the next message inside a body whose Content-Length was too long', async () => {
    const next = frame('{"jsonrpc":"2.0","id":2,"method":"inkwell/status"}');
    const message = await violation(`Content-Length: 200\r\n\r\n{"jsonrpc":"2.0","id":1}${next}`);
    assert.equal(message, 'a 200-byte message holds the header of the next one ("Content-Length: 50"): its Content-Length is larger than the body that was sent');
  });

  it('says where a stream that ended was cut off', async () => {
    assert.equal((await run([Buffer.from('Content-Length: 100\r\n\r\n{"a"')])).cutOff, 'it ended 4 bytes into a 100-byte message');
    assert.equal((await run([Buffer.from('Content-Len')])).cutOff, 'it ended inside a message header');
    assert.equal((await run([Buffer.from(frame('{}'))])).cutOff, undefined);
  });
});
