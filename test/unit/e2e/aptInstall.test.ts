import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
// @ts-expect-error -- a plain .mjs script module without type declarations
import { aptBlocker, aptInstallArgs } from '../../e2e/aptInstall.mjs';

describe('e2e setup: apt-get', () => {
  it('installs only the packages named, without recommended extras or upgrades', () => {
    const args: string[] = aptInstallArgs(['chromium', 'ripgrep']);
    assert.equal(args[0], 'install');
    assert.ok(args.includes('--no-install-recommends'), args.join(' '));
    assert.ok(args.includes('--no-upgrade'), args.join(' '));
    assert.deepEqual(args.slice(-2), ['chromium', 'ripgrep']);
    assert.ok(!args.some((a) => /upgrade$/.test(a) && a !== '--no-upgrade'));
  });

  it('refuses to run apt without root, saying what to do', () => {
    assert.equal(aptBlocker(0), undefined);
    assert.match(aptBlocker(1000), /needs root.*sudo node test\/e2e\/setup\.mjs/);
  });
});
