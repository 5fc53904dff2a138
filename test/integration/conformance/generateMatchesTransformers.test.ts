import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { sequenceScoresOf } from '../../../sidecar/engine/generation/beam/sequenceScoresOf';
import { generate } from '../../../sidecar/engine/generation/generate';
import { loadModel, type LoadedModel } from '../../../sidecar/runtime/index';
import { conformanceFixtures, hfRunConfig } from '../../support/conformanceFixtures';

/**
 * Real exports (optimum, onnx-community layout) loaded unchanged through loadModel, held to
 * transformers' own generate() on the PyTorch model (goldens.json, fp32).
 */

// A greedy step whose top-2 logit gap in PyTorch is below this may legitimately pick the other
// token in onnxruntime (fp32 kernels differ in summation order by ~1e-6 relative); from such a
// step on the two runs are different sequences and are not compared further.
const NEAR_TIE = 1e-4;
// sequences_scores are sums of ~24 log-probabilities of a few units each: 1e-4 absolute is ~1e-5
// relative, far above fp32 kernel differences and far below a one-token change (> 1e-2 here).
const SCORE_TOLERANCE = 1e-4;

// Folders holding one non-fp32 graph (onnxruntime-genai's int4 build) are held to onnxruntime-Python
// in quantizedVariantsAgree.test.ts instead.
for (const fixture of conformanceFixtures().filter((f) => f.goldens.variants.includes('fp32'))) {
  describe(`conformance ${fixture.name} (fp32): generate() equals transformers ${fixture.goldens.versions.transformers}`, () => {
    let loaded: LoadedModel;
    before(async () => {
      loaded = await loadModel({ dir: fixture.dir, dtype: 'fp32', device: 'cpu', threads: 1 });
    });
    after(async () => loaded?.model.dispose());

    it('uses the EOS ids transformers used', () => {
      assert.deepEqual([...loaded.tokenizer.eosTokenIds].sort(), [...fixture.goldens.eosTokenIds].sort());
    });

    it('refuses contrastive search with the cause and the fix: optimum graphs have no last_hidden_state output', () => {
      assert.equal(loaded.model.info.hiddenSize, undefined);
      const config = hfRunConfig(loaded.folder, { penalty_alpha: 0.6, top_k: 4, max_new_tokens: 4 });
      const prompt = fixture.goldens.greedy[0]!.promptIds;
      assert.throws(
        () => generate(loaded.model, loaded.tokenizer, { prompts: [prompt], config }),
        (e: unknown) => InkwellError.is(e) && e.code === 'invalid-config' && /last_hidden_state/.test(e.message) && /penalty_alpha/.test(e.message),
      );
    });

    for (const [i, golden] of fixture.goldens.greedy.entries()) {
      it(`greedy, prompt ${i} (${JSON.stringify(golden.prompt)}): the same ${golden.tokens.length} tokens`, async (t) => {
        assert.deepEqual(loaded.tokenizer.encode(golden.prompt, { addSpecialTokens: true }), golden.promptIds, 'prompt encoding');
        const config = hfRunConfig(loaded.folder, { do_sample: false, max_new_tokens: golden.tokens.length });
        const result = await generate(loaded.model, loaded.tokenizer, { prompts: [golden.promptIds], config }).result();
        const ours = result.sequences[0]!.tokenIds;
        const nearTies = golden.top2Gap.filter((g) => g < NEAR_TIE).length;
        const first = golden.tokens.findIndex((tok, s) => ours[s] !== tok);
        if (first >= 0 && golden.top2Gap[first]! < NEAR_TIE) {
          t.diagnostic(`diverged at step ${first}, a near tie (gap ${golden.top2Gap[first]}); ${first} tokens compared`);
          assert.deepEqual(ours.slice(0, first), golden.tokens.slice(0, first));
        } else {
          assert.deepEqual(ours, golden.tokens);
        }
        t.diagnostic(`near-tie steps (top-2 gap < ${NEAR_TIE}): ${nearTies}; smallest gap ${Math.min(...golden.top2Gap)}`);
      });
    }

    for (const golden of fixture.goldens.beam) {
      it(`beam search ${golden.name} ${JSON.stringify(golden.config)}: same sequences, scores within ${SCORE_TOLERANCE}`, async (t) => {
        const config = hfRunConfig(loaded.folder, golden.config);
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
