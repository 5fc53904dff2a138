import type { DecoderSpec } from '../DecoderSpec';

/**
 * Named parameters with Hugging Face names and torch layouts (a Linear weight is [out, in]; GPT-2's
 * Conv1D weight is [in, out]).
 * `get` returns the values row-major; the shape is what the caller expects, so a source can check it.
 */
export interface WeightSource {
  get(name: string, shape: readonly number[]): Float32Array;
}

export interface ParameterInfo {
  readonly name: string;
  readonly shape: readonly number[];
  /** `conv1d`: GPT-2's Conv1D, a Linear stored [in, out]. */
  readonly kind: 'embedding' | 'linear' | 'conv1d' | 'bias' | 'norm';
}

/** Llama's o_proj has a bias when attention_bias is set; Qwen2's never does. */
export function hasOutputBias(spec: DecoderSpec): boolean {
  return spec.attentionBias && spec.modelType === 'llama';
}

/** Every parameter of the decoder, in the order a state dict lists them. */
export function decoderParameters(spec: DecoderSpec): ParameterInfo[] {
  if (spec.modelType === 'gpt2') return gpt2Parameters(spec);
  const { hidden, intermediate, headDim } = spec;
  const q = spec.heads * headDim;
  const kv = spec.kvHeads * headDim;
  const params: ParameterInfo[] = [{ name: 'model.embed_tokens.weight', shape: [spec.vocab, hidden], kind: 'embedding' }];
  for (let i = 0; i < spec.layers; i++) {
    const p = `model.layers.${i}`;
    params.push({ name: `${p}.input_layernorm.weight`, shape: [hidden], kind: 'norm' });
    for (const [proj, out] of [['q_proj', q], ['k_proj', kv], ['v_proj', kv]] as const) {
      params.push({ name: `${p}.self_attn.${proj}.weight`, shape: [out, hidden], kind: 'linear' });
      if (spec.attentionBias) params.push({ name: `${p}.self_attn.${proj}.bias`, shape: [out], kind: 'bias' });
    }
    params.push({ name: `${p}.self_attn.o_proj.weight`, shape: [hidden, q], kind: 'linear' });
    if (hasOutputBias(spec)) params.push({ name: `${p}.self_attn.o_proj.bias`, shape: [hidden], kind: 'bias' });
    params.push({ name: `${p}.post_attention_layernorm.weight`, shape: [hidden], kind: 'norm' });
    params.push({ name: `${p}.mlp.gate_proj.weight`, shape: [intermediate, hidden], kind: 'linear' });
    params.push({ name: `${p}.mlp.up_proj.weight`, shape: [intermediate, hidden], kind: 'linear' });
    params.push({ name: `${p}.mlp.down_proj.weight`, shape: [hidden, intermediate], kind: 'linear' });
  }
  params.push({ name: 'model.norm.weight', shape: [hidden], kind: 'norm' });
  if (!spec.tied) params.push({ name: 'lm_head.weight', shape: [spec.vocab, hidden], kind: 'embedding' });
  return params;
}

/** GPT2LMHeadModel's state dict (lm_head.weight is wte, so it is not listed). */
function gpt2Parameters(spec: DecoderSpec): ParameterInfo[] {
  const { hidden, intermediate } = spec;
  const params: ParameterInfo[] = [
    { name: 'transformer.wte.weight', shape: [spec.vocab, hidden], kind: 'embedding' },
    { name: 'transformer.wpe.weight', shape: [spec.maxPositions, hidden], kind: 'embedding' },
  ];
  const norm = (name: string): void => {
    params.push({ name: `${name}.weight`, shape: [hidden], kind: 'norm' }, { name: `${name}.bias`, shape: [hidden], kind: 'bias' });
  };
  const conv1d = (name: string, inF: number, outF: number): void => {
    params.push({ name: `${name}.weight`, shape: [inF, outF], kind: 'conv1d' }, { name: `${name}.bias`, shape: [outF], kind: 'bias' });
  };
  for (let i = 0; i < spec.layers; i++) {
    const p = `transformer.h.${i}`;
    norm(`${p}.ln_1`);
    conv1d(`${p}.attn.c_attn`, hidden, 3 * hidden);
    conv1d(`${p}.attn.c_proj`, hidden, hidden);
    norm(`${p}.ln_2`);
    conv1d(`${p}.mlp.c_fc`, hidden, intermediate);
    conv1d(`${p}.mlp.c_proj`, intermediate, hidden);
  }
  norm('transformer.ln_f');
  return params;
}
