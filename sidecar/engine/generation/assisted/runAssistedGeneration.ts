import { checkTokenIdsFit } from '../../config/checkTokenIdsFit';
import type { KvCache, LanguageModel } from '../../model/LanguageModel';
import type { TextTokenizer } from '../../model/TextTokenizer';
import { buildLogitsPipeline } from '../../processors/buildLogitsPipeline';
import type { ScoreRow } from '../../processors/ScoreRow';
import { argmax } from '../../sampling/argmax';
import { logSoftmaxAt, rawLogSoftmaxAt } from '../../sampling/logSoftmaxAt';
import { TokenSampler } from '../../sampling/sampleToken';
import { randomSeed, Xoshiro128 } from '../../sampling/Xoshiro128';
import { systemClock, type Clock } from '../../stopping/Clock';
import type { FinishReason } from '../../stopping/FinishReason';
import { StopStringMatcher } from '../../stopping/StopStringMatcher';
import { SequenceText } from '../../streaming/SequenceText';
import type { GenerationEvent, GenerationRequest, GenerationResult } from '../GenerationEvent';
import { RunCache } from '../RunCache';
import { appendInput } from '../appendInput';
import { checkPromptCache, checkPrompts, rowLimit } from '../runGeneration';
import { SequenceState } from '../SequenceState';
import { summarize, type StepClock } from '../summarize';
import { speculativeSamplingRule, type AcceptanceRule } from './AcceptanceRule';
import type { CandidateGenerator, Draft } from './CandidateGenerator';
import { checkAssistedRequest } from './checkAssistedRequest';
import { makeDrafter } from './makeDrafter';
import { ProcessedRow } from './ProcessedRow';

/**
 * Speculative decoding for one prompt: a drafter (prompt lookup, an assistant model, or both)
 * proposes K tokens; the main model scores [last token, draft…] in ONE forward (logits 'all');
 * verification keeps the longest acceptable prefix plus one token of the main model's own, and
 * the main cache is cropped to the ids it then holds (the assistant crops its own on the next
 * draft). Greedy keeps drafted tokens while they equal the main argmax, so the output is plain
 * greedy's; sampling uses `rule` (speculative sampling), so each token is distributed as the
 * main model's processed distribution. Every kept token goes through the same commit as the
 * plain loop (event, EOS, stop strings, length), so a block is cut exactly where plain decoding
 * would stop. The signal is checked before every draft and every verification.
 */
export async function runAssistedGeneration(
  model: LanguageModel,
  tokenizer: TextTokenizer,
  request: GenerationRequest,
  signal: AbortSignal,
  emit: (event: GenerationEvent) => void,
  rule: AcceptanceRule = speculativeSamplingRule,
): Promise<GenerationResult> {
  const { config, prompts } = request;
  const clock: Clock = request.clock ?? systemClock;
  const startedAt = clock.now();
  const width = model.info.vocabSize;
  checkPrompts(prompts, width, model.info.maxPositions);
  checkTokenIdsFit(config, width);
  checkAssistedRequest(request, model, tokenizer);
  const promptCache = request.promptCache;
  if (promptCache !== undefined) checkPromptCache(promptCache, model, 1, 1);

  const prompt = prompts[0]!;
  const eosTokenIds = config.eosTokenId ?? tokenizer.eosTokenIds;
  const seed = config.seed ?? randomSeed();
  const rng = new Xoshiro128(seed);
  const pipelineContext = { width, tokenizerVocabSize: tokenizer.vocabSize, eosTokenIds, ...(request.allowedTokens && { allowedTokens: request.allowedTokens }) };
  const main = new ProcessedRow(buildLogitsPipeline(config, pipelineContext), width);
  const sampler = new TokenSampler(width);
  const p = new Float64Array(width);
  const scratch = new Float64Array(width);
  const drafter: CandidateGenerator = makeDrafter(config, request.assistant, buildLogitsPipeline(config, pipelineContext), rng);
  const state = new SequenceState(0, 0, prompt, rowLimit(config, prompt.length, 0, model), 0, new SequenceText(tokenizer, new StopStringMatcher(config.stopStrings)));
  const steps: StepClock = { tokenSteps: 0, outsideModelMs: 0, decodeMs: 0, decodeSteps: 0, prefillMs: 0 };
  const stats = { drafted: 0, accepted: 0, mainForwards: 0 };

  const finish = (reason: FinishReason) => {
    if (state.finished) return;
    state.finishReason = reason;
    emit({ type: 'finish', sequence: 0, finishReason: reason, delta: state.text.finish() });
  };
  if (state.maxLength <= prompt.length) finish('length');

  let cache: KvCache | undefined;
  let prefillTokens = 0;
  const held = new RunCache(model, signal, promptCache);
  const modelCall = <T>(call: Promise<T>) => held.call(call);
  await held.hold(async () => {
    if (!state.finished && !signal.aborted) {
      cache = await held.acquire(1, prompt);
      const input = appendInput(prompt.slice(held.reusedTokens), held.reusedTokens);
      if (cache !== undefined) {
        const before = clock.now();
        const prefill = await modelCall(model.forward(cache, { ...input, logits: 'last' }, signal));
        steps.prefillMs = clock.now() - before;
        if (prefill) {
          cache = prefill.cache;
          prefillTokens = input.seqLen;
          stats.mainForwards++;
          const logits = prefill.output.logits;
          commit(choose(main.load(logits, state)), main.row, logits);
        }
      }
    }

    while (!signal.aborted && cache !== undefined && !state.finished) {
      const stepStart = clock.now();
      // Room for the draft plus the main model's own token.
      const room = state.maxLength - state.ids.length - 1;
      const draft: Draft | undefined = room > 0 ? await modelCall(drafter.propose(state, room, signal)) : { tokens: [] };
      if (draft === undefined || signal.aborted) break;
      const k = draft.tokens.length;
      const block = appendInput([state.ids[state.ids.length - 1]!, ...draft.tokens], cache.length);
      const verify = await modelCall(model.forward(cache, { ...block, logits: 'all' }, signal));
      if (!verify) break;
      cache = verify.cache;
      stats.mainForwards++;
      const accepted = verifyBlock(verify.output.logits, draft);
      stats.drafted += k;
      stats.accepted += accepted;
      drafter.learn(k, accepted);
      // The cache holds every id but the last chosen one (never fed), as in the plain loop.
      if (cache.length > state.ids.length - 1) cache = await model.cropCache(cache, state.ids.length - 1);
      steps.decodeMs += clock.now() - stepStart;
      steps.decodeSteps++;
    }
  }, () => cache, () => state.ids, () => drafter.dispose());
  finish('aborted');

  const generated = state.generated.length;
  const result: GenerationResult = {
    ...summarize([state], steps, { totalMs: clock.now() - startedAt, startedAt, prefillTokens, reusedTokens: held.reusedTokens, seed }),
    assisted: {
      drafted: stats.drafted,
      accepted: stats.accepted,
      acceptanceRate: stats.drafted > 0 ? stats.accepted / stats.drafted : 0,
      mainForwards: stats.mainForwards,
      tokensPerMainForward: stats.mainForwards > 0 ? generated / stats.mainForwards : 0,
    },
  };
  emit({ type: 'done', result });
  return result;

  /** The main model's own token from a processed row: argmax, or a draw from it. */
  function choose(row: ScoreRow): number {
    return config.doSample ? sampler.sample(row, rng.nextFloat()) : argmax(row);
  }

  /**
   * Walks the K + 1 logits rows: row i scores the token after ids + draft[0, i). Returns how
   * many drafted tokens verification accepted; commits each kept token as it goes.
   */
  function verifyBlock(logits: Float32Array, draft: Draft): number {
    const k = draft.tokens.length;
    for (let i = 0; i <= k; i++) {
      const rowLogits = logits.subarray(i * width, (i + 1) * width);
      const row = main.load(rowLogits, state);
      if (i === k) {
        commit(choose(row), row, rowLogits);
        return k;
      }
      const drafted = draft.tokens[i]!;
      let tokenId: number;
      let accepted: boolean;
      if (config.doSample) {
        ({ accepted, tokenId } = rule(main.probabilities(p), drafted, draft.probabilities?.[i], rng, scratch));
      } else {
        tokenId = argmax(row);
        accepted = tokenId === drafted;
      }
      commit(tokenId, row, rowLogits);
      if (!accepted) return i;
      if (state.finished) return i + 1;
    }
    return k;
  }

  /** The plain loop's bookkeeping for one kept token: ids, event, EOS, stop strings, length, max_time. */
  function commit(tokenId: number, row: ScoreRow, rowLogits: Float32Array): void {
    const start = clock.now();
    const logprob = config.outputLogprobs ? logSoftmaxAt(row, tokenId) : undefined;
    const rawLogprob = request.rawLogprobs ? rawLogSoftmaxAt(rowLogits, tokenId) : undefined;
    const { event, ends } = state.append(tokenId, eosTokenIds.includes(tokenId), start, logprob, rawLogprob);
    emit(event);
    if (ends) finish(ends);
    if (config.maxTime !== undefined && clock.now() - startedAt > config.maxTime * 1000) finish('max-time');
    steps.tokenSteps++;
    steps.outsideModelMs += clock.now() - start;
  }
}
