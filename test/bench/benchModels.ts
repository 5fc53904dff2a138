import { qwen3TokenizerDir, testModel } from '../support/testModels';

/** ~20M parameters: 6 layers × 384, 6 heads / 2 KV heads, SwiGLU 1536, vocab 8192, untied head. */
export const MODEL_20M = { layers: 6, hidden: 384, heads: 6, kvHeads: 2, intermediate: 1536, vocab: 8192, seed: 11, tied: false, maxPositions: 2048 };
/** Same body with Qwen2.5-Coder's 151,936-wide vocabulary (the real Qwen3 tokenizer, tied head). */
export const MODEL_LARGE_VOCAB = { ...MODEL_20M, vocab: 151_936, tied: true, modelType: 'qwen2' as const };

/** The bench's 20M model folder (fp32 and q4 files), built once into test/.cache/models. */
export function bench20mModel(): string {
  return testModel('bench-20m', { ...MODEL_20M, dtypes: ['fp32', 'q4'] });
}

export function benchLargeVocabModel(): string {
  return testModel('bench-152k', { ...MODEL_LARGE_VOCAB, dtypes: ['fp32', 'q4'], tokenizerFrom: qwen3TokenizerDir });
}
