import { checkTokenIdsFit } from '../../config/checkTokenIdsFit';
import { InkwellError } from '../../InkwellError';
import type { ForwardOutput, KvCache, LanguageModel } from '../../model/LanguageModel';
import type { TextTokenizer } from '../../model/TextTokenizer';
import { buildLogitsPipeline } from '../../processors/buildLogitsPipeline';
import { ScoreRow } from '../../processors/ScoreRow';
import { rawLogSoftmaxAt } from '../../sampling/logSoftmaxAt';
import { systemClock } from '../../stopping/Clock';
import type { FinishReason } from '../../stopping/FinishReason';
import { StopStringMatcher } from '../../stopping/StopStringMatcher';
import { SequenceText } from '../../streaming/SequenceText';
import { appendInput } from '../appendInput';
import type { GenerationEvent, GenerationRequest, GenerationResult } from '../GenerationEvent';
import { RunCache } from '../RunCache';
import { checkPrompts, rowLimit } from '../runGeneration';
import { SequenceState } from '../SequenceState';
import { summarize, type StepClock } from '../summarize';
import { checkContrastiveRequest } from './checkContrastiveRequest';
import { contrastiveChoice } from './contrastiveChoice';
import { DegenerationPenalty } from './DegenerationPenalty';
import { topProbableTokens } from './topProbableTokens';

/**
 * Contrastive search (mode 'contrastive': penalty_alpha > 0, top_k > 1, no sampling) as HF
 * transformers 4.4x's _contrastive_search, decoder-only:
 * - the prompt is prefilled with hidden states: they start the context, and the last position's
 *   logits are the first step's;
 * - each step: the processors (never the sampling warpers: top_k counts candidates here), a
 *   softmax, the top_k candidates (see topProbableTokens: only tokens the processors left
 *   possible); ONE forward of all candidates as a batch of top_k rows over the cache row
 *   duplicated, which yields each candidate's hidden state and next logits;
 * - score = (1 − α)·p(c) − α·max_j cos(h_c, h_j) over the context; the best (first on ties)
 *   is appended, its hidden state joins the context, its logits are the next step's (no extra
 *   forward), and its cache row is the one duplicated next step (one gather per step).
 *
 * A chosen token is final, so it streams at once. Stops: EOS, stop strings, max_new_tokens /
 * max_length / the model's positions, max_time (checked after each token, measured from the
 * start of the run), an abort. Several prompts run one after the other, each its own sequence
 * (sequence p continues prompt p); a prompt not started when max_time has passed finishes
 * 'max-time' with no tokens. No PromptCache and no assistant (checkContrastiveRequest).
 */
export async function runContrastiveSearch(
  model: LanguageModel,
  tokenizer: TextTokenizer,
  request: GenerationRequest,
  signal: AbortSignal,
  emit: (event: GenerationEvent) => void,
): Promise<GenerationResult> {
  const { config, prompts } = request;
  const clock = request.clock ?? systemClock;
  const startedAt = clock.now();
  checkContrastiveRequest(model, request);
  const width = model.info.vocabSize;
  const hiddenSize = model.info.hiddenSize!;
  checkPrompts(prompts, width, model.info.maxPositions);
  checkTokenIdsFit(config, width);
  const alpha = config.penaltyAlpha!;
  const eosTokenIds = config.eosTokenId ?? tokenizer.eosTokenIds;
  const pipeline = buildLogitsPipeline(config, { width, tokenizerVocabSize: tokenizer.vocabSize, eosTokenIds, ...(request.allowedTokens && { allowedTokens: request.allowedTokens }) });
  const stops = new StopStringMatcher(config.stopStrings);
  const row = new ScoreRow(width);
  const steps: StepClock = { tokenSteps: 0, outsideModelMs: 0, decodeMs: 0, decodeSteps: 0, prefillMs: 0 };
  let prefillTokens = 0;
  const timeUp = () => config.maxTime !== undefined && clock.now() - startedAt > config.maxTime * 1000;

  const states = prompts.map(
    (prompt, p) => new SequenceState(p, p, prompt, rowLimit(config, prompt.length, 0, model), 0, new SequenceText(tokenizer, stops)),
  );
  const finish = (state: SequenceState, reason: FinishReason) => {
    if (state.finished) return;
    state.finishReason = reason;
    emit({ type: 'finish', sequence: state.sequence, finishReason: reason, delta: state.text.finish() });
  };

  for (const state of states) {
    if (state.ids.length >= state.maxLength) finish(state, 'length');
    else if (signal.aborted) finish(state, 'aborted');
    else if (timeUp()) finish(state, 'max-time');
    else await search(state);
    finish(state, 'aborted'); // only reached unfinished when an abort ended the search
  }

  const result = summarize(states, steps, { totalMs: clock.now() - startedAt, startedAt, prefillTokens, reusedTokens: 0, seed: config.seed ?? 0 });
  emit({ type: 'done', result });
  return result;

  async function search(state: SequenceState): Promise<void> {
    const held = new RunCache(model, signal, undefined);
    const context = new DegenerationPenalty(hiddenSize);
    let cache: KvCache | undefined;
    await held.hold(async () => {
      cache = await held.acquire(1, state.ids);
      const prefill = cache && (await prefillPrompt(held, cache, state.ids, context));
      if (!prefill) return;
      // `live` is `cache` narrowed; both always name the latest handle (release() reads `cache`).
      let live = (cache = prefill.cache);
      let logits: Float32Array = prefill.logits;
      let chosenRow = 0;
      while (!state.finished && !signal.aborted) {
        const stepStart = clock.now();
        row.load(logits);
        pipeline.apply(row, state);
        const { ids, probabilities } = topProbableTokens(row, config.topK);
        if (ids.length === 0) {
          // Greedy decoding falls back to id 0 here (torch.argmax); HF's contrastive search would
          // rank NaN probabilities. Neither is a real choice, so say which settings banned everything.
          throw new InkwellError(
            'invalid-config',
            `contrastive search found no possible next token at step ${state.generated.length}: the logits processors (suppress_tokens, bad_words_ids, min_new_tokens …) removed every token`,
            { details: { step: state.generated.length } },
          );
        }
        const k = ids.length;
        // Each candidate continues the chosen row (the only row after the prefill).
        if (live.batch !== 1 || k !== 1) live = cache = await model.selectCacheRows(live, new Array<number>(k).fill(chosenRow));
        const position = state.ids.length;
        const input = {
          inputIds: Int32Array.from(ids),
          positionIds: new Int32Array(k).fill(position),
          attentionMask: new Uint8Array(k * (live.length + 1)).fill(1),
          batch: k,
          seqLen: 1,
          logits: 'last' as const,
          hiddenStates: true,
        };
        const forwardStart = clock.now();
        const out = await held.call(model.forward(live, input, signal));
        if (!out) return;
        const forwardMs = clock.now() - forwardStart;
        live = cache = out.cache;
        const hidden = hiddenStatesOf(out.output, k);
        const penalties = ids.map((_, c) => context.of(hidden, c * hiddenSize));
        const best = contrastiveChoice(probabilities, penalties, alpha);
        context.append(hidden.subarray(best * hiddenSize, (best + 1) * hiddenSize), 1);
        const tokenId = ids[best]!;
        const logprob = config.outputLogprobs ? Math.log(probabilities[best]!) : undefined;
        const rawLogprob = request.rawLogprobs ? rawLogSoftmaxAt(logits, tokenId) : undefined;
        // The views of out.output stay valid only until the next forward on this cache.
        logits = out.output.logits.slice(best * width, (best + 1) * width);
        chosenRow = best;
        accept(state, tokenId, logprob, rawLogprob);
        steps.tokenSteps++;
        steps.decodeSteps++;
        steps.decodeMs += clock.now() - stepStart;
        steps.outsideModelMs += clock.now() - stepStart - forwardMs;
      }
    }, () => cache, () => state.ids);
  }

  /**
   * Feeds the prompt with every position's hidden state (the context) but only the last logits
   * row (the model chunks a long prompt itself); returns the cache and a copy of those logits, or
   * undefined when aborted.
   */
  async function prefillPrompt(held: RunCache, cache: KvCache, prompt: readonly number[], context: DegenerationPenalty) {
    const before = clock.now();
    const out = await held.call(model.forward(cache, { ...appendInput(prompt, 0), logits: 'last', hiddenStates: 'all' }, signal));
    if (!out) return undefined;
    context.append(hiddenStatesOf(out.output, prompt.length), prompt.length);
    steps.prefillMs += clock.now() - before;
    prefillTokens += prompt.length;
    // The views of out.output stay valid only until the next forward on this cache.
    return { cache: out.cache, logits: out.output.logits.slice(0, width) };
  }


  function hiddenStatesOf(output: ForwardOutput, rows: number): Float32Array {
    const hidden = output.hiddenStates;
    if (hidden === undefined || hidden.length !== rows * hiddenSize) {
      throw new InkwellError('model-invalid', `the model returned ${hidden?.length ?? 'no'} hidden-state values for ${rows} positions × ${hiddenSize}: contrastive search needs last_hidden_state`, {
        details: { hiddenSize, rows },
      });
    }
    return hidden;
  }

  function accept(state: SequenceState, tokenId: number, logprob: number | undefined, rawLogprob: number | undefined): void {
    const { event, ends } = state.append(tokenId, eosTokenIds.includes(tokenId), clock.now(), logprob, rawLogprob);
    emit(event);
    if (ends) finish(state, ends);
    else if (timeUp()) finish(state, 'max-time');
  }

}
