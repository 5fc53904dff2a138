import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { playgroundText } from '../../../media/panel/playgroundText';

describe('playgroundText', () => {
  it('shows a single unscored text as it is', () => {
    assert.equal(playgroundText(['def f():']), 'def f():');
    assert.equal(playgroundText([]), '');
  });

  it('heads each of several sequences, numbered from 1', () => {
    assert.equal(playgroundText(['a', 'b']), '── sequence 1 ──\na\n\n── sequence 2 ──\nb');
  });

  it('adds each beam score, even for a single returned beam', () => {
    assert.equal(playgroundText(['x', 'y'], [-0.5, -1.25]), '── sequence 1 · score -0.500 ──\nx\n\n── sequence 2 · score -1.250 ──\ny');
    assert.equal(playgroundText(['x'], [-0.1234]), '── sequence 1 · score -0.123 ──\nx');
  });
});
