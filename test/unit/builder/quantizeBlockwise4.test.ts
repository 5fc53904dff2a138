import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as ort from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import { DataType, GraphBuilder, MS_DOMAIN } from '../../../sidecar/builder/onnx/GraphBuilder';
import { dequantizeBlockwise4, quantizeBlockwise4 } from '../../../sidecar/builder/quantize/quantizeBlockwise4';
import { maxAbsDiff } from './support/testInputs';

function pseudoRandom(count: number, seed: number): Float32Array {
  let x = seed;
  return Float32Array.from({ length: count }, () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 31 - 1;
  });
}

/** One MatMulNBits node: y = a @ dequantize(b). */
async function runMatMulNBits(a: Float32Array, m: number, b: Float32Array, k: number, n: number, blockSize: number, accuracyLevel: number): Promise<Float32Array> {
  const q = quantizeBlockwise4(b, k, n, blockSize);
  const g = new GraphBuilder();
  g.tensor('B', DataType.UINT8, [n, q.kBlocks, blockSize / 2], q.packed);
  g.tensor('scales', DataType.FLOAT, [n, q.kBlocks], q.scales);
  g.tensor('zp', DataType.UINT8, [n, Math.ceil(q.kBlocks / 2)], q.zeroPoints);
  g.node('MatMulNBits', ['A', 'B', 'scales', 'zp'], { K: k, N: n, bits: 4, block_size: blockSize, accuracy_level: accuracyLevel }, { outputs: ['Y'], domain: MS_DOMAIN });
  const model = g.toModel([{ name: 'A', type: DataType.FLOAT, dims: [m, k] }], [{ name: 'Y', type: DataType.FLOAT, dims: [m, n] }], 'test');
  const session = await ort.InferenceSession.create(onnx.ModelProto.encode(model).finish(), { executionProviders: ['cpu'] });
  const out = await session.run({ A: new ort.Tensor('float32', a, [m, k]) });
  await session.release();
  return out.Y.data as Float32Array;
}

function matmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const y = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let sum = 0;
    for (let r = 0; r < k; r++) sum += a[i * k + r] * b[r * n + j];
    y[i * n + j] = sum;
  }
  return y;
}

describe('quantizeBlockwise4', () => {
  it('dequantizes to within half a step of every weight', () => {
    const [k, n, blockSize] = [80, 5, 32]; // 3 blocks, the last one short
    const b = pseudoRandom(k * n, 7);
    const q = quantizeBlockwise4(b, k, n, blockSize);
    assert.deepEqual([q.packed.length, q.scales.length, q.zeroPoints.length], [n * 3 * 16, n * 3, n * 2]);
    const back = dequantizeBlockwise4(q, k, n, blockSize);
    for (let r = 0; r < k; r++) for (let c = 0; c < n; c++) {
      const scale = q.scales[c * 3 + Math.floor(r / blockSize)];
      assert.ok(Math.abs(back[r * n + c] - b[r * n + c]) <= scale / 2 + 1e-7);
    }
  });

  it('matches the layout com.microsoft MatMulNBits reads (odd block count, short last block)', async () => {
    const [m, k, n] = [3, 96 + 24, 7];
    for (const blockSize of [16, 32, 64]) {
      const a = pseudoRandom(m * k, 1);
      const b = pseudoRandom(k * n, 2);
      const expected = matmul(a, dequantizeBlockwise4(quantizeBlockwise4(b, k, n, blockSize), k, n, blockSize), m, k, n);
      const exact = await runMatMulNBits(a, m, b, k, n, blockSize, 0);
      assert.ok(maxAbsDiff(exact, expected) < 1e-4, `block ${blockSize}: ${maxAbsDiff(exact, expected)}`);
      // accuracy_level 4 quantizes A to int8 per block: close, not exact.
      const fast = await runMatMulNBits(a, m, b, k, n, blockSize, 4);
      assert.ok(maxAbsDiff(fast, expected) < 0.05, `level 4, block ${blockSize}: ${maxAbsDiff(fast, expected)}`);
    }
  });
});
