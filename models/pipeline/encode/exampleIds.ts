import type { FimFormat } from '../../../sidecar/completion/fimFormat';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import type { TrainingExample } from './fimExamples';

export interface ExampleMarkers {
  /** The server's FIM convention of the tokenizer: PSM examples follow its `psm` template exactly. */
  readonly format: FimFormat;
  readonly eosId: number;
}

/**
 * The ids of one training example, ending with EOS. PSM renders the server's own template
 * (`format.psm`) and appends the middle; SPM is the StarCoder form (Bavarian et al. 2022):
 * `<fim_prefix><fim_suffix>suffix<fim_middle>prefix middle`, prefix and middle encoded apart
 * as at inference, where the prompt ends after the prefix.
 */
export function exampleIds(example: TrainingExample, markers: ExampleMarkers, encode: (text: string) => number[]): number[] {
  const { format, eosId } = markers;
  if (example.kind === 'plain') return [...encode(example.text), eosId];
  const { prefix, middle, suffix } = example.pieces;
  const ids: number[] = [];
  if (example.kind === 'psm') {
    for (const piece of format.psm) {
      if (piece.kind === 'token') ids.push(piece.id);
      else if (piece.kind === 'text') ids.push(...encode(piece.text));
      else ids.push(...encode(piece.kind === 'prefix' ? prefix : suffix));
    }
  } else if (example.kind === 'spm') {
    ids.push(format.prefixId, format.suffixId, ...encode(suffix), format.middleId, ...encode(prefix));
  } else {
    throw new InkwellError('invalid-argument', `unknown example kind ${(example as { kind: string }).kind}`, { details: { field: 'kind' } });
  }
  ids.push(...encode(middle), eosId);
  return ids;
}
