import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { InkwellError } from '../../../../../sidecar/engine/InkwellError';
import { readTokenFile, TokenFileWriter } from '../../../../../models/pipeline/encode/TokenFileWriter';

describe('TokenFileWriter', () => {
  it('writes little-endian uint16 that reads back, across block flushes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkwell-u16-'));
    try {
      const path = join(dir, 'sub', 'x.u16');
      const writer = new TokenFileWriter(path);
      writer.append([1, 258, 65535]);
      const many = Array.from({ length: (1 << 20) + 7 }, (_, i) => (i * 7919) % 65536);
      writer.append(many);
      assert.equal(writer.count, many.length + 3);
      writer.close();
      const bytes = readFileSync(path);
      assert.deepEqual([...bytes.subarray(0, 6)], [1, 0, 2, 1, 255, 255], 'hand-encoded: 1 → 01 00, 258 → 02 01, 65535 → ff ff');
      assert.deepEqual([...readTokenFile(path)], [1, 258, 65535, ...many]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses ids that do not fit 16 bits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'inkwell-u16-'));
    try {
      const writer = new TokenFileWriter(join(dir, 'x.u16'));
      for (const bad of [65536, -1, 1.5]) {
        assert.throws(() => writer.append([bad]), (e: unknown) => InkwellError.is(e) && e.details.field === 'id' && /0 to 65535/.test(e.message));
      }
      writer.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
