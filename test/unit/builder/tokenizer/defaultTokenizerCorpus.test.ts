import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultTokenizerCorpus, trainByteLevelBpe } from '../../../../sidecar/builder/tokenizer';

describe('defaultTokenizerCorpus', () => {
  it('is about 1 MB of TypeScript declarations, the same on every call', () => {
    const corpus = defaultTokenizerCorpus();
    const bytes = corpus.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
    assert.ok(bytes > 900_000 && bytes < 1_200_000, `${bytes} bytes`);
    assert.match(corpus[0], /interface Array<T>/);
    assert.deepEqual(defaultTokenizerCorpus(), corpus);
  });

  it('trains an 8192-token vocabulary', () => {
    const trained = trainByteLevelBpe({ texts: defaultTokenizerCorpus(), vocabSize: 8192 });
    const { vocab } = trained.tokenizerJson.model;
    assert.equal(Object.keys(vocab).length + trained.tokenizerJson.added_tokens.length, 8192);
    assert.equal(trained.specialTokenIds['<|im_end|>'], 8191);
    // Whole identifiers and indentation runs are what a code vocabulary should learn.
    for (const token of ['Ġinterface', 'Ġreadonly', 'ĠĠĠĠĠĠĠ', 'Ġ*/']) assert.ok(token in vocab, token);
  });
});
