import type { GenerationConfig } from '../../config/GenerationConfig';
import { logSumExp } from '../../math/logSumExp';
import { InkwellError } from '../../InkwellError';
import type { KvCache, LanguageModel } from '../../model/LanguageModel';
import type { TextTokenizer } from '../../model/TextTokenizer';
import type { LogitsProcessor, RowContext } from '../../processors/LogitsProcessor';
import { ScoreRow } from '../../processors/ScoreRow';
import type { Xoshiro128 } from '../../sampling/Xoshiro128';
import type { Clock } from '../../stopping/Clock';
import type { FinishReason } from '../../stopping/FinishReason';
import type { StopStringMatcher } from '../../stopping/StopStringMatcher';
import { appendInput } from '../appendInput';
import { RunCache } from '../RunCache';
import type { StepClock } from '../summarize';
import { BeamHypotheses, type Hypothesis } from './BeamHypotheses';
import { hammingDiversity } from './hammingDiversity';
import { sampleCandidates } from './sampleCandidates';
import { topCandidates } from './topCandidates';

/** What every prompt's search shares (built once per generate call by runBeamSearch). */
export interface BeamSearchContext {
  readonly model: LanguageModel;
  readonly tokenizer: TextTokenizer;
  readonly config: GenerationConfig;
  readonly eosTokenIds: readonly number[];
  /** What a finished group "generates" in HF's scorer; it counts in later groups' diversity penalty. */
  readonly padTokenId: number;
  /** Vocab mask: applied before the log-softmax, as if those ids did not exist. */
  readonly beforeLogSoftmax: readonly LogitsProcessor[];
  /** The rest of the pipeline, in order, applied to log-probabilities (HF's beam scorer input). */
  readonly afterLogSoftmax: readonly LogitsProcessor[];
  /** Index into afterLogSoftmax where HF's Hamming diversity runs (right after sequence_bias). */
  readonly diversityAt: number;
  readonly rng: Xoshiro128;
  readonly stops: StopStringMatcher;
  readonly clock: Clock;
  readonly startedAt: number;
  readonly rawLogprobs: boolean;
  readonly steps: StepClock;
}

export interface SearchOutcome {
  /** Best first, at most num_return_sequences. */
  readonly best: Hypothesis[];
  /** Why running beams stopped (a finished hypothesis carries its own reason). */
  readonly stopReason: FinishReason;
  readonly prefillTokens: number;
  readonly firstStepAt: number | undefined;
}

interface Beam {
  readonly ids: number[];
  readonly generated: number[];
  readonly logprobs: number[];
  readonly rawLogprobs: number[];
  /** Running sum of processed log-probabilities (HF's beam_scores). */
  readonly score: number;
  /** Its row in the KV cache and in the step's logits. */
  readonly row: number;
  readonly group: number;
  /** Decoded generated text, kept only when stop strings are set. */
  readonly text: string;
}

/**
 * One prompt's beam search in HF's three flavours: beam search, beam sampling (do_sample) and
 * diverse (group) beam search; see runBeamSearch for the semantics and their sources. Groups are
 * processed in order within a step, each with its own hypotheses and done flag; a finished group
 * leaves the batch (HF keeps feeding it pads, which only matter as pad tokens in later groups'
 * diversity penalty, reproduced here without the forward rows).
 */
export async function searchBeams(ctx: BeamSearchContext, prompt: readonly number[], maxLength: number, signal: AbortSignal): Promise<SearchOutcome> {
  const { model, config, eosTokenIds, clock, steps } = ctx;
  const width = model.info.vocabSize;
  const numBeams = config.numBeams;
  const groups = config.numBeamGroups;
  const groupSize = numBeams / groups;
  const maxNewTokens = maxLength - prompt.length;
  const hypotheses = Array.from({ length: groups }, () => new BeamHypotheses(groupSize, config.lengthPenalty, config.earlyStopping, maxNewTokens));
  const groupDone = new Array<boolean>(groups).fill(false);
  const keep = Math.max(2, 1 + eosTokenIds.length) * groupSize;
  const scratch = new ScoreRow(width);
  // HF's min_tokens_to_keep for the warpers of beam sampling: a beam can always continue.
  if (config.doSample) scratch.minKeep = eosTokenIds.length + 1;

  // HF: each group's first beam starts at 0, the others at -1e9, so the first step does not pick
  // the same continuation from identical copies of the prompt.
  let beams: Beam[] = Array.from({ length: numBeams }, (_, b) => ({
    ids: [...prompt],
    generated: [],
    logprobs: [],
    rawLogprobs: [],
    score: b % groupSize === 0 ? 0 : -1e9,
    row: 0,
    group: Math.floor(b / groupSize),
    text: '',
  }));
  let stopReason: FinishReason = 'length';
  let firstStepAt: number | undefined;
  let prefillTokens = 0;
  let cache: KvCache | undefined;
  const held = new RunCache(model, signal, undefined);
  await held.hold(async () => {
    if (maxLength > prompt.length && !signal.aborted) {
      cache = await held.acquire(1, prompt);
      const before = clock.now();
      const prefill = cache && (await held.call(model.forward(cache, { ...appendInput(prompt, 0), logits: 'last' }, signal)));
      steps.prefillMs += clock.now() - before;
      let logits = prefill?.output.logits;
      if (prefill) {
        cache = prefill.cache;
        prefillTokens = prompt.length;
      }
      while (logits !== undefined && cache !== undefined) {
        const stepStart = clock.now();
        const sources = step(logits);
        firstStepAt ??= clock.now();
        steps.tokenSteps++;
        steps.outsideModelMs += clock.now() - stepStart;
        if (beams.length === 0 || prompt.length + beams[0]!.generated.length >= maxLength) break;
        if (config.maxTime !== undefined && clock.now() - ctx.startedAt > config.maxTime * 1000) {
          stopReason = 'max-time';
          break;
        }
        if (signal.aborted) break;
        if (sources.some((row, i) => row !== i) || sources.length !== cache.batch) cache = await model.selectCacheRows(cache, sources);
        // Cache row r holds the beam whose .row is r (not necessarily beams[r]).
        const inputIds = new Int32Array(beams.length);
        const positionIds = new Int32Array(beams.length);
        for (const beam of beams) {
          inputIds[beam.row] = beam.ids[beam.ids.length - 1]!;
          positionIds[beam.row] = beam.ids.length - 1;
        }
        const attentionMask = new Uint8Array(beams.length * (cache.length + 1)).fill(1);
        const input = { inputIds, positionIds, attentionMask, batch: beams.length, seqLen: 1, logits: 'last' as const };
        const out = await held.call(model.forward(cache, input, signal));
        if (!out) break;
        cache = out.cache;
        logits = out.output.logits;
        steps.decodeMs += clock.now() - stepStart;
        steps.decodeSteps++;
      }
    }
  }, () => cache, () => prompt);
  if (signal.aborted) stopReason = 'aborted';

  // HF's finalize: the running beams of every group not done yet join its hypotheses.
  for (const beam of beams) {
    if (beam.generated.length === 0) continue;
    hypotheses[beam.group]!.add({ tokenIds: beam.generated, logprobs: beam.logprobs, rawLogprobs: beam.rawLogprobs, sumLogprobs: beam.score, ended: undefined });
  }
  return { best: BeamHypotheses.bestAcross(hypotheses, config.numReturnSequences), stopReason, prefillTokens, firstStepAt };

  /**
   * One step over `logits` (row r = cache row r), group after group: scores the candidates,
   * files finished hypotheses, replaces `beams` (live groups only) and returns the cache rows
   * the new beams continue.
   */
  function step(logits: Float32Array): number[] {
    const next: Beam[] = [];
    const chosenThisStep: number[] = [];
    const generatedLength = beams[0]!.generated.length + 1;
    for (let g = 0; g < groups; g++) {
      if (groupDone[g]) {
        chosenThisStep.push(...new Array<number>(groupSize).fill(ctx.padTokenId));
        continue;
      }
      const groupBeams = beams.filter((beam) => beam.group === g);
      const rows = new Map<number, { processed: Float32Array; rawLse: number }>();
      for (const beam of groupBeams) {
        if (!rows.has(beam.row)) rows.set(beam.row, processRow(logits.subarray(beam.row * width, (beam.row + 1) * width), beam, g > 0 ? chosenThisStep : []));
      }
      const rowList = [...rows.keys()];
      const rowOf = groupBeams.map((beam) => rowList.indexOf(beam.row));
      const processedRows = rowList.map((r) => rows.get(r)!.processed);
      const scores = groupBeams.map((beam) => beam.score);
      const candidates = config.doSample ? sampleCandidates(processedRows, rowOf, scores, keep, ctx.rng) : topCandidates(processedRows, rowOf, scores, keep);
      const groupNext: Beam[] = [];
      for (let rank = 0; rank < candidates.length && groupNext.length < groupSize; rank++) {
        const { beam: b, tokenId, score } = candidates[rank]!;
        const source = groupBeams[b]!;
        const row = rows.get(source.row)!;
        const logprob = row.processed[tokenId]!;
        const rawLogprob = logits[source.row * width + tokenId]! - row.rawLse;
        const ended = endOf(source, tokenId);
        if (ended.reason !== undefined) {
          // HF: a finished candidate outside the group's first group_size is not a hypothesis.
          if (rank >= groupSize) continue;
          hypotheses[g]!.add({
            tokenIds: [...source.generated, tokenId],
            logprobs: [...source.logprobs, logprob],
            rawLogprobs: [...source.rawLogprobs, rawLogprob],
            sumLogprobs: score,
            ended: ended.reason,
          });
        } else {
          groupNext.push({
            ids: [...source.ids, tokenId],
            generated: [...source.generated, tokenId],
            logprobs: [...source.logprobs, logprob],
            rawLogprobs: [...source.rawLogprobs, rawLogprob],
            score,
            row: source.row,
            group: g,
            text: ended.text,
          });
        }
      }
      if (groupNext.length < groupSize) {
        // Unreachable while 2·group_size candidates are kept per EOS id (HF raises the same).
        throw new InkwellError('invalid-config', `beam search found ${groupNext.length} continuations that are not EOS for ${groupSize} beams`, {
          details: { field: 'eos_token_id', value: eosTokenIds },
        });
      }
      groupDone[g] = hypotheses[g]!.isDone(candidates[0]!.score, generatedLength);
      chosenThisStep.push(...groupNext.map((beam) => beam.generated[beam.generated.length - 1]!));
      if (groupDone[g]) continue;
      next.push(...groupNext);
    }
    const placed = placeRows(next.map((beam) => beam.row));
    beams = next.map((beam, i) => ({ ...beam, row: placed.rows[i]! }));
    return placed.sources;
  }

  /** log_softmax of one logits row, then the processors (with the group's diversity penalty in HF's place). */
  function processRow(raw: Float32Array, beam: Beam, earlierTokens: readonly number[]) {
    scratch.load(raw);
    const context: RowContext = { ids: beam.ids, promptLength: prompt.length, maxLength };
    for (const p of ctx.beforeLogSoftmax) p.apply(scratch, context);
    const lse = scratch.logSumExp();
    const s = scratch.scores;
    for (let v = 0; v < width; v++) s[v] = s[v]! - lse;
    scratch.sparse = false;
    ctx.afterLogSoftmax.forEach((p, i) => {
      if (i === ctx.diversityAt && earlierTokens.length > 0) hammingDiversity(scratch, earlierTokens, config.diversityPenalty);
      p.apply(scratch, context);
    });
    if (ctx.diversityAt === ctx.afterLogSoftmax.length && earlierTokens.length > 0) hammingDiversity(scratch, earlierTokens, config.diversityPenalty);
    // slice() is a memcpy; Float32Array.from would walk the iterator protocol (3× slower here).
    return { processed: s.slice(), rawLse: ctx.rawLogprobs ? logSumExp(raw) : 0 };
  }

  /** Whether appending `tokenId` to `beam` finishes it (EOS, or a stop string completed in the text). */
  function endOf(beam: Beam, tokenId: number): { reason: 'eos' | 'stop-string' | undefined; text: string } {
    if (eosTokenIds.includes(tokenId)) return { reason: 'eos', text: beam.text };
    if (ctx.stops.isEmpty) return { reason: undefined, text: '' };
    const text = ctx.tokenizer.decode([...beam.generated, tokenId], { skipSpecialTokens: true });
    return { reason: ctx.stops.find(text, beam.text.length) >= 0 ? 'stop-string' : undefined, text };
  }
}

/**
 * Cache rows for the next beams, given the row each continues (`from`, in beam order): a beam
 * keeps its source's row when it is the first to claim it (and it fits the new batch), the others
 * take the free rows. Only those rows are then copied (`sources[r]` = the row that cache row r
 * continues), never the whole batch: beam order stays HF's, cache order is free.
 */
export function placeRows(from: readonly number[]): { rows: number[]; sources: number[] } {
  const n = from.length;
  const rows = new Array<number>(n).fill(-1);
  const taken = new Array<boolean>(n).fill(false);
  from.forEach((source, i) => {
    if (source < n && !taken[source]) {
      taken[source] = true;
      rows[i] = source;
    }
  });
  let free = 0;
  rows.forEach((row, i) => {
    if (row >= 0) return;
    while (taken[free]) free++;
    taken[free] = true;
    rows[i] = free;
  });
  const sources = new Array<number>(n);
  rows.forEach((row, i) => (sources[row] = from[i]!));
  return { rows, sources };
}
