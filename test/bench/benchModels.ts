import { defaultTokenizerCorpus } from '../../sidecar/builder/tokenizer/index';
import { readModelFolder } from '../../sidecar/runtime/model/modelFolder';
import { HfTokenizer } from '../../sidecar/runtime/tokenizer/HfTokenizer';
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

/** The first `tokens` ids of the builder's code corpus under the model's tokenizer: every bench's prompt. */
export function benchPromptIds(dir: string, tokens: number): number[] {
  const folder = readModelFolder(dir);
  const tokenizer = new HfTokenizer(folder.tokenizerJson, folder.tokenizerConfig);
  const ids = tokenizer.encode(defaultTokenizerCorpus().join('\n').slice(0, 20_000));
  if (ids.length < tokens) throw new Error(`bench prompt has only ${ids.length} tokens`);
  return ids.slice(0, tokens);
}
