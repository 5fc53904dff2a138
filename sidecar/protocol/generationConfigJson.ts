import { z } from 'zod';

/** A generation_config.json object (HF snake_case keys). */
export type GenerationConfigJson = Record<string, unknown>;

/**
 * Params only check that a generation config is an object: its fields are validated by the
 * engine's own schema (the one generation_config.json files go through), which names the field
 * and range. Passed through as sent, not copied: z.record copies key by key, and assigning a
 * "__proto__" key (JSON.parse makes it an own key) set the copy's prototype, so the key vanished
 * before the engine could refuse it like any other unknown key.
 */
export const generationConfigJsonSchema = z.custom<GenerationConfigJson>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
  message: 'expected a generation config object',
});
