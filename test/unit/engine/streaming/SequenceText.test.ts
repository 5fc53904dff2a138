import assert from 'node:assert/strict';
import { it } from 'node:test';
import { StopStringMatcher } from '../../../../sidecar/engine/stopping/StopStringMatcher';
import { IncrementalDetokenizer } from '../../../../sidecar/engine/streaming/IncrementalDetokenizer';
import { SequenceText } from '../../../../sidecar/engine/streaming/SequenceText';
import type { TextTokenizer } from '../../../../sidecar/engine/model/TextTokenizer';
import { CharTokenizer } from '../support/CharTokenizer';

/** Each id is one byte of UTF-8; decoding replaces incomplete sequences with U+FFFD, like byte-level BPE. */
function byteTokenizer(): TextTokenizer & { decodes: number[] } {
  const decodes: number[] = [];
  const decoder = new TextDecoder('utf-8');
  return {
    decodes,
    vocabSize: 256,
    eosTokenIds: [],
    bosTokenId: undefined,
    padTokenId: undefined,
    encode: (text) => [...new TextEncoder().encode(text)],
    decode: (ids) => {
      decodes.push(ids.length);
      return decoder.decode(Uint8Array.from(ids));
    },
    tokenToId: () => undefined,
    idToToken: () => undefined,
    isSpecial: () => false,
  };
}

it('IncrementalDetokenizer: holds bytes back until a character is complete; decodes short windows only', () => {
  const tokenizer = byteTokenizer();
  const detok = new IncrementalDetokenizer(tokenizer);
  const text = 'a€😀b'.repeat(50);
  const out = tokenizer.encode(text).map((id) => detok.push(id));
  out.push(detok.flush());
  assert.equal(out.join(''), text);
  assert.ok(out.every((d) => !d.includes('\uFFFD')));
  assert.deepEqual(out.slice(0, 9), ['a', '', '', '€', '', '', '', '😀', 'b']);
  assert.ok(Math.max(...tokenizer.decodes) <= 8, 'windows stay a few tokens long, not the whole sequence');
});

it('IncrementalDetokenizer: flush releases an unfinished character at the end', () => {
  const detok = new IncrementalDetokenizer(byteTokenizer());
  assert.equal(detok.push(0x61), 'a');
  assert.equal(detok.push(0xe2), '');
  assert.equal(detok.flush(), '\uFFFD');
});

it('SequenceText: holds back a possible stop string, releases it when it diverges, trims it when it completes', () => {
  const tokenizer = new CharTokenizer('abcXYZ');
  const text = new SequenceText(tokenizer, new StopStringMatcher(['XYZ']));
  const deltas = [...'abXYcXY'].map((c) => text.push(tokenizer.encode(c)[0]!));
  assert.deepEqual(deltas, ['a', 'b', '', '', 'XYc', '', '']);
  assert.equal(text.stopped, false);
  assert.equal(text.finish(), 'XY', 'without the Z, the held-back tail is released at the end');
  assert.equal(text.text, 'abXYcXY');

  const stopping = new SequenceText(tokenizer, new StopStringMatcher(['XYZ']));
  const parts = [...'abXYZc'].map((c) => stopping.push(tokenizer.encode(c)[0]!));
  assert.equal(stopping.stopped, true);
  parts.push(stopping.finish());
  assert.equal(parts.join(''), 'ab');
  assert.equal(stopping.text, 'ab');
});
