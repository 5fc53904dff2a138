import type { LogitsProcessor } from './LogitsProcessor';
import { forceTokens } from './forceTokens';

/** HF's ForcedBOSTokenLogitsProcessor: when the row holds exactly one token, the next one is `bosTokenId`. */
export function forcedBos(bosTokenId: number): LogitsProcessor {
  return {
    name: 'forced-bos',
    apply(row, { ids }) {
      if (ids.length === 1) forceTokens(row.scores, [bosTokenId]);
    },
  };
}
