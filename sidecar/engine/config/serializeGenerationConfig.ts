import type { GenerationConfig } from './GenerationConfig';
import { generationConfigEntries } from './generationConfigFields';
import { parseGenerationConfig } from './parseGenerationConfig';

/**
 * Back to generation_config.json's snake_case shape. By default only values that differ from
 * HF's defaults are written (like HF's use_diff), followed by unknown keys kept from parsing.
 */
export function serializeGenerationConfig(
  config: GenerationConfig,
  options: { includeDefaults?: boolean } = {},
): Record<string, unknown> {
  const full = toJson(config);
  const defaults = options.includeDefaults ? undefined : defaultJson();
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(full)) {
    if (value === undefined) continue;
    if (defaults && JSON.stringify(defaults[key]) === JSON.stringify(value)) continue;
    out[key] = value;
  }
  for (const [key, value] of Object.entries(config.extra)) if (!(key in out)) out[key] = structuredClone(value);
  return out;
}

let cachedDefaults: Record<string, unknown> | undefined;
function defaultJson(): Record<string, unknown> {
  cachedDefaults ??= toJson(parseGenerationConfig({}).config);
  return cachedDefaults;
}

function toJson(config: GenerationConfig): Record<string, unknown> {
  const values = config as unknown as Readonly<Record<string, unknown>>;
  const json: Record<string, unknown> = {};
  for (const [key, field] of generationConfigEntries) json[key] = field.write(values[field.camel]);
  return json;
}
