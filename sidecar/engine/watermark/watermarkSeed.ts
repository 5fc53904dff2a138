import { fmix32 } from './fmix32';

/**
 * The seed of the position after `ids[end - width, end)` (oldest first): s = key, then
 * s = fmix32(s ^ fmix32(t)) for each of those ids. The caller guarantees `end >= width`.
 */
export function watermarkSeed(ids: ArrayLike<number>, end: number, key: number, width: number): number {
  let s = key >>> 0;
  for (let i = end - width; i < end; i++) s = fmix32(s ^ fmix32(ids[i]!));
  return s;
}
