import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { InkwellError } from '../../../../sidecar/engine/InkwellError';
import { makeToyData } from '../../../../models/pipeline/toy/makeToyData';
import { workPaths } from '../../../../models/pipeline/workPaths';
import { TINY_TEXTS } from '../../../support/tinyCheckpoint';

describe('makeToyData (the toy stand-in for part 1)', () => {
  const root = mkdtempSync(join(tmpdir(), 'inkwell-toy-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('writes the token files in the shared layout: every document ends with EOS, FIM documents in PSM order', () => {
    makeToyData({ root, texts: TINY_TEXTS, heldoutFiles: 1, vocabSize: 280, fimCases: 5 });
    const paths = workPaths(root);
    const meta = JSON.parse(readFileSync(paths.dataMeta, 'utf8'));
    const read = (file: string) => Array.from(new Uint16Array(new Uint8Array(readFileSync(file)).buffer));
    const train = read(paths.trainTokens);
    // Three training files, each once plain and once as a FIM document.
    assert.equal(train.filter((id) => id === meta.eosId).length, 6);
    assert.equal(train.at(-1), meta.eosId);
    const order = train.filter((id) => [meta.fimPrefixId, meta.fimSuffixId, meta.fimMiddleId].includes(id));
    assert.deepEqual(order, Array(3).fill([meta.fimPrefixId, meta.fimSuffixId, meta.fimMiddleId]).flat());
    const heldout = read(paths.heldoutTokens);
    assert.equal(heldout.filter((id) => id === meta.eosId).length, 1);
    assert.ok(train.every((id) => id < meta.vocabSize) && heldout.every((id) => id < meta.vocabSize));
  });

  it('FIM cases rebuild the held-out file, and each middle is the non-blank rest of one line', () => {
    const cases = readFileSync(workPaths(root).fimCases, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.ok(cases.length >= 1);
    for (const c of cases) {
      assert.equal(c.prefix + c.middle + c.suffix, TINY_TEXTS[3]);
      assert.ok(!c.middle.includes('\n') && /\S/.test(c.middle));
      assert.ok(c.suffix === '' || c.suffix.startsWith('\n'));
    }
  });

  it('refuses to hold out every file, naming the field', () => {
    assert.throws(() => makeToyData({ root, texts: TINY_TEXTS, heldoutFiles: 4 }), (e: unknown) => e instanceof InkwellError && /heldoutFiles must be in \[1, 3\]/.test(e.message));
  });
});
