import type { LogitsProcessor } from './LogitsProcessor';
import { maskIds } from './maskIds';

/**
 * HF's SuppressTokensAtBeginLogitsProcessor: these ids cannot be the first generated token.
 * As in HF, with a forced BOS after a one-token prompt the "first" position moves one later.
 */
export function beginSuppressTokens(ids: readonly number[], hasForcedBos: boolean): LogitsProcessor {
  return {
    name: 'begin-suppress-tokens',
    apply(row, context) {
      const begin = context.promptLength + (hasForcedBos && context.promptLength === 1 ? 1 : 0);
      if (context.ids.length === begin) maskIds(row.scores, ids);
    },
  };
}
