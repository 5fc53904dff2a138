import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

/**
 * The webview script runs in a browser sandbox: it may import its own files, and the
 * sidecar's protocol for types only (erased by esbuild, so no jsonrpc or zod in the bundle).
 */
const panel = join(__dirname, '..', '..', '..', 'media', 'panel');

describe('media/panel imports', () => {
  const files = readdirSync(panel).filter((f) => f.endsWith('.ts'));

  it('finds the webview sources', () => {
    assert.ok(files.includes('main.ts') && files.includes('messages.ts'));
  });

  for (const file of files) {
    it(`${file}: only ./ files, and sidecar/protocol as types`, () => {
      const text = readFileSync(join(panel, file), 'utf8');
      const bad: string[] = [];
      for (const m of text.matchAll(/^(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
        const [statement, , typeOnly, spec] = m as unknown as [string, string, string | undefined, string];
        if (spec.startsWith('./')) continue;
        if (spec === '../../sidecar/protocol' && typeOnly) continue;
        bad.push(statement.replace(/\s+/g, ' '));
      }
      for (const m of text.matchAll(/(?:require|import)\(\s*'([^']+)'/g)) bad.push(m[0]);
      assert.deepEqual(bad, []);
    });
  }
});
