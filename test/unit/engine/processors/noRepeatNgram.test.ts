import assert from 'node:assert/strict';
import { it } from 'node:test';
import { noRepeatNgram } from '../../../../sidecar/engine/processors/noRepeatNgram';
import { NEG, runProcessor } from '../support/runProcessor';

it('noRepeatNgram: bans tokens that would repeat an n-gram already in the ids', () => {
  // Bigram (1, 2) exists, the row ends in 1: token 2 is banned.
  assert.deepEqual(runProcessor(noRepeatNgram(2), [0, 0, 0, 0, 0], { ids: [1, 2, 3, 1] }), [0, 0, NEG, 0, 0]);
  // Trigram (1, 2, 3) exists, the row ends in (1, 2): token 3 is banned; (2, 3, 1) does not apply.
  assert.deepEqual(runProcessor(noRepeatNgram(3), [0, 0, 0, 0, 0], { ids: [1, 2, 3, 1, 2] }), [0, 0, 0, NEG, 0]);
  // Too short to hold an n-gram: untouched.
  assert.deepEqual(runProcessor(noRepeatNgram(3), [0, 0, 0], { ids: [1] }), [0, 0, 0]);
  // Two earlier matches ban two tokens.
  assert.deepEqual(runProcessor(noRepeatNgram(2), [0, 0, 0, 0, 0], { ids: [4, 1, 4, 3, 4] }), [0, NEG, 0, NEG, 0]);
});
