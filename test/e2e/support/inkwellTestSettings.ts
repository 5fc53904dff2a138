import { smallModel } from '../../support/testModels';

/**
 * User settings for a run against the generated test model: greedy decoding, so the ghost text
 * of its random weights is gibberish but the same every run.
 */
export function inkwellTestSettings(): Record<string, unknown> {
  return {
    'inkwell.modelFolder': smallModel(),
    'inkwell.generationConfig': { do_sample: false, max_new_tokens: 16 },
  };
}
