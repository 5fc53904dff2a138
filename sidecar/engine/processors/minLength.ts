import type { LogitsProcessor } from './LogitsProcessor';
import { maskIds } from './maskIds';

/** HF's MinLengthLogitsProcessor: EOS is impossible while the row (prompt included) is shorter than `length`. */
export function minLength(length: number, eosTokenIds: readonly number[]): LogitsProcessor {
  return {
    name: 'min-length',
    apply(row, { ids }) {
      if (ids.length < length) maskIds(row.scores, eosTokenIds);
    },
  };
}
