import type { LogitsProcessor } from './LogitsProcessor';

/**
 * Logits can be wider than the tokenizer (Qwen pads its head to 151,936 for 151,669 ids): ids
 * the tokenizer cannot decode must never be chosen. Not an HF processor; runs first.
 */
export function vocabMask(tokenizerVocabSize: number): LogitsProcessor {
  return {
    name: 'vocab-mask',
    apply(row) {
      if (tokenizerVocabSize < row.width) row.scores.fill(Number.NEGATIVE_INFINITY, tokenizerVocabSize);
    },
  };
}
