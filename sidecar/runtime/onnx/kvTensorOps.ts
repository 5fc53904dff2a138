/**
 * Crop and row-gather on [batch, heads, length, headDim] cache buffers. Works on any typed array
 * (Float32Array for fp32 caches, Uint16Array for fp16) because it only moves elements.
 */
export type KvData = Float32Array | Uint16Array;

export function cropLength<T extends KvData>(data: T, dims: readonly number[], length: number): T {
  const [b, h, t, d] = dims as [number, number, number, number];
  const out = new (data.constructor as new (n: number) => T)(b * h * length * d);
  const keep = length * d;
  for (let bh = 0; bh < b * h; bh++) {
    out.set(data.subarray(bh * t * d, bh * t * d + keep), bh * keep);
  }
  return out;
}

export function gatherRows<T extends KvData>(data: T, dims: readonly number[], rows: readonly number[]): T {
  const [, h, t, d] = dims as [number, number, number, number];
  const rowSize = h * t * d;
  const out = new (data.constructor as new (n: number) => T)(rows.length * rowSize);
  rows.forEach((row, i) => out.set(data.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize));
  return out;
}
