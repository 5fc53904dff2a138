import assert from 'node:assert/strict';
import { it } from 'node:test';
import { StopStringMatcher } from '../../../../sidecar/engine/stopping/StopStringMatcher';

it('StopStringMatcher.find: only matches that end in the new text, earliest first', () => {
  const m = new StopStringMatcher(['END', '\n\n']);
  assert.equal(m.find('abcEN', 3), -1);
  assert.equal(m.find('abcEND', 5), 3);
  // "xxE" + "ND\n\n": both stop strings end in the new text; the earlier one wins.
  assert.equal(m.find('xxEND\n\n', 3), 2);
  assert.equal(new StopStringMatcher([]).find('END', 0), -1);
});

it('StopStringMatcher.pendingSuffix: the longest tail that could still become a stop string', () => {
  const m = new StopStringMatcher(['END', 'ENTER']);
  assert.equal(m.pendingSuffix('abcE'), 1);
  assert.equal(m.pendingSuffix('abcEN'), 2);
  assert.equal(m.pendingSuffix('abcENTE'), 4);
  assert.equal(m.pendingSuffix('abcENX'), 0);
  assert.equal(m.pendingSuffix(''), 0);
});
