import { z } from 'zod';
import { InkwellError } from '../../engine';

/** onnxruntime-genai's model builder describes its folder here (and may write no config.json). */
export const GENAI_CONFIG_FILE = 'genai_config.json';

/** The decoder graph's input and output names, as onnxruntime-genai feeds them. */
export interface DecoderNames {
  readonly inputIds: string;
  readonly attentionMask: string | undefined;
  readonly positionIds: string | undefined;
  /** Past and present names of layer `layer`. */
  pastKey(layer: number): string;
  pastValue(layer: number): string;
  presentKey(layer: number): string;
  presentValue(layer: number): string;
  readonly logits: string;
}

export interface GenaiDecoder {
  /** The graph file, at the folder's top. */
  readonly filename: string;
  readonly names: DecoderNames;
  /** config.json's fields for the same numbers, for a folder that has no config.json. */
  readonly hfConfig: Readonly<Record<string, unknown>>;
}

const template = z.string().min(1).max(200).refine((s) => s.split('%d').length === 2, 'must hold %d once');
const ids = z.union([z.number().int().nonnegative(), z.array(z.number().int().nonnegative())]);
// Only what Inkwell reads is checked; genai_config.json has many more fields (search defaults,
// session options, other components), which are left alone.
const genaiConfigSchema = z.object({
  model: z.object({
    type: z.string(),
    vocab_size: z.number().int().positive(),
    context_length: z.number().int().positive(),
    bos_token_id: ids.optional(),
    eos_token_id: ids,
    pad_token_id: ids.optional(),
    decoder: z.object({
      // A plain file name: the graph lives beside genai_config.json, never elsewhere.
      filename: z.string().regex(/^[^/\\]+\.onnx$/, 'must be a file name ending in .onnx, without a folder').refine((s) => s !== '..' && !s.startsWith('.'), 'must not start with a dot'),
      head_size: z.number().int().positive(),
      hidden_size: z.number().int().positive(),
      num_attention_heads: z.number().int().positive(),
      num_hidden_layers: z.number().int().positive(),
      num_key_value_heads: z.number().int().positive(),
      inputs: z.object({
        input_ids: z.string().min(1),
        attention_mask: z.string().min(1).optional(),
        position_ids: z.string().min(1).optional(),
        past_key_names: template,
        past_value_names: template,
      }),
      outputs: z.object({
        logits: z.string().min(1),
        present_key_names: template,
        present_value_names: template,
      }),
    }),
  }),
});

const at = (t: string) => (layer: number) => t.replace('%d', String(layer));

/** Checks a parsed genai_config.json; the error names the file and the field. */
export function parseGenaiConfig(value: unknown, file: string): GenaiDecoder {
  const parsed = genaiConfigSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join('.') || '(root)';
    throw new InkwellError('model-invalid', `${file}: field ${field}: ${issue.message}`.slice(0, 400), { details: { file, field } });
  }
  const { model } = parsed.data;
  const { decoder } = model;
  const names: DecoderNames = {
    inputIds: decoder.inputs.input_ids,
    attentionMask: decoder.inputs.attention_mask,
    positionIds: decoder.inputs.position_ids,
    pastKey: at(decoder.inputs.past_key_names),
    pastValue: at(decoder.inputs.past_value_names),
    presentKey: at(decoder.outputs.present_key_names),
    presentValue: at(decoder.outputs.present_value_names),
    logits: decoder.outputs.logits,
  };
  const hfConfig = {
    model_type: model.type,
    vocab_size: model.vocab_size,
    max_position_embeddings: model.context_length,
    hidden_size: decoder.hidden_size,
    num_hidden_layers: decoder.num_hidden_layers,
    num_attention_heads: decoder.num_attention_heads,
    num_key_value_heads: decoder.num_key_value_heads,
    head_dim: decoder.head_size,
    bos_token_id: model.bos_token_id,
    eos_token_id: model.eos_token_id,
    pad_token_id: model.pad_token_id,
  };
  return { filename: decoder.filename, names, hfConfig };
}
