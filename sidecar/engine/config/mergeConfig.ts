import { echoValue, shorten } from '../echoValue';
import { InkwellError } from '../InkwellError';
import { wrongType } from './configError';
import type { GenerationConfig } from './GenerationConfig';
import { fieldKinds, isGenerationConfigKey, type FieldKind } from './generationConfigSchema';
import { parseGenerationConfig } from './parseGenerationConfig';
import { serializeGenerationConfig } from './serializeGenerationConfig';

/**
 * Applies overrides ("--set top_p=0.9") on top of a config and re-validates everything, so a
 * cross-field rule broken by the override is reported. Keys are snake_case (camelCase is
 * accepted too). String values are coerced by the field's type: "0.7", "true", "[1,2]";
 * "null" resets a field to its default. An unknown key is an error, not a kept extra: a typo
 * on the command line should not pass silently.
 */
export function mergeConfig(
  base: GenerationConfig,
  overrides: Readonly<Record<string, unknown>>,
  /** Receives the merged config's warnings (e.g. temperature set while do_sample is false). */
  onWarning?: (line: string) => void,
): GenerationConfig {
  const json = serializeGenerationConfig(base);
  for (const [rawKey, rawValue] of Object.entries(overrides)) {
    const key = isGenerationConfigKey(rawKey) ? rawKey : toSnakeCase(rawKey);
    if (!isGenerationConfigKey(key)) {
      const field = shorten(rawKey, 100);
      throw new InkwellError('invalid-config', `${field} is not a generation config field`, { details: { field, value: echoValue(rawValue) } });
    }
    const value = typeof rawValue === 'string' ? coerce(key, rawValue, fieldKinds[key]) : rawValue;
    if (value === null) delete json[key];
    else json[key] = value;
  }
  const parsed = parseGenerationConfig(json);
  if (onWarning) parsed.warnings.forEach(onWarning);
  return parsed.config;
}

function coerce(key: string, text: string, kind: FieldKind): unknown {
  const trimmed = text.trim();
  if (trimmed === 'null') return null;
  switch (kind) {
    case 'string':
      return text;
    case 'integer':
    case 'number': {
      const n = trimmed === '' ? Number.NaN : Number(trimmed);
      if (Number.isNaN(n)) throw wrongType(key, text, kind === 'integer' ? 'an integer' : 'a number');
      return n;
    }
    case 'boolean':
      if (trimmed === 'true') return true;
      if (trimmed === 'false') return false;
      throw wrongType(key, text, 'true or false');
    case 'json':
      try {
        return JSON.parse(trimmed);
      } catch {
        // A bare word ("never", or a stop string) is taken as a string.
        return text;
      }
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

function toSnakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
