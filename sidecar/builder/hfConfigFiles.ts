import type { DecoderSpec } from './DecoderSpec';

/** Special token ids written into config.json and generation_config.json. */
export interface SpecialTokenIds {
  readonly bos?: number;
  readonly eos: number | readonly number[];
  readonly pad?: number;
}

const ARCHITECTURE = { llama: 'LlamaForCausalLM', qwen2: 'Qwen2ForCausalLM', gpt2: 'GPT2LMHeadModel' } as const;

/** config.json as transformers (and transformers.js) read it; snake_case lives only here. */
export function hfConfigJson(spec: DecoderSpec, tokens: SpecialTokenIds, torchDtype: 'float32' | 'float16' = 'float32'): Record<string, unknown> {
  const eos = typeof tokens.eos === 'number' ? tokens.eos : [...tokens.eos];
  if (spec.modelType === 'gpt2') return gpt2ConfigJson(spec, tokens, torchDtype);
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

/** GPT-2's own vocabulary: n_embd, n_layer, n_head, n_positions, layer_norm_epsilon, gelu_new. */
function gpt2ConfigJson(spec: DecoderSpec, tokens: SpecialTokenIds, torchDtype: 'float32' | 'float16'): Record<string, unknown> {
  return {
    architectures: [ARCHITECTURE.gpt2],
    model_type: 'gpt2',
    n_embd: spec.hidden,
    n_layer: spec.layers,
    n_head: spec.heads,
    n_inner: spec.intermediate === 4 * spec.hidden ? null : spec.intermediate,
    n_positions: spec.maxPositions,
    n_ctx: spec.maxPositions,
    vocab_size: spec.vocab,
    layer_norm_epsilon: spec.rmsNormEps,
    activation_function: 'gelu_new',
    attn_pdrop: 0,
    embd_pdrop: 0,
    resid_pdrop: 0,
    initializer_range: 0.02,
    scale_attn_weights: true,
    scale_attn_by_inverse_layer_idx: false,
    reorder_and_upcast_attn: false,
    tie_word_embeddings: true,
    use_cache: true,
    bos_token_id: tokens.bos ?? null,
    eos_token_id: typeof tokens.eos === 'number' ? tokens.eos : [...tokens.eos],
    pad_token_id: tokens.pad ?? null,
    torch_dtype: torchDtype,
  };
}

/**
 * The `transformers.js_config` block for files whose weights live in `<file>_data`: how many data
 * files each one has, so transformers.js fetches them (in Node it passes the path and onnxruntime
 * finds them itself).
 */
export function transformersJsConfig(externalDataFiles: readonly string[]): Record<string, unknown> {
  return { use_external_data_format: Object.fromEntries(externalDataFiles.map((f) => [f, 1])) };
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
