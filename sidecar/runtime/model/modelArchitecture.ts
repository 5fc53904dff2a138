import { InkwellError } from '../../engine';

/**
 * What the runtime needs to know about a decoder from its config.json. Different families spell
 * the same numbers differently (Llama: num_hidden_layers / hidden_size; GPT-2: n_layer / n_embd).
 */
export interface ModelArchitecture {
  readonly modelType: string;
  readonly numLayers: number;
  readonly numHeads: number;
  readonly numKvHeads: number;
  readonly headDim: number;
  readonly hiddenSize: number;
  readonly vocabSize: number;
  readonly maxPositions: number;
  readonly bosTokenId: number | undefined;
  readonly eosTokenIds: readonly number[];
  readonly padTokenId: number | undefined;
}

/** Decoder families whose ONNX exports use past_key_values.N.key/value of shape [batch, kv_heads, length, head_dim]. */
export const SUPPORTED_MODEL_TYPES: readonly string[] = [
  'llama', 'qwen2', 'qwen3', 'mistral', 'phi3', 'starcoder2', 'gemma', 'gemma2', 'gemma3_text',
  'granite', 'olmo', 'olmo2', 'smollm3', 'gpt2', 'gpt_neox', 'gptj', 'codegen', 'stablelm',
];

function pickNumber(config: Record<string, unknown>, file: string, names: readonly string[], fallback?: number): number {
  for (const name of names) {
    const v = config[name];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  if (fallback !== undefined) return fallback;
  throw new InkwellError('model-invalid', `${file}: missing numeric field ${names.join(' or ')}`, {
    details: { file, field: names[0] },
  });
}

function idList(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (Array.isArray(value)) return value.filter((v): v is number => typeof v === 'number');
  return [];
}

export function parseModelArchitecture(config: Record<string, unknown>, file: string): ModelArchitecture {
  const modelType = config.model_type;
  if (typeof modelType !== 'string') {
    throw new InkwellError('model-invalid', `${file}: field model_type is missing or not a string`, {
      details: { file, field: 'model_type' },
    });
  }
  if (!SUPPORTED_MODEL_TYPES.includes(modelType)) {
    throw new InkwellError(
      'model-invalid',
      `${file}: model_type "${modelType}" is not supported; supported decoder types: ${SUPPORTED_MODEL_TYPES.join(', ')}`,
      { details: { file, field: 'model_type', value: modelType } },
    );
  }
  const numLayers = pickNumber(config, file, ['num_hidden_layers', 'n_layer', 'num_layers']);
  const numHeads = pickNumber(config, file, ['num_attention_heads', 'n_head']);
  const hiddenSize = pickNumber(config, file, ['hidden_size', 'n_embd', 'd_model']);
  const numKvHeads = pickNumber(config, file, ['num_key_value_heads', 'num_kv_heads'], numHeads);
  const headDim = pickNumber(config, file, ['head_dim'], Math.floor(hiddenSize / numHeads));
  const vocabSize = pickNumber(config, file, ['vocab_size']);
  const maxPositions = pickNumber(config, file, ['max_position_embeddings', 'n_positions', 'n_ctx'], 2048);
  const eos = idList(config.eos_token_id);
  return {
    modelType,
    numLayers,
    numHeads,
    numKvHeads,
    headDim,
    hiddenSize,
    vocabSize,
    maxPositions,
    bosTokenId: typeof config.bos_token_id === 'number' ? config.bos_token_id : undefined,
    eosTokenIds: eos,
    padTokenId: typeof config.pad_token_id === 'number' ? config.pad_token_id : undefined,
  };
}
