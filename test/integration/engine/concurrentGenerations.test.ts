import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseGenerationConfig } from '../../../sidecar/engine/config/parseGenerationConfig';
import { generate } from '../../../sidecar/engine/generation/generate';
import { loadModel, type LoadedModel } from '../../../sidecar/runtime/index';
import { smallModel } from '../../support/testModels';

/**
 * Two generations interleaving their steps on one worker-backed model (as the sidecar will do
 * with a completion and a playground run) must each get exactly what they get alone.
 */
describe('concurrent generations on one worker model', () => {
  let loaded: LoadedModel;
  before(async () => {
    loaded = await loadModel({ dir: smallModel(), dtype: 'fp32', device: 'cpu' });
  });
  after(async () => loaded.model.dispose());

  it('interleaved greedy runs equal the same runs one after the other', async () => {
    const config = parseGenerationConfig({ do_sample: false, max_new_tokens: 20, min_new_tokens: 20 }).config;
    const prompts = [[5, 6, 7, 8], [300, 301], [42, 43, 44, 45, 46, 47]];
    const alone: (readonly number[])[] = [];
    for (const p of prompts) alone.push((await generate(loaded.model, loaded.tokenizer, { prompts: [p], config }).result()).sequences[0]!.tokenIds);
    const together = await Promise.all(prompts.map((p) => generate(loaded.model, loaded.tokenizer, { prompts: [p], config }).result()));
    together.forEach((r, i) => assert.deepEqual(r.sequences[0]!.tokenIds, alone[i], `prompt ${i}`));
  });
});
