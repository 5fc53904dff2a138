import type { LogitsProcessor } from './LogitsProcessor';
import { forceTokens } from './forceTokens';

/** HF's ForcedEOSTokenLogitsProcessor: the last position the length limit allows must be EOS. */
export function forcedEos(eosTokenIds: readonly number[]): LogitsProcessor {
  return {
    name: 'forced-eos',
    apply(row, { ids, maxLength }) {
      if (ids.length === maxLength - 1) forceTokens(row.scores, eosTokenIds);
    },
  };
}
