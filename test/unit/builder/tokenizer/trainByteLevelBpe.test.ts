import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InkwellError } from '../../../../sidecar/engine/InkwellError';
import {
  codePreTokenize,
  defaultSpecialTokens,
  defaultTokenizerCorpus,
  trainByteLevelBpe,
} from '../../../../sidecar/builder/tokenizer';
import { naiveEncode, naiveTrain } from './referenceBpe';

// hug ×10, pug ×5, hugs ×12 → pair counts ug 27, hu 22, gs 12, pu 5. By hand:
//   1. u+g (27)  2. h+ug (22)  3. hug+s (12)  4. p+ug (5)   then nothing is left to merge.
const hugCorpus = [...Array(10).fill('hug'), ...Array(5).fill('pug'), ...Array(12).fill('hugs')];
const hugMerges = [['u', 'g'], ['h', 'ug'], ['hug', 's'], ['p', 'ug']];
const specials = ['<|endoftext|>', '<|fim_prefix|>'];

function expectInvalid(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(InkwellError.is(error));
    assert.equal(error.code, 'invalid-argument');
    assert.match(error.message, pattern);
    return true;
  });
}

describe('trainByteLevelBpe', () => {
  it('learns the hand-computed merges of a three-word corpus, in order', () => {
    const trained = trainByteLevelBpe({ texts: hugCorpus, vocabSize: 256 + 4 + 2, specialTokens: specials });
    const { model, added_tokens } = trained.tokenizerJson;
    assert.deepEqual(model.merges, hugMerges);
    assert.equal(model.vocab.ug, 256);
    assert.equal(model.vocab.hugs, 258);
    assert.equal(model.vocab.pug, 259);
    assert.equal(model.vocab.a, 97, 'byte tokens use the byte value as id');
    assert.deepEqual(trained.specialTokenIds, { '<|endoftext|>': 260, '<|fim_prefix|>': 261 });
    assert.deepEqual(added_tokens.map((t) => [t.id, t.content, t.special, t.normalized]), [
      [260, '<|endoftext|>', true, false],
      [261, '<|fim_prefix|>', true, false],
    ]);
  });

  it('stops at vocabSize, keeping the most frequent merges', () => {
    const trained = trainByteLevelBpe({ texts: hugCorpus, vocabSize: 256 + 2 + 2, specialTokens: specials });
    assert.deepEqual(trained.tokenizerJson.model.merges, hugMerges.slice(0, 2));
  });

  it('breaks count ties by the lower (left id, right id) pair', () => {
    const trained = trainByteLevelBpe({
      texts: ['cd', 'ab', 'cd', 'ab', 'ba', 'ba'],
      vocabSize: 256 + 3 + 1,
      specialTokens: ['<|endoftext|>'],
    });
    assert.deepEqual(trained.tokenizerJson.model.merges, [['a', 'b'], ['b', 'a'], ['c', 'd']]);
  });

  it('has exactly vocabSize ids, contiguous from 0', () => {
    const texts = [defaultTokenizerCorpus()[0].slice(0, 100_000)];
    const trained = trainByteLevelBpe({ texts, vocabSize: 1000 });
    const ids = [...Object.values(trained.tokenizerJson.model.vocab), ...trained.tokenizerJson.added_tokens.map((t) => t.id)];
    assert.equal(ids.length, 1000);
    assert.deepEqual([...ids].sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
    assert.deepEqual(Object.keys(trained.specialTokenIds), defaultSpecialTokens);
    assert.equal(trained.specialTokenIds['<|endoftext|>'], 1000 - defaultSpecialTokens.length);
  });

  it('matches a naive recount-every-merge trainer', () => {
    // Code plus runs that stress overlapping merges (`aaaa`, `====`) and repeated pairs.
    const code = defaultTokenizerCorpus()[0].slice(20_000, 60_000);
    const texts = [code, 'aaaa aaa aa a aaaaaaa ======== ==== abab ababab baba\n\n\n\t\t\t'.repeat(3)];
    const words = texts.flatMap((t) => codePreTokenize(t));
    for (const minFrequency of [1, 3]) {
      const trained = trainByteLevelBpe({ texts, vocabSize: 701, specialTokens: ['<|endoftext|>'], minFrequency });
      assert.deepEqual(trained.tokenizerJson.model.merges, naiveTrain(words, 700, minFrequency));
    }
  });

  it('encodes with learned merges the way an independent encoder replays them', () => {
    const trained = trainByteLevelBpe({ texts: hugCorpus, vocabSize: 256 + 4 + 2, specialTokens: specials });
    const { vocab, merges } = trained.tokenizerJson.model;
    // `hugs` needs merges 1→2→3; `pugs` gets pug + s (no `pug s` rule); `ughug` needs ug first.
    const ids = naiveEncode('hugs pugs ughug<|endoftext|>', vocab, merges, trained.specialTokenIds);
    assert.deepEqual(ids, [258, 32, 259, 115, 32, 256, 257, 260]);
  });

  it('is deterministic', () => {
    const texts = [defaultTokenizerCorpus()[1].slice(0, 80_000)];
    const a = trainByteLevelBpe({ texts, vocabSize: 900 });
    const b = trainByteLevelBpe({ texts: [...texts], vocabSize: 900 });
    assert.equal(JSON.stringify(a), JSON.stringify(b));
  });

  it('does not learn across special tokens in the corpus', () => {
    const texts = Array(5).fill('ab<|endoftext|>cd');
    const trained = trainByteLevelBpe({ texts, vocabSize: 256 + 2 + 1, specialTokens: ['<|endoftext|>'] });
    assert.deepEqual(trained.tokenizerJson.model.merges, [['a', 'b'], ['c', 'd']]);
  });

  it('accepts any iterable of texts', () => {
    function* texts(): Generator<string> {
      yield* hugCorpus;
    }
    const trained = trainByteLevelBpe({ texts: texts(), vocabSize: 262, specialTokens: specials });
    assert.deepEqual(trained.tokenizerJson.model.merges, hugMerges);
  });

  it('rejects a vocabSize below 256 + special tokens', () => {
    expectInvalid(() => trainByteLevelBpe({ texts: hugCorpus, vocabSize: 262 }), /vocabSize 262 is too small.*at least 263/);
    expectInvalid(() => trainByteLevelBpe({ texts: hugCorpus, vocabSize: 300.5 }), /vocabSize must be an integer/);
  });

  it('rejects a vocabSize the corpus cannot reach, naming the maximum', () => {
    expectInvalid(
      () => trainByteLevelBpe({ texts: hugCorpus, vocabSize: 300, specialTokens: specials }),
      /vocabSize 300 is not reachable.*at most 262 ids/,
    );
    expectInvalid(
      () => trainByteLevelBpe({ texts: hugCorpus, vocabSize: 262, specialTokens: specials, minFrequency: 6 }),
      /at most 261 ids/,
    );
  });

  it('rejects bad special tokens', () => {
    expectInvalid(() => trainByteLevelBpe({ texts: [], vocabSize: 300, specialTokens: ['<a>', '<a>'] }), /listed twice/);
    expectInvalid(() => trainByteLevelBpe({ texts: [], vocabSize: 300, specialTokens: [''] }), /non-empty/);
    expectInvalid(() => trainByteLevelBpe({ texts: [], vocabSize: 300, specialTokens: [] }), /at least one token/);
    expectInvalid(
      () => trainByteLevelBpe({ texts: [], vocabSize: 300, specialTokens: ['<a>'], eosToken: '<b>' }),
      /eosToken "<b>" must be one of the special tokens/,
    );
  });
});
