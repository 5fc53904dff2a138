import { InkwellError } from '../InkwellError';
import { parseGenerationConfig } from './parseGenerationConfig';

/**
 * The part of a model folder's generation_config.json that can be used, and why the rest is not.
 * A field the parser refuses is left out on its own, named, and the others still apply: losing a
 * model's eos_token_id over its `temperature: 0` (HF only warns about it without do_sample) would
 * make generation run past the end of every answer. A problem that names no field of the file
 * drops the whole file. The server (model defaults under the user's settings) and the CLI use it.
 */
export function usableModelDefaults(json: Readonly<Record<string, unknown>>): { defaults: Readonly<Record<string, unknown>>; warnings: string[] } {
  let defaults = json;
  const warnings: string[] = [];
  for (;;) {
    try {
      parseGenerationConfig(defaults);
      return { defaults, warnings };
    } catch (error) {
      if (!InkwellError.is(error)) throw error;
      const field = typeof error.details.field === 'string' ? error.details.field.split('.')[0]! : undefined;
      if (field === undefined || !Object.hasOwn(defaults, field)) {
        return { defaults: {}, warnings: [...warnings, `the model's generation_config.json is not used (HF's defaults apply instead): ${error.message}`] };
      }
      const { [field]: _dropped, ...rest } = defaults;
      defaults = rest;
      warnings.push(`the model's generation_config.json field ${field} is not used: ${error.message}`);
    }
  }
}
