import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { makeModel } from '../../../sidecar/builder/makeModel';
import { inspectOnnx } from '../../../sidecar/builder/onnx/inspectOnnx';
import { cachedModel } from './support/cachedModel';
import { fakeTokenizer } from './support/fakeTokenizer';
import { OrtDecoder } from './support/OrtDecoder';
import { LLAMA_GQA, QWEN_TIED } from './support/testConfigs';
import { plainBatch, tokens } from './support/testInputs';
import { decoderSpecFromHfConfig } from '../../../sidecar/builder/DecoderSpec';

const readJson = (file: string): Record<string, unknown> => JSON.parse(fs.readFileSync(file, 'utf8'));

describe('makeModel', () => {
  const temps: string[] = [];
  after(() => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const tempDir = (): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inkwell-make-'));
    temps.push(dir);
    return dir;
  };
  const tiny = { layers: 1, hidden: 32, heads: 2, vocab: 70, tokenizer: fakeTokenizer(), specialTokens: { bos: 1, eos: [2, 1], pad: 0 } };

  it('writes an onnx-community style folder with Hugging Face config files', () => {
    const dir = cachedModel(QWEN_TIED);
    for (const f of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'onnx/model_fp16.onnx', 'onnx/model_q4.onnx']) {
      assert.ok(fs.existsSync(path.join(dir, f)), f);
    }
    const config = readJson(path.join(dir, 'config.json'));
    assert.deepEqual(config.architectures, ['Qwen2ForCausalLM']);
    assert.equal(config.model_type, 'qwen2');
    assert.equal(config.hidden_act, 'silu');
    assert.equal(config.head_dim, 16);
    assert.equal(config.num_key_value_heads, 1);
    assert.equal(config.tie_word_embeddings, true);
    assert.equal(config.rope_theta, 1_000_000);
    assert.equal(config.eos_token_id, 2);
    assert.equal(config.vocab_size, 72, 'the logits are wider than the 64-token fake tokenizer');
    assert.deepEqual(readJson(path.join(dir, 'tokenizer.json')), fakeTokenizer().tokenizerJson);
    assert.deepEqual(readJson(path.join(dir, 'tokenizer_config.json')), fakeTokenizer().tokenizerConfigJson);
    assert.equal(readJson(path.join(dir, 'generation_config.json')).bos_token_id, 1);
  });

  it('names and shapes graph inputs and outputs as optimum exports them', () => {
    const summary = inspectOnnx(path.join(cachedModel(LLAMA_GQA), 'onnx/model.onnx'));
    assert.deepEqual(summary.opsets, { '': 17, 'com.microsoft': 1 });
    assert.deepEqual(summary.inputs.slice(0, 4), [
      { name: 'input_ids', type: 'INT64', dims: ['batch_size', 'sequence_length'] },
      { name: 'attention_mask', type: 'INT64', dims: ['batch_size', 'total_sequence_length'] },
      { name: 'position_ids', type: 'INT64', dims: ['batch_size', 'sequence_length'] },
      { name: 'past_key_values.0.key', type: 'FLOAT', dims: ['batch_size', 2, 'past_sequence_length', 16] },
    ]);
    assert.equal(summary.inputs.length, 3 + 2 * LLAMA_GQA.layers);
    assert.deepEqual(summary.outputs.map((o) => o.name), ['logits', 'present.0.key', 'present.0.value', 'present.1.key', 'present.1.value', 'new_key_values.0.key', 'new_key_values.0.value', 'new_key_values.1.key', 'new_key_values.1.value', 'last_hidden_state']);
    assert.deepEqual(summary.outputs[0].dims, ['batch_size', 'sequence_length', 80]);
    assert.deepEqual(summary.outputs[1].dims, ['batch_size', 2, 'total_sequence_length', 16]);
    assert.deepEqual(summary.outputs[5].dims, ['batch_size', 2, 'sequence_length', 16]);
    assert.deepEqual(summary.outputs[9].dims, ['batch_size', 'sequence_length', 64]);
    assert.equal(summary.ops.GroupQueryAttention, undefined);
  });

  it('is deterministic in the seed', () => {
    const [a, b, c] = [tempDir(), tempDir(), tempDir()];
    makeModel({ ...tiny, dir: a, seed: 1 });
    makeModel({ ...tiny, dir: b, seed: 1 });
    makeModel({ ...tiny, dir: c, seed: 2 });
    const bytes = (d: string): Buffer => fs.readFileSync(path.join(d, 'onnx/model.onnx'));
    assert.ok(bytes(a).equals(bytes(b)));
    assert.ok(!bytes(a).equals(bytes(c)));
    assert.deepEqual(readJson(path.join(a, 'config.json')).eos_token_id, [2, 1]);
    assert.deepEqual(fs.readdirSync(path.join(a, 'onnx')), ['model.onnx'], 'only the requested dtypes');
  });

  it('gives random models spread next-token distributions: neither uniform nor one-hot', async () => {
    const dir = cachedModel(LLAMA_GQA);
    const spec = decoderSpecFromHfConfig(readJson(path.join(dir, 'config.json')));
    const decoder = await OrtDecoder.open(path.join(dir, 'onnx/model.onnx'), spec);
    const out = await decoder.run(plainBatch(Array.from({ length: 8 }, (_, i) => tokens(12, 50 + i, spec.vocab))));
    await decoder.release();
    let entropy = 0;
    let topProbability = 0;
    const positions = out.logits.length / spec.vocab;
    for (let p = 0; p < positions; p++) {
      const logits = out.logits.subarray(p * spec.vocab, (p + 1) * spec.vocab);
      const max = Math.max(...logits);
      const exp = Array.from(logits, (v) => Math.exp(v - max));
      const z = exp.reduce((s, v) => s + v, 0);
      entropy -= exp.reduce((s, v) => s + (v / z) * Math.log(v / z), 0) / positions;
      topProbability += Math.max(...exp) / z / positions;
    }
    // Measured: entropy 1.8 nats of ln(80) = 4.38, mean top probability 0.48.
    assert.ok(entropy > 0.7 && entropy < Math.log(spec.vocab) - 1, `entropy ${entropy}`);
    assert.ok(topProbability > 0.2 && topProbability < 0.85, `top probability ${topProbability}`);
  });

  it('rejects inconsistent shapes and unknown dtypes', () => {
    const invalid = (fn: () => unknown): void => assert.throws(fn, (e: unknown) => InkwellError.is(e) && e.code === 'invalid-argument');
    invalid(() => makeModel({ ...tiny, dir: tempDir(), kvHeads: 3, heads: 4 }));
    invalid(() => makeModel({ ...tiny, dir: tempDir(), headDim: 15 }));
    invalid(() => makeModel({ ...tiny, dir: tempDir(), layers: 0 }));
    invalid(() => makeModel({ ...tiny, dir: tempDir(), dtypes: ['int8' as 'q4'] }));
  });
});
