import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseGenerationConfig } from '../../../sidecar/engine/config/parseGenerationConfig';
import { generate } from '../../../sidecar/engine/generation/generate';
import { loadModel, type LoadedModel } from '../../../sidecar/runtime/index';
import { qwen3TokenizerDir, testModel } from '../../support/testModels';

/**
 * The engine on the real runtime (worker thread) with a real 151k byte-level tokenizer: random
 * weights emit arbitrary byte tokens, which is exactly what exercises incremental UTF-8 decoding.
 */
describe('generation on the worker-thread runtime with the Qwen3 tokenizer', () => {
  let loaded: LoadedModel;
  before(async () => {
    const dir = testModel('qwen-vocab-tiny', {
      modelType: 'qwen2', layers: 1, hidden: 32, heads: 2, kvHeads: 1, intermediate: 64, vocab: 151_936, seed: 5,
      dtypes: ['fp32'], tokenizerFrom: qwen3TokenizerDir,
    });
    loaded = await loadModel({ dir, dtype: 'fp32', device: 'cpu' });
  });
  after(async () => loaded.model.dispose());

  it('streamed deltas never hold a broken character and concatenate to the final text', async () => {
    const config = parseGenerationConfig({ do_sample: true, temperature: 1.5, top_k: 0, max_new_tokens: 60, num_return_sequences: 3, seed: 9 }).config;
    const prompt = loaded.tokenizer.encode('中文 emoji 🚀 and code: const ü = "ß";');
    const run = generate(loaded.model, loaded.tokenizer, { prompts: [prompt], config });
    const streamed = ['', '', ''];
    let sawMultiByte = false;
    for await (const event of run) {
      if (event.type === 'done') break;
      if (event.delta.length > 0) {
        // A lone surrogate or U+FFFD at the end of a delta would mean a character was cut.
        assert.ok(!/[\uD800-\uDBFF]$/.test(event.delta), `delta ends inside a surrogate pair: ${JSON.stringify(event.delta)}`);
        if (/[^\x00-\x7f]/.test(event.delta)) sawMultiByte = true;
      }
      streamed[event.sequence] += event.delta;
    }
    const result = await run.result();
    for (const s of result.sequences) assert.equal(streamed[s.sequence], s.text);
    // Same decode of the same ids, independently of the streaming path.
    for (const s of result.sequences) {
      const eos = new Set(loaded.tokenizer.eosTokenIds);
      const ids = s.tokenIds.filter((id) => !eos.has(id));
      assert.equal(s.text, loaded.tokenizer.decode(ids, { skipSpecialTokens: true }));
    }
    assert.ok(sawMultiByte, 'random byte-level tokens should have produced non-ASCII text');
  });

  it('an abort stops generation within one step and returns the partial result', async () => {
    const config = parseGenerationConfig({ do_sample: false, max_new_tokens: 200, min_new_tokens: 200 }).config;
    const controller = new AbortController();
    const run = generate(loaded.model, loaded.tokenizer, { prompts: [loaded.tokenizer.encode('abc')], config, signal: controller.signal });
    let tokensAtAbort = -1;
    let tokens = 0;
    for await (const event of run) {
      if (event.type !== 'token') continue;
      tokens++;
      if (tokens === 5) {
        controller.abort();
        tokensAtAbort = tokens;
      }
    }
    const result = await run.result();
    assert.equal(result.sequences[0]!.finishReason, 'aborted');
    const extra = result.sequences[0]!.tokenIds.length - tokensAtAbort;
    // The step in flight when abort() ran may still deliver its token; none after it.
    assert.ok(extra <= 1, `${extra} tokens after the abort`);
  });
});
