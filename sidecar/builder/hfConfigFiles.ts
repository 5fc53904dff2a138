import type { DecoderSpec } from './DecoderSpec';

/** Special token ids written into config.json and generation_config.json. */
export interface SpecialTokenIds {
  readonly bos?: number;
  readonly eos: number | readonly number[];
  readonly pad?: number;
}

const ARCHITECTURE = { llama: 'LlamaForCausalLM', qwen2: 'Qwen2ForCausalLM' } as const;

/** config.json as transformers (and transformers.js) read it; snake_case lives only here. */
export function hfConfigJson(spec: DecoderSpec, tokens: SpecialTokenIds, torchDtype: 'float32' | 'float16' = 'float32'): Record<string, unknown> {
  const eos = typeof tokens.eos === 'number' ? tokens.eos : [...tokens.eos];
  return {
    architectures: [ARCHITECTURE[spec.modelType]],
    model_type: spec.modelType,
    hidden_size: spec.hidden,
    intermediate_size: spec.intermediate,
    num_attention_heads: spec.heads,
    num_key_value_heads: spec.kvHeads,
    head_dim: spec.headDim,
    num_hidden_layers: spec.layers,
    vocab_size: spec.vocab,
    max_position_embeddings: spec.maxPositions,
    rms_norm_eps: spec.rmsNormEps,
    rope_theta: spec.ropeTheta,
    rope_scaling: null,
    tie_word_embeddings: spec.tied,
    ...(spec.modelType === 'llama' ? { attention_bias: spec.attentionBias, mlp_bias: false } : {}),
    attention_dropout: 0,
    hidden_act: 'silu',
    initializer_range: 0.02,
    use_cache: true,
    bos_token_id: tokens.bos ?? null,
    eos_token_id: eos,
    pad_token_id: tokens.pad ?? null,
    torch_dtype: torchDtype,
  };
}

export function generationConfigJson(tokens: SpecialTokenIds): Record<string, unknown> {
  return {
    bos_token_id: tokens.bos ?? null,
    eos_token_id: typeof tokens.eos === 'number' ? tokens.eos : [...tokens.eos],
    pad_token_id: tokens.pad ?? null,
    do_sample: false,
    max_new_tokens: 128,
    temperature: 1.0,
    top_k: 50,
    top_p: 1.0,
  };
}
