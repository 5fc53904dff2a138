import type { LogitsProcessor } from './LogitsProcessor';
import { maskIds } from './maskIds';

/** HF's SuppressTokensLogitsProcessor: these ids are never generated. */
export function suppressTokens(ids: readonly number[]): LogitsProcessor {
  return {
    name: 'suppress-tokens',
    apply(row) {
      maskIds(row.scores, ids);
    },
  };
}
