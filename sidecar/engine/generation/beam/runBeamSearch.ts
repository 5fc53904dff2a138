import { checkTokenIdsFit } from '../../config/checkTokenIdsFit';
import { InkwellError } from '../../InkwellError';
import type { KvCache, LanguageModel } from '../../model/LanguageModel';
import type { TextTokenizer } from '../../model/TextTokenizer';
import { buildLogitsPipeline } from '../../processors/buildLogitsPipeline';
import type { RowContext } from '../../processors/LogitsProcessor';
import { ScoreRow } from '../../processors/ScoreRow';
import { systemClock } from '../../stopping/Clock';
import type { FinishReason } from '../../stopping/FinishReason';
import { StopStringMatcher } from '../../stopping/StopStringMatcher';
import { SequenceText } from '../../streaming/SequenceText';
import type { GenerationEvent, GenerationRequest, GenerationResult } from '../GenerationEvent';
import { RunCache } from '../RunCache';
import { appendInput } from '../appendInput';
import { checkPrompts, rowLimit } from '../runGeneration';
import { SequenceState } from '../SequenceState';
import { summarize, type StepClock } from '../summarize';
import { BeamHypotheses, type Hypothesis } from './BeamHypotheses';
import { topCandidates } from './topCandidates';

/** A beam search result: GenerationResult plus each returned sequence's score (HF's sequences_scores). */
export interface BeamSearchResult extends GenerationResult {
  readonly beam: {
    /** Per sequence, in order: sum of processed log-probs / generated_length ** length_penalty. */
    readonly sequenceScores: readonly number[];
  };
}

interface Beam {
  /** Prompt and generated ids (a processor's RowContext). */
  readonly ids: number[];
  readonly generated: number[];
  readonly logprobs: number[];
  readonly rawLogprobs: number[];
  /** Running sum of processed log-probabilities (HF's beam_scores). */
  readonly score: number;
  /** Its row in the KV cache and in the step's logits. */
  readonly row: number;
}

/**
 * Beam search (mode 'beam': num_beams > 1, do_sample false, one beam group) as HF transformers
 * 4.4x/4.5x defines it (BeamSearchScorer + BeamHypotheses), for one prompt:
 * - each step, per beam: log_softmax of the logits, THEN the logits processors (HF processes
 *   log-probabilities in beam search, so e.g. repetition_penalty multiplies a log-prob), plus the
 *   beam's running score; Inkwell's vocab mask (ids beyond the tokenizer) is applied before the
 *   log_softmax, as if those ids did not exist;
 * - the top max(2, 1 + #eos) · num_beams candidates over beams × vocabulary, best first: an EOS
 *   candidate ranked within the first num_beams becomes a finished hypothesis (scored with its
 *   EOS counted in the length), the others fill the next num_beams beams;
 * - the first step is HF's too: num_beams copies of the prompt with running scores
 *   [0, -1e9, …], so with num_beams > vocabulary the spare beams hold -1e9 junk, as in HF
 *   (but the prompt is prefilled once and its cache row duplicated);
 * - done by BeamHypotheses.isDone (early_stopping true / false / 'never'), by max_new_tokens /
 *   max_length / the model's positions, max_time or an abort; unless done, the running beams
 *   are then added as hypotheses; the best num_return_sequences are returned, best first.
 * - The KV cache is reordered with selectCacheRows each step (skipped when the order is kept).
 *
 * Streaming: a beam's tokens can be dropped at any later step, so nothing is streamed while
 * searching; when the search ends, each returned sequence's token events (then its finish
 * event) are emitted in one go, so no streamed text is ever taken back.
 *
 * Arithmetic is float64 on float32 logits (HF adds in float32): scores agree to ~1e-6.
 * Not in this slice (refused with invalid-config / invalid-argument): stop strings, several
 * prompts, a PromptCache, assisted decoding. The returned EOS is the one generated (HF's
 * BeamSearchScorer.finalize wrote eos_token_id[0] whichever EOS it was).
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
  const prompt = prompts[0]!;
  const numBeams = config.numBeams;
  const eosTokenIds = config.eosTokenId ?? tokenizer.eosTokenIds;
  const pipeline = buildLogitsPipeline(config, { width, tokenizerVocabSize: tokenizer.vocabSize, eosTokenIds });
  const beforeLogSoftmax = pipeline.processors.filter((p) => p.name === 'vocab-mask');
  const afterLogSoftmax = pipeline.processors.filter((p) => p.name !== 'vocab-mask');
  const maxLength = rowLimit(config, prompt.length, 0, model);
  const hypotheses = new BeamHypotheses(numBeams, config.lengthPenalty, config.earlyStopping, maxLength - prompt.length);
  const keep = Math.max(2, 1 + eosTokenIds.length) * numBeams;
  const scratch = new ScoreRow(width);

  const steps: StepClock = { tokenSteps: 0, outsideModelMs: 0, decodeMs: 0, decodeSteps: 0, prefillMs: 0 };
  let beams: Beam[] = Array.from({ length: numBeams }, (_, b) => ({
    ids: [...prompt],
    generated: [],
    logprobs: [],
    rawLogprobs: [],
    score: b === 0 ? 0 : -1e9,
    row: 0,
  }));
  let done = false;
  let stopReason: FinishReason = 'length';
  let firstStepAt: number | undefined;
  let prefillTokens = 0;
  let failed = false;
  let cache: KvCache | undefined;
  const held = new RunCache(model, signal, undefined);
  try {
    if (maxLength > prompt.length && !signal.aborted) {
      cache = await held.acquire(1, prompt);
      const before = clock.now();
      const prefill = cache && (await held.call(model.forward(cache, { ...appendInput(prompt, 0), logits: 'last' }, signal)));
      steps.prefillMs = clock.now() - before;
      let logits = prefill?.output.logits;
      if (prefill) {
        cache = prefill.cache;
        prefillTokens = prompt.length;
      }
      while (logits !== undefined && cache !== undefined) {
        const stepStart = clock.now();
        const next = step(logits);
        firstStepAt ??= clock.now();
        steps.tokenSteps++;
        steps.outsideModelMs += clock.now() - stepStart;
        const length = beams[0]!.generated.length;
        if (done || prompt.length + length >= maxLength) break;
        if (config.maxTime !== undefined && clock.now() - startedAt > config.maxTime * 1000) {
          stopReason = 'max-time';
          break;
        }
        if (signal.aborted) break;
        if (next.some((row, i) => row !== i) || next.length !== cache.batch) cache = await model.selectCacheRows(cache, next);
        const inputIds = Int32Array.from(beams, (beam) => beam.ids[beam.ids.length - 1]!);
        const positionIds = Int32Array.from(beams, (beam) => beam.ids.length - 1);
        const attentionMask = new Uint8Array(numBeams * (cache.length + 1)).fill(1);
        const input = { inputIds, positionIds, attentionMask, batch: numBeams, seqLen: 1, logits: 'last' as const };
        const out = await held.call(model.forward(cache, input, signal));
        if (!out) break;
        cache = out.cache;
        logits = out.output.logits;
        steps.decodeMs += clock.now() - stepStart;
        steps.decodeSteps++;
      }
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    await held.release(cache, failed, () => prompt);
  }
  if (signal.aborted) stopReason = 'aborted';

  if (!done) {
    for (const beam of beams) {
      if (beam.generated.length === 0) continue;
      hypotheses.add({ ...beamTail(beam), sumLogprobs: beam.score, endedWithEos: false });
    }
  }
  const best = hypotheses.best(config.numReturnSequences);
  const endedAt = clock.now();
  const stops = new StopStringMatcher([]);
  const states = best.map((hypothesis, j) => {
    const state = new SequenceState(j, 0, prompt, maxLength, 0, new SequenceText(tokenizer, stops));
    state.firstTokenAt = firstStepAt;
    state.lastTokenAt = endedAt;
    emitSequence(state, hypothesis);
    return state;
  });
  // A prompt with no room (or aborted before the first step) gets one empty sequence.
  if (states.length === 0) {
    const state = new SequenceState(0, 0, prompt, maxLength, 0, new SequenceText(tokenizer, stops));
    state.finishReason = signal.aborted ? 'aborted' : 'length';
    emit({ type: 'finish', sequence: 0, finishReason: state.finishReason, delta: state.text.finish() });
    states.push(state);
  }
  const summary = summarize(states, steps, {
    totalMs: clock.now() - startedAt,
    startedAt,
    prefillTokens,
    reusedTokens: 0,
    seed: config.seed ?? 0,
  });
  const result: BeamSearchResult = { ...summary, beam: { sequenceScores: best.map((h) => h.score) } };
  emit({ type: 'done', result });
  return result;

  /**
   * One beam step over `logits` (row r = cache row r): scores the candidates, files finished
   * hypotheses, replaces `beams` and returns the cache rows the new beams continue.
   */
  function step(logits: Float32Array): number[] {
    const rows = new Map<number, { processed: Float32Array; rawLse: number }>();
    for (const beam of beams) {
      if (rows.has(beam.row)) continue;
      const raw = logits.subarray(beam.row * width, (beam.row + 1) * width);
      scratch.load(raw);
      const context: RowContext = { ids: beam.ids, promptLength: prompt.length, maxLength };
      for (const p of beforeLogSoftmax) p.apply(scratch, context);
      const lse = scratch.logSumExp();
      const s = scratch.scores;
      for (let v = 0; v < width; v++) s[v] = s[v]! - lse;
      scratch.sparse = false;
      for (const p of afterLogSoftmax) p.apply(scratch, context);
      rows.set(beam.row, { processed: Float32Array.from(s), rawLse: request.rawLogprobs ? logSumExp(raw) : 0 });
    }
    const rowList = [...rows.keys()];
    const candidates = topCandidates(
      rowList.map((r) => rows.get(r)!.processed),
      beams.map((beam) => rowList.indexOf(beam.row)),
      beams.map((beam) => beam.score),
      keep,
    );
    const next: Beam[] = [];
    const generatedLength = beams[0]!.generated.length + 1;
    for (let rank = 0; rank < candidates.length && next.length < numBeams; rank++) {
      const { beam: b, tokenId, score } = candidates[rank]!;
      const source = beams[b]!;
      const row = rows.get(source.row)!;
      const logprob = row.processed[tokenId]!;
      const rawLogprob = logits[source.row * width + tokenId]! - row.rawLse;
      if (eosTokenIds.includes(tokenId)) {
        // HF: an EOS outside the first num_beams candidates is not a hypothesis.
        if (rank >= numBeams) continue;
        const tail = beamTail(source);
        hypotheses.add({
          tokenIds: [...tail.tokenIds, tokenId],
          logprobs: [...tail.logprobs, logprob],
          rawLogprobs: [...tail.rawLogprobs, rawLogprob],
          sumLogprobs: score,
          endedWithEos: true,
        });
      } else {
        next.push({
          ids: [...source.ids, tokenId],
          generated: [...source.generated, tokenId],
          logprobs: [...source.logprobs, logprob],
          rawLogprobs: [...source.rawLogprobs, rawLogprob],
          score,
          row: source.row,
        });
      }
    }
    if (next.length < numBeams) {
      // Unreachable while 2·num_beams candidates are kept per EOS id (HF raises the same).
      throw new InkwellError('invalid-config', `beam search found ${next.length} continuations that are not EOS for ${numBeams} beams`, {
        details: { field: 'eos_token_id', value: eosTokenIds },
      });
    }
    done ||= hypotheses.isDone(candidates[0]!.score, generatedLength);
    const sources = next.map((beam) => beam.row);
    beams = next.map((beam, i) => ({ ...beam, row: i }));
    return sources;
  }

  function beamTail(beam: Beam) {
    return { tokenIds: beam.generated, logprobs: beam.logprobs, rawLogprobs: beam.rawLogprobs };
  }

  function emitSequence(state: SequenceState, hypothesis: Hypothesis): void {
    hypothesis.tokenIds.forEach((tokenId, i) => {
      state.ids.push(tokenId);
      state.generated.push(tokenId);
      const logprob = config.outputLogprobs ? hypothesis.logprobs[i] : undefined;
      const rawLogprob = request.rawLogprobs ? hypothesis.rawLogprobs[i] : undefined;
      if (logprob !== undefined) state.logprobs.push(logprob);
      if (rawLogprob !== undefined) state.rawLogprobs.push(rawLogprob);
      const isEos = hypothesis.endedWithEos && i === hypothesis.tokenIds.length - 1;
      const delta = isEos ? '' : state.text.push(tokenId);
      emit({
        type: 'token',
        sequence: state.sequence,
        tokenId,
        delta,
        ...(logprob !== undefined && { logprob }),
        ...(rawLogprob !== undefined && { rawLogprob }),
      });
    });
    state.finishReason = hypothesis.endedWithEos ? 'eos' : stopReason;
    emit({ type: 'finish', sequence: state.sequence, finishReason: state.finishReason, delta: state.text.finish() });
  }
}

function logSumExp(values: Float32Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  if (!Number.isFinite(max)) return max;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i]! - max);
  return max + Math.log(sum);
}

/** What this slice of beam search does not do yet, refused rather than ignored. */
function checkBeamRequest(request: GenerationRequest): void {
  const { config } = request;
  const refuse = (code: 'invalid-config' | 'invalid-argument', field: string, why: string) => {
    throw new InkwellError(code, `beam search (num_beams = ${config.numBeams}) ${why}`, { details: { field } });
  };
  if (request.prompts.length !== 1) {
    refuse('invalid-argument', 'prompts', `takes exactly one prompt for now (got ${request.prompts.length})`);
  }
  if (config.stopStrings.length > 0) refuse('invalid-config', 'stop_strings', 'does not support stop_strings yet');
  if (request.promptCache !== undefined) refuse('invalid-argument', 'promptCache', 'does not use a promptCache');
  if (request.assistant !== undefined || config.assistantModel !== undefined || config.promptLookupNumTokens !== undefined) {
    refuse('invalid-config', 'assistant_model', 'cannot be assisted (Hugging Face refuses it too)');
  }
}
