import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { resolveDecoderSpec } from '../../../sidecar/builder/DecoderSpec';
import { fromFloat16Bits, toFloat16Bits } from '../../../sidecar/builder/onnx/float16';
import { RandomWeightSource } from '../../../sidecar/builder/weights/RandomWeightSource';
import { decoderParameters } from '../../../sidecar/builder/weights/WeightSource';

describe('decoder parameters', () => {
  it('lists Hugging Face names and torch shapes, with biases and lm_head only when configured', () => {
    const llama = decoderParameters(resolveDecoderSpec({ layers: 2, hidden: 64, heads: 4, kvHeads: 2, vocab: 100, intermediate: 96 }));
    assert.equal(llama.length, 1 + 2 * 9 + 1 + 1);
    assert.deepEqual(llama.find((p) => p.name === 'model.layers.1.self_attn.k_proj.weight')?.shape, [32, 64]);
    assert.deepEqual(llama.find((p) => p.name === 'model.layers.0.mlp.down_proj.weight')?.shape, [64, 96]);
    assert.deepEqual(llama.at(-1), { name: 'lm_head.weight', shape: [100, 64], kind: 'embedding' });
    const qwen = decoderParameters(resolveDecoderSpec({ modelType: 'qwen2', layers: 1, hidden: 64, heads: 4, vocab: 100 }));
    assert.ok(qwen.some((p) => p.name === 'model.layers.0.self_attn.v_proj.bias'));
    assert.ok(!qwen.some((p) => p.name === 'model.layers.0.self_attn.o_proj.bias'), 'Qwen2 o_proj has no bias');
    assert.ok(!qwen.some((p) => p.name === 'lm_head.weight'), 'Qwen2 defaults to a tied head');
  });
});

describe('RandomWeightSource', () => {
  const spec = resolveDecoderSpec({ layers: 1, hidden: 64, heads: 4, vocab: 50 });

  it('is deterministic per name and seed, independent of request order', () => {
    const a = new RandomWeightSource(spec, 7);
    const b = new RandomWeightSource(spec, 7);
    const norm = b.get('model.norm.weight', [64]);
    assert.deepEqual(a.get('model.norm.weight', [64]), norm);
    assert.notDeepEqual(new RandomWeightSource(spec, 8).get('model.norm.weight', [64]), norm);
  });

  it('scales Linear weights by 1/sqrt(fan_in) and keeps norms near 1', () => {
    const w = new RandomWeightSource(spec, 1).get('model.layers.0.mlp.down_proj.weight', [64, 256]);
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    assert.ok(Math.abs(std - 1 / 16) < 0.005, `std ${std}`);
    const norm = new RandomWeightSource(spec, 1).get('model.norm.weight', [64]);
    assert.ok(norm.every((v) => v > 0.5 && v < 1.5));
  });

  it('rejects unknown names and wrong shapes', () => {
    const source = new RandomWeightSource(spec, 1);
    assert.throws(() => source.get('lm_head.bias', [50]), (e: unknown) => InkwellError.is(e) && e.code === 'invalid-argument');
    assert.throws(() => source.get('model.norm.weight', [32]), /shape/);
  });
});

describe('float16', () => {
  it('round-trips representable values and rounds to nearest even', () => {
    for (const v of [0, -0, 1, -2.5, 65504, 6.103515625e-5, 5.960464477539063e-8, 0.333251953125]) assert.equal(fromFloat16Bits(toFloat16Bits(v)), v);
    assert.equal(toFloat16Bits(1 + 2 ** -11), 0x3c00, 'a tie rounds to even');
    assert.equal(toFloat16Bits(1 + 3 * 2 ** -11), 0x3c02);
    assert.equal(toFloat16Bits(1e6), 0x7c00, 'overflow is infinity');
    assert.ok(Number.isNaN(fromFloat16Bits(toFloat16Bits(NaN))));
  });
});
