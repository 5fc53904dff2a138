import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ReferenceDecoder } from '../../../sidecar/builder/reference/ReferenceDecoder';
import { cachedModel } from './support/cachedModel';
import { OrtDecoder } from './support/OrtDecoder';
import { LLAMA_GQA, LLAMA_MHA_BIAS, QWEN_TIED } from './support/testConfigs';
import { leftPaddedBatch, maxAbsDiff, plainBatch, row, tokens } from './support/testInputs';

/**
 * fp32 graph vs the plain-TS reference. Measured max |diff| on these models: 4.4e-6 to 5.0e-6 for
 * logits (std ~3), 1.3e-6 for last_hidden_state; the bound leaves headroom for other CPUs' kernels.
 */
const FP32_TOLERANCE = 1e-4;

for (const [label, options] of [
  ['llama GQA untied', LLAMA_GQA],
  ['qwen2 biases tied', QWEN_TIED],
  ['llama MHA attention_bias tied', LLAMA_MHA_BIAS],
] as const) {
  describe(`fp32 decoder graph: ${label}`, () => {
    let reference: ReferenceDecoder;
    let ortModel: OrtDecoder;
    const vocab = options.vocab;

    before(async () => {
      const dir = cachedModel(options);
      reference = ReferenceDecoder.load(dir);
      ortModel = await OrtDecoder.open(path.join(dir, 'onnx/model.onnx'), reference.spec);
    });
    after(() => ortModel.release());

    it('computes the reference logits, cache and hidden states for a batch', async (t) => {
      const inputs = plainBatch([tokens(7, 1, vocab), tokens(7, 2, vocab)]);
      const expected = reference.forward(inputs);
      const actual = await ortModel.run(inputs);
      const logitDiff = maxAbsDiff(actual.logits, expected.logits);
      t.diagnostic(`logits max |diff| ${logitDiff.toExponential(2)}`);
      assert.ok(logitDiff < FP32_TOLERANCE, `logits differ by ${logitDiff}`);
      for (let l = 0; l < reference.spec.layers; l++) {
        assert.ok(maxAbsDiff(actual.present.keys[l], expected.present.keys[l]) < FP32_TOLERANCE, `present.${l}.key`);
        assert.ok(maxAbsDiff(actual.present.values[l], expected.present.values[l]) < FP32_TOLERANCE, `present.${l}.value`);
      }
      if (options.hiddenStates) {
        const hiddenDiff = maxAbsDiff(actual.lastHiddenState!, expected.lastHiddenState);
        t.diagnostic(`last_hidden_state max |diff| ${hiddenDiff.toExponential(2)}`);
        assert.ok(hiddenDiff < FP32_TOLERANCE);
      } else {
        assert.equal(actual.lastHiddenState, undefined);
      }
    });

    it('decodes incrementally with past exactly as a full recomputation', async () => {
      const sequence = tokens(9, 3, vocab);
      const full = await ortModel.run(plainBatch([sequence]));
      let step = await ortModel.run(plainBatch([sequence.slice(0, 5)]));
      // One multi-token step (like speculative verification), then single tokens.
      const chunks = [[5, 7], [7, 8], [8, 9]];
      for (const [from, to] of chunks) {
        step = await ortModel.run({
          inputIds: [sequence.slice(from, to)],
          attentionMask: [Array(to).fill(1)],
          positionIds: [Array.from({ length: to - from }, (_, i) => from + i)],
          past: step.present,
        });
        for (let s = from; s < to; s++) {
          const diff = maxAbsDiff(row(step.logits, to - from, vocab, 0, s - from), row(full.logits, 9, vocab, 0, s));
          assert.ok(diff < FP32_TOLERANCE, `position ${s}: ${diff}`);
        }
      }
      // The reference agrees on the incremental path too.
      const refPrefill = reference.forward(plainBatch([sequence.slice(0, 8)]));
      const refStep = reference.forward({ inputIds: [[sequence[8]]], attentionMask: [Array(9).fill(1)], positionIds: [[8]], past: refPrefill.present });
      assert.ok(maxAbsDiff(refStep.logits, step.logits) < FP32_TOLERANCE);
    });

    it('gives each prompt of a left-padded batch the logits it gets alone', async () => {
      const prompts = [tokens(6, 4, vocab), tokens(3, 5, vocab)];
      const batch = leftPaddedBatch(prompts);
      const together = await ortModel.run(batch);
      assert.ok(together.logits.every(Number.isFinite), 'fully masked pad rows must not produce NaN');
      const width = 6;
      const alone: Float32Array[] = [];
      for (let b = 0; b < prompts.length; b++) {
        const single = await ortModel.run(plainBatch([prompts[b]]));
        alone.push(single.logits);
        const pad = width - prompts[b].length;
        for (let s = 0; s < prompts[b].length; s++) {
          const diff = maxAbsDiff(row(together.logits, width, vocab, b, pad + s), row(single.logits, prompts[b].length, vocab, 0, s));
          assert.ok(diff < FP32_TOLERANCE, `row ${b} token ${s}: ${diff}`);
        }
      }
      // Reference agrees on the real tokens of the padded batch.
      const expected = reference.forward(batch);
      for (let b = 0; b < prompts.length; b++) {
        for (let s = width - prompts[b].length; s < width; s++) {
          assert.ok(maxAbsDiff(row(together.logits, width, vocab, b, s), row(expected.logits, width, vocab, b, s)) < FP32_TOLERANCE);
        }
      }
      // One decode step for the padded batch still matches each prompt decoded alone.
      const next = [tokens(1, 6, vocab)[0], tokens(1, 7, vocab)[0]];
      const step = await ortModel.run({
        inputIds: next.map((t) => [t]),
        attentionMask: batch.attentionMask.map((m) => [...m, 1]),
        positionIds: prompts.map((p) => [p.length]),
        past: together.present,
      });
      for (let b = 0; b < prompts.length; b++) {
        const single = await ortModel.run(plainBatch([[...prompts[b], next[b]]]));
        const diff = maxAbsDiff(row(step.logits, 1, vocab, b, 0), row(single.logits, prompts[b].length + 1, vocab, 0, prompts[b].length));
        assert.ok(diff < FP32_TOLERANCE, `decode row ${b}: ${diff}`);
      }
    });
  });
}
