import { fmix32 } from './fmix32';

/** Token `id` is green at a position with `seed` iff fmix32(seed ^ fmix32(id)) < threshold. */
export function isGreen(seed: number, id: number, threshold: number): boolean {
  return fmix32(seed ^ fmix32(id)) < threshold;
}
