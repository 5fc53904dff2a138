import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fmix32 } from '../../../../sidecar/engine/watermark/fmix32';
import { greenThreshold } from '../../../../sidecar/engine/watermark/greenThreshold';
import { idHashes } from '../../../../sidecar/engine/watermark/idHashes';
import { isGreen } from '../../../../sidecar/engine/watermark/isGreen';
import { watermarkSeed } from '../../../../sidecar/engine/watermark/watermarkSeed';

// The scheme's test vectors (inkwell-wm-v1, K = 15485863, γ = 0.25), verbatim.
const K = 15485863;
const vectors: { context: number[]; seed: number; green: number[] }[] = [
  { context: [42], seed: 3751351493, green: [0, 6, 8, 10, 12, 14, 18, 19, 20, 21] },
  { context: [0], seed: 2235106109, green: [8, 13, 17, 19, 20, 24, 31] },
  { context: [151643], seed: 49990709, green: [2, 6, 7, 14, 15, 16] },
  { context: [7, 42, 9], seed: 2521369798, green: [5, 6, 11, 14, 20, 22, 25, 26, 28] },
];

/** fmix32 again with BigInt and explicit mod 2^32, written from the text (an independent check). */
function fmix32Big(value: number): number {
  const M = 1n << 32n;
  let x = BigInt(value >>> 0);
  x ^= x >> 16n;
  x = (x * 0x85ebca6bn) % M;
  x ^= x >> 13n;
  x = (x * 0xc2b2ae35n) % M;
  x ^= x >> 16n;
  return Number(x);
}

describe('inkwell-wm-v1 test vectors', () => {
  it('fmix32 of 0..4', () => {
    assert.deepEqual([0, 1, 2, 3, 4].map(fmix32), [0, 1364076727, 821347078, 2247144487, 614249093]);
  });

  it('fmix32 equals a BigInt transcription on edge and random inputs', () => {
    const inputs = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 151643, 15485863];
    for (let i = 0; i < 1000; i++) inputs.push(fmix32Big(i * 2654435761) ^ i);
    for (const x of inputs) assert.equal(fmix32(x), fmix32Big(x), `fmix32(${x})`);
  });

  for (const { context, seed, green } of vectors) {
    it(`seed from [${context.join(', ')}] and its green ids among 0..31`, () => {
      assert.equal(watermarkSeed(context, context.length, K, context.length), seed);
      const threshold = greenThreshold(0.25);
      assert.equal(threshold, 2 ** 30);
      const found = [...Array(32).keys()].filter((id) => isGreen(seed, id, threshold));
      assert.deepEqual(found, green);
    });
  }

  it('the seed uses only the last h ids before `end`', () => {
    assert.equal(watermarkSeed([1, 2, 7, 42, 9, 5], 5, K, 3), 2521369798);
  });

  it('idHashes holds fmix32 of every id and is computed once per width', () => {
    const table = idHashes(1000);
    assert.equal(table.length, 1000);
    for (let id = 0; id < 1000; id++) assert.equal(table[id], fmix32(id));
    assert.equal(idHashes(1000), table);
  });
});
