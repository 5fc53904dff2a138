import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InkwellError } from '../../../../../sidecar/engine/InkwellError';
import { Xoshiro128 } from '../../../../../sidecar/engine/sampling/Xoshiro128';
import { chunkAtLines } from '../../../../../models/pipeline/encode/chunkAtLines';
import { defaultFimMix, fimExamples, lineRestSplit, randomSpanSplit } from '../../../../../models/pipeline/encode/fimExamples';

/** Scripted uniforms, so a test states the draws it means. */
const script = (...values: number[]) => ({ nextFloat: () => values.shift() ?? 0 });

const doc = 'def area(r):\n    """Circle area."""\n    return 3.14159 * r * r\n\n\nprint(area(2))  # 🎉 done\r\n';

describe('FIM transform', () => {
  it('every example of every document reconstructs its text, for many seeds', () => {
    const long = Array.from({ length: 300 }, (_, i) => `    value_${i} = compute(${i}, "x" * ${i % 7})  # 👩‍💻\n`).join('');
    for (let seed = 0; seed < 200; seed++) {
      for (const text of [doc, long, 'x', '\n\n', '']) {
        const examples = fimExamples(text, { ...defaultFimMix, maxChunkChars: 1000 }, new Xoshiro128(seed));
        const rebuilt = examples.map((e) => (e.kind === 'plain' ? e.text : e.pieces.prefix + e.pieces.middle + e.pieces.suffix)).join('');
        assert.equal(rebuilt, text, `seed ${seed}`);
        for (const e of examples) {
          if (e.kind === 'plain') continue;
          assert.ok(e.pieces.prefix.length + e.pieces.middle.length + e.pieces.suffix.length <= 1000);
          for (const piece of Object.values(e.pieces)) assert.doesNotMatch(piece, /^[\udc00-\udfff]|[\ud800-\udbff]$/, 'no split surrogate pair');
          if (e.span === 'line') assert.doesNotMatch(e.pieces.middle, /[\r\n]/);
        }
      }
    }
  });

  it('draws plain vs FIM, then per chunk line-vs-random and SPM-vs-PSM, in that order', () => {
    assert.deepEqual(fimExamples(doc, defaultFimMix, script(0.5)), [{ kind: 'plain', text: doc }]);
    // 0.49 < fimRate: FIM; 0.9 ≥ lineShare: random span; 0.2 < spmShare: SPM; cuts at 0 and 1.
    const mix = { ...defaultFimMix, lineShare: 0.25, spmShare: 0.5 };
    const [e] = fimExamples(doc, mix, script(0.49, 0.9, 0.2, 0, 0.999999));
    assert.deepEqual(e, { kind: 'spm', span: 'random', pieces: { prefix: '', middle: doc, suffix: '' } });
    // 0.6 ≥ spmShare: PSM.
    assert.equal(fimExamples(doc, mix, script(0.49, 0.9, 0.6, 0, 0.999999))[0]!.kind, 'psm');
  });

  it('the default mix is PSM only, the order the server prompts in', () => {
    for (const draw of [0, 0.3, 0.999999]) assert.equal(fimExamples(doc, defaultFimMix, script(0, 0.9, draw, 0, 0.5))[0]!.kind, 'psm');
  });

  it('line split: cursor after the indentation of a non-blank line, middle = rest of that line', () => {
    // Non-blank lines: 0 "def area(r):", 1 '    """Circle area."""', 2 "    return …", 5 "print(…)". Pick index 2 of 4 (0.5),
    // cursor at 0.5 of the 22 characters after the indent of "    return 3.14159 * r * r".
    const pieces = lineRestSplit(doc, script(0.5, 0.5))!;
    const lineStart = doc.indexOf('    return');
    assert.equal(pieces.prefix, doc.slice(0, lineStart + 4 + 11));
    assert.equal(pieces.middle, '159 * r * r');
    assert.equal(pieces.suffix, doc.slice(doc.indexOf('\n', lineStart)));
    // The last line ends in CRLF: the middle stops before the \r.
    assert.equal(lineRestSplit(doc, script(0.99, 0))!.middle, 'print(area(2))  # 🎉 done');
    assert.equal(lineRestSplit('  \n\t\n', script(0.3)), undefined);
  });

  it('random span: two uniform cuts, sorted', () => {
    assert.deepEqual(randomSpanSplit('abcdef', script(5 / 7, 1 / 7)), { prefix: 'a', middle: 'bcde', suffix: 'f' });
  });

  it('rejects rates outside [0, 1] and a bad chunk size, naming the field', () => {
    for (const [field, value] of [['fimRate', 1.5], ['lineShare', -0.1], ['spmShare', Number.NaN], ['maxChunkChars', 0]] as const) {
      assert.throws(() => fimExamples(doc, { ...defaultFimMix, [field]: value }, script()), (e: unknown) => InkwellError.is(e) && e.details.field === field && e.message.includes(field));
    }
  });
});

describe('chunkAtLines', () => {
  it('cuts after line breaks into chunks within the limit that join back to the text', () => {
    assert.deepEqual(chunkAtLines('aa\nbb\ncc\n', 6), ['aa\nbb\n', 'cc\n']);
    assert.deepEqual(chunkAtLines('aa\nbb\ncc', 5), ['aa\n', 'bb\ncc']);
    assert.deepEqual(chunkAtLines('a\nlong line\nb\n', 4), ['a\n', 'long line\n', 'b\n'], 'a line longer than the limit is its own chunk');
    assert.deepEqual(chunkAtLines('short', 100), ['short']);
  });
});
