import { checkTokenIdsFit } from '../../config/checkTokenIdsFit';
import { InkwellError } from '../../InkwellError';
import type { LanguageModel } from '../../model/LanguageModel';
import type { TextTokenizer } from '../../model/TextTokenizer';
import { buildLogitsPipeline } from '../../processors/buildLogitsPipeline';
import { randomSeed, Xoshiro128 } from '../../sampling/Xoshiro128';
import { systemClock } from '../../stopping/Clock';
import type { FinishReason } from '../../stopping/FinishReason';
import { StopStringMatcher } from '../../stopping/StopStringMatcher';
import { SequenceText } from '../../streaming/SequenceText';
import type { GenerationEvent, GenerationRequest, GenerationResult } from '../GenerationEvent';
import { checkPrompts, rowLimit } from '../runGeneration';
import { SequenceState } from '../SequenceState';
import { summarize, type StepClock } from '../summarize';
import type { Hypothesis } from './BeamHypotheses';
import { searchBeams, type BeamSearchContext } from './searchBeams';

/** A beam search result: GenerationResult plus each returned sequence's score (HF's sequences_scores). */
export interface BeamSearchResult extends GenerationResult {
  readonly beam: {
    /** Per sequence, in order: sum of processed log-probs / generated_length ** length_penalty. */
    readonly sequenceScores: readonly number[];
  };
}

/**
 * Beam search in its three HF flavours — mode 'beam' (num_beams > 1), 'beam-sample' (do_sample)
 * and 'group-beam' (num_beam_groups > 1, diversity_penalty) — as HF transformers 4.4x/4.5x
 * defines them (BeamSearchScorer + BeamHypotheses, _beam_search, _group_beam_search):
 * - each step, per beam: log_softmax of the logits, THEN the logits processors (HF processes
 *   log-probabilities in beam search, so e.g. repetition_penalty multiplies a log-prob; when
 *   sampling, the warpers too, with min_tokens_to_keep = #EOS + 1), plus the beam's running
 *   score; Inkwell's vocab mask (ids beyond the tokenizer) is applied before the log_softmax, as
 *   if those ids did not exist;
 * - the top max(2, 1 + #eos) · group_size candidates over a group's beams × vocabulary, best
 *   first (beam sampling: that many drawn without replacement from the softmax of those scores,
 *   then sorted by score): a finished candidate (EOS, or a completed stop string) ranked within
 *   the first group_size becomes a hypothesis (scored with its last token counted in the
 *   length), the others fill the group's next beams;
 * - diverse beam search processes the groups in order within a step; group g's scores drop by
 *   diversity_penalty for every beam of groups < g that chose the same token at this step (HF's
 *   HammingDiversityLogitsProcessor, placed right after sequence_bias as in HF's pipeline); each
 *   group has its own num_beams / num_beam_groups hypotheses and done flag;
 * - the first step is HF's too: each group's first beam starts at 0 and the others at -1e9
 *   (so with more beams than tokens the spare beams hold -1e9 junk, as in HF), but the prompt is
 *   prefilled once and its cache row duplicated;
 * - done by BeamHypotheses.isDone (early_stopping true / false / 'never') for every group, by
 *   max_new_tokens / max_length / the model's positions, max_time or an abort; the running beams
 *   of groups not done are then added as hypotheses; the best num_return_sequences over all
 *   groups are returned, best first.
 * - The KV cache is reordered with selectCacheRows each step (skipped when the order is kept).
 *
 * Several prompts are searched one after the other (HF batches them, but each batch entry's
 * search is independent): sequence p · num_return_sequences + j is prompt p's j-th best.
 *
 * Stop strings are Inkwell's addition (HF's StopStringCriteria only stops the whole search once
 * every beam has one): a candidate whose decoded text completes a stop string finishes like an
 * EOS, its text cut before the stop string.
 *
 * Streaming: a beam's tokens can be dropped at any later step, so nothing is streamed while
 * searching; when a prompt's search ends, each returned sequence's token events (then its
 * finish event) are emitted in one go, so no streamed text is ever taken back.
 *
 * Arithmetic is float64 on float32 logits (HF adds in float32): scores agree to ~1e-6. A
 * PromptCache and assisted decoding are refused (HF refuses assisted beam search too).
 */
export async function runBeamSearch(
  model: LanguageModel,
  tokenizer: TextTokenizer,
  request: GenerationRequest,
  signal: AbortSignal,
  emit: (event: GenerationEvent) => void,
): Promise<BeamSearchResult> {
  const { config, prompts } = request;
  const clock = request.clock ?? systemClock;
  const startedAt = clock.now();
  checkBeamRequest(request);
  const width = model.info.vocabSize;
  checkPrompts(prompts, width, model.info.maxPositions);
  checkTokenIdsFit(config, width);
  const eosTokenIds = config.eosTokenId ?? tokenizer.eosTokenIds;
  const pipeline = buildLogitsPipeline(config, { width, tokenizerVocabSize: tokenizer.vocabSize, eosTokenIds, ...(request.allowedTokens && { allowedTokens: request.allowedTokens }) });
  const afterLogSoftmax = pipeline.processors.filter((p) => p.name !== 'vocab-mask');
  const seed = config.seed ?? randomSeed();
  const steps: StepClock = { tokenSteps: 0, outsideModelMs: 0, decodeMs: 0, decodeSteps: 0, prefillMs: 0 };
  const ctx: BeamSearchContext = {
    model,
    tokenizer,
    config,
    eosTokenIds,
    padTokenId: config.padTokenId ?? tokenizer.padTokenId ?? eosTokenIds[0] ?? 0,
    beforeLogSoftmax: pipeline.processors.filter((p) => p.name === 'vocab-mask'),
    afterLogSoftmax,
    diversityAt: afterLogSoftmax.findIndex((p) => p.name === 'sequence-bias') + 1,
    rng: new Xoshiro128(seed),
    stops: new StopStringMatcher(config.stopStrings),
    clock,
    startedAt,
    rawLogprobs: request.rawLogprobs ?? false,
    steps,
  };
  const states: SequenceState[] = [];
  const sequenceScores: number[] = [];
  let prefillTokens = 0;
  for (let p = 0; p < prompts.length; p++) {
    const prompt = prompts[p]!;
    const maxLength = rowLimit(config, prompt.length, 0, model);
    const found = await searchBeams(ctx, prompt, maxLength, signal);
    prefillTokens += found.prefillTokens;
    const endedAt = clock.now();
    // A prompt with no room (or aborted before its first step) gets empty sequences.
    for (let j = 0; j < config.numReturnSequences; j++) {
      const state = new SequenceState(p * config.numReturnSequences + j, p, prompt, maxLength, 0, new SequenceText(tokenizer, ctx.stops));
      const hypothesis = found.best[j];
      state.firstTokenAt = found.firstStepAt;
      state.lastTokenAt = endedAt;
      emitSequence(state, hypothesis, found.stopReason);
      states.push(state);
      sequenceScores.push(hypothesis?.score ?? Number.NEGATIVE_INFINITY);
    }
  }
  const summary = summarize(states, steps, { totalMs: clock.now() - startedAt, startedAt, prefillTokens, reusedTokens: 0, seed });
  const result: BeamSearchResult = { ...summary, beam: { sequenceScores } };
  emit({ type: 'done', result });
  return result;

  function emitSequence(state: SequenceState, hypothesis: Hypothesis | undefined, stopReason: FinishReason): void {
    const { firstTokenAt, lastTokenAt } = state;
    hypothesis?.tokenIds.forEach((tokenId, i) => {
      const logprob = config.outputLogprobs ? hypothesis.logprobs[i] : undefined;
      const rawLogprob = request.rawLogprobs ? hypothesis.rawLogprobs[i] : undefined;
      const isEos = hypothesis.ended === 'eos' && i === hypothesis.tokenIds.length - 1;
      // The hypothesis already says how it ended; `ends` would only repeat it.
      emit(state.append(tokenId, isEos, lastTokenAt ?? 0, logprob, rawLogprob).event);
    });
    state.firstTokenAt = firstTokenAt;
    state.lastTokenAt = lastTokenAt;
    state.finishReason = hypothesis?.ended ?? (signal.aborted ? 'aborted' : stopReason);
    emit({ type: 'finish', sequence: state.sequence, finishReason: state.finishReason, delta: state.text.finish() });
  }
}

/** What beam search refuses rather than ignores. */
function checkBeamRequest(request: GenerationRequest): void {
  const { config } = request;
  const refuse = (code: 'invalid-config' | 'invalid-argument', field: string, why: string) => {
    throw new InkwellError(code, `beam search (num_beams = ${config.numBeams}) ${why}`, { details: { field } });
  };
  if (request.promptCache !== undefined) refuse('invalid-argument', 'promptCache', 'does not use a promptCache');
  if (request.assistant !== undefined || config.assistantModel !== undefined || config.promptLookupNumTokens !== undefined) {
    refuse('invalid-config', 'assistant_model', 'cannot be assisted (Hugging Face refuses it too)');
  }
}
