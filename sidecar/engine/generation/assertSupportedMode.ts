import type { GenerationConfig } from '../config/GenerationConfig';
import { InkwellError } from '../InkwellError';

/**
 * The config accepts every HF decoding mode; the loops run greedy decoding and sampling, plain
 * or assisted (generation/assisted/), beam search (generation/beam/) and contrastive search
 * (generation/contrastive/). Beam sampling and group beam search are refused until they land.
 */
const supported: readonly GenerationConfig['mode'][] = ['greedy', 'sample', 'assisted', 'beam', 'contrastive'];

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
      `decoding mode '${config.mode}' is not implemented yet (num_beams = ${config.numBeams}, penalty_alpha = ${String(config.penaltyAlpha)}): only greedy decoding, sampling and beam search run for now`,
      { details: { field, value: config.mode } },
    );
  }
}
