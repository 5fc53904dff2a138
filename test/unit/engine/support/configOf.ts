import { parseGenerationConfig } from '../../../../sidecar/engine/config/parseGenerationConfig';
import type { GenerationConfig } from '../../../../sidecar/engine/config/GenerationConfig';

/** A config from snake_case fields, as a generation_config.json would hold them. */
export function configOf(json: Record<string, unknown>): GenerationConfig {
  return parseGenerationConfig(json).config;
}
