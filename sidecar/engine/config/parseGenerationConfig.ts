import { shorten } from '../echoValue';
import { InkwellError } from '../InkwellError';
import { checkGenerationConfig } from './checkGenerationConfig';
import { checkNesting } from './checkNesting';
import { wrongType } from './configError';
import { deriveDecodingMode } from './deriveDecodingMode';
import type { GenerationConfig } from './GenerationConfig';
import { generationConfigEntries } from './generationConfigFields';
import { fieldTypeWords, generationConfigSchema, isGenerationConfigKey, metadataKeys, type CheckedGenerationConfigJson } from './generationConfigSchema';

export interface ParsedGenerationConfig {
  readonly config: GenerationConfig;
  /**
   * One line per unknown key (kept in config.extra and written back) and per sampling field
   * set without do_sample, as HF warns.
   */
  readonly warnings: readonly string[];
}

/**
 * Validates generation_config.json content (already JSON-parsed) into a frozen GenerationConfig.
 * Missing fields get HF's defaults. Throws InkwellError('invalid-config') naming the field.
 */
export function parseGenerationConfig(json: unknown): ParsedGenerationConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw wrongType('generation_config', json, 'a JSON object');
  }
  // JSON.parse makes "__proto__" an own key; kept as an extra, assigning it would replace the
  // extras' prototype instead, so the key would vanish without a word.
  if (Object.hasOwn(json, '__proto__')) {
    throw new InkwellError('invalid-config', '__proto__ is not a generation config field', { details: { field: '__proto__' } });
  }
  checkNesting(json);
  const parsed = generationConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = String(issue?.path[0] ?? 'generation_config');
    const value = (json as Record<string, unknown>)[key];
    const expected = isGenerationConfigKey(key) ? fieldTypeWords(key) : 'valid';
    throw wrongType(key, value, expected);
  }
  const extra: Record<string, unknown> = {};
  const warnings: string[] = [];
  for (const [key, value] of Object.entries(json)) {
    if (isGenerationConfigKey(key)) continue;
    extra[key] = value;
    if (!metadataKeys.includes(key)) warnings.push(`generation config: unknown key "${shorten(key, 100)}" kept as is`);
  }
  const config = toGenerationConfig(parsed.data, extra);
  warnings.push(...checkGenerationConfig(config));
  return { config: deepFreeze(config), warnings };
}

function toGenerationConfig(json: CheckedGenerationConfigJson, extra: Record<string, unknown>): GenerationConfig {
  const values: Record<string, unknown> = {};
  for (const [key, field] of generationConfigEntries) values[field.camel] = field.read(json[key]);
  const base = { ...(values as Omit<GenerationConfig, 'mode' | 'extra'>), extra: structuredClone(extra) };
  return { mode: deriveDecodingMode(base), ...base };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
