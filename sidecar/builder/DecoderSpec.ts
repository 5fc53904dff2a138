import { InkwellError } from '../engine';

export type DecoderModelType = 'llama' | 'qwen2' | 'gpt2';

/**
 * The architecture of a Llama/Qwen2-style decoder (or a GPT-2 one: learned positions, LayerNorm,
 * GELU): everything the graph writer and the reference need.
 */
export interface DecoderSpec {
  readonly modelType: DecoderModelType;
  readonly layers: number;
  readonly hidden: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly intermediate: number;
  /** Logits width; may exceed the tokenizer's vocabulary (padding rows, like Qwen2.5). */
  readonly vocab: number;
  readonly maxPositions: number;
  /** Unused by GPT-2, whose positions are learned. */
  readonly ropeTheta: number;
  /** The norms' epsilon: RMSNorm's, or LayerNorm's (layer_norm_epsilon) for GPT-2. */
  readonly rmsNormEps: number;
  /** lm_head reuses model.embed_tokens.weight. */
  readonly tied: boolean;
  /** q/k/v projections have biases (Qwen2). */
  readonly attentionBias: boolean;
}

export type DecoderSpecInput = Pick<DecoderSpec, 'layers' | 'hidden' | 'heads' | 'vocab'> &
  Partial<Omit<DecoderSpec, 'layers' | 'hidden' | 'heads' | 'vocab'>>;

/** What each model type assumes when a field is not given. */
const TYPE_DEFAULTS = {
  llama: { maxPositions: 2048, ropeTheta: 10_000, rmsNormEps: 1e-6, tied: false, attentionBias: false },
  qwen2: { maxPositions: 2048, ropeTheta: 1_000_000, rmsNormEps: 1e-6, tied: true, attentionBias: true },
  gpt2: { maxPositions: 1024, ropeTheta: 10_000, rmsNormEps: 1e-5, tied: true, attentionBias: true },
} as const satisfies Record<DecoderModelType, Partial<DecoderSpec>>;

/** Fills defaults by model type and checks the shapes fit together. */
export function resolveDecoderSpec(input: DecoderSpecInput): DecoderSpec {
  const modelType = input.modelType ?? 'llama';
  const defaults = TYPE_DEFAULTS[modelType];
  const spec: DecoderSpec = {
    modelType,
    layers: input.layers,
    hidden: input.hidden,
    heads: input.heads,
    kvHeads: input.kvHeads ?? input.heads,
    headDim: input.headDim ?? input.hidden / input.heads,
    intermediate: input.intermediate ?? input.hidden * 4,
    vocab: input.vocab,
    maxPositions: input.maxPositions ?? defaults.maxPositions,
    ropeTheta: input.ropeTheta ?? defaults.ropeTheta,
    rmsNormEps: input.rmsNormEps ?? defaults.rmsNormEps,
    tied: input.tied ?? defaults.tied,
    attentionBias: input.attentionBias ?? defaults.attentionBias,
  };
  checkSizes(spec);
  if (modelType === 'gpt2') checkGpt2(spec);
  else checkRotary(spec);
  return Object.freeze(spec);
}

/** Llama/Qwen2: grouped heads and rotary embeddings. */
function checkRotary(spec: DecoderSpec): void {
  if (spec.heads % spec.kvHeads !== 0) {
    throw new InkwellError('invalid-argument', `heads (${spec.heads}) must be a multiple of kvHeads (${spec.kvHeads}).`, {
      details: { field: 'kvHeads', value: spec.kvHeads },
    });
  }
  if (spec.headDim % 2 !== 0) {
    throw new InkwellError('invalid-argument', `headDim must be even for rotary embeddings, got ${spec.headDim}.`, {
      details: { field: 'headDim', value: spec.headDim },
    });
  }
  if (!(spec.ropeTheta > 0) || !(spec.rmsNormEps > 0)) {
    throw new InkwellError('invalid-argument', 'ropeTheta and rmsNormEps must be positive.', {
      details: { ropeTheta: spec.ropeTheta, rmsNormEps: spec.rmsNormEps },
    });
  }
}

function checkSizes(spec: DecoderSpec): void {
  for (const field of ['layers', 'hidden', 'heads', 'kvHeads', 'headDim', 'intermediate', 'vocab', 'maxPositions'] as const) {
    const value = spec[field];
    if (!Number.isInteger(value) || value < 1) {
      throw new InkwellError('invalid-argument', `Decoder ${field} must be a positive integer, got ${value}.`, { details: { field, value } });
    }
  }
}

/** GPT-2: learned positions, LayerNorm, one KV head per head, fused biased q/k/v, tied head. */
function checkGpt2(spec: DecoderSpec): void {
  // GPT-2 has no choices where Llama has them.
  const broken = (
    [
      ['kvHeads', spec.kvHeads === spec.heads, 'must equal heads'],
      ['headDim', spec.headDim * spec.heads === spec.hidden, 'must be hidden / heads'],
      ['tied', spec.tied, 'must be true (GPT2LMHeadModel ties lm_head to wte)'],
      ['attentionBias', spec.attentionBias, 'must be true (c_attn has a bias)'],
    ] as const
  ).find(([, ok]) => !ok);
  if (broken) {
    const [field, , rule] = broken;
    throw new InkwellError('invalid-argument', `gpt2: ${field} ${rule}; got ${String(spec[field])}.`, { details: { field, value: spec[field] } });
  }
  if (!(spec.rmsNormEps > 0)) {
    throw new InkwellError('invalid-argument', `gpt2: layer_norm_epsilon must be positive, got ${spec.rmsNormEps}.`, { details: { field: 'rmsNormEps', value: spec.rmsNormEps } });
  }
}

/** Reads the architecture back from a Hugging Face config.json object. */
export function decoderSpecFromHfConfig(config: Record<string, unknown>, file = 'config.json'): DecoderSpec {
  const num = (key: string, fallback?: number): number => {
    const value = config[key] ?? fallback;
    if (typeof value !== 'number') {
      throw new InkwellError('model-invalid', `${file}: "${key}" must be a number.`, { details: { file, field: key } });
    }
    return value;
  };
  const modelType = config.model_type;
  if (modelType === 'gpt2') {
    const hidden = num('n_embd');
    return resolveDecoderSpec({
      modelType,
      layers: num('n_layer'),
      hidden,
      heads: num('n_head'),
      intermediate: typeof config.n_inner === 'number' ? config.n_inner : 4 * hidden,
      vocab: num('vocab_size'),
      maxPositions: num('n_positions'),
      rmsNormEps: num('layer_norm_epsilon', 1e-5),
    });
  }
  if (modelType !== 'llama' && modelType !== 'qwen2') {
    throw new InkwellError('model-invalid', `${file}: model_type "${String(modelType)}" is not llama, qwen2 or gpt2.`, { details: { file } });
  }
  const heads = num('num_attention_heads');
  const hidden = num('hidden_size');
  return resolveDecoderSpec({
    modelType,
    layers: num('num_hidden_layers'),
    hidden,
    heads,
    kvHeads: num('num_key_value_heads', heads),
    headDim: num('head_dim', hidden / heads),
    intermediate: num('intermediate_size'),
    vocab: num('vocab_size'),
    maxPositions: num('max_position_embeddings'),
    ropeTheta: num('rope_theta', 10_000),
    rmsNormEps: num('rms_norm_eps'),
    tied: config.tie_word_embeddings === true,
    attentionBias: modelType === 'qwen2' || config.attention_bias === true,
  });
}
