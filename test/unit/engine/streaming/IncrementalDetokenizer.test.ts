import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TextTokenizer } from '../../../../sidecar/engine/model/TextTokenizer';
import { IncrementalDetokenizer } from '../../../../sidecar/engine/streaming/IncrementalDetokenizer';
import { HfTokenizer } from '../../../../sidecar/runtime/tokenizer/HfTokenizer';
import { qwen3TokenizerDir } from '../../../support/testModels';

/**
 * The detokenizer's deltas must add up to a full decode of the same ids, whatever the ids, and
 * its work must grow linearly: every decode call is counted (calls and ids decoded), never timed.
 */

interface Counted {
  readonly tokenizer: TextTokenizer;
  readonly work: { calls: number; ids: number; widest: number };
}

/** Wraps a tokenizer so that every decode is counted. */
function counted(inner: TextTokenizer): Counted {
  const work = { calls: 0, ids: 0, widest: 0 };
  const tokenizer: TextTokenizer = {
    vocabSize: inner.vocabSize,
    eosTokenIds: inner.eosTokenIds,
    bosTokenId: inner.bosTokenId,
    padTokenId: inner.padTokenId,
    encode: (text, options) => inner.encode(text, options),
    decode: (ids, options) => {
      work.calls++;
      work.ids += ids.length;
      work.widest = Math.max(work.widest, ids.length);
      return inner.decode(ids, options);
    },
    tokenToId: (token) => inner.tokenToId(token),
    idToToken: (id) => inner.idToToken(id),
    isSpecial: (id) => inner.isSpecial(id),
  };
  return { tokenizer, work };
}

/** Each id is one byte; decoding is WHATWG UTF-8 with U+FFFD for bad or unfinished sequences, as byte-level BPE decodes. */
const byteTokenizer: TextTokenizer = {
  vocabSize: 256,
  eosTokenIds: [],
  bosTokenId: undefined,
  padTokenId: undefined,
  encode: (text) => [...new TextEncoder().encode(text)],
  decode: (ids) => new TextDecoder('utf-8').decode(Uint8Array.from(ids)),
  tokenToId: () => undefined,
  idToToken: () => undefined,
  isSpecial: () => false,
};

function load(dir: string): HfTokenizer {
  const json = (name: string) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, unknown>;
  return new HfTokenizer(json('tokenizer.json'), json('tokenizer_config.json'));
}

const fixtures = join(__dirname, '..', '..', '..', 'conformance', 'fixtures');

/** A SentencePiece-style tokenizer (Metaspace decoding, byte fallback): the first token's leading space is dropped. */
function sentencePieceTokenizer(): HfTokenizer {
  const bytes = Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
  const vocab: Record<string, number> = { '<unk>': 0, '<s>': 1, '</s>': 2 };
  for (const piece of [...bytes, '▁', 'a', 'b', 'c', 'd', '.', '▁a', '▁b', 'ab', '▁ab', 'cd']) vocab[piece] = Object.keys(vocab).length;
  const special = (content: string, id: number) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return new HfTokenizer(
    {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: ['<unk>', '<s>', '</s>'].map(special),
      normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] },
      pre_tokenizer: null,
      post_processor: null,
      decoder: {
        type: 'Sequence',
        decoders: [{ type: 'Replace', pattern: { String: '▁' }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }],
      },
      model: {
        type: 'BPE', dropout: null, unk_token: '<unk>', continuing_subword_prefix: null, end_of_word_suffix: null,
        fuse_unk: true, byte_fallback: true, ignore_merges: false, vocab, merges: ['▁ a', '▁ b', 'a b', '▁a b', 'c d'],
      },
    },
    { bos_token: '<s>', eos_token: '</s>' },
  );
}

/** Pushes every id (flushing at the end) and returns the deltas. */
function stream(tokenizer: TextTokenizer, ids: readonly number[], skipSpecialTokens = true): string[] {
  const detokenizer = new IncrementalDetokenizer(tokenizer, skipSpecialTokens);
  const deltas = ids.map((id) => detokenizer.push(id));
  deltas.push(detokenizer.flush());
  assert.equal(deltas.join(''), detokenizer.emitted);
  return deltas;
}

/** A seeded xorshift, so that the random cases are the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** Texts that stress the detokenizer: split characters, U+FFFD in the text, lone surrogates, mixed scripts, code. */
function trickyTexts(): Record<string, string> {
  const next = random(7);
  const pool = [...'ab x_=(){}\n\t  漢字かな한국어éüß', '😀', '🎉', '👍🏽', '\uFFFD', 'e\u0301', '\u0000', '\r\n', '\uD800', '<s>', '</s>'];
  let mixed = '';
  while (mixed.length < 3000) mixed += pool[Math.floor(next() * pool.length)];
  return {
    'U+FFFD before emoji': '\uFFFD\uFFFD😀'.repeat(150),
    'lone surrogates': 'x\uD800y\uDC00'.repeat(100),
    'emoji and CJK': 'a😀€ 漢字 👍🏽\n'.repeat(100),
    'combining marks': 'e\u0301 o\u0308 '.repeat(100),
    'random mix': mixed,
    code: 'def add(a, b):\n    return a + b  # ünïcödé 🎉\n\nclass Parser:\n    pass\n'.repeat(30),
  };
}

describe('IncrementalDetokenizer', () => {
  it('equals a full decode on arbitrary bytes (invalid UTF-8 included), with bounded windows', () => {
    const next = random(11);
    const cases = [
      Array.from({ length: 4000 }, () => Math.floor(next() * 256)),
      // Lead bytes, continuation bytes and ASCII in runs, so sequences are cut at every length.
      Array.from({ length: 4000 }, () => [0xf0, 0x9f, 0x98, 0x80, 0xe2, 0x82, 0xac, 0xc3, 0xa9, 0xef, 0xbf, 0xbd, 0x41][Math.floor(next() * 13)]!),
    ];
    for (const ids of cases) {
      const { tokenizer, work } = counted(byteTokenizer);
      assert.equal(stream(tokenizer, ids).join(''), byteTokenizer.decode(ids));
      assert.ok(work.widest <= 16, `widest window ${work.widest} ids`);
      assert.ok(work.ids <= 16 * ids.length, `${work.ids} ids decoded for ${ids.length}`);
    }
  });

  it('a U+FFFD in the text before a split emoji does not make the window grow (it grew with every token before)', () => {
    const text = '\uFFFD\uFFFD😀'.repeat(400);
    const ids = byteTokenizer.encode(text);
    const { tokenizer, work } = counted(byteTokenizer);
    assert.equal(stream(tokenizer, ids).join(''), text);
    assert.ok(work.widest <= 16, `widest window ${work.widest} ids`);
    assert.ok(work.calls <= 3 * ids.length && work.ids <= 16 * ids.length, `${work.calls} decodes of ${work.ids} ids for ${ids.length}`);
  });

  it('holds back an unfinished character and releases nothing broken', () => {
    const deltas = stream(byteTokenizer, byteTokenizer.encode('a€😀b'));
    assert.deepEqual(deltas, ['a', '', '', '€', '', '', '', '😀', 'b', '']);
    const detokenizer = new IncrementalDetokenizer(byteTokenizer);
    assert.equal(detokenizer.push(0x61), 'a');
    assert.equal(detokenizer.push(0xe2), '');
    assert.equal(detokenizer.flush(), '\uFFFD', 'flush releases an unfinished character at the end');
  });

  const real: [string, () => TextTokenizer][] = [
    ['Qwen3 (151k, NFC)', () => load(qwen3TokenizerDir)],
    ['gpt2-optimum fixture', () => load(join(fixtures, 'gpt2-optimum'))],
    ['llama-optimum fixture', () => load(join(fixtures, 'llama-optimum'))],
    ['qwen2-optimum fixture (640 ids: characters split across tokens)', () => load(join(fixtures, 'qwen2-optimum'))],
    ['SentencePiece-style (Metaspace, byte fallback)', sentencePieceTokenizer],
  ];
  for (const [name, make] of real) {
    it(`equals a full decode of the same ids with the ${name} tokenizer, in linear work`, () => {
      const inner = make();
      for (const [label, text] of Object.entries(trickyTexts())) {
        const ids = inner.encode(text, { addSpecialTokens: false });
        for (const skip of [false, true]) {
          const { tokenizer, work } = counted(inner);
          const joined = stream(tokenizer, ids, skip).join('');
          assert.equal(joined, inner.decode(ids, { skipSpecialTokens: skip }), `${label}, skipSpecialTokens ${skip}`);
          assert.ok(work.widest <= 16, `${label}: widest window ${work.widest} ids`);
          assert.ok(work.ids <= 16 * ids.length + 16, `${label}: ${work.ids} ids decoded for ${ids.length}`);
        }
      }
    });
  }

  it('a decoder that keeps rewriting its text still costs bounded windows', () => {
    // Every decode starts with the number of ids, so no window ever agrees with the text shown.
    const rewriting: TextTokenizer = { ...byteTokenizer, decode: (ids) => `${ids.length}:${String.fromCharCode(...ids.map((id) => 0x61 + (id % 26)))}` };
    const { tokenizer, work } = counted(rewriting);
    stream(tokenizer, Array.from({ length: 3000 }, (_, i) => i % 26));
    assert.ok(work.widest <= 256, `widest window ${work.widest} ids`);
  });
});
