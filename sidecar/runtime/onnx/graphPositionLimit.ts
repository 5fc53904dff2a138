import type { GraphOutline } from './readGraphOutline';

/** The positions a graph can embed, and the table that says so. */
export interface GraphPositionLimit {
  readonly positions: number;
  /** The tensor whose first dimension is the limit, e.g. transformer.wpe.weight or cos_cache. */
  readonly table: string;
}

/** The operators graphPositionLimit looks at (readGraphOutline keeps only these). */
export const POSITION_OPS: ReadonlySet<string> = new Set(['Gather', 'GatherBlockQuantized', 'GroupQueryAttention', 'RotaryEmbedding']);
/** Names exporters give learned position tables and precomputed rotary caches. */
const TABLE_NAME = /wpe|pos(ition)?_?emb|embed_positions|position_embeddings|cos_cache|sin_cache|cos_cached|sin_cached/i;

/**
 * The number of positions an ONNX decoder's own tables hold, when it has such a table: a learned
 * position embedding gathered by position (GPT-2's wpe) or a rotary cos/sin cache fed to
 * GroupQueryAttention or RotaryEmbedding. Positions past it index outside the table, whatever
 * config.json's max_position_embeddings says. Undefined when the graph computes its positions
 * (most Llama exports).
 */
export function graphPositionLimit(outline: GraphOutline): GraphPositionLimit | undefined {
  let best: GraphPositionLimit | undefined;
  const consider = (name: string | undefined) => {
    const dims = name === undefined ? undefined : outline.shapes.get(name);
    const rows = dims?.[0];
    if (!dims || dims.length < 2 || rows === undefined || rows <= 0) return;
    if (!best || rows < best.positions) best = { positions: rows, table: name! };
  };
  for (const node of outline.nodes) {
    const [data, indices] = node.inputs;
    if (node.opType === 'Gather' || node.opType === 'GatherBlockQuantized') {
      if (data === undefined || !outline.constants.has(data)) continue;
      const byPosition = indices !== undefined && outline.inputs.has(indices) && /position/i.test(indices);
      if (byPosition || TABLE_NAME.test(data)) consider(data);
    } else if (node.opType === 'GroupQueryAttention' && node.domain === 'com.microsoft') {
      consider(node.inputs[7]); // cos_cache [max_sequence_length, rotary_dim / 2]
    } else if (node.opType === 'RotaryEmbedding') {
      // com.microsoft: (input, position_ids, cos_cache, sin_cache); ONNX: (X, cos_cache, sin_cache, position_ids?).
      if (node.domain === 'com.microsoft') consider(node.inputs[2]);
      else if (node.inputs[3]) consider(node.inputs[1]);
    }
  }
  return best;
}
