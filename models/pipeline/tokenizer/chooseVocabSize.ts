import { InkwellError } from '../../../sidecar/engine/InkwellError';

export interface VocabMeasurement {
  readonly vocabSize: number;
  /** UTF-8 bytes of held-out text per token: higher is better compression. */
  readonly bytesPerToken: number;
}

/**
 * The smallest vocabulary whose held-out compression is within `tolerance` (0.03 = 3%) of the
 * best measured. Every extra id costs an embedding row (and an output row when untied), which a
 * 20–40M-parameter model pays for in layers it cannot have, while the last few percent of
 * compression buy little context.
 */
export function chooseVocabSize(measured: readonly VocabMeasurement[], tolerance: number): number {
  if (measured.length === 0) throw new InkwellError('invalid-argument', 'chooseVocabSize needs at least one measurement', { details: { field: 'measured' } });
  if (!(tolerance >= 0 && tolerance < 1)) {
    throw new InkwellError('invalid-argument', `tolerance must be in [0, 1), got ${tolerance}`, { details: { field: 'tolerance', value: tolerance, min: 0, max: 1 } });
  }
  const best = Math.max(...measured.map((m) => m.bytesPerToken));
  const good = measured.filter((m) => m.bytesPerToken >= best * (1 - tolerance));
  return Math.min(...good.map((m) => m.vocabSize));
}
