import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sequenceScoresOf } from '../../../sidecar/engine/generation/beam/sequenceScoresOf';
import { generate } from '../../../sidecar/engine/generation/generate';
import { loadModel, type LoadedModel } from '../../../sidecar/runtime/index';
import { conformanceFixtures, hfRunConfig } from '../../support/conformanceFixtures';
import { GOLDENS_455, goldens455 } from '../../support/goldens455';

/**
 * Group (diverse) beam search against transformers 4.55.4's _group_beam_search, the last release
 * that runs it offline (goldens-455.json; test/conformance/README.md).
 */

// As generateMatchesTransformers.test.ts: length-normalised sums of ~24 log-probs.
const SCORE_TOLERANCE = 1e-4;
// The fixtures make_goldens_455.py writes for; a fixture regenerated without it loses its file.
const EXPECTED = ['gpt2-optimum', 'llama-optimum', 'qwen2-optimum'];

const fixtures = conformanceFixtures().flatMap((f) => {
  const goldens = goldens455(f.dir);
  return goldens ? [{ ...f, goldens455: goldens }] : [];
});

it(`${GOLDENS_455} is there for ${EXPECTED.join(', ')}`, () => {
  assert.deepEqual(
    EXPECTED.filter((name) => !fixtures.some((f) => f.name === name)),
    [],
    'rerun test/conformance/make_goldens_455.py after make_fixtures.py',
  );
});

for (const fixture of fixtures) {
  describe(`conformance ${fixture.name} (fp32): diverse beam search equals transformers ${fixture.goldens455.versions.transformers}`, () => {
    let loaded: LoadedModel;
    before(async () => {
      loaded = await loadModel({ dir: fixture.dir, dtype: 'fp32', device: 'cpu', threads: 1 });
    });
    after(async () => loaded?.model.dispose());

    for (const golden of fixture.goldens455.diverseBeam) {
      it(`${golden.name}, ${golden.prompt} ${JSON.stringify(golden.config)}: same sequences, scores within ${SCORE_TOLERANCE}`, async (t) => {
        const config = hfRunConfig(loaded.folder, golden.config);
        assert.equal(config.mode, 'group-beam');
        const result = await generate(loaded.model, loaded.tokenizer, { prompts: [golden.promptIds], config }).result();
        assert.deepEqual(
          result.sequences.map((s) => s.tokenIds),
          golden.sequences,
        );
        const scores = sequenceScoresOf(result);
        assert.ok(scores, 'a beam search result has sequence scores');
        const errors = scores.map((s, k) => Math.abs(s - golden.sequencesScores[k]!));
        t.diagnostic(`max |score - HF| = ${Math.max(...errors).toExponential(2)}`);
        for (const [k, e] of errors.entries()) assert.ok(e <= SCORE_TOLERANCE, `sequence ${k}: ${scores[k]} vs HF ${golden.sequencesScores[k]}`);
      });
    }
  });
}
