import type { TestModelOptions } from './cachedModel';

/** GQA (4 query heads on 2 KV heads), untied head, hidden-state output, all three dtypes. */
export const LLAMA_GQA: TestModelOptions = {
  modelType: 'llama',
  layers: 2,
  hidden: 64,
  heads: 4,
  kvHeads: 2,
  intermediate: 96, // 3 blocks of 32: an odd block count exercises the zero-point padding
  vocab: 80,
  maxPositions: 128,
  tied: false,
  hiddenStates: true,
  seed: 11,
  dtypes: ['fp32', 'fp16', 'q4'],
};

/** Qwen2: q/k/v biases, tied head, one KV head for four query heads, rope_theta 1e6. */
export const QWEN_TIED: TestModelOptions = {
  modelType: 'qwen2',
  layers: 2,
  hidden: 64,
  heads: 4,
  kvHeads: 1,
  intermediate: 128,
  vocab: 72,
  maxPositions: 128,
  seed: 5,
  dtypes: ['fp32', 'fp16', 'q4'],
};

/** Plain multi-head attention (kvHeads = heads), Llama with attention_bias (o_proj bias too), tied. */
export const LLAMA_MHA_BIAS: TestModelOptions = {
  modelType: 'llama',
  layers: 3,
  hidden: 32,
  heads: 2,
  kvHeads: 2,
  intermediate: 64,
  vocab: 64,
  maxPositions: 64,
  tied: true,
  attentionBias: true,
  seed: 3,
  dtypes: ['fp32'],
};
