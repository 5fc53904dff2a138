import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { InkwellError } from '../../../../sidecar/engine/InkwellError';
import { checkModelFile, readModelFile, readModelJson, statModelPath } from '../../../../sidecar/runtime/model/readModelFile';

const scratch = mkdtempSync(join(tmpdir(), 'inkwell-read-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let serial = 0;
const path = (name = 'f') => join(scratch, `${serial++}-${name}`);

function throwsWith(work: () => unknown, code: string, pattern: RegExp, reason?: string): void {
  assert.throws(work, (e: unknown) => {
    assert.ok(InkwellError.is(e), `expected an InkwellError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    assert.match(e.message, pattern);
    if (reason !== undefined) assert.equal(e.details.reason, reason);
    return true;
  });
}

describe('readModelFile', () => {
  it('reads a regular file', () => {
    const file = path();
    writeFileSync(file, 'hello');
    assert.equal(readModelFile(file, 5).toString(), 'hello');
    assert.equal(checkModelFile(file, 5), 5);
  });

  it('refuses a FIFO without waiting for a writer', { timeout: 30_000 }, () => {
    const fifo = path('pipe');
    execFileSync('mkfifo', [fifo]);
    throwsWith(() => readModelFile(fifo, 100), 'model-invalid', /pipe is a FIFO \(named pipe\), not a regular file/, 'not-regular');
    throwsWith(() => checkModelFile(fifo, 100), 'model-invalid', /is a FIFO/);
  });

  it('refuses devices, also behind a link, and folders', () => {
    const link = path('zero');
    symlinkSync('/dev/zero', link);
    throwsWith(() => readModelFile(link, 100), 'model-invalid', /zero is a character device, not a regular file/);
    throwsWith(() => readModelFile('/dev/urandom', 100), 'model-invalid', /urandom is a character device/);
    const folder = path('folder');
    mkdirSync(folder);
    throwsWith(() => readModelFile(folder, 100), 'model-invalid', /folder is a folder, not a regular file/);
  });

  it('refuses a file over the limit by its size, without reading it', () => {
    const file = path();
    writeFileSync(file, '');
    truncateSync(file, 3 * 1024 * 1024);
    throwsWith(() => readModelFile(file, 2 * 1024 * 1024), 'model-invalid', /is 3 MiB, over Inkwell's 2 MiB limit for this file/, 'too-large');
    assert.equal(readModelFile(file, 3 * 1024 * 1024).length, 3 * 1024 * 1024);
  });

  it('reads to the end of a file whose size says 0, within the limit', (t) => {
    if (!existsSync('/proc/self/status')) return t.skip('no /proc here');
    assert.match(readModelFile('/proc/self/status', 1 << 20).toString(), /^Name:/);
    throwsWith(() => readModelFile('/proc/self/status', 10), 'model-invalid', /is more than 10 bytes, over Inkwell's 10 bytes limit/);
  });

  it('says what an errno means: missing, a symlink loop, a path through a file', () => {
    throwsWith(() => readModelFile(path('missing'), 10), 'model-not-found', /missing does not exist/, 'ENOENT');
    const loop = path('loop');
    symlinkSync(loop, loop);
    throwsWith(() => readModelFile(loop, 10), 'model-invalid', /loop is a symlink loop \(ELOOP\)/, 'ELOOP');
    throwsWith(() => statModelPath(loop), 'model-invalid', /symlink loop/);
    const file = path('file');
    writeFileSync(file, 'x');
    throwsWith(() => readModelFile(join(file, 'inside'), 10), 'model-not-found', /does not exist \(a part of its path is a file, not a folder\)/, 'ENOTDIR');
    assert.equal(statModelPath(path('absent')), undefined);
  });
});

describe('readModelJson', () => {
  it('parses JSON', () => {
    const file = path('a.json');
    writeFileSync(file, '{"a": [1, 2]}');
    assert.deepEqual(readModelJson(file, 100), { a: [1, 2] });
  });

  for (const [what, text, problem] of [
    ['text that is not JSON', 'root:x:0:0:root:/root:/bin/bash\n', /\(it does not start or continue as JSON should\)$/],
    ['an empty file', '', /\(it is empty\)$/],
    ['a cut-off file', '["hunter2", "swordfish",', /\(it ends before the JSON value does\)$/],
    ['a cut-off string', '{"hunter2": "swordfish', /\(Unterminated string at line 1, column 23\)$/],
    ['a syntax error', '{\n"hunter2": 1 "swordfish"}', /\(Expected ',' or '\}' after property value at line 2, column 14\)$/],
  ] as const) {
    it(`${what}: says where, never what`, () => {
      const file = path('t.json');
      writeFileSync(file, text);
      throwsWith(() => readModelJson(file, 100), 'model-invalid', problem, 'not-json');
      try {
        readModelJson(file, 100);
      } catch (e) {
        assert.doesNotMatch((e as Error).message, /root|hunter2|swordfish/);
      }
    });
  }
});
