/** The loops behind ReferenceDecoder: plain, row-major, Float64 accumulation. */

/** x [rows, inF] times W: W is [inF, outF], or [outF, inF] when `weightIsOutByIn` (the tied embedding). */
export function linear(
  x: Float64Array,
  rows: number,
  w: Float32Array,
  inF: number,
  outF: number,
  bias?: Float32Array,
  weightIsOutByIn = false,
): Float64Array {
  const y = new Float64Array(rows * outF);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outF; o++) {
      let sum = bias ? bias[o] : 0;
      for (let i = 0; i < inF; i++) sum += x[r * inF + i] * (weightIsOutByIn ? w[o * inF + i] : w[i * outF + o]);
      y[r * outF + o] = sum;
    }
  }
  return y;
}

export function rmsNorm(x: Float64Array, rows: number, weight: Float32Array, eps: number): Float64Array {
  const n = weight.length;
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let ss = 0;
    for (let i = 0; i < n; i++) ss += x[r * n + i] ** 2;
    const inv = 1 / Math.sqrt(ss / n + eps);
    for (let i = 0; i < n; i++) y[r * n + i] = x[r * n + i] * inv * weight[i];
  }
  return y;
}

export function silu(x: number): number {
  return x / (1 + Math.exp(-x));
}

/** HF rotate_half rotary embedding of x [seq, heads, d] at the given positions; angles in float32 like the graph. */
export function rotate(x: Float64Array, seq: number, heads: number, d: number, positions: readonly number[], invFreq: Float32Array): Float64Array {
  const half = d / 2;
  const y = new Float64Array(x.length);
  for (let s = 0; s < seq; s++) {
    for (let i = 0; i < half; i++) {
      const angle = Math.fround(positions[s] * invFreq[i]);
      const c = Math.cos(angle);
      const sn = Math.sin(angle);
      for (let h = 0; h < heads; h++) {
        const base = (s * heads + h) * d;
        const a = x[base + i];
        const b = x[base + i + half];
        y[base + i] = a * c - b * sn;
        y[base + i + half] = b * c + a * sn;
      }
    }
  }
  return y;
}

export interface AttentionShape {
  readonly batchIndex: number;
  readonly seq: number;
  readonly total: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  /** attention_mask row, length total */
  readonly mask: readonly number[];
}

/**
 * Causal, padding-masked softmax attention for one batch entry. q is [seq, heads, d]; keys/values
 * are the layer's cache [batch, kvHeads, total, d]. Query head h reads KV head floor(h / group).
 * A row with no visible key (a pad query) averages all keys uniformly, as the graph does.
 */
export function attend(q: Float64Array, keys: Float32Array, values: Float32Array, shape: AttentionShape): Float64Array {
  const { batchIndex, seq, total, heads, kvHeads, headDim: d, mask } = shape;
  const group = heads / kvHeads;
  const past = total - seq;
  const out = new Float64Array(seq * heads * d);
  const scores = new Float64Array(total);
  for (let s = 0; s < seq; s++) {
    for (let h = 0; h < heads; h++) {
      const kvBase = (batchIndex * kvHeads + Math.floor(h / group)) * total * d;
      const qBase = (s * heads + h) * d;
      let max = -Infinity;
      let visible = 0;
      for (let j = 0; j < total; j++) {
        if (j <= past + s && mask[j] !== 0) {
          let dot = 0;
          for (let i = 0; i < d; i++) dot += q[qBase + i] * keys[kvBase + j * d + i];
          scores[j] = dot / Math.sqrt(d);
          max = Math.max(max, scores[j]);
          visible++;
        } else scores[j] = NaN;
      }
      let sum = 0;
      for (let j = 0; j < total; j++) {
        const e = visible === 0 ? 1 : Number.isNaN(scores[j]) ? 0 : Math.exp(scores[j] - max);
        scores[j] = e;
        sum += e;
      }
      for (let j = 0; j < total; j++) {
        const p = scores[j] / sum;
        if (p === 0) continue;
        for (let i = 0; i < d; i++) out[qBase + i] += p * values[kvBase + j * d + i];
      }
    }
  }
  return out;
}

/** torch LayerNorm over rows of width weight.length (biased variance). */
export function layerNorm(x: Float64Array, rows: number, weight: Float32Array, bias: Float32Array, eps: number): Float64Array {
  const n = weight.length;
  const y = new Float64Array(x.length);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[r * n + i];
    mean /= n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (x[r * n + i] - mean) ** 2;
    const inv = 1 / Math.sqrt(variance / n + eps);
    for (let i = 0; i < n; i++) y[r * n + i] = (x[r * n + i] - mean) * inv * weight[i] + bias[i];
  }
  return y;
}

/** GPT-2's gelu_new (the tanh approximation). */
export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
}

export interface CacheRowsShape {
  readonly batchIndex: number;
  readonly heads: number;
  readonly headDim: number;
  readonly pastLength: number;
  readonly seq: number;
}

/**
 * Writes one batch entry's rows of a present tensor [batch, heads, past + seq, d]: the past rows
 * first, then this step's `current` [seq, heads, d].
 */
export function writeCacheRows(present: Float32Array, past: Float32Array | undefined, current: Float64Array, shape: CacheRowsShape): void {
  const { batchIndex, heads, headDim: d, pastLength, seq } = shape;
  const total = pastLength + seq;
  for (let g = 0; g < heads; g++) {
    const base = (batchIndex * heads + g) * total * d;
    if (past) {
      const pastBase = (batchIndex * heads + g) * pastLength * d;
      present.set(past.subarray(pastBase, pastBase + pastLength * d), base);
    }
    for (let s = 0; s < seq; s++) {
      for (let i = 0; i < d; i++) present[base + (pastLength + s) * d + i] = current[(s * heads + g) * d + i];
    }
  }
}
