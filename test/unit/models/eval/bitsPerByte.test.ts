import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ForwardInput, KvCache, LanguageModel } from '../../../../sidecar/engine/model/LanguageModel';
import { bitsPerByte, languageStreams } from '../../../../models/pipeline/eval/bitsPerByte';

/** Every logit 0 over a vocabulary of 4: each id costs exactly ln 4 nats = 2 bits. */
class UniformModel implements LanguageModel {
  readonly info = { modelType: 'llama', vocabSize: 4, hiddenSize: undefined, maxPositions: 8, dtype: 'fp32', executionProvider: 'reference' };
  async createCache(batch: number): Promise<KvCache> { return { id: 1, batch, length: 0 }; }
  async forward(cache: KvCache, input: ForwardInput) {
    return { cache: { ...cache, length: cache.length + input.seqLen }, output: { logits: new Float32Array(input.seqLen * 4) } };
  }
  async cropCache(cache: KvCache) { return cache; }
  async selectCacheRows(cache: KvCache) { return cache; }
  async releaseCache() {}
  async dispose() {}
}

/** One id per UTF-16 unit: "xy€" is 3 ids for 5 UTF-8 bytes. */
const encode = (text: string) => [...text].map((c) => c.charCodeAt(0) % 3);

describe('bitsPerByte', () => {
  it('2 bits per id spread over each language\'s bytes per id (EOS counted as an id), by hand', async () => {
    const files = [
      { id: '/p/a.py', text: 'abcdef' }, // 6 ids + EOS = 7 ids, 6 bytes
      { id: '/p/b.ts', text: 'xy€' }, // 3 ids + EOS = 4 ids, 5 bytes
      { id: '/p/c.ts', text: 'qq' }, // 2 ids + EOS = 3 ids, 2 bytes
      { id: '/p/readme.md', text: 'not code' },
    ];
    const r = await bitsPerByte(new UniformModel(), languageStreams(encode, files, 3), { window: 4 });
    assert.deepEqual(Object.keys(r).sort(), ['python', 'typescript']);
    assert.equal(r.python!.ids, 7);
    assert.equal(r.python!.bytes, 6);
    assert.ok(Math.abs(r.python!.bitsPerByte - 2 * 7 / 6) < 1e-6, String(r.python!.bitsPerByte));
    assert.equal(r.typescript!.files, 2);
    assert.equal(r.typescript!.ids, 7);
    assert.equal(r.typescript!.bytes, 7);
    assert.ok(Math.abs(r.typescript!.bitsPerByte - 2) < 1e-6, String(r.typescript!.bitsPerByte));
  });

  it('leaves out a language whose stream is shorter than one window', async () => {
    const r = await bitsPerByte(new UniformModel(), languageStreams(encode, [{ id: '/p/a.js', text: 'ab' }], 3), { window: 4 });
    assert.deepEqual(r, {});
  });
});
