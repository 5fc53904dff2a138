/**
 * The context of contrastive search (Su et al., 2022): the last-layer hidden state of every
 * token so far, prompt included, and a candidate's degeneration penalty against it, the largest
 * cosine similarity between the candidate's hidden state and any context vector.
 *
 * Arithmetic: the model's float32 vectors are normalised once, when appended, into float64 unit
 * vectors (HF divides by the norms at every step in the model's dtype); dot products are float64.
 * Penalties therefore agree with HF's float32 ones to ~1e-6, which only matters on a near-tie.
 * A zero vector has no direction: its cosine with anything is taken as 0 (HF would get NaN).
 */
export class DegenerationPenalty {
  private units: Float64Array;
  private count = 0;

  constructor(readonly hiddenSize: number) {
    this.units = new Float64Array(hiddenSize * 64);
  }

  /** Context vectors held. */
  get length(): number {
    return this.count;
  }

  /** Appends `rows` hidden states laid out row-major in `hidden` (rows × hiddenSize). */
  append(hidden: Float32Array, rows = hidden.length / this.hiddenSize): void {
    const h = this.hiddenSize;
    if (!Number.isInteger(rows) || hidden.length < rows * h) {
      throw new Error(`DegenerationPenalty.append: ${hidden.length} values do not hold ${rows} rows of ${h}`);
    }
    if ((this.count + rows) * h > this.units.length) {
      const grown = new Float64Array(Math.max(this.units.length * 2, (this.count + rows) * h));
      grown.set(this.units.subarray(0, this.count * h));
      this.units = grown;
    }
    for (let r = 0; r < rows; r++) {
      const scale = inverseNorm(hidden, r * h, h);
      const base = (this.count + r) * h;
      for (let i = 0; i < h; i++) this.units[base + i] = hidden[r * h + i]! * scale;
    }
    this.count += rows;
  }

  /**
   * max over context positions j of cos(candidate, h_j), for the hiddenSize values of
   * `candidate` from `offset`. With an empty context there is nothing to repeat: 0.
   */
  of(candidate: Float32Array, offset = 0): number {
    const h = this.hiddenSize;
    if (this.count === 0) return 0;
    const scale = inverseNorm(candidate, offset, h);
    const u = this.units;
    let best = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < this.count; j++) {
      let dot = 0;
      const base = j * h;
      for (let i = 0; i < h; i++) dot += u[base + i]! * candidate[offset + i]!;
      if (dot > best) best = dot;
    }
    return best * scale;
  }
}

/** 1 / ‖x[offset, offset + n)‖, or 0 for a zero vector (its cosines become 0). */
function inverseNorm(x: Float32Array, offset: number, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[offset + i]! * x[offset + i]!;
  return sum > 0 ? 1 / Math.sqrt(sum) : 0;
}
