/**
 * Beam search cost bench: `node --import tsx test/bench/beamSearchCost.ts [--rounds N]` (npm run
 * bench -- --only beam). The same prompt and number of new tokens, greedy vs num_beams 4,
 * alternating in each round so a noisy minute on a shared machine hits both. min_new_tokens =
 * max_new_tokens keeps EOS out, so both generate exactly NEW_TOKENS tokens per returned sequence.
 * Prints a markdown table on stdout, then one JSON line with the numbers (bench.ts saves them).
 *
 * "ms / generated token" is (totalMs - prefillMs) / NEW_TOKENS: everything after the prompt's
 * prefill, per token of the returned sequence. A decode step splits into time outside the model
 * (RunTimings.overheadMs: processors, the beam's top-k over beams × vocabulary, bookkeeping) and
 * the rest (the forward pass of 1 or 4 rows, the KV-cache row gather, building the inputs).
 */
import { cpus } from 'node:os';
import { parseGenerationConfig } from '../../sidecar/engine/config/parseGenerationConfig';
import { generate } from '../../sidecar/engine/generation/generate';
import type { GenerationResult } from '../../sidecar/engine/generation/GenerationEvent';
import { loadModel, type LoadedModel } from '../../sidecar/runtime/index';
import { bench20mModel, benchLargeVocabModel, benchPromptIds } from './benchModels';

const NEW_TOKENS = 64;
const PROMPT_TOKENS = 512;
const NUM_BEAMS = 4;
const THREADS = Math.min(2, cpus().length);
const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg >= 0 ? Number(process.argv[roundsArg + 1]) : 5;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface RunCost {
  readonly msPerToken: number;
  /** Mean decode step (after the prefill's step). */
  readonly stepMs: number;
  readonly outsideModelMs: number;
}

function cost(result: GenerationResult): RunCost {
  const t = result.timings;
  const tokens = result.sequences[0]!.tokenIds.length;
  if (tokens !== NEW_TOKENS) throw new Error(`expected ${NEW_TOKENS} new tokens, got ${tokens}`);
  return { msPerToken: (t.totalMs - t.prefillMs) / tokens, stepMs: t.decodeMs / t.decodeSteps, outsideModelMs: t.overheadMs };
}

async function measure(loaded: LoadedModel, prompt: readonly number[], json: Record<string, unknown>): Promise<RunCost> {
  const config = parseGenerationConfig({ max_new_tokens: NEW_TOKENS, min_new_tokens: NEW_TOKENS, do_sample: false, ...json }).config;
  return cost(await generate(loaded.model, loaded.tokenizer, { prompts: [prompt], config }).result());
}

export interface BeamCostRow {
  readonly model: string;
  readonly dtype: 'fp32' | 'q4';
  readonly greedy: RunCost;
  readonly beam: RunCost;
  /** Median over rounds of beam ms/token ÷ greedy ms/token of the same round. */
  readonly ratio: number;
}

async function benchOne(name: string, dir: string, dtype: 'fp32' | 'q4'): Promise<BeamCostRow> {
  const loaded = await loadModel({ dir, dtype, device: 'cpu', threads: THREADS });
  try {
    const prompt = benchPromptIds(dir, PROMPT_TOKENS);
    const beam = { num_beams: NUM_BEAMS, early_stopping: false };
    // Warm-up: the first runs of each shape pay for allocations and kernel selection.
    await measure(loaded, prompt, {});
    await measure(loaded, prompt, beam);
    const runs: { greedy: RunCost[]; beam: RunCost[] } = { greedy: [], beam: [] };
    for (let round = 0; round < ROUNDS; round++) {
      process.stderr.write(`${name} ${dtype} round ${round + 1}/${ROUNDS} …\n`);
      const order = round % 2 === 0 ? (['greedy', 'beam'] as const) : (['beam', 'greedy'] as const);
      for (const kind of order) runs[kind].push(await measure(loaded, prompt, kind === 'beam' ? beam : {}));
    }
    const medianCost = (xs: readonly RunCost[]): RunCost => ({
      msPerToken: median(xs.map((x) => x.msPerToken)),
      stepMs: median(xs.map((x) => x.stepMs)),
      outsideModelMs: median(xs.map((x) => x.outsideModelMs)),
    });
    return {
      model: name,
      dtype,
      greedy: medianCost(runs.greedy),
      beam: medianCost(runs.beam),
      ratio: median(runs.beam.map((b, i) => b.msPerToken / runs.greedy[i]!.msPerToken)),
    };
  } finally {
    await loaded.model.dispose();
  }
}

async function main(): Promise<void> {
  const models = [
    { name: '20M vocab 8k', dir: bench20mModel() },
    { name: '20M vocab 152k', dir: benchLargeVocabModel() },
  ];
  const rows: BeamCostRow[] = [];
  for (const model of models) for (const dtype of ['fp32', 'q4'] as const) rows.push(await benchOne(model.name, model.dir, dtype));
  const f = (n: number, digits = 2) => n.toFixed(digits);
  const lines = [
    `Beam search cost — cpu, ${THREADS} threads, prompt ${PROMPT_TOKENS} tokens, ${NEW_TOKENS} new tokens (min_new_tokens = max_new_tokens), greedy vs num_beams ${NUM_BEAMS} alternating, medians over ${ROUNDS} rounds`,
    '',
    '| model | dtype | greedy ms/token | beam ms/token | beam / greedy | greedy step: model + outside ms | beam step: model + outside ms | beam outside share |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const split = (c: RunCost) => `${f(c.stepMs - c.outsideModelMs)} + ${f(c.outsideModelMs, 3)}`;
      return `| ${r.model} | ${r.dtype} | ${f(r.greedy.msPerToken)} | ${f(r.beam.msPerToken)} | ${f(r.ratio)}× | ${split(r.greedy)} | ${split(r.beam)} | ${f((100 * r.beam.outsideModelMs) / r.beam.stepMs, 0)}% |`;
    }),
    '',
    '"model" = a decode step minus the time outside model calls: the forward pass (1 row greedy, 4 rows beam), the KV-cache row gather (beam) and building the inputs.',
    '"outside" = RunTimings.overheadMs: logits processors, log-softmax and top-2·num_beams over beams × vocabulary (beam), token choice, detokenisation.',
  ];
  process.stdout.write(`${lines.join('\n')}\n${JSON.stringify(rows)}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
