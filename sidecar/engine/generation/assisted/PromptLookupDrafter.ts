import type { RowContext } from '../../processors/LogitsProcessor';
import { emptyDraft, type CandidateGenerator, type Draft } from './CandidateGenerator';

/**
 * Prompt lookup decoding: the last n-gram of prompt + generated ids is searched for earlier in
 * the same ids, longest n first (maxNgram down to 1); the tokens after its most recent earlier
 * occurrence are the draft. (HF takes the first occurrence; the most recent one follows the
 * text being edited more closely.) Needs no model and learns nothing.
 */
export class PromptLookupDrafter implements CandidateGenerator {
  constructor(
    private readonly numTokens: number,
    private readonly maxNgram: number,
  ) {}

  async propose(context: RowContext, maxTokens: number): Promise<Draft> {
    const tokens = lookupContinuation(context.ids, this.maxNgram, Math.min(this.numTokens, maxTokens));
    return tokens.length === 0 ? emptyDraft : { tokens };
  }

  learn(): void {}

  async dispose(): Promise<void> {}
}

/** The continuation (up to `count` tokens) of the most recent earlier occurrence of the last n-gram. */
export function lookupContinuation(ids: readonly number[], maxNgram: number, count: number): number[] {
  const length = ids.length;
  if (count <= 0) return [];
  for (let n = Math.min(maxNgram, length - 1); n >= 1; n--) {
    const tail = length - n;
    // Candidate starts from the most recent down; a match must end before the tail itself.
    for (let start = tail - 1; start >= 0; start--) {
      let same = true;
      for (let k = 0; k < n; k++) {
        if (ids[start + k] !== ids[tail + k]) {
          same = false;
          break;
        }
      }
      if (same) return ids.slice(start + n, Math.min(start + n + count, length));
    }
  }
  return [];
}
