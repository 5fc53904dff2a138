import { configConflict, outOfRange, wrongType } from './configError';

/** The watermark schemes Inkwell implements (sidecar/engine/watermark/README.md). */
export type SeedingScheme = 'inkwell-wm-v1';

/** `watermarking_config` of a GenerationConfig, validated; HF's field names in the file. */
export interface WatermarkingConfig {
  /** γ in (0, 1): the share of the vocabulary that is green at each position. */
  readonly greenlistRatio: number;
  /** δ >= 0: added to the logits of green tokens. */
  readonly bias: number;
  /** K, a uint32. */
  readonly hashingKey: number;
  /** h >= 1: how many previous ids seed a position. */
  readonly contextWidth: number;
  readonly seedingScheme: SeedingScheme;
}

export const watermarkingDefaults: WatermarkingConfig = Object.freeze({
  greenlistRatio: 0.25,
  bias: 2.0,
  hashingKey: 15485863,
  contextWidth: 1,
  seedingScheme: 'inkwell-wm-v1',
});

const KEYS = ['greenlist_ratio', 'bias', 'hashing_key', 'context_width', 'seeding_scheme'] as const;
const UINT32_MAX = 0xffff_ffff;

/**
 * Validates the JSON object under `watermarking_config` (absent fields take HF's defaults, except
 * seeding_scheme, which only knows inkwell-wm-v1). Throws InkwellError('invalid-config') naming
 * `watermarking_config.<field>` and the allowed range; an unknown key is refused (a typo would
 * otherwise silently watermark with a default).
 */
export function parseWatermarkingConfig(json: Readonly<Record<string, unknown>>): WatermarkingConfig {
  const field = (key: string) => `watermarking_config.${key}`;
  for (const key of Object.keys(json)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      throw configConflict(field(key), json[key], `is not a watermarking_config field: it takes ${KEYS.join(', ')}`);
    }
  }
  const number = (key: (typeof KEYS)[number], fallback: number, integer: boolean): number => {
    const value = json[key] ?? fallback;
    if (typeof value !== 'number' || (integer && !Number.isInteger(value))) {
      throw wrongType(field(key), value, integer ? 'an integer' : 'a number');
    }
    return value;
  };
  const d = watermarkingDefaults;
  const greenlistRatio = number('greenlist_ratio', d.greenlistRatio, false);
  if (!(greenlistRatio > 0 && greenlistRatio < 1)) throw outOfRange(field('greenlist_ratio'), greenlistRatio, 'must be > 0 and < 1');
  const bias = number('bias', d.bias, false);
  if (!(bias >= 0 && Number.isFinite(bias))) throw outOfRange(field('bias'), bias, 'must be >= 0 and finite');
  const hashingKey = number('hashing_key', d.hashingKey, true);
  if (!(hashingKey >= 0 && hashingKey <= UINT32_MAX)) {
    throw outOfRange(field('hashing_key'), hashingKey, `must be >= 0 and <= ${UINT32_MAX} (an unsigned 32-bit integer)`);
  }
  const contextWidth = number('context_width', d.contextWidth, true);
  if (!(contextWidth >= 1)) throw outOfRange(field('context_width'), contextWidth, 'must be >= 1');
  const scheme = json.seeding_scheme ?? d.seedingScheme;
  if (scheme !== 'inkwell-wm-v1') throw outOfRange(field('seeding_scheme'), scheme, 'must be "inkwell-wm-v1"');
  return { greenlistRatio, bias, hashingKey, contextWidth, seedingScheme: scheme };
}

/** Back to the file's snake_case object, every field written. */
export function watermarkingConfigJson(c: WatermarkingConfig): Record<string, unknown> {
  return {
    greenlist_ratio: c.greenlistRatio,
    bias: c.bias,
    hashing_key: c.hashingKey,
    context_width: c.contextWidth,
    seeding_scheme: c.seedingScheme,
  };
}
