import type { ScoreRow } from '../../processors/ScoreRow';

export interface ProbableTokens {
  /** Most probable first; equal scores keep the lower id first. */
  readonly ids: number[];
  /** softmax of the row at each id (float64 from the float32 scores). */
  readonly probabilities: number[];
}

/**
 * The `k` most probable tokens of a processed row: contrastive search's candidates. Only tokens
 * a processor left possible (a finite score) are candidates, so fewer than k come back when
 * fewer are finite. HF's torch.topk over the probabilities would also return probability-0
 * tokens and could then pick a banned one (a suppressed or bad word, EOS under min_new_tokens):
 * we keep the processors' bans absolute instead.
 *
 * One pass with a sorted buffer of k entries: k is small (HF's default 50 at most in practice),
 * so an insertion costs at most k moves and most entries cost one compare.
 */
export function topProbableTokens(row: ScoreRow, k: number): ProbableTokens {
  const s = row.scores;
  const ids: number[] = [];
  const scores: number[] = [];
  const offer = (id: number) => {
    const v = s[id]!;
    if (!(v > Number.NEGATIVE_INFINITY)) return; // -Infinity (banned) and NaN are never candidates
    const n = ids.length;
    if (n === k && !better(v, id, scores[n - 1]!, ids[n - 1]!)) return;
    let at = n === k ? n - 1 : n;
    while (at > 0 && better(v, id, scores[at - 1]!, ids[at - 1]!)) {
      ids[at] = ids[at - 1]!;
      scores[at] = scores[at - 1]!;
      at--;
    }
    ids[at] = id;
    scores[at] = v;
  };
  if (row.sparse) for (let i = 0; i < row.count; i++) offer(row.candidates[i]!);
  else for (let id = 0; id < s.length; id++) offer(id);
  const lse = row.logSumExp();
  return { ids, probabilities: scores.map((v) => Math.exp(v - lse)) };
}

/** Higher score first; on equal scores the lower id. */
function better(v: number, id: number, w: number, other: number): boolean {
  return v > w || (v === w && id < other);
}
