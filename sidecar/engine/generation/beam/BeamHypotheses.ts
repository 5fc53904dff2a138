/** One finished hypothesis: generated ids (a final EOS included) and its length-penalised score. */
export interface Hypothesis {
  readonly tokenIds: readonly number[];
  readonly score: number;
  /** Sum of the processed log-probabilities of its tokens (before the length penalty). */
  readonly sumLogprobs: number;
  /** Processed log-probability of each token. */
  readonly logprobs: readonly number[];
  readonly rawLogprobs: readonly number[];
  /** What finished it: 'eos' / 'stop-string', or undefined for a beam still running at the end. */
  readonly ended: 'eos' | 'stop-string' | undefined;
}

/**
 * HF's BeamHypotheses (transformers 4.4x/4.5x, one batch entry): the best `numBeams` finished
 * hypotheses, scored sum_logprobs / generated_length ** length_penalty, and the three
 * early_stopping rules of is_done. Insertion order is kept because HF breaks ties by it (the
 * worst is deleted oldest-first; the final sort pops the newest of equal scores first).
 */
export class BeamHypotheses {
  private readonly kept: Hypothesis[] = [];
  private worst = 1e9;

  constructor(
    private readonly numBeams: number,
    private readonly lengthPenalty: number,
    private readonly earlyStopping: boolean | 'never',
    /** Most tokens a hypothesis may generate (HF's max_length - decoder_prompt_len). */
    private readonly maxNewTokens: number,
  ) {}

  get size(): number {
    return this.kept.length;
  }

  score(sumLogprobs: number, generatedLength: number): number {
    return sumLogprobs / generatedLength ** this.lengthPenalty;
  }

  add(hypothesis: Omit<Hypothesis, 'score'>): void {
    const score = this.score(hypothesis.sumLogprobs, hypothesis.tokenIds.length);
    if (this.kept.length < this.numBeams || score > this.worst) {
      this.kept.push({ ...hypothesis, score });
      if (this.kept.length > this.numBeams) {
        // Python's sorted() over (score, index): the lowest score, the oldest among equals, goes.
        const order = this.kept.map((h, i) => [h.score, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        this.kept.splice(order[0]![1], 1);
        this.worst = order[1]![0];
      } else {
        this.worst = Math.min(score, this.worst);
      }
    }
  }

  /**
   * HF's is_done, called after each step with the best candidate's running sum of log-probs
   * (HF's next_scores.max()) and the generated length it was scored at.
   * - true: done as soon as numBeams hypotheses are finished;
   * - false: done when that best sum at the current length cannot beat the worst kept score
   *   (a heuristic: a longer continuation could still score better with length_penalty > 0);
   * - 'never': the real bound — with length_penalty > 0 the best reachable score divides by
   *   the longest allowed length; with length_penalty <= 0 the current length is the best.
   */
  isDone(bestSumLogprobs: number, generatedLength: number): boolean {
    if (this.kept.length < this.numBeams) return false;
    if (this.earlyStopping === true) return true;
    const length = this.earlyStopping === 'never' && this.lengthPenalty > 0 ? this.maxNewTokens : generatedLength;
    return this.worst >= bestSumLogprobs / length ** this.lengthPenalty;
  }

  /** Best first; among equal scores the later-added first (Python's sorted() then pop()). */
  best(count: number): Hypothesis[] {
    return BeamHypotheses.bestAcross([this], count);
  }

  /**
   * The best `count` over several groups' hypotheses (diverse beam search), as HF's finalize:
   * the groups' lists concatenated in group order, sorted by score, popped from the end, so among
   * equal scores the later group (then the later-added) comes first.
   */
  static bestAcross(groups: readonly BeamHypotheses[], count: number): Hypothesis[] {
    const all = groups.flatMap((g) => g.kept);
    const order = all.map((h, i) => [h, i] as const).sort((a, b) => b[0].score - a[0].score || b[1] - a[1]);
    return order.slice(0, count).map(([h]) => h);
  }
}
