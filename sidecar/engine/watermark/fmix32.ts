/**
 * MurmurHash3's 32-bit finaliser: a bijection on uint32 that spreads every input bit over the
 * output. inkwell-wm-v1 builds its seeds and green lists from it alone, so any language can
 * reproduce the scheme with five lines (see README.md in this folder).
 */
export function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}
