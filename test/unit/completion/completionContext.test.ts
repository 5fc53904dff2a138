import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completionContext, indentUnit } from '../../../sidecar/completion/completionContext';

describe('completionContext', () => {
  it('splits the cursor line and the lines below (CRLF too)', () => {
    const text = 'def f(x):\r\n    return g(x)\r\n\r\nprint(1)';
    const cursor = text.indexOf('g(x)') + 2;
    const ctx = completionContext(text, cursor, 5);
    assert.equal(ctx.linePrefix, '    return g(');
    assert.equal(ctx.lineSuffix, 'x)');
    assert.deepEqual(ctx.linesBelow, ['', 'print(1)']);
    assert.equal(ctx.maxLines, 5);
  });

  it('at the end of the document there are no lines below', () => {
    const ctx = completionContext('a = 1\nb = ', 10, 3);
    assert.equal(ctx.linePrefix, 'b = ');
    assert.equal(ctx.lineSuffix, '');
    assert.deepEqual(ctx.linesBelow, []);
  });

  it('indentUnit finds tabs, two and four spaces', () => {
    assert.equal(indentUnit('if a:\n\tb\n\tif c:\n\t\td\n'), '\t');
    assert.equal(indentUnit('function f() {\n  if (a) {\n    b();\n  }\n}\n'), '  ');
    assert.equal(indentUnit('class A:\n    def f(self):\n        pass\n'), '    ');
    assert.equal(indentUnit('x = 1\n'), '    ');
  });
});
