import type { GenerationConfig } from '../config/GenerationConfig';
import { InkwellError } from '../InkwellError';

/**
 * The config accepts every HF decoding mode; the loops run greedy decoding and sampling, plain
 * or assisted (generation/assisted/). Beam search and contrastive search come with later issues.
 */
export function assertSupportedMode(config: GenerationConfig): void {
  if (config.mode !== 'greedy' && config.mode !== 'sample' && config.mode !== 'assisted') {
    const field = config.numBeams > 1 ? 'num_beams' : config.mode === 'contrastive' ? 'penalty_alpha' : 'assistant_model';
    throw new InkwellError(
      'invalid-config',
      `decoding mode '${config.mode}' is not implemented yet (num_beams = ${config.numBeams}, penalty_alpha = ${String(config.penaltyAlpha)}): only greedy decoding and sampling run for now`,
      { details: { field, value: config.mode } },
    );
  }
}
