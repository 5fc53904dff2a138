import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { decoderSpecFromHfConfig } from '../../../sidecar/builder/DecoderSpec';
import { inspectOnnx } from '../../../sidecar/builder/onnx/inspectOnnx';
import * as fs from 'node:fs';
import { cachedModel } from './support/cachedModel';
import { OrtDecoder } from './support/OrtDecoder';
import { LLAMA_GQA, QWEN_TIED } from './support/testConfigs';
import { argmax, leftPaddedBatch, maxAbsDiff, plainBatch, row, tokens } from './support/testInputs';

/**
 * Measured on these models (logit std ~3, next-token entropy ~1.3-1.8 nats): fp16 vs fp32 max |diff|
 * 1.4e-2 / 2.5e-2, mean 2.3e-3 (float16 weights and cache, float32 compute). q4 vs fp32: mean |diff|
 * ~0.58, max ~3.6, top-1 agreement 75% (llama) and 84% (qwen2) over 256 positions. Random Gaussian
 * weights are the worst case for 4-bit round-to-nearest (~8% relative error per projection, no
 * redundancy); accuracy_level 0 instead of 4 changes none of these numbers noticeably.
 */
const FP16_TOLERANCE = 0.05;
const Q4_MEAN_DIFF = 1.0;
const Q4_MAX_DIFF = 6;
const Q4_MIN_TOP1_AGREEMENT = 0.6;

for (const [label, options] of [
  ['llama GQA untied', LLAMA_GQA],
  ['qwen2 tied', QWEN_TIED],
] as const) {
  describe(`fp16 and q4 graphs: ${label}`, () => {
    const sessions: Record<string, OrtDecoder> = {};
    let dir: string;
    const vocab = options.vocab;
    const sequences = Array.from({ length: 16 }, (_, i) => tokens(16, 100 + i, vocab));
    const inputs = plainBatch(sequences);

    before(async () => {
      dir = cachedModel(options);
      const spec = decoderSpecFromHfConfig(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')));
      sessions.fp32 = await OrtDecoder.open(path.join(dir, 'onnx/model.onnx'), spec);
      sessions.fp16 = await OrtDecoder.open(path.join(dir, 'onnx/model_fp16.onnx'), spec, 'float16');
      sessions.q4 = await OrtDecoder.open(path.join(dir, 'onnx/model_q4.onnx'), spec);
    });
    after(async () => {
      for (const s of Object.values(sessions)) await s.release();
    });

    it('fp16 stores the cache as float16, keeps logits float32 and stays close to fp32', async (t) => {
      const summary = inspectOnnx(path.join(dir, 'onnx/model_fp16.onnx'));
      assert.equal(summary.inputs.find((i) => i.name === 'past_key_values.0.key')?.type, 'FLOAT16');
      assert.equal(summary.outputs.find((o) => o.name === 'present.0.value')?.type, 'FLOAT16');
      assert.equal(summary.outputs.find((o) => o.name === 'logits')?.type, 'FLOAT');
      const fp32 = await sessions.fp32.run(inputs);
      const fp16 = await sessions.fp16.run(inputs);
      assert.equal(fp16.raw['present.1.key'].type, 'float16');
      const diff = maxAbsDiff(fp16.logits, fp32.logits);
      t.diagnostic(`fp16 logits max |diff| ${diff.toExponential(2)}`);
      assert.ok(diff < FP16_TOLERANCE, `fp16 differs by ${diff}`);
      // Incremental fp16 decoding with a float16 past matches its own full recomputation.
      const step = await sessions.fp16.run({
        inputIds: [[sequences[0][15]]],
        attentionMask: [Array(16).fill(1)],
        positionIds: [[15]],
        past: (await sessions.fp16.run(plainBatch([sequences[0].slice(0, 15)]))).present,
      });
      assert.ok(maxAbsDiff(step.logits, row(fp16.logits, 16, vocab, 0, 15)) < FP16_TOLERANCE);
    });

    it('q4 uses MatMulNBits for every projection and mostly agrees with fp32 on the top token', async (t) => {
      const summary = inspectOnnx(path.join(dir, 'onnx/model_q4.onnx'));
      const projections = (options.layers as number) * 7 + 1; // q k v o gate up down per layer, plus lm_head
      assert.equal(summary.ops['com.microsoft.MatMulNBits'], projections);
      assert.equal(summary.ops.Gather !== undefined, true, 'the embedding stays a Gather');
      const fp32 = await sessions.fp32.run(inputs);
      const q4 = await sessions.q4.run(inputs);
      let agree = 0;
      const positions = sequences.length * 16;
      for (let b = 0; b < sequences.length; b++) {
        for (let s = 0; s < 16; s++) if (argmax(row(q4.logits, 16, vocab, b, s)) === argmax(row(fp32.logits, 16, vocab, b, s))) agree++;
      }
      const diff = maxAbsDiff(q4.logits, fp32.logits);
      const meanDiff = q4.logits.reduce((sum, v, i) => sum + Math.abs(v - fp32.logits[i]), 0) / q4.logits.length;
      t.diagnostic(`q4 logits mean |diff| ${meanDiff.toFixed(3)}, max ${diff.toFixed(3)}, top-1 agreement ${agree}/${positions}`);
      assert.ok(meanDiff < Q4_MEAN_DIFF, `q4 mean |diff| ${meanDiff}`);
      assert.ok(diff < Q4_MAX_DIFF, `q4 differs by ${diff}`);
      assert.ok(agree / positions >= Q4_MIN_TOP1_AGREEMENT, `top-1 agreement ${agree}/${positions}`);
    });

    it('q4 handles a left-padded batch like each prompt alone', async () => {
      const prompts = [tokens(5, 30, vocab), tokens(2, 31, vocab)];
      const together = await sessions.q4.run(leftPaddedBatch(prompts));
      assert.ok(together.logits.every(Number.isFinite));
      for (let b = 0; b < 2; b++) {
        const alone = await sessions.q4.run(plainBatch([prompts[b]]));
        const last = prompts[b].length - 1;
        // Same kernels on the same rows: only int8 activation quantization scales can differ per batch.
        assert.ok(maxAbsDiff(row(together.logits, 5, vocab, b, 4), row(alone.logits, last + 1, vocab, 0, last)) < 0.05);
      }
    });
  });
}
