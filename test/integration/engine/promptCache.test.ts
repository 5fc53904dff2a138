import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseGenerationConfig } from '../../../sidecar/engine/config/parseGenerationConfig';
import { generate } from '../../../sidecar/engine/generation/generate';
import { PromptCache } from '../../../sidecar/engine/generation/PromptCache';
import { loadModel, type LoadedModel } from '../../../sidecar/runtime/index';
import { smallModel } from '../../support/testModels';

const SOURCE = `export function mergeSorted(a: number[], b: number[]): number[] {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] <= b[j]) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out.concat(a.slice(i), b.slice(j));
}

// Typing starts here: `;
const TYPED = 'const merged = mergeSorted([1, 4], [2';
const NEW_TOKENS = 12;

/**
 * Code completion on the real runtime: one request per keystroke, each prompt re-tokenized from
 * scratch (so the tail may tokenize differently), the KV cache carried across requests. Greedy
 * output must be exactly what a fresh generation gives, with a fraction of the prefill.
 */
const VARIANTS = [
  { name: 'in-thread, concat KV layout', inWorker: false, kvCache: 'concat' as const },
  { name: 'worker thread, default (slot) KV layout', inWorker: true, kvCache: undefined },
];

for (const variant of VARIANTS) {
  describe(`PromptCache on a real ONNX model (${variant.name})`, () => {
    let loaded: LoadedModel;
    before(async () => {
      loaded = await loadModel({ dir: smallModel(), dtype: 'fp32', device: 'cpu', inWorker: variant.inWorker, ...(variant.kvCache && { kvCache: variant.kvCache }) });
    });
    after(async () => loaded.model.dispose());

    it('typing one character at a time: token-identical greedy output, prefill cut to the changed tail', async () => {
      const { model, tokenizer } = loaded;
      const config = parseGenerationConfig({ do_sample: false, max_new_tokens: NEW_TOKENS, min_new_tokens: NEW_TOKENS }).config;
      const promptCache = new PromptCache(model);
      let promptTokens = 0;
      let prefilled = 0;
      for (let typed = 1; typed <= TYPED.length; typed++) {
        const prompt = tokenizer.encode(SOURCE + TYPED.slice(0, typed), { addSpecialTokens: true });
        const reused = await generate(model, tokenizer, { prompts: [prompt], config, promptCache }).result();
        const fresh = await generate(model, tokenizer, { prompts: [prompt], config }).result();
        assert.deepEqual(reused.sequences[0]!.tokenIds, fresh.sequences[0]!.tokenIds, `after typing ${JSON.stringify(TYPED.slice(0, typed))}`);
        assert.equal(reused.timings.prefillTokens + reused.timings.reusedTokens, prompt.length);
        assert.equal(fresh.timings.prefillTokens, prompt.length);
        assert.equal(fresh.timings.reusedTokens, 0);
        if (typed > 1) {
          // Re-tokenizing may merge the new character into the last token or two, never more here.
          assert.ok(reused.timings.prefillTokens <= 3, `prefilled ${reused.timings.prefillTokens} of ${prompt.length}`);
        }
        promptTokens += prompt.length;
        prefilled += reused.timings.prefillTokens;
        assert.deepEqual(promptCache.ids.slice(0, prompt.length), prompt);
        assert.equal(promptCache.ids.length, prompt.length + NEW_TOKENS - 1);
      }
      assert.ok(prefilled * 10 < promptTokens, `prefilled ${prefilled} of ${promptTokens} prompt tokens`);
      await promptCache.dispose();
    });

    it('an abort mid-decode, then the next keystroke: still identical to a fresh generation', async () => {
      const { model, tokenizer } = loaded;
      const config = parseGenerationConfig({ do_sample: false, max_new_tokens: 40, min_new_tokens: 40 }).config;
      const promptCache = new PromptCache(model);
      const first = tokenizer.encode(SOURCE + 'const x', { addSpecialTokens: true });
      const controller = new AbortController();
      const run = generate(model, tokenizer, { prompts: [first], config, promptCache, signal: controller.signal });
      let tokens = 0;
      for await (const event of run) {
        if (event.type === 'token' && ++tokens === 5) controller.abort();
      }
      const aborted = await run.result();
      assert.equal(aborted.sequences[0]!.finishReason, 'aborted');
      assert.equal(promptCache.ids.length, first.length + aborted.sequences[0]!.tokenIds.length - 1);

      const next = tokenizer.encode(SOURCE + 'const xs', { addSpecialTokens: true });
      const short = parseGenerationConfig({ do_sample: false, max_new_tokens: NEW_TOKENS, min_new_tokens: NEW_TOKENS }).config;
      const reused = await generate(model, tokenizer, { prompts: [next], config: short, promptCache }).result();
      const fresh = await generate(model, tokenizer, { prompts: [next], config: short }).result();
      assert.deepEqual(reused.sequences[0]!.tokenIds, fresh.sequences[0]!.tokenIds);
      assert.ok(reused.timings.reusedTokens >= next.length - 3);
      await promptCache.dispose();
    });
  });
}
