import type { GenerationConfig } from '../config/GenerationConfig';
import { InkwellError } from '../InkwellError';

/**
 * The config accepts every HF decoding mode; the loops run greedy decoding and sampling, plain
 * or assisted (generation/assisted/), and beam search with its sampling and diverse variants
 * (generation/beam/). Contrastive search is refused until it lands.
 */
const supported: readonly GenerationConfig['mode'][] = ['greedy', 'sample', 'assisted', 'beam', 'beam-sample', 'group-beam'];

export function assertSupportedMode(config: GenerationConfig): void {
  if (!supported.includes(config.mode)) {
    const fields: Partial<Record<GenerationConfig['mode'], string>> = {
      'beam-sample': 'do_sample',
      'group-beam': 'num_beam_groups',
      contrastive: 'penalty_alpha',
    };
    const field = fields[config.mode] ?? 'assistant_model';
    throw new InkwellError(
      'invalid-config',
      `decoding mode '${config.mode}' is not implemented yet (num_beams = ${config.numBeams}, penalty_alpha = ${String(config.penaltyAlpha)}): contrastive search is not available yet`,
      { details: { field, value: config.mode } },
    );
  }
}
