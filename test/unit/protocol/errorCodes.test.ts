import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { CancelledCodes, InkwellErrorCodes, InvalidParamsCode, isCancelledCode } from '../../../sidecar/protocol';

const root = join(__dirname, '..', '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

describe('error codes come from protocol/errorCodes.ts', () => {
  it('names JSON-RPC\'s and LSP\'s codes the client tells apart', () => {
    assert.equal(InvalidParamsCode, -32602);
    assert.deepEqual(CancelledCodes, [-32800, -32802]);
    assert.ok(isCancelledCode(-32800) && isCancelledCode(-32802));
    assert.ok(!isCancelledCode(-32602) && !isCancelledCode('-32800') && !isCancelledCode(undefined));
  });

  it('no code outside protocol/ spells an error code as a number', () => {
    const codes = [InvalidParamsCode, ...CancelledCodes, ...Object.values(InkwellErrorCodes), -32603, -32601, -32700, -32600];
    const pattern = new RegExp(`(?<![\\w.])(${codes.map((c) => String(c)).join('|')})(?!\\d)`);
    const bad: string[] = [];
    for (const folder of ['extension', 'media', 'sidecar/server', 'sidecar/cli']) {
      for (const file of sourceFiles(join(root, folder))) {
        readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
          const code = line.replace(/\/\/.*$|^\s*\*.*$|\/\*.*?\*\//g, '');
          if (pattern.test(code)) bad.push(`${relative(root, file)}:${i + 1}: ${line.trim()}`);
        });
      }
    }
    assert.deepEqual(bad, []);
  });
});
