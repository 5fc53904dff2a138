import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { generate } from '../../../sidecar/engine/generation/generate';
import { loadModel, type LoadedModel } from '../../../sidecar/runtime/index';
import { conformanceFixtures, hfRunConfig } from '../../support/conformanceFixtures';

/**
 * What onnxruntime-genai's graphs cannot do, and what they can. Their GroupQueryAttention takes
 * each row's length from the attention mask's sum and counts positions from the row's start
 * (it assumes right padding), so a left-padded batch — prompts of different lengths — would be
 * silently wrong; Inkwell refuses it. Rows without padding (the same prompt twice, beam search)
 * are fine. The other checks (greedy, beam, int4 top-1) run on these folders in the shared
 * conformance tests.
 */
for (const fixture of conformanceFixtures().filter((f) => f.goldens.exporter === 'onnxruntime-genai' && f.goldens.variants.includes('fp32'))) {
  describe(`conformance ${fixture.name}: batches on a GroupQueryAttention graph`, () => {
    let loaded: LoadedModel;
    before(async () => {
      loaded = await loadModel({ dir: fixture.dir, dtype: 'fp32', device: 'cpu', threads: 1 });
    });
    after(async () => loaded?.model.dispose());

    it('refuses prompts of different lengths in one batch, naming the cause and the fix', async () => {
      const [a, b] = [fixture.goldens.greedy[0]!, fixture.goldens.greedy[2]!];
      assert.notEqual(a.promptIds.length, b.promptIds.length);
      const config = hfRunConfig(loaded.folder, { do_sample: false, max_new_tokens: 4 });
      await assert.rejects(
        generate(loaded.model, loaded.tokenizer, { prompts: [a.promptIds, b.promptIds], config }).result(),
        (e: unknown) => InkwellError.is(e) && e.code === 'invalid-argument' && /GroupQueryAttention/.test(e.message) && /one prompt per request/.test(e.message),
      );
    });

    it('runs two rows without padding: each gives transformers\' greedy tokens', async () => {
      const golden = fixture.goldens.greedy[1]!;
      const config = hfRunConfig(loaded.folder, { do_sample: false, max_new_tokens: golden.tokens.length });
      const result = await generate(loaded.model, loaded.tokenizer, { prompts: [golden.promptIds, golden.promptIds], config }).result();
      assert.deepEqual(result.sequences.map((s) => s.tokenIds), [golden.tokens, golden.tokens]);
    });
  });
}
