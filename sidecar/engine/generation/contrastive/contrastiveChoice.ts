/** HF's contrastive score of one candidate: model confidence against degeneration. */
export function contrastiveScore(probability: number, penalty: number, alpha: number): number {
  return (1 - alpha) * probability - alpha * penalty;
}

/**
 * The index of the candidate with the best contrastive score; the first one on equal scores
 * (torch.max's rule), so with candidates listed most probable first a tie keeps the likelier.
 */
export function contrastiveChoice(probabilities: readonly number[], penalties: readonly number[], alpha: number): number {
  let best = 0;
  let bestScore = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < probabilities.length; c++) {
    const score = contrastiveScore(probabilities[c]!, penalties[c]!, alpha);
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}
