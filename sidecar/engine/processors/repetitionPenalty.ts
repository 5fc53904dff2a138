import type { LogitsProcessor } from './LogitsProcessor';

/**
 * HF's RepetitionPenaltyLogitsProcessor (CTRL): every token already present in the ids,
 * prompt included, has a positive score divided by `penalty` and a negative one multiplied.
 * A token present several times is penalised once (HF gathers, then scatters).
 */
export function repetitionPenalty(penalty: number, width: number): LogitsProcessor {
  // Stamps dedupe ids without clearing a 152k array per step.
  const stamps = new Uint32Array(width);
  let stamp = 0;
  return {
    name: 'repetition-penalty',
    apply(row, { ids }) {
      stamp = (stamp + 1) >>> 0;
      if (stamp === 0) {
        stamps.fill(0);
        stamp = 1;
      }
      const s = row.scores;
      for (const id of ids) {
        if (id >= s.length || stamps[id] === stamp) continue;
        stamps[id] = stamp;
        const v = s[id]!;
        s[id] = v < 0 ? v * penalty : v / penalty;
      }
    },
  };
}
