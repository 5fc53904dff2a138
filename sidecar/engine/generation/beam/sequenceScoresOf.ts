import type { GenerationResult } from '../GenerationEvent';
import type { BeamSearchResult } from './runBeamSearch';

/**
 * Each returned sequence's score (HF's sequences_scores) when the run was a beam search, in the
 * order of result.sequences (best first); undefined for the other modes. generate() is typed to
 * return a GenerationResult whatever the mode, so callers that print results (CLI, sidecar) ask
 * here instead of checking the mode themselves: every mode the beam loop runs, now or later,
 * returns a BeamSearchResult and so shows up without changes on their side.
 */
export function sequenceScoresOf(result: GenerationResult): readonly number[] | undefined {
  return isBeamSearchResult(result) ? result.beam.sequenceScores : undefined;
}

function isBeamSearchResult(result: GenerationResult): result is BeamSearchResult {
  const beam = (result as Partial<BeamSearchResult>).beam;
  return typeof beam === 'object' && beam !== null && Array.isArray(beam.sequenceScores);
}
