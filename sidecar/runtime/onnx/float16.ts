/** IEEE half → single conversion for fp16 logits (Node 20 has no Float16Array). */
const table = new Float32Array(65536);
let filled = false;

function fill(): void {
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    let v: number;
    if (exp === 0) v = frac * 2 ** -24;
    else if (exp === 31) v = frac === 0 ? Infinity : NaN;
    else v = (1 + frac / 1024) * 2 ** (exp - 15);
    table[h] = sign * v;
  }
  filled = true;
}

export function halfToFloat(src: Uint16Array, out = new Float32Array(src.length)): Float32Array {
  if (!filled) fill();
  for (let i = 0; i < src.length; i++) out[i] = table[src[i]!]!;
  return out;
}
