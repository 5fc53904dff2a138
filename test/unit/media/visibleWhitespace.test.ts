import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { visibleWhitespace } from '../../../media/panel/visibleWhitespace';

describe('visibleWhitespace', () => {
  it('marks spaces, newlines, tabs and carriage returns', () => {
    assert.equal(visibleWhitespace(' return'), '␣return');
    assert.equal(visibleWhitespace('\n\t'), '⏎⇥');
    assert.equal(visibleWhitespace('\r\n'), '␍⏎');
  });

  it('writes other control characters as escapes and empty tokens as ∅', () => {
    assert.equal(visibleWhitespace('\u0000a\u001b'), '\\u{0}a\\u{1b}');
    assert.equal(visibleWhitespace(''), '∅');
  });

  it('leaves markup and non-ASCII text as it is (it is shown as text, never parsed)', () => {
    assert.equal(visibleWhitespace('<b>&amp;'), '<b>&amp;');
    assert.equal(visibleWhitespace('é🙂'), 'é🙂');
  });
});
