import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { heldoutPerplexity } from '../../../models/pipeline/eval/heldoutPerplexity';
import { loadModel, type LoadedModel } from '../../../sidecar/runtime/loadModel';

const REPO = join(__dirname, '..', '..', '..');

/**
 * The shipped default is a trained model, not random weights: scored on code it has never seen —
 * this repository's own sources, which the corpus (node_modules, Python's standard library and
 * site-packages) cannot contain — it predicts the next token far above chance. Bounds sit well
 * below the values measured when it shipped (models/README.md), well above a random model
 * (accuracy ≈ 1/8192, ≈ 13 bits per token).
 */
describe('the bundled default model on unseen code', () => {
  let loaded: LoadedModel;
  before(async () => {
    loaded = await loadModel({ dir: join(REPO, 'models', 'default'), dtype: 'q4', device: 'cpu', inWorker: false });
  });
  after(async () => loaded?.model.dispose());

  for (const file of ['models/pipeline/train/llama.py', 'sidecar/completion/completionShape.ts']) {
    it(`${file}: next-token accuracy and bits per byte`, async () => {
      const text = readFileSync(join(REPO, file), 'utf8');
      const ids = loaded.tokenizer.encode(text);
      const window = loaded.model.info.maxPositions;
      const r = await heldoutPerplexity(loaded.model, ids, { window });
      const bitsPerByte = (r.meanNll / Math.LN2) * (ids.length / Buffer.byteLength(text));
      console.log(`${file}: accuracy ${(100 * r.accuracy).toFixed(1)} %, ${bitsPerByte.toFixed(3)} bits per byte over ${r.tokens} positions`);
      assert.ok(r.accuracy > 0.3, `accuracy ${r.accuracy}`);
      assert.ok(bitsPerByte < 2.5, `bits per byte ${bitsPerByte}`);
    });
  }
});
