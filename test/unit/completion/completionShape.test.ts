import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  completionFilters, completionIsDone, dropBlank, dropRepeatOfLinesBelow, limitLines, shapeCompletion, singleLine,
  stopAtControlCharacter, stopAtDedent, stopAtNewTopLevel, stopAtRepetition, trimTrailingWhitespace, type CompletionContext,
} from '../../../sidecar/completion/completionShape';

interface Case {
  name: string;
  linePrefix: string;
  lineSuffix?: string;
  linesBelow?: string[];
  indentUnit?: string;
  maxLines?: number;
  raw: string;
  expected: string | null;
  done: boolean;
}

const golden = JSON.parse(readFileSync(join(__dirname, 'cases', 'completionShape.json'), 'utf8')) as { cases: Case[] };

function context(c: Partial<Case> & { linePrefix: string }): CompletionContext {
  return { linePrefix: c.linePrefix, lineSuffix: c.lineSuffix ?? '', linesBelow: c.linesBelow ?? [], indentUnit: c.indentUnit ?? '    ', maxLines: c.maxLines ?? 10 };
}

const multiLine = context({ linePrefix: 'def f():' });

describe('shapeCompletion: golden cases', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const ctx = context(c);
      assert.equal(shapeCompletion(c.raw, ctx) ?? null, c.expected);
      assert.equal(completionIsDone(c.raw, ctx), c.done);
    });
  }

  it('stopping early never changes the result: wherever completionIsDone first holds, the shape is final', () => {
    for (const c of golden.cases) {
      const ctx = context(c);
      const final = shapeCompletion(c.raw, ctx);
      for (let k = 0; k <= c.raw.length; k++) {
        if (!completionIsDone(c.raw.slice(0, k), ctx)) continue;
        assert.equal(shapeCompletion(c.raw.slice(0, k), ctx), final, `${c.name} at ${k}`);
        break;
      }
    }
  });
});

describe('completionIsDone: stops as early as possible', () => {
  const firstDone = (raw: string, ctx: CompletionContext) => {
    for (let k = 0; k <= raw.length; k++) if (completionIsDone(raw.slice(0, k), ctx)) return raw.slice(0, k);
    return undefined;
  };

  it('single-line mode: as soon as a line break arrives', () => {
    assert.equal(firstDone('a, b\nrest', context({ linePrefix: 'f(', lineSuffix: ')' })), 'a, b\n');
  });

  it('multi-line: at the first character of a dedented line, not at its end', () => {
    const ctx = context({ linePrefix: '        if x:' });
    assert.equal(firstDone('\n            y()\n    z()\n', ctx), '\n            y()\n    z');
  });

  it('multi-line: at the first character of a top-level statement after a blank line', () => {
    assert.equal(firstDone('\n    a = 1\n\nclass B:\n', multiLine), '\n    a = 1\n\nc');
  });

  it('multi-line: when the line after the last allowed one starts', () => {
    assert.equal(firstDone('\n a\n b\n c\n', context({ linePrefix: 'x {', maxLines: 2 })), '\n a\n');
  });

  it('undecided while the indentation of a line is still arriving', () => {
    const ctx = context({ linePrefix: '    if x:' });
    assert.equal(completionIsDone('\n        y()\n  ', ctx), false);
  });
});

describe('completionShape filters, one by one', () => {
  it('the chain order is pinned', () => {
    assert.deepEqual(completionFilters.map(([name]) => name), [
      'stopAtControlCharacter', 'singleLine', 'stopAtStatementEnd', 'stopAtDedent', 'stopAtNewTopLevel', 'limitLines', 'stopAtRepetition', 'trimTrailingWhitespace', 'dropRepeatOfLinesBelow', 'dropBlank',
    ]);
  });

  it('stopAtRepetition: cuts before a unit repeated 4 times or a repeated line, keeps real code', () => {
    // Seen from an undertrained default model: a path segment looping to the token limit.
    // The loop's earliest start is the first '/' ('/common' × 4), one character before 'common/' × 4.
    assert.equal(stopAtRepetition("import type { T } from './common/common/common/common/common/comm"), "import type { T } from '.");
    assert.equal(stopAtRepetition('_mpfmpfmpfmpf'), '_');
    assert.equal(stopAtRepetition('from .map import (\n    _parse_mpf,\n    _parse_mpf,\n    _parse_mpf'), 'from .map import (\n    _parse_mpf,\n');
    // Three copies are not a loop; one character (a rule of dashes) or a number of zeros is not one either.
    assert.equal(stopAtRepetition('abc abc abc x'), 'abc abc abc x');
    assert.equal(stopAtRepetition('# ----------------'), '# ----------------');
    assert.equal(stopAtRepetition('x = 100000000'), 'x = 100000000');
    // Short repeated lines (closing brackets, pass) and an unfinished second copy stay.
    assert.equal(stopAtRepetition('    }\n    }\n'), '    }\n    }\n');
    assert.equal(stopAtRepetition('result = f(x)\nresult = f(x)'), 'result = f(x)\nresult = f(x)');
  });

  it('completionIsDone stops a loop early, and more text never changes the cut', () => {
    const ctx = context({ linePrefix: 'from x import ', lineSuffix: '' });
    const loop = 'common/common/common/common/common/';
    assert.equal(completionIsDone('common/common/common/', ctx), false);
    assert.equal(completionIsDone('common/common/common/common/', ctx), true);
    for (let k = 0; k <= loop.length; k++) {
      if (completionIsDone(loop.slice(0, k), ctx)) assert.equal(shapeCompletion(loop.slice(0, k), ctx), shapeCompletion(loop, ctx));
    }
  });

  it('singleLine: cuts only when the cursor has text on its right', () => {
    assert.equal(singleLine('a\nb', context({ linePrefix: '', lineSuffix: ' ) ' })), 'a');
    assert.equal(singleLine('a\nb', context({ linePrefix: '', lineSuffix: ' \t' })), 'a\nb');
  });

  it('stopAtDedent: the cursor line sets the indentation; blank lines never end a block', () => {
    const ctx = context({ linePrefix: '  x = 1' });
    assert.equal(stopAtDedent('\n  y = 2\n\n  z = 3\nw', ctx), '\n  y = 2\n\n  z = 3');
    // A blank cursor line and an empty first line: the first line with content sets it.
    assert.equal(stopAtDedent('\n    a\n      b\n  c', context({ linePrefix: '' })), '\n    a\n      b');
  });

  it('stopAtNewTopLevel: needs the blank line, and skips closing brackets', () => {
    assert.equal(stopAtNewTopLevel('\n  a\nb'), '\n  a\nb');
    assert.equal(stopAtNewTopLevel('\n  a\n\n\nb'), '\n  a');
    assert.equal(stopAtNewTopLevel('\n  a\n\n)'), '\n  a\n\n)');
  });

  it('limitLines', () => {
    assert.equal(limitLines('a\nb\nc', context({ linePrefix: '', maxLines: 2 })), 'a\nb');
    assert.equal(limitLines('a\nb', context({ linePrefix: '', maxLines: 2 })), 'a\nb');
  });

  it('trimTrailingWhitespace keeps leading indentation', () => {
    assert.equal(trimTrailingWhitespace('\n  a  \n\n'), '\n  a');
  });

  it('dropRepeatOfLinesBelow: only a full repeat of the next lines is dropped', () => {
    const ctx = context({ linePrefix: 'def f():', linesBelow: ['    a = 1', '', '    b = 2', 'c'] });
    assert.equal(dropRepeatOfLinesBelow('\n    a = 1\n    b = 2', ctx), undefined);
    assert.equal(dropRepeatOfLinesBelow('\n    a = 1\n    b = 3', ctx), '\n    a = 1\n    b = 3');
    assert.equal(dropRepeatOfLinesBelow('\n    b = 2', ctx), '\n    b = 2');
    assert.equal(dropRepeatOfLinesBelow('\n    a = 1\n    b = 2\nc\nd', ctx), '\n    a = 1\n    b = 2\nc\nd');
  });

  it('dropBlank', () => {
    assert.equal(dropBlank(' \n\t'), undefined);
    assert.equal(dropBlank(' x'), ' x');
  });
});

describe('stopAtControlCharacter', () => {
  it('keeps what precedes a control character or a replacement character', () => {
    assert.equal(stopAtControlCharacter('total = a\u0000b'), 'total = a');
    assert.equal(stopAtControlCharacter('x = "\ufffd"'), 'x = "');
    assert.equal(stopAtControlCharacter('\tif a:\n\t\treturn b\r\n'), '\tif a:\n\t\treturn b\r\n');
  });

  it('ends generation as soon as one arrives', () => {
    const ctx = { linePrefix: 'x = ', lineSuffix: '', linesBelow: [], indentUnit: '    ', maxLines: 8 };
    assert.equal(completionIsDone('foo(', ctx), false);
    assert.equal(completionIsDone('foo(\u0016', ctx), true);
  });
});
