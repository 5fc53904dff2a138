import type { DecodingMode } from './GenerationConfig';

interface ModeFields {
  readonly numBeams: number;
  readonly numBeamGroups: number;
  readonly doSample: boolean;
  readonly topK: number;
  readonly penaltyAlpha: number | undefined;
  readonly assistantModel: string | undefined;
  readonly promptLookupNumTokens: number | undefined;
}

/** The modes beam search runs (generation/beam/): plain, sampling and diverse (group) beams. */
export function isBeamMode(mode: DecodingMode): boolean {
  return mode === 'beam' || mode === 'beam-sample' || mode === 'group-beam';
}

/** HF's get_generation_mode, minus constrained beam search and DoLa (not supported). */
export function deriveDecodingMode(c: ModeFields): DecodingMode {
  let mode: DecodingMode;
  if (c.numBeams > 1) {
    mode = c.numBeamGroups > 1 ? 'group-beam' : c.doSample ? 'beam-sample' : 'beam';
  } else if (c.doSample) {
    mode = 'sample';
  } else {
    mode = c.topK > 1 && c.penaltyAlpha !== undefined && c.penaltyAlpha > 0 ? 'contrastive' : 'greedy';
  }
  // Assisted decoding only accelerates greedy and sampling; with beams HF refuses it, and so
  // would we, but that is the assisted-decoding issue's check to add.
  const assisted = c.assistantModel !== undefined || c.promptLookupNumTokens !== undefined;
  return assisted && (mode === 'greedy' || mode === 'sample') ? 'assisted' : mode;
}
