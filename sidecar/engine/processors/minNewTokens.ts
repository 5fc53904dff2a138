import type { LogitsProcessor } from './LogitsProcessor';
import { maskIds } from './maskIds';

/** HF's MinNewTokensLengthLogitsProcessor: EOS is impossible until `count` tokens were generated. */
export function minNewTokens(count: number, eosTokenIds: readonly number[]): LogitsProcessor {
  return {
    name: 'min-new-tokens',
    apply(row, { ids, promptLength }) {
      if (ids.length - promptLength < count) maskIds(row.scores, eosTokenIds);
    },
  };
}
