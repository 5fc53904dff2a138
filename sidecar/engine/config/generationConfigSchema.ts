import { z } from 'zod';
import { generationConfigEntries, generationConfigFields, type FieldKind, type GenerationConfigFields, type GenerationConfigKey } from './generationConfigFields';

export { generationConfigFields, isGenerationConfigKey, type FieldKind, type GenerationConfigKey } from './generationConfigFields';

/**
 * The shape of Hugging Face's generation_config.json (snake_case, as in the file), from the field
 * table. Only types are checked here; ranges and cross-field rules live in checkGenerationConfig
 * so that their messages can name the allowed range. Every field may be absent or null, as in
 * HF's files; unknown keys pass (parseGenerationConfig keeps them as extras).
 */
type Shape = { readonly [K in GenerationConfigKey]: z.ZodOptional<z.ZodNullable<GenerationConfigFields[K]['schema']>> };

const shape = Object.fromEntries(generationConfigEntries.map(([key, field]) => [key, field.schema.nullish()])) as unknown as Shape;

export const generationConfigSchema = z.looseObject(shape);

/**
 * A generation_config.json object after the schema checked each known field's type. (On the wire
 * and in files a config is a plain JSON object: the protocol's GenerationConfigJson.)
 */
export type CheckedGenerationConfigJson = z.infer<typeof generationConfigSchema>;

/** Keys HF writes for bookkeeping; kept on write but not worth a warning. */
export const metadataKeys: readonly string[] = ['transformers_version', '_from_model_config'];

export const fieldKinds = Object.fromEntries(generationConfigEntries.map(([key, field]) => [key, field.kind])) as Readonly<Record<GenerationConfigKey, FieldKind>>;

/** The expected type of a field in words, for messages. */
export function fieldTypeWords(key: GenerationConfigKey): string {
  const field: { readonly typeWords?: string; readonly kind: FieldKind } = generationConfigFields[key];
  if (field.typeWords !== undefined) return field.typeWords;
  return field.kind === 'integer' ? 'an integer' : field.kind === 'json' ? 'valid JSON' : `a ${field.kind}`;
}
