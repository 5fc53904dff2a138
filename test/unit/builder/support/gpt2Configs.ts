import type { TestModelOptions } from './cachedModel';

/** GPT-2: 4 heads of 16, MLP 4x, 64 learned positions, all three dtypes, hidden-state output. */
export const GPT2: TestModelOptions = {
  modelType: 'gpt2',
  layers: 2,
  hidden: 64,
  heads: 4,
  vocab: 80,
  maxPositions: 64,
  hiddenStates: true,
  seed: 17,
  dtypes: ['fp32', 'fp16', 'q4'],
};
