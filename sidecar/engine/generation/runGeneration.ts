import { checkTokenIdsFit } from '../config/checkTokenIdsFit';
import type { GenerationConfig } from '../config/GenerationConfig';
import { InkwellError } from '../InkwellError';
import type { ForwardInput, KvCache, LanguageModel } from '../model/LanguageModel';
import type { TextTokenizer } from '../model/TextTokenizer';
import { buildLogitsPipeline } from '../processors/buildLogitsPipeline';
import { randomSeed, Xoshiro128 } from '../sampling/Xoshiro128';
import { systemClock, type Clock } from '../stopping/Clock';
import type { FinishReason } from '../stopping/FinishReason';
import { StopStringMatcher } from '../stopping/StopStringMatcher';
import { SequenceText } from '../streaming/SequenceText';
import type { GenerationEvent, GenerationRequest, GenerationResult } from './GenerationEvent';
import { appendInput } from './appendInput';
import { checkPromptLength } from './checkPromptLength';
import { leftPadBatch } from './leftPadBatch';
import type { PromptCache } from './PromptCache';
import { RunCache } from './RunCache';
import { SequenceState } from './SequenceState';
import { summarize, type StepClock } from './summarize';
import { TokenChooser } from './TokenChooser';

/**
 * The decode loop for greedy decoding and sampling.
 *
 * - All prompts are prefilled in one left-padded batch; with num_return_sequences > 1 the cache
 *   rows are then duplicated with selectCacheRows (prompt-major, like HF's repeat_interleave),
 *   so each prompt is prefilled once.
 * - Every later step is ONE forward over all unfinished rows (seqLen 1, logits 'last').
 * - A finished row is dropped from the cache with selectCacheRows instead of being fed pads
 *   (HF's way): it costs one cache gather per finishing event instead of a forward row for
 *   every remaining step.
 * - Lengths seen by processors and limits count real tokens, not left pads (HF counts pads
 *   in max_length and min_length; that makes a padded batch differ from single prompts).
 *   Only the model's positions cap counts a row's pads too (see rowLimit).
 * - With request.promptCache (one prompt, one sequence) the cache is taken from it cropped to
 *   the prefix it shares with the prompt, only the rest is prefilled, and the cache goes back
 *   with the ids it then holds (dropped instead when a model call failed).
 */
export async function runGeneration(
  model: LanguageModel,
  tokenizer: TextTokenizer,
  request: GenerationRequest,
  signal: AbortSignal,
  emit: (event: GenerationEvent) => void,
): Promise<GenerationResult> {
  const { config, prompts } = request;
  const clock: Clock = request.clock ?? systemClock;
  const startedAt = clock.now();
  const width = model.info.vocabSize;
  checkPrompts(prompts, width, model.info.maxPositions);
  checkTokenIdsFit(config, width);

  const eosTokenIds = config.eosTokenId ?? tokenizer.eosTokenIds;
  const padTokenId = config.padTokenId ?? tokenizer.padTokenId ?? eosTokenIds[0] ?? 0;
  const seed = config.seed ?? randomSeed();
  const chooser = new TokenChooser(
    config,
    buildLogitsPipeline(config, { width, tokenizerVocabSize: tokenizer.vocabSize, eosTokenIds, ...(request.allowedTokens && { allowedTokens: request.allowedTokens }) }),
    new Xoshiro128(seed),
    width,
    request.rawLogprobs ?? false,
  );
  const stops = new StopStringMatcher(config.stopStrings);
  const returns = config.doSample ? config.numReturnSequences : 1;
  const promptCache = request.promptCache;
  if (promptCache !== undefined) checkPromptCache(promptCache, model, prompts.length, returns);

  // Prompts with no room left (prompt already at max_length) finish without a forward pass.
  // Pads do not matter here: the longest live prompt has room, so every shorter one has too.
  const live = prompts.map((_, p) => p).filter((p) => rowLimit(config, prompts[p]!.length, 0, model) > prompts[p]!.length);
  const batch = leftPadBatch(live.map((p) => prompts[p]!), padTokenId);
  const states: SequenceState[] = [];
  for (let p = 0; p < prompts.length; p++) {
    const padCount = live.includes(p) ? batch.padCounts[live.indexOf(p)]! : 0;
    for (let j = 0; j < returns; j++) {
      const text = new SequenceText(tokenizer, stops);
      states.push(new SequenceState(p * returns + j, p, prompts[p]!, rowLimit(config, prompts[p]!.length, padCount, model), padCount, text));
    }
  }

  const finish = (state: SequenceState, reason: FinishReason) => {
    if (state.finished) return;
    state.finishReason = reason;
    emit({ type: 'finish', sequence: state.sequence, finishReason: reason, delta: state.text.finish() });
  };
  for (const state of states) if (!live.includes(state.prompt)) finish(state, 'length');

  const steps: StepClock = { tokenSteps: 0, outsideModelMs: 0, decodeMs: 0, decodeSteps: 0, prefillMs: 0 };
  let active = states.filter((s) => !s.finished);
  let cache: KvCache | undefined;
  let prefillTokens = 0;
  const held = new RunCache(model, signal, promptCache);
  const modelCall = <T>(call: Promise<T>) => held.call(call);
  await held.hold(async () => {
    if (active.length > 0 && !signal.aborted) {
      cache = await held.acquire(batch.batch, prompts[0]!);
      const input: Omit<ForwardInput, 'logits'> = held.leased ? appendInput(prompts[0]!.slice(held.reusedTokens), held.reusedTokens) : batch;
      if (cache !== undefined) {
        const before = clock.now();
        const prefill = await modelCall(model.forward(cache, { ...input, logits: 'last' }, signal));
        steps.prefillMs = clock.now() - before;
        if (prefill) {
          cache = prefill.cache;
          prefillTokens = held.leased ? input.seqLen : batch.attentionMask.reduce((n, m) => n + m, 0);
          // Row r of the prefill logits belongs to live prompt r; duplicate it for each return sequence.
          chooseAll(prefill.output.logits, (state) => live.indexOf(state.prompt));
          if (returns > 1 && !signal.aborted) {
            cache = await model.selectCacheRows(cache, active.map((s) => live.indexOf(s.prompt)));
          }
        }
      }
    }

    while (!signal.aborted && cache !== undefined) {
      const stepStart = clock.now();
      const next = active.filter((s) => !s.finished);
      if (next.length === 0) break;
      if (next.length < active.length) cache = await model.selectCacheRows(cache, next.map((s) => active.indexOf(s)));
      active = next;
      const inputsStart = clock.now();
      const inputs = decodeInputs(active, cache.length);
      steps.outsideModelMs += clock.now() - inputsStart;
      const step = await modelCall(model.forward(cache, { ...inputs, logits: 'last' }, signal));
      if (!step) break;
      cache = step.cache;
      chooseAll(step.output.logits, (_, r) => r);
      steps.decodeMs += clock.now() - stepStart;
      steps.decodeSteps++;
    }
  }, () => cache, () => states[0]!.ids);
  for (const state of states) finish(state, 'aborted');

  const result = summarize(states, steps, {
    totalMs: clock.now() - startedAt,
    startedAt,
    prefillTokens,
    reusedTokens: held.reusedTokens,
    seed,
  });
  emit({ type: 'done', result });
  return result;

  /** Chooses one token for every unfinished active row; `rowOf` maps it to its logits row. */
  function chooseAll(logits: Float32Array, rowOf: (state: SequenceState, index: number) => number): void {
    const stepStart = clock.now();
    active.forEach((state, index) => {
      if (state.finished) return;
      const r = rowOf(state, index);
      const choice = chooser.choose(logits.subarray(r * width, (r + 1) * width), state);
      const { event, ends } = state.append(choice.tokenId, eosTokenIds.includes(choice.tokenId), clock.now(), choice.logprob, choice.rawLogprob);
      emit(event);
      if (ends) finish(state, ends);
    });
    // HF's MaxTimeCriteria: checked after each step, measured from the start of generate().
    if (config.maxTime !== undefined && clock.now() - startedAt > config.maxTime * 1000) {
      for (const state of active) finish(state, 'max-time');
    }
    steps.tokenSteps++;
    steps.outsideModelMs += clock.now() - stepStart;
  }
}

export function checkPromptCache(promptCache: PromptCache, model: LanguageModel, prompts: number, returns: number): void {
  if (promptCache.model !== model) {
    throw new InkwellError('invalid-argument', 'promptCache belongs to another model than the one generating');
  }
  if (prompts !== 1 || returns !== 1) {
    throw new InkwellError(
      'invalid-argument',
      `promptCache needs exactly one prompt and one returned sequence (got ${prompts} prompts × ${returns} sequences)`,
      { details: { field: 'promptCache', prompts, numReturnSequences: returns } },
    );
  }
}

function decodeInputs(active: readonly SequenceState[], cacheLength: number) {
  const batch = active.length;
  const maskWidth = cacheLength + 1;
  const inputIds = new Int32Array(batch);
  const positionIds = new Int32Array(batch);
  const attentionMask = new Uint8Array(batch * maskWidth);
  active.forEach((state, r) => {
    inputIds[r] = state.ids[state.ids.length - 1]!;
    positionIds[r] = state.ids.length - 1;
    attentionMask.fill(1, r * maskWidth + state.padCount, (r + 1) * maskWidth);
  });
  return { inputIds, positionIds, attentionMask, batch, seqLen: 1 };
}

/**
 * A row's real-token limit. Its left pads stay in the cache, whose length is the same for every
 * row, so a row can only grow until pads + real tokens == maxPositions: a short prompt batched
 * with a long one may get fewer tokens than alone (the cache has no way to drop leading pads).
 */
export function rowLimit(config: GenerationConfig, promptLength: number, padCount: number, model: LanguageModel): number {
  const limit = config.maxNewTokens !== undefined ? promptLength + config.maxNewTokens : config.maxLength;
  return Math.min(limit, model.info.maxPositions - padCount);
}

export function checkPrompts(prompts: readonly (readonly number[])[], width: number, maxPositions: number): void {
  if (prompts.length === 0) throw new InkwellError('invalid-argument', 'prompts must hold at least one prompt');
  prompts.forEach((prompt, p) => {
    if (prompt.length === 0) {
      throw new InkwellError('invalid-argument', `prompts[${p}] is empty: a prompt needs at least one token`, { details: { prompt: p } });
    }
    checkPromptLength(`prompts[${p}]`, prompt.length, maxPositions);
    for (const id of prompt) {
      if (!Number.isInteger(id) || id < 0 || id >= width) {
        throw new InkwellError('invalid-argument', `prompts[${p}] holds token id ${id}: must be >= 0 and < ${width}`, {
          details: { prompt: p, tokenId: id },
        });
      }
    }
  });
}
