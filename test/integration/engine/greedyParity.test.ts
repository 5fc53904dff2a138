import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseGenerationConfig } from '../../../sidecar/engine/config/parseGenerationConfig';
import { generate } from '../../../sidecar/engine/generation/generate';
import { loadModel, type LoadedModel } from '../../../sidecar/runtime/index';
import { loadTransformersJs, type TransformersJsModel } from '../../support/transformersJs';
import { smallModel, testModel } from '../../support/testModels';

const PROMPTS = [
  'function add(a: number, b: number) {\n  return',
  'export interface Options {\n',
  'const x = [1, 2, 3].map((v) =>',
  'Ünïcödé ✓ 你好 🚀',
];
const NEW_TOKENS = 24;

/**
 * transformers.js is an independent implementation of the same generate() semantics over the
 * same folder: token-identical greedy output proves the folder is in the standard format and
 * our prefill/decode/KV-cache path is right.
 */
const MODELS = [
  { name: 'llama (GQA, untied)', dir: () => smallModel(), dtype: 'fp32' as const },
  { name: 'llama q4 (MatMulNBits)', dir: () => smallModel(), dtype: 'q4' as const },
  {
    name: 'qwen2 (q/k/v biases, tied)',
    dir: () => testModel('qwen2', { modelType: 'qwen2', layers: 2, hidden: 64, heads: 4, kvHeads: 1, intermediate: 160, vocab: 1100, seed: 3, dtypes: ['fp32'] }),
    dtype: 'fp32' as const,
  },
];

for (const spec of MODELS) {
  describe(`greedy decoding equals transformers.js: ${spec.name}`, () => {
    let ours: LoadedModel;
    let peer: TransformersJsModel;
    before(async () => {
      const dir = spec.dir();
      ours = await loadModel({ dir, dtype: spec.dtype, device: 'cpu', threads: 1 });
      peer = await loadTransformersJs(dir, { dtype: spec.dtype, threads: 1 });
    });
    after(async () => {
      await ours.model.dispose();
      await peer.dispose();
    });

    for (const text of PROMPTS) {
      it(JSON.stringify(text), async () => {
        const ids = ours.tokenizer.encode(text, { addSpecialTokens: true });
        const config = parseGenerationConfig({ do_sample: false, max_new_tokens: NEW_TOKENS, min_new_tokens: NEW_TOKENS }).config;
        const result = await generate(ours.model, ours.tokenizer, { prompts: [ids], config }).result();
        const expected = await peer.greedy(ids, NEW_TOKENS);
        assert.deepEqual(result.sequences[0]!.tokenIds, expected.ids);
      });
    }

    it('a left-padded batch of all prompts gives each prompt its own greedy continuation', async () => {
      const prompts = PROMPTS.map((t) => ours.tokenizer.encode(t, { addSpecialTokens: true }));
      const config = parseGenerationConfig({ do_sample: false, max_new_tokens: NEW_TOKENS, min_new_tokens: NEW_TOKENS }).config;
      const batched = await generate(ours.model, ours.tokenizer, { prompts, config }).result();
      for (let i = 0; i < prompts.length; i++) {
        const expected = await peer.greedy(prompts[i]!, NEW_TOKENS);
        assert.deepEqual(batched.sequences[i]!.tokenIds, expected.ids, `prompt ${i}`);
      }
    });
  });
}
