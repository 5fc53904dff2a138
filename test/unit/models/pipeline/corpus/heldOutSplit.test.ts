import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deduplicator } from '../../../../../models/pipeline/corpus/Deduplicator';
import { heldOutSplit, packageSplit, splitUnit } from '../../../../../models/pipeline/corpus/heldOutSplit';
import { InkwellError } from '../../../../../sidecar/engine/InkwellError';

describe('heldOutSplit', () => {
  // sha256('') = e3b0c442…: 0xe3b0c442 = 3820012610, and 3820012610 mod 10000 = 2610 (by hand).
  const emptySha = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  it('holds a file out exactly when its hash bucket is below the share', () => {
    assert.equal(heldOutSplit(emptySha, 2610), 'train');
    assert.equal(heldOutSplit(emptySha, 2611), 'heldout');
    assert.equal(heldOutSplit(emptySha, 0), 'train');
    assert.equal(heldOutSplit(emptySha, 10_000), 'heldout');
  });
  it('rejects a share outside 0..10000 and a non-hex digest, naming the field', () => {
    assert.throws(() => heldOutSplit(emptySha, 10_001), (e: unknown) => InkwellError.is(e) && e.details.field === 'heldOutBasisPoints' && /0 to 10000/.test(e.message));
    assert.throws(() => heldOutSplit(emptySha, 2.5), (e: unknown) => InkwellError.is(e) && e.details.field === 'heldOutBasisPoints');
    assert.throws(() => heldOutSplit('XYZ', 300), (e: unknown) => InkwellError.is(e) && e.details.field === 'sha256');
  });
});

describe('packageSplit', () => {
  it('splits by package: versions of one package, files of one stdlib module share a unit', () => {
    assert.equal(splitUnit('npm:@scope/pkg@1.2.3', '/x/node_modules/@scope/pkg/a.js'), 'npm:@scope/pkg');
    assert.equal(splitUnit('npm:@scope/pkg@2.0.0', '/y/b.js'), 'npm:@scope/pkg');
    assert.equal(splitUnit('pypi:attrs@26.1.0', '/s/attrs/_make.py'), 'pypi:attrs');
    assert.equal(splitUnit('debian libpython3.11-stdlib/stdlib', '/usr/lib/python3.11/asyncio/events.py'), 'stdlib:asyncio');
    assert.equal(splitUnit('debian libpython3.11-minimal/stdlib', '/usr/lib/python3.11/json.py'), 'stdlib:json.py');
  });
  it('puts every file of a package on one side, and some packages on each side', () => {
    const sides = new Map<string, Set<string>>();
    for (let p = 0; p < 400; p++) {
      for (let f = 0; f < 5; f++) {
        const split = packageSplit(`npm:pkg${p}@${f % 2}.0.0`, `/n/pkg${p}/f${f}.js`, 1000);
        const set = sides.get(`pkg${p}`) ?? new Set<string>();
        set.add(split);
        sides.set(`pkg${p}`, set);
      }
    }
    assert.ok([...sides.values()].every((s) => s.size === 1));
    const held = [...sides.values()].filter((s) => s.has('heldout')).length;
    // 10 % of 400 packages; binomial sd = 6, so 40 ± 24 is a 4-sigma band.
    assert.ok(held >= 16 && held <= 64, `held out ${held} of 400 packages`);
  });
});

describe('Deduplicator', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  it('flags exact repeats and whitespace-only variants; the first copy stays', () => {
    const d = new Deduplicator();
    const a = 'def f(x):\n    return x + 1\n';
    assert.equal(d.check(enc(a), a), undefined);
    assert.equal(d.check(enc(a), a), 'duplicate-exact');
    const crlf = a.replace(/\n/g, '\r\n');
    assert.equal(d.check(enc(crlf), crlf), 'duplicate-near');
    const reindented = 'def f(x):\n  return x  +  1\n\n';
    assert.equal(d.check(enc(reindented), reindented), 'duplicate-near');
    const different = 'def f(x):\n    return x + 2\n';
    assert.equal(d.check(enc(different), different), undefined);
  });
});
