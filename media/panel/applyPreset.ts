import type { GenerationConfigJson, Preset } from '../../sidecar/protocol';

/**
 * The config after choosing a preset: every key any preset sets is reset first, so that
 * Creative → Balanced does not keep Creative's repetition_penalty; keys no preset touches
 * (max_new_tokens, stop_strings …) stay as the user set them.
 */
export function applyPreset(current: GenerationConfigJson, preset: Preset, all: readonly Preset[]): GenerationConfigJson {
  const governed = new Set(all.flatMap((p) => Object.keys(p.generation)));
  const kept = Object.fromEntries(Object.entries(current).filter(([key]) => !governed.has(key)));
  return { ...kept, ...preset.generation };
}

/** The preset a config matches on every governed key, if any (to mark its button pressed). */
export function matchingPreset(current: GenerationConfigJson, all: readonly Preset[]): Preset | undefined {
  const governed = [...new Set(all.flatMap((p) => Object.keys(p.generation)))];
  return all.find((p) => governed.every((key) => JSON.stringify(current[key]) === JSON.stringify(p.generation[key])));
}
