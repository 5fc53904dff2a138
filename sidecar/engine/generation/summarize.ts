import type { GenerationResult, SequenceResult } from './GenerationEvent';
import type { SequenceState } from './SequenceState';

/** Time accumulated by the loop. */
export interface StepClock {
  prefillMs: number;
  /** Steps that chose tokens (the one after prefill included). */
  tokenSteps: number;
  /** Time of those steps outside model calls. */
  outsideModelMs: number;
  /** Decode steps (after prefill), forward passes included. */
  decodeMs: number;
  decodeSteps: number;
}

export function summarize(
  states: readonly SequenceState[],
  steps: StepClock,
  run: { totalMs: number; startedAt: number; prefillTokens: number; reusedTokens: number; seed: number },
): GenerationResult {
  const perSecond = (count: number, ms: number) => (ms > 0 ? (count * 1000) / ms : 0);
  let decodedTokens = 0;
  const sequences = states.map((state): SequenceResult => {
    const first = state.firstTokenAt;
    const decodeMs = first !== undefined && state.lastTokenAt !== undefined ? state.lastTokenAt - first : 0;
    const afterFirst = Math.max(0, state.generated.length - 1);
    decodedTokens += afterFirst;
    return {
      sequence: state.sequence,
      prompt: state.prompt,
      text: state.text.text,
      tokenIds: state.generated,
      ...(state.logprobs.length > 0 && { logprobs: state.logprobs }),
      ...(state.rawLogprobs.length > 0 && { rawLogprobs: state.rawLogprobs }),
      finishReason: state.finishReason ?? 'aborted',
      timings: {
        timeToFirstTokenMs: first === undefined ? 0 : first - run.startedAt,
        decodeMs,
        decodeTokensPerSecond: perSecond(afterFirst, decodeMs),
      },
    };
  });
  return {
    sequences,
    seed: run.seed,
    timings: {
      totalMs: run.totalMs,
      prefillMs: steps.prefillMs,
      prefillTokens: run.prefillTokens,
      reusedTokens: run.reusedTokens,
      prefillTokensPerSecond: perSecond(run.prefillTokens, steps.prefillMs),
      decodeMs: steps.decodeMs,
      decodeSteps: steps.decodeSteps,
      decodeTokensPerSecond: perSecond(decodedTokens, steps.decodeMs),
      overheadMs: steps.tokenSteps > 0 ? steps.outsideModelMs / steps.tokenSteps : 0,
    },
  };
}
