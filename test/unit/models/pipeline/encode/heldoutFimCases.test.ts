import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { heldoutFimCases } from '../../../../../models/pipeline/encode/heldoutFimCases';

describe('heldoutFimCases', () => {
  const text = ['import os', '', '    x = compute(a)', '    });', '  y', 'print(x)', ''].join('\n');
  it('takes the rest of qualifying lines from the middle of their text, with the windows around', () => {
    const cases = heldoutFimCases('f.py', text, { perFile: 10, prefixChars: 2000, suffixChars: 1000, minMiddleChars: 3 });
    // Qualifying (by hand): "import os" → cursor 4, rest "rt os"; "    x = compute(a)" → 14 chars after
    // the indent, cursor after "x = com" (7), rest "pute(a)"; "    });" rest ");" is punctuation; "  y" rest "y" is
    // too short; "print(x)" → cursor 4, rest "t(x)".
    assert.deepEqual(cases.map((c) => [c.line, c.middle]), [[0, 'rt os'], [2, 'pute(a)'], [5, 't(x)']]);
    for (const c of cases) assert.equal(c.prefix + c.middle + c.suffix, text, 'small file: the windows cover it all');
  });
  it('cuts the prefix and suffix windows at line boundaries', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line_number_${String(i).padStart(2, '0')} = ${i}`);
    const big = `${lines.join('\n')}\n`;
    const [c] = heldoutFimCases('g.py', big, { perFile: 1, prefixChars: 60, suffixChars: 60, minMiddleChars: 3 });
    assert.ok(c.prefix.length <= 60 + 20 && c.suffix.length <= 60);
    assert.ok(big.includes(c.prefix + c.middle + c.suffix));
    const before = big.slice(0, big.indexOf(c.prefix + c.middle));
    assert.ok(before === '' || before.endsWith('\n'), 'prefix starts at a line start');
    assert.ok(c.suffix.startsWith('\n') && c.suffix.endsWith('\n'), 'suffix runs from the line break to a line end');
  });
  it('is the same on every run, and draws at most perFile lines', () => {
    const many = Array.from({ length: 50 }, (_, i) => `value_${i} = ${i} * 2`).join('\n');
    const a = heldoutFimCases('h.py', many);
    assert.equal(a.length, 3);
    assert.deepEqual(heldoutFimCases('h.py', many), a);
  });
});
