// The tokenizer and encode stages on a toy work folder: train two tiny vocabularies, pick one,
// encode, and check the token files against the texts by decoding them independently.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultTokenizerCorpus } from '../../../../../sidecar/builder/tokenizer';
import { encodeCommand } from '../../../../../models/pipeline/encode/encodeCommand';
import { readTokenFile } from '../../../../../models/pipeline/encode/TokenFileWriter';
import { loadTokenizer, tokenizerCommand } from '../../../../../models/pipeline/tokenizer/tokenizerCommand';
import { workPaths } from '../../../../../models/pipeline/workPaths';

describe('tokenizer + encode stages at toy size', () => {
  let root: string;
  const paths = () => workPaths(root);
  const train: { id: string; text: string }[] = [];
  const heldout: { id: string; text: string }[] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'inkwell-pipeline-'));
    const source = defaultTokenizerCorpus()[0].slice(0, 120_000);
    // ~100 documents of whole lines; every 10th is held out.
    const lines = source.split(/(?<=\n)/);
    for (let i = 0, d = 0; i < lines.length; d++) {
      const take = 20 + (d % 30) * 3;
      const text = lines.slice(i, i + take).join('');
      i += take;
      (d % 10 === 9 ? heldout : train).push({ id: `/toy/doc${d}.ts`, text });
    }
    const p = paths();
    mkdirSync(join(root, 'corpus'), { recursive: true });
    const jsonl = (rows: object[]) => rows.map((r) => `${JSON.stringify(r)}\n`).join('');
    writeFileSync(p.trainText, jsonl(train));
    writeFileSync(p.heldoutText, jsonl(heldout));
    writeFileSync(p.manifest, jsonl([...train, ...heldout].map((d) => ({ path: d.id, language: 'typescript' }))));
    const signal = new AbortController().signal;
    await tokenizerCommand(['--work', root, '--sizes', '600,700', '--sample-mb', '1', '--tolerance', '0.5'], signal);
    // Both FIM orders (the default is PSM only): the decoder below must tell them apart.
    await encodeCommand(['--work', root, '--seed', '3', '--fim-rate', '0.6', '--spm-share', '0.5'], signal);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('picks the smaller size under a loose tolerance and writes it with its measurements', () => {
    const selection = JSON.parse(readFileSync(join(paths().tokenizerDir, 'selection.json'), 'utf8')) as { chosen: number; candidates: { vocabSize: number; roundTripFailures: number }[] };
    assert.equal(selection.chosen, 600);
    assert.deepEqual(selection.candidates.map((c) => [c.vocabSize, c.roundTripFailures]), [[600, 0], [700, 0]]);
    assert.equal(loadTokenizer(paths().tokenizerDir).vocabSize, 600);
  });

  it('train.u16 decodes, example by example, back to the train documents in order', () => {
    const tokenizer = loadTokenizer(paths().tokenizerDir);
    const meta = JSON.parse(readFileSync(paths().dataMeta, 'utf8')) as Record<string, number> & { examples: Record<string, number> };
    const id = (t: string) => tokenizer.tokenToId(t)!;
    const [eos, pre, suf, mid] = [id('<|endoftext|>'), id('<|fim_prefix|>'), id('<|fim_suffix|>'), id('<|fim_middle|>')];
    assert.deepEqual([meta.eosId, meta.fimPrefixId, meta.fimSuffixId, meta.fimMiddleId], [eos, pre, suf, mid]);
    const ids = [...readTokenFile(paths().trainTokens)];
    assert.equal(ids.length, meta.trainTokens);
    // The tokenizer library refuses to decode an empty list (an empty FIM piece).
    const text = (a: number[]) => (a.length === 0 ? '' : tokenizer.decode(a));
    let doc = 0;
    let pending = '';
    const kinds = { plain: 0, psm: 0, spm: 0 };
    for (let start = 0; start < ids.length; ) {
      const end = ids.indexOf(eos, start);
      const ex = ids.slice(start, end);
      start = end + 1;
      let rebuilt: string;
      if (ex[0] !== pre) {
        kinds.plain++;
        rebuilt = text(ex);
      } else if (ex[1] === suf) {
        // SPM: <pre><suf> suffix <mid> prefix+middle
        kinds.spm++;
        const m = ex.indexOf(mid);
        rebuilt = text(ex.slice(m + 1)) + text(ex.slice(2, m));
      } else {
        // PSM: <pre> prefix <suf> suffix <mid> middle
        kinds.psm++;
        const s = ex.indexOf(suf);
        const m = ex.indexOf(mid);
        rebuilt = text(ex.slice(1, s)) + text(ex.slice(m + 1)) + text(ex.slice(s + 1, m));
      }
      pending += rebuilt;
      assert.ok(train[doc].text.startsWith(pending), `example at ${start} continues document ${doc}`);
      if (pending === train[doc].text) {
        doc++;
        pending = '';
      }
    }
    assert.equal(doc, train.length);
    assert.deepEqual(kinds, { plain: meta.examples.plain, psm: meta.examples.psm, spm: meta.examples.spm });
    assert.ok(kinds.plain > 0 && kinds.psm > 0 && kinds.spm > 0);
  });

  it('heldout.u16 is the held-out documents, plain, each ending in EOS; FIM cases come from them', () => {
    const tokenizer = loadTokenizer(paths().tokenizerDir);
    const eos = tokenizer.eosTokenIds[0];
    const ids = [...readTokenFile(paths().heldoutTokens)];
    const docs: string[] = [];
    for (let start = 0; start < ids.length; ) {
      const end = ids.indexOf(eos, start);
      docs.push(tokenizer.decode(ids.slice(start, end)));
      start = end + 1;
    }
    assert.deepEqual(docs, heldout.map((d) => d.text));
    const cases = readFileSync(paths().fimCases, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { file: string; prefix: string; middle: string; suffix: string });
    assert.ok(cases.length > 0);
    for (const c of cases) assert.ok(heldout.find((d) => d.id === c.file)!.text.includes(c.prefix + c.middle + c.suffix));
  });
});
