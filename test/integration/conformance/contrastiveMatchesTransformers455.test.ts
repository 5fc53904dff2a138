import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generate } from '../../../sidecar/engine/generation/generate';
import { loadModel, type LoadedModel } from '../../../sidecar/runtime/index';
import { conformanceFixtures, hfRunConfig } from '../../support/conformanceFixtures';
import { main } from '../../../sidecar/cli/main';
import { goldens455 } from '../../support/goldens455';

/**
 * Contrastive search against transformers 4.55.4's _contrastive_search (goldens-455.json), on the
 * optimum export made to output its final norm's output as `last_hidden_state` by the product's
 * own `inkwell dev expose-hidden-states` (optimum's graphs do not output it).
 */
for (const fixture of conformanceFixtures()) {
  const goldens = goldens455(fixture.dir);
  if (!goldens) continue;
  describe(`conformance ${fixture.name} (fp32, + last_hidden_state): contrastive search equals transformers ${goldens.versions.transformers}`, () => {
    let dir: string;
    let loaded: LoadedModel;
    before(async () => {
      dir = join(mkdtempSync(join(tmpdir(), 'inkwell-hidden-')), 'model');
      let err = '';
      const code = await main(['dev', 'expose-hidden-states', '--model', fixture.dir, '--out', dir, '--dtype', 'fp32'], { out: () => undefined, err: (t) => void (err += t) }, new AbortController().signal);
      assert.equal(code, 0, err);
      loaded = await loadModel({ dir, dtype: 'fp32', device: 'cpu', threads: 1 });
    });
    after(async () => {
      await loaded?.model.dispose();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    for (const golden of goldens.contrastive) {
      it(`${golden.name}, ${golden.prompt} ${JSON.stringify(golden.config)}: the same ${golden.sequences[0]!.length} tokens`, async () => {
        assert.notEqual(loaded.model.info.hiddenSize, undefined, 'the copy exposes last_hidden_state');
        const config = hfRunConfig(loaded.folder, golden.config);
        assert.equal(config.mode, 'contrastive');
        const result = await generate(loaded.model, loaded.tokenizer, { prompts: [golden.promptIds], config }).result();
        assert.deepEqual(result.sequences[0]!.tokenIds, golden.sequences[0]);
      });
    }
  });
}
