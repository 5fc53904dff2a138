import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codePreTokenize } from '../../../../sidecar/builder/tokenizer';

describe('codePreTokenize', () => {
  it('splits letters, single digits, punctuation runs and whitespace the code way', () => {
    assert.deepEqual(codePreTokenize('const x_1 = foo.bar(42);\n'), [
      'const', ' x', '_', '1', ' =', ' foo', '.bar', '(', '4', '2', ');\n',
    ]);
    assert.deepEqual(codePreTokenize("if (a) {\n    return 'src';\n}"), [
      'if', ' (', 'a', ')', ' {\n', '   ', ' return', " '", 'src', "';\n", '}',
    ]);
    assert.deepEqual(codePreTokenize('a  \n\n\tb'), ['a', '  \n\n', '\tb']);
  });

  it('keeps every character: the words join back to the text', () => {
    const text = 'héllo 🎉 你好\r\n\t\t x=1e-9 \u0000 cafe\u0301 ';
    assert.equal(codePreTokenize(text).join(''), text);
  });
});
