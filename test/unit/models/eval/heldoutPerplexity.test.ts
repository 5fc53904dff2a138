import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ForwardInput, KvCache, LanguageModel } from '../../../../sidecar/engine/model/LanguageModel';
import { InkwellError } from '../../../../sidecar/engine/InkwellError';
import { heldoutPerplexity } from '../../../../models/pipeline/eval/heldoutPerplexity';

/**
 * A model whose logits are known: after id t, the logit of (t + 1) mod V is ln 3 and every other
 * logit is 0. With V = 4 that gives p(t + 1) = 3 / (3 + 3) = 1/2 and p(other) = 1/6.
 */
class CountingModel implements LanguageModel {
  readonly info = { modelType: 'llama', vocabSize: 4, hiddenSize: undefined, maxPositions: 8, dtype: 'fp32', executionProvider: 'reference' };
  forwards = 0;
  async createCache(batch: number): Promise<KvCache> {
    return { id: 1, batch, length: 0 };
  }
  async forward(cache: KvCache, input: ForwardInput) {
    this.forwards++;
    const logits = new Float32Array(input.seqLen * 4);
    for (let t = 0; t < input.seqLen; t++) logits[t * 4 + ((input.inputIds[t]! + 1) % 4)] = Math.log(3);
    return { cache: { ...cache, length: cache.length + input.seqLen }, output: { logits } };
  }
  async cropCache(cache: KvCache) { return cache; }
  async selectCacheRows(cache: KvCache) { return cache; }
  async releaseCache() {}
  async dispose() {}
}

describe('heldoutPerplexity', () => {
  it('every next id predicted at p = 1/2: perplexity exactly 2, accuracy 1', async () => {
    const result = await heldoutPerplexity(new CountingModel(), [0, 1, 2, 3, 0, 1, 2, 3], { window: 4 });
    assert.equal(result.windows, 2);
    assert.equal(result.tokens, 6); // 3 scored per window: a window's first id has no context
    assert.ok(Math.abs(result.perplexity - 2) < 1e-6, String(result.perplexity)); // ln 3 is stored as float32
    assert.equal(result.accuracy, 1);
  });

  it('a mix of hits (p = 1/2) and misses (p = 1/6): exp of the mean NLL, by hand', async () => {
    // Window [0, 1, 3, 3]: 0→1 hit, 1→3 miss, 3→3 miss. Window [2, 3, 0, 2]: hit, hit, miss.
    const result = await heldoutPerplexity(new CountingModel(), [0, 1, 3, 3, 2, 3, 0, 2, 1], { window: 4 });
    const expected = Math.exp((3 * Math.log(2) + 3 * Math.log(6)) / 6); // = sqrt(12)
    assert.equal(result.tokens, 6); // the ninth id does not fill a window and is not scored
    assert.ok(Math.abs(result.perplexity - expected) < 1e-6, `${result.perplexity} vs ${expected}`);
    assert.equal(result.accuracy, 0.5);
  });

  it('maxWindows limits the work to the first windows', async () => {
    const model = new CountingModel();
    const result = await heldoutPerplexity(model, [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3], { window: 4, maxWindows: 1 });
    assert.equal(result.windows, 1);
    assert.equal(model.forwards, 1);
  });

  it('refuses a window beyond the model context or a stream shorter than one window, naming the field', async () => {
    await assert.rejects(heldoutPerplexity(new CountingModel(), [0, 1, 2], { window: 16 }), (e: unknown) => e instanceof InkwellError && /window must be an integer in \[2, 8\]/.test(e.message));
    await assert.rejects(heldoutPerplexity(new CountingModel(), [0, 1, 2], { window: 4 }), (e: unknown) => e instanceof InkwellError && /fewer than one window/.test(e.message));
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await assert.rejects(heldoutPerplexity(new CountingModel(), [0, 1, 2, 3], { window: 4, signal: controller.signal }), /stop/);
  });
});
