import type { ScoreRow } from '../../processors/ScoreRow';

/**
 * HF's HammingDiversityLogitsProcessor (diverse beam search, Vijayakumar et al. 2016): a group's
 * score for token v drops by diversity_penalty × how many beams of the earlier groups chose v at
 * this same step. `earlierTokens` are those choices (a finished group counts as pad tokens, as
 * HF's scorer feeds pads for it). The first group is never penalised.
 */
export function hammingDiversity(row: ScoreRow, earlierTokens: readonly number[], penalty: number): void {
  for (const token of earlierTokens) row.scores[token] = row.scores[token]! - penalty;
}
