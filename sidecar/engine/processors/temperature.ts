import type { LogitsProcessor } from './LogitsProcessor';

/** HF's TemperatureLogitsWarper: scores / temperature (division, as HF, not a reciprocal multiply). */
export function temperature(t: number): LogitsProcessor {
  return {
    name: 'temperature',
    apply(row) {
      const s = row.scores;
      if (row.sparse) {
        for (let i = 0; i < row.count; i++) {
          const id = row.candidates[i]!;
          s[id] = s[id]! / t;
        }
      } else {
        for (let i = 0; i < s.length; i++) s[i] = s[i]! / t;
      }
    },
  };
}
