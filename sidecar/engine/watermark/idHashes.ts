import { fmix32 } from './fmix32';

const tables = new Map<number, Uint32Array>();

/**
 * fmix32(id) for every id below `width`, computed once per vocabulary width and shared (read
 * only) by every watermark processor, so that a step costs one fmix32 per token, not two.
 */
export function idHashes(width: number): Uint32Array {
  let table = tables.get(width);
  if (!table) {
    table = new Uint32Array(width);
    for (let id = 0; id < width; id++) table[id] = fmix32(id);
    tables.set(width, table);
  }
  return table;
}
