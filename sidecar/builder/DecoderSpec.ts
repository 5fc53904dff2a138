import { InkwellError } from '../engine/InkwellError';

export type DecoderModelType = 'llama' | 'qwen2';

/** The architecture of a Llama/Qwen2-style decoder: everything the graph writer and the reference need. */
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
  readonly ropeTheta: number;
  readonly rmsNormEps: number;
  /** lm_head reuses model.embed_tokens.weight. */
  readonly tied: boolean;
  /** q/k/v projections have biases (Qwen2). */
  readonly attentionBias: boolean;
}

export type DecoderSpecInput = Pick<DecoderSpec, 'layers' | 'hidden' | 'heads' | 'vocab'> &
  Partial<Omit<DecoderSpec, 'layers' | 'hidden' | 'heads' | 'vocab'>>;

/** Fills defaults by model type (Qwen2: biases, rope_theta 1e6) and checks the shapes fit together. */
export function resolveDecoderSpec(input: DecoderSpecInput): DecoderSpec {
  const modelType = input.modelType ?? 'llama';
  const qwen = modelType === 'qwen2';
  const spec: DecoderSpec = {
    modelType,
    layers: input.layers,
    hidden: input.hidden,
    heads: input.heads,
    kvHeads: input.kvHeads ?? input.heads,
    headDim: input.headDim ?? input.hidden / input.heads,
    intermediate: input.intermediate ?? input.hidden * 4,
    vocab: input.vocab,
    maxPositions: input.maxPositions ?? 2048,
    ropeTheta: input.ropeTheta ?? (qwen ? 1_000_000 : 10_000),
    rmsNormEps: input.rmsNormEps ?? 1e-6,
    tied: input.tied ?? qwen,
    attentionBias: input.attentionBias ?? qwen,
  };
  for (const field of ['layers', 'hidden', 'heads', 'kvHeads', 'headDim', 'intermediate', 'vocab', 'maxPositions'] as const) {
    const value = spec[field];
    if (!Number.isInteger(value) || value < 1) {
      throw new InkwellError('invalid-argument', `Decoder ${field} must be a positive integer, got ${value}.`, { details: { field, value } });
    }
  }
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
  return Object.freeze(spec);
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
  if (modelType !== 'llama' && modelType !== 'qwen2') {
    throw new InkwellError('model-invalid', `${file}: model_type "${String(modelType)}" is not llama or qwen2.`, { details: { file } });
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
