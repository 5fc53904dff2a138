import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildLogitsPipeline } from '../../../sidecar/engine/processors/buildLogitsPipeline';
import { ScoreRow } from '../../../sidecar/engine/processors/ScoreRow';
import { loadModel, type LoadedModel } from '../../../sidecar/runtime/index';
import { conformanceFixtures, hfRunConfig, scoresOf } from '../../support/conformanceFixtures';
import { teacherForcedLogits } from '../../support/teacherForcedLogits';

/**
 * The scores HF hands its sampler (output_scores: after every processor and warper) for the
 * tokens HF drew, step by step, against Inkwell's pipeline on the onnx model's logits for the
 * same ids (teacher-forced, so a sampling run's random draws do not matter).
 */

// Relative to max(1, |score|): PyTorch and onnxruntime fp32 logits differ by ~1e-6 here, and a
// processor that is off by a rule (a wrong penalty, a token kept that HF masks) is off by > 1e-2
// or by an infinity.
const RELATIVE_TOLERANCE = 1e-4;

// Folders holding one non-fp32 graph (onnxruntime-genai's int4 build) are held to onnxruntime-Python
// in quantizedVariantsAgree.test.ts instead.
for (const fixture of conformanceFixtures().filter((f) => f.goldens.variants.includes('fp32'))) {
  describe(`conformance ${fixture.name} (fp32): processed scores equal transformers' output_scores`, () => {
    let loaded: LoadedModel;
    before(async () => {
      loaded = await loadModel({ dir: fixture.dir, dtype: 'fp32', device: 'cpu', threads: 1 });
    });
    after(async () => loaded?.model.dispose());

    for (const golden of fixture.goldens.processed) {
      it(`${golden.name} ${JSON.stringify(golden.config)}: ${golden.scores.length} steps within ${RELATIVE_TOLERANCE} relative`, async (t) => {
        const config = hfRunConfig(loaded.folder, golden.config);
        const width = loaded.model.info.vocabSize;
        const pipeline = buildLogitsPipeline(config, {
          width,
          tokenizerVocabSize: loaded.tokenizer.vocabSize,
          eosTokenIds: config.eosTokenId ?? loaded.tokenizer.eosTokenIds,
        });
        const prompt = golden.promptIds;
        const logits = await teacherForcedLogits(loaded.model, [...prompt, ...golden.tokens]);
        const maxLength = prompt.length + (config.maxNewTokens ?? config.maxLength - prompt.length);
        let worst = 0;
        let finite = 0;
        for (const [step, expectedRow] of golden.scores.entries()) {
          const position = prompt.length - 1 + step;
          const row = new ScoreRow(width);
          row.load(logits.subarray(position * width, (position + 1) * width));
          const ids = [...prompt, ...golden.tokens.slice(0, step)];
          pipeline.apply(row, { ids, promptLength: prompt.length, maxLength });
          const expected = scoresOf(expectedRow);
          for (let v = 0; v < width; v++) {
            const ours = row.scores[v]!;
            const hf = expected[v]!;
            if (hf === -Infinity || ours === -Infinity) {
              assert.equal(ours, hf, `step ${step}, token ${v}: ours ${ours}, HF ${hf}`);
              continue;
            }
            finite++;
            const error = Math.abs(ours - hf) / Math.max(1, Math.abs(hf));
            worst = Math.max(worst, error);
            assert.ok(error <= RELATIVE_TOLERANCE, `step ${step}, token ${v}: ours ${ours}, HF ${hf}`);
          }
        }
        t.diagnostic(`${finite} finite scores compared; max relative error ${worst.toExponential(2)}`);
      });
    }
  });
}
