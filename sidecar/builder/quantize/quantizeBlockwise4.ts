/** The three tensors of a 4-bit com.microsoft MatMulNBits weight. */
export interface Blockwise4 {
  /** uint8 [N, kBlocks, blockSize / 2]: per output column, K codes two to a byte, low nibble first. */
  readonly packed: Uint8Array;
  /** [N, kBlocks] */
  readonly scales: Float32Array;
  /** uint8 [N, ceil(kBlocks / 2)]: one 4-bit zero point per block, low nibble first, each row padded to a byte. */
  readonly zeroPoints: Uint8Array;
  readonly kBlocks: number;
}

/**
 * Asymmetric min/max quantization of B [K, N] (MatMul layout) in blocks of `blockSize` along K.
 * The range always includes 0 so zero weights (and the padding of a short last block) stay exact.
 */
export function quantizeBlockwise4(b: Float32Array, k: number, n: number, blockSize: number): Blockwise4 {
  const kBlocks = Math.ceil(k / blockSize);
  const blob = blockSize / 2;
  const zpRow = Math.ceil(kBlocks / 2);
  const packed = new Uint8Array(n * kBlocks * blob);
  const scales = new Float32Array(n * kBlocks);
  const zeroPoints = new Uint8Array(n * zpRow);
  for (let col = 0; col < n; col++) {
    for (let blk = 0; blk < kBlocks; blk++) {
      const start = blk * blockSize;
      const end = Math.min(k, start + blockSize);
      let min = 0;
      let max = 0;
      for (let r = start; r < end; r++) {
        const v = b[r * n + col];
        if (v < min) min = v;
        if (v > max) max = v;
      }
      const scale = max > min ? (max - min) / 15 : 1;
      const zp = Math.min(15, Math.max(0, Math.round(-min / scale)));
      scales[col * kBlocks + blk] = scale;
      zeroPoints[col * zpRow + (blk >> 1)] |= zp << ((blk & 1) * 4);
      const out = (col * kBlocks + blk) * blob;
      for (let i = 0; i < blockSize; i++) {
        const r = start + i;
        const code = r < end ? Math.min(15, Math.max(0, Math.round(b[r * n + col] / scale) + zp)) : zp;
        packed[out + (i >> 1)] |= code << ((i & 1) * 4);
      }
    }
  }
  return { packed, scales, zeroPoints, kBlocks };
}

/** The values MatMulNBits computes with: (code - zero point) * scale, back as B [K, N]. */
export function dequantizeBlockwise4(q: Blockwise4, k: number, n: number, blockSize: number): Float32Array {
  const out = new Float32Array(k * n);
  const blob = blockSize / 2;
  const zpRow = Math.ceil(q.kBlocks / 2);
  for (let col = 0; col < n; col++) {
    for (let r = 0; r < k; r++) {
      const blk = Math.floor(r / blockSize);
      const i = r % blockSize;
      const code = (q.packed[(col * q.kBlocks + blk) * blob + (i >> 1)] >> ((i & 1) * 4)) & 15;
      const zp = (q.zeroPoints[col * zpRow + (blk >> 1)] >> ((blk & 1) * 4)) & 15;
      out[r * n + col] = (code - zp) * q.scales[col * q.kBlocks + blk];
    }
  }
  return out;
}
