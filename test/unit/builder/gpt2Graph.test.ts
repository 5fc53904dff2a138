import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decoderSpecFromHfConfig, resolveDecoderSpec } from '../../../sidecar/builder/DecoderSpec';
import { inspectOnnx } from '../../../sidecar/builder/onnx/inspectOnnx';
import { positionsFromMask, ReferenceGpt2Decoder } from '../../../sidecar/builder/reference/ReferenceGpt2Decoder';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { cachedModel } from './support/cachedModel';
import { GPT2 } from './support/gpt2Configs';
import { OrtDecoder } from './support/OrtDecoder';
import { argmax, leftPaddedBatch, maxAbsDiff, plainBatch, row, tokens } from './support/testInputs';

/**
 * fp32 graph vs the plain-TS reference. Measured max |diff|: ~4e-6 on logits (std ~3), ~1e-6 on
 * present and last_hidden_state; the bound leaves headroom for other CPUs' kernels while a wrong
 * position (one wpe row off) moves logits by more than 0.1.
 */
const FP32_TOLERANCE = 1e-4;
const vocab = GPT2.vocab;

/** position_ids of the right shape but wrong values: GPT-2 graphs and the reference must not read them. */
const ignored = (rows: readonly (readonly number[])[]): number[][] => rows.map((r) => r.map(() => 0));

describe('gpt2 decoder graph', () => {
  let dir: string;
  let reference: ReferenceGpt2Decoder;
  let ortModel: OrtDecoder;

  before(async () => {
    dir = cachedModel(GPT2);
    reference = ReferenceGpt2Decoder.load(dir);
    // OrtDecoder also feeds position_ids; onnxruntime-node passes only the inputs the graph lists.
    ortModel = await OrtDecoder.open(path.join(dir, 'onnx/model.onnx'), reference.spec);
  });
  after(() => ortModel.release());

  it('writes GPT-2 config.json and an export without position_ids', () => {
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    assert.deepEqual(config.architectures, ['GPT2LMHeadModel']);
    assert.equal(config.model_type, 'gpt2');
    assert.deepEqual([config.n_embd, config.n_layer, config.n_head, config.n_positions, config.n_ctx], [64, 2, 4, 64, 64]);
    assert.equal(config.activation_function, 'gelu_new');
    assert.equal(config.layer_norm_epsilon, 1e-5);
    assert.deepEqual(decoderSpecFromHfConfig(config), resolveDecoderSpec(GPT2));
    const summary = inspectOnnx(path.join(dir, 'onnx/model.onnx'));
    assert.deepEqual(summary.inputs.slice(0, 3).map((i) => i.name), ['input_ids', 'attention_mask', 'past_key_values.0.key']);
    assert.deepEqual(summary.inputs[2].dims, ['batch_size', 4, 'past_sequence_length', 16]);
    assert.deepEqual(summary.outputs.map((o) => o.name), ['logits', 'present.0.key', 'present.0.value', 'present.1.key', 'present.1.value', 'new_key_values.0.key', 'new_key_values.0.value', 'new_key_values.1.key', 'new_key_values.1.value', 'last_hidden_state']);
    assert.equal(summary.ops.LayerNormalization, 2 * GPT2.layers + 1);
  });

  it('computes the reference logits, cache and hidden states for a batch', async (t) => {
    const inputs = plainBatch([tokens(7, 1, vocab), tokens(7, 2, vocab)]);
    const expected = reference.forward(inputs);
    const actual = await ortModel.run(inputs);
    const logitDiff = maxAbsDiff(actual.logits, expected.logits);
    const hiddenDiff = maxAbsDiff(actual.lastHiddenState!, expected.lastHiddenState);
    let cacheDiff = 0;
    for (let l = 0; l < GPT2.layers; l++) {
      cacheDiff = Math.max(cacheDiff, maxAbsDiff(actual.present.keys[l], expected.present.keys[l]), maxAbsDiff(actual.present.values[l], expected.present.values[l]));
    }
    t.diagnostic(`max |diff| logits ${logitDiff.toExponential(2)}, present ${cacheDiff.toExponential(2)}, hidden ${hiddenDiff.toExponential(2)}`);
    assert.ok(logitDiff < FP32_TOLERANCE, `logits differ by ${logitDiff}`);
    assert.ok(cacheDiff < FP32_TOLERANCE, `present differs by ${cacheDiff}`);
    assert.ok(hiddenDiff < FP32_TOLERANCE, `last_hidden_state differs by ${hiddenDiff}`);
  });

  it('decodes incrementally with past exactly as a full recomputation', async () => {
    const sequence = tokens(9, 3, vocab);
    const full = await ortModel.run(plainBatch([sequence]));
    let step = await ortModel.run(plainBatch([sequence.slice(0, 5)]));
    for (const [from, to] of [[5, 7], [7, 8], [8, 9]]) {
      step = await ortModel.run({ inputIds: [sequence.slice(from, to)], attentionMask: [Array(to).fill(1)], positionIds: ignored([sequence.slice(from, to)]), past: step.present });
      for (let s = from; s < to; s++) {
        const diff = maxAbsDiff(row(step.logits, to - from, vocab, 0, s - from), row(full.logits, 9, vocab, 0, s));
        assert.ok(diff < FP32_TOLERANCE, `position ${s}: ${diff}`);
      }
    }
    const refPrefill = reference.forward(plainBatch([sequence.slice(0, 8)]));
    const refStep = reference.forward({ inputIds: [[sequence[8]]], attentionMask: [Array(9).fill(1)], positionIds: ignored([[sequence[8]]]), past: refPrefill.present });
    assert.ok(maxAbsDiff(refStep.logits, step.logits) < FP32_TOLERANCE);
  });

  it('derives positions from the mask: each prompt of a left-padded batch gets the logits it gets alone', async () => {
    const prompts = [tokens(6, 4, vocab), tokens(3, 5, vocab)];
    const batch = leftPaddedBatch(prompts);
    const together = await ortModel.run(batch);
    assert.ok(together.logits.every(Number.isFinite), 'fully masked pad rows must not produce NaN');
    const expected = reference.forward(batch);
    for (let b = 0; b < prompts.length; b++) {
      const single = await ortModel.run(plainBatch([prompts[b]]));
      const pad = 6 - prompts[b].length;
      for (let s = 0; s < prompts[b].length; s++) {
        const diff = maxAbsDiff(row(together.logits, 6, vocab, b, pad + s), row(single.logits, prompts[b].length, vocab, 0, s));
        assert.ok(diff < FP32_TOLERANCE, `row ${b} token ${s}: ${diff}`);
        assert.ok(maxAbsDiff(row(together.logits, 6, vocab, b, pad + s), row(expected.logits, 6, vocab, b, pad + s)) < FP32_TOLERANCE);
      }
    }
    // A decode step on the padded cache: positions continue from each row's own count.
    const next = [tokens(1, 6, vocab)[0], tokens(1, 7, vocab)[0]];
    const step = await ortModel.run({ inputIds: next.map((t) => [t]), attentionMask: batch.attentionMask.map((m) => [...m, 1]), positionIds: ignored(next.map((t) => [t])), past: together.present });
    for (let b = 0; b < prompts.length; b++) {
      const single = await ortModel.run(plainBatch([[...prompts[b], next[b]]]));
      const diff = maxAbsDiff(row(step.logits, 1, vocab, b, 0), row(single.logits, prompts[b].length + 1, vocab, 0, prompts[b].length));
      assert.ok(diff < FP32_TOLERANCE, `decode row ${b}: ${diff}`);
    }
    // Positions matter: the same tokens counted from the pads (all-ones mask) give other logits.
    const shifted = await ortModel.run({ ...batch, attentionMask: batch.attentionMask.map((m) => m.map(() => 1)) });
    assert.ok(maxAbsDiff(row(shifted.logits, 6, vocab, 1, 5), row(together.logits, 6, vocab, 1, 5)) > 0.1);
  });

  it('positionsFromMask counts real tokens and gives pads 0', () => {
    assert.deepEqual(positionsFromMask([0, 0, 1, 1, 1]), [0, 0, 0, 1, 2]);
    assert.deepEqual(positionsFromMask([1, 1, 0, 1]), [0, 1, 1, 2]);
  });

  it('fp16 stays close to fp32; q4 quantizes every projection and mostly agrees on the top token', async (t) => {
    const sequences = Array.from({ length: 16 }, (_, i) => tokens(16, 100 + i, vocab));
    const inputs = plainBatch(sequences);
    const fp32 = await ortModel.run(inputs);
    const fp16Model = await OrtDecoder.open(path.join(dir, 'onnx/model_fp16.onnx'), reference.spec, 'float16');
    const q4Model = await OrtDecoder.open(path.join(dir, 'onnx/model_q4.onnx'), reference.spec);
    const fp16 = await fp16Model.run(inputs);
    const q4 = await q4Model.run(inputs);
    await fp16Model.release();
    await q4Model.release();
    const fp16Diff = maxAbsDiff(fp16.logits, fp32.logits);
    const summary = inspectOnnx(path.join(dir, 'onnx/model_q4.onnx'));
    assert.equal(summary.ops['com.microsoft.MatMulNBits'], 4 * GPT2.layers + 1, 'c_attn, c_proj, c_fc, mlp.c_proj per layer, plus the tied head');
    let agree = 0;
    for (let p = 0; p < 16 * 16; p++) if (argmax(q4.logits.subarray(p * vocab, (p + 1) * vocab)) === argmax(fp32.logits.subarray(p * vocab, (p + 1) * vocab))) agree++;
    const q4Mean = q4.logits.reduce((sum, v, i) => sum + Math.abs(v - fp32.logits[i]), 0) / q4.logits.length;
    t.diagnostic(`fp16 max |diff| ${fp16Diff.toExponential(2)}; q4 mean |diff| ${q4Mean.toFixed(3)}, top-1 agreement ${agree}/256`);
    assert.ok(fp16Diff < 0.05, `fp16 differs by ${fp16Diff}`);
    assert.ok(q4Mean < 1.0, `q4 mean |diff| ${q4Mean}`);
    assert.ok(agree / 256 >= 0.6, `q4 top-1 agreement ${agree}/256`);
  });

  it('rejects what GPT-2 cannot express', () => {
    const invalid = (input: Parameters<typeof resolveDecoderSpec>[0], field: string): void =>
      assert.throws(() => resolveDecoderSpec(input), (e: unknown) => InkwellError.is(e) && e.code === 'invalid-argument' && e.details.field === field);
    const base = { modelType: 'gpt2' as const, layers: 1, hidden: 64, heads: 4, vocab: 80 };
    invalid({ ...base, kvHeads: 2 }, 'kvHeads');
    invalid({ ...base, headDim: 8 }, 'headDim');
    invalid({ ...base, tied: false }, 'tied');
    invalid({ ...base, attentionBias: false }, 'attentionBias');
  });
});
