import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { multiLineCases } from '../../../../models/pipeline/eval/multiLineCases';

const lines = (n: number, make: (i: number) => string) => Array.from({ length: n }, (_, i) => make(i)).join('\n');

describe('multiLineCases', () => {
  it('puts the cursor after the first block opener from minLine, at the next line\'s indentation', () => {
    const py = `${lines(10, (i) => `x${i} = ${i}`)}\n# a comment:\ndef f(a):\n    return a\n\ndef g():\n    pass\n`;
    const [c] = multiLineCases([{ id: '/s/m.py', text: py }]);
    assert.equal(c!.line, 11);
    assert.ok(c!.prefix.endsWith('def f(a):\n    '));
    assert.equal(c!.expected.split('\n')[0], 'return a');
    assert.equal(c!.language, 'python');
  });

  it('needs a deeper next line, skips other languages past the cap, and stops at count', () => {
    const ts = `${lines(10, () => 'let a = 1;')}\nconst o = {};\nif (x) {\n  y();\n}\n`;
    const flat = `${lines(12, () => 'a = 1')}\nif x:\npass\n`; // next line not deeper: no case
    const files = [
      { id: '/a.py', text: flat },
      ...Array.from({ length: 6 }, (_, i) => ({ id: `/t${i}.ts`, text: ts })),
      { id: '/z.js', text: ts },
    ];
    const cases = multiLineCases(files, { count: 5, perLanguage: 4 });
    assert.deepEqual(cases.map((c) => c.file), ['/t0.ts', '/t1.ts', '/t2.ts', '/t3.ts', '/z.js']);
    assert.ok(cases[0]!.prefix.endsWith('if (x) {\n  '));
  });
});
