/**
 * npm run bench: Inkwell against transformers.js on the same generated models, prompts and
 * thread counts, in the same run. Each case runs in its own process. Then completion latency
 * through the real sidecar (completionLatency.ts). Prints tables and writes
 * bench-results/bench.json. No GPU here: CPU execution provider only (see the note printed).
 *
 * `npm run bench -- --only decode`, `--only completions`, `--only assisted` or `--only beam` runs one part;
 * `--only peers` runs the llama.cpp / onnxruntime-genai comparison (peers.ts; not part of the full run:
 * it needs `bash test/bench/peers/setup.sh` first);
 * `--only completions` keeps the decode results already in bench.json and replaces its `completions` key.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseGenerationConfig } from '../../sidecar/engine/config/parseGenerationConfig';
import type { BenchCase, CaseResult } from './benchCase';
import type { BeamCostRow } from './beamSearchCost';
import { benchLargeVocabModel, bench20mModel, benchPromptIds } from './benchModels';
import { completionTable, roundsFlag, runCompletionBench, saveCompletionResults, type CompletionBenchResult } from './completionLatency';
import { runPeersBench } from './peers';
import { measureProcessorOverhead } from './processorOverhead';
import { measureWatermarkOverhead } from './watermarkOverhead';

// Every case runs in a child process that inherits this: no onnxruntime telemetry or mat-debug logs.
process.env.ORT_DISABLE_TELEMETRY = '1';

const repo = join(__dirname, '..', '..');
const THREADS = Math.min(2, cpus().length);
/** `npm run bench -- --device webgpu` (or cuda) measures a GPU provider instead of the CPU. */
const DEVICE = ((): BenchCase['device'] => {
  const i = process.argv.indexOf('--device');
  const d = i >= 0 ? process.argv[i + 1] : 'cpu';
  if (d !== 'cpu' && d !== 'webgpu' && d !== 'cuda') throw new Error(`--device ${d}: use cpu, webgpu or cuda`);
  return d;
})();
/** Which parts run: both by default. */
const ONLY = ((): 'decode' | 'completions' | 'assisted' | 'beam' | 'peers' | undefined => {
  const i = process.argv.indexOf('--only');
  if (i < 0) return undefined;
  const part = process.argv[i + 1];
  if (part !== 'decode' && part !== 'completions' && part !== 'assisted' && part !== 'beam' && part !== 'peers') throw new Error(`--only ${part}: use decode, completions, assisted, beam or peers`);
  return part;
})();

/** Speculative decoding (assistedDecoding.ts) in its own process: its models load in-thread. */
function runAssistedBench(): void {
  process.stderr.write('speculative decoding: assistant and prompt lookup against plain greedy …\n');
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'assistedDecoding.ts'), ...roundsArgs()], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`assistedDecoding.ts failed (exit ${child.status ?? child.signal})`);
  process.stdout.write(`\nSpeculative decoding — greedy, 128 new tokens (assistant) / a 200-line edit (prompt lookup); output checked equal to plain first:\n${child.stdout}`);
}

/** Beam search against greedy (beamSearchCost.ts) in its own process; prints its table, returns its rows. */
function runBeamBench(): BeamCostRow[] {
  process.stderr.write('beam search: num_beams 4 against greedy …\n');
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'beamSearchCost.ts'), ...roundsArgs()], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`beamSearchCost.ts failed (exit ${child.status ?? child.signal})`);
  const lines = child.stdout.trimEnd().split('\n');
  process.stdout.write(`\n${lines.slice(0, -1).join('\n')}\n`);
  return JSON.parse(lines.at(-1)!) as BeamCostRow[];
}

function roundsArgs(): string[] {
  const i = process.argv.indexOf('--rounds');
  return i >= 0 ? ['--rounds', process.argv[i + 1]!] : [];
}
const PROMPT_TOKENS = 512;
const NEW_TOKENS = 128;
/** Rounds of one process per implementation; each process measures this many runs after a warm-up. */
const ROUNDS = 3;
const REPEATS_PER_PROCESS = 2;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Per-metric medians over rounds (tokens from the first round). */
function medianResult(results: readonly CaseResult[]): CaseResult {
  const m = (pick: (r: CaseResult) => number | undefined) => {
    const xs = results.map(pick).filter((x): x is number => x !== undefined);
    return xs.length > 0 ? median(xs) : undefined;
  };
  return {
    ttftMs: m((r) => r.ttftMs)!,
    prefillTokPerS: m((r) => r.prefillTokPerS)!,
    decodeTokPerS: m((r) => r.decodeTokPerS)!,
    ...(results[0]!.overheadMs !== undefined ? { overheadMs: m((r) => r.overheadMs)! } : {}),
    peakRssMb: m((r) => r.peakRssMb)!,
    loadMs: m((r) => r.loadMs)!,
    tokens: results[0]!.tokens,
  };
}

function runCase(c: BenchCase): CaseResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'benchCase.ts'), JSON.stringify(c)], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`bench case ${c.impl} ${c.dtype} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as CaseResult;
}

/** How many leading greedy tokens two runs share. */
function agreeing(a: readonly number[], b: readonly number[]): number {
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return k;
}

const f = (n: number | undefined, digits = 1) => (n === undefined ? '—' : n.toFixed(digits));

async function main(): Promise<void> {
  if (ONLY === 'peers') {
    await runPeersBench();
    return;
  }
  if (ONLY === 'assisted') {
    runAssistedBench();
    return;
  }
  if (ONLY === 'beam') {
    runBeamBench();
    return;
  }
  if (ONLY === 'completions') {
    const completions = await runCompletionBench({ rounds: roundsFlag(process.argv) });
    process.stdout.write(`${completionTable(completions).join('\n')}\n`);
    saveCompletionResults(completions);
    return;
  }
  process.stderr.write('building bench models (cached in test/.cache/models) …\n');
  const models = [
    { name: '20M vocab 8k', dir: bench20mModel() },
    { name: '20M vocab 152k', dir: benchLargeVocabModel() },
  ];
  const rows: Record<string, unknown>[] = [];
  const sampling = { do_sample: true, temperature: 0.7, top_k: 50, top_p: 0.95, repetition_penalty: 1.1, seed: 1 };
  for (const model of models) {
    const ids = benchPromptIds(model.dir, PROMPT_TOKENS);
    for (const dtype of ['fp32', 'q4'] as const) {
      const base = { dir: model.dir, dtype, device: DEVICE, threads: THREADS, promptIds: ids, newTokens: NEW_TOKENS, repeats: REPEATS_PER_PROCESS };
      const cases = {
        ours: { ...base, impl: 'inkwell' as const },
        concat: { ...base, impl: 'inkwell' as const, kvCache: 'concat' as const },
        peer: { ...base, impl: 'transformers.js' as const },
        sampled: { ...base, impl: 'inkwell' as const, sampling },
      };
      // Rounds with a rotating order, so a noisy minute on this shared machine hits every
      // implementation alike; each metric is the median over rounds.
      const runs: Record<keyof typeof cases, CaseResult[]> = { ours: [], concat: [], peer: [], sampled: [] };
      const keys = Object.keys(cases) as (keyof typeof cases)[];
      for (let round = 0; round < ROUNDS; round++) {
        for (let k = 0; k < keys.length; k++) {
          const key = keys[(k + round) % keys.length]!;
          process.stderr.write(`${model.name} ${dtype} round ${round + 1}/${ROUNDS}: ${key} …\n`);
          runs[key].push(runCase(cases[key]));
        }
      }
      const [ours, concat, peer, sampled] = keys.map((k) => medianResult(runs[k]));
      rows.push({
        model: model.name, dtype,
        inkwell: ours, inkwellConcat: concat, transformersJs: peer, inkwellSampling: sampled,
        decodeRatio: median(runs.ours.map((r, i) => r.decodeTokPerS / runs.peer[i]!.decodeTokPerS)),
        concatDecodeRatio: median(runs.concat.map((r, i) => r.decodeTokPerS / runs.peer[i]!.decodeTokPerS)),
        ttftRatio: median(runs.peer.map((r, i) => r.ttftMs / runs.ours[i]!.ttftMs)),
        agreeingTokens: agreeing(ours.tokens, peer.tokens),
        concatAgreeingTokens: agreeing(concat.tokens, peer.tokens),
      });
    }
  }
  const steps = 400;
  const overheadConfig = parseGenerationConfig({ do_sample: true, temperature: 0.7, top_k: 50, top_p: 0.95, repetition_penalty: 1.1, seed: 3 }).config;
  const micro = {
    vocab: 151_936,
    config: 'temperature 0.7 + top_k 50 + top_p 0.95 + repetition_penalty 1.1 + sampling',
    msPerStep: measureProcessorOverhead(151_936, overheadConfig, steps),
    topPOnlyMsPerStep: measureProcessorOverhead(151_936, parseGenerationConfig({ do_sample: true, top_k: 0, top_p: 0.9, seed: 3 }).config, steps),
    watermark: measureWatermarkOverhead(151_936, steps),
  };

  const machine = `${cpus()[0]?.model ?? 'cpu'} × ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
  const lines = [
    `Inkwell vs transformers.js — ${DEVICE} execution provider, ${THREADS} threads, prompt ${PROMPT_TOKENS} tokens, ${NEW_TOKENS} new tokens, median over ${ROUNDS} rounds × ${REPEATS_PER_PROCESS} runs (implementations alternate); ratios are medians of per-round ratios`,
    `machine: ${machine}`,
    '',
    '| model | dtype | impl | TTFT ms (512) | prefill tok/s | decode tok/s | overhead ms/step | peak RSS MB |',
    '|---|---|---|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows as { model: string; dtype: string; inkwell: CaseResult; inkwellConcat: CaseResult; transformersJs: CaseResult; inkwellSampling: CaseResult }[]) {
    for (const [impl, c] of [
      ['inkwell greedy', r.inkwell],
      ['inkwell greedy, present round trip†', r.inkwellConcat],
      ['transformers.js greedy', r.transformersJs],
      ['inkwell sampling*', r.inkwellSampling],
    ] as const) {
      lines.push(`| ${r.model} | ${r.dtype} | ${impl} | ${f(c.ttftMs)} | ${f(c.prefillTokPerS, 0)} | ${f(c.decodeTokPerS)} | ${f(c.overheadMs, 3)} | ${f(c.peakRssMb, 0)} |`);
    }
  }
  lines.push(
    '',
    '| model | dtype | decode vs transformers.js | † decode vs transformers.js | TTFT vs transformers.js | greedy tokens equal to transformers.js (†) |',
    '|---|---|---:|---:|---:|---|',
  );
  for (const r of rows as { model: string; dtype: string; decodeRatio: number; concatDecodeRatio: number; ttftRatio: number; agreeingTokens: number; concatAgreeingTokens: number }[]) {
    lines.push(
      `| ${r.model} | ${r.dtype} | ${f(r.decodeRatio, 2)}× | ${f(r.concatDecodeRatio, 2)}× | ${f(r.ttftRatio, 2)}× | first ${r.agreeingTokens}/${NEW_TOKENS} (${r.concatAgreeingTokens}/${NEW_TOKENS}) |`,
    );
  }
  lines.push(
    '',
    `* sampling = ${micro.config}`,
    '† the KV cache round-trips through the graph\'s present outputs, as it must for exports without new_key_values outputs; the default keeps it in place. Both are exact up to float rounding: over long greedy runs a near-tie can resolve differently.',
    `processor micro-benchmark, vocab ${micro.vocab}: ${f(micro.msPerStep, 3)} ms/step (target ≤ 1 ms); top-p 0.9 alone (no top-k): ${f(micro.topPOnlyMsPerStep, 3)} ms/step`,
    `watermark (inkwell-wm-v1) per step, vocab ${micro.vocab}: ${micro.watermark.map((w) => `${w.case} ${f(w.withoutMs, 3)} → ${f(w.withMs, 3)} ms`).join('; ')}`,
    DEVICE === 'cpu' ? 'GPU providers: not measured in this run (npm run bench -- --device webgpu on a machine with a GPU).' : `provider: ${DEVICE}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  let completions: CompletionBenchResult | undefined;
  if (ONLY !== 'decode') {
    completions = await runCompletionBench({ rounds: roundsFlag(process.argv) });
    process.stdout.write(`\n${completionTable(completions).join('\n')}\n`);
  }
  let beam: BeamCostRow[] | undefined;
  if (ONLY === undefined) {
    runAssistedBench();
    beam = runBeamBench();
  }
  mkdirSync(join(repo, 'bench-results'), { recursive: true });
  writeFileSync(
    join(repo, 'bench-results', 'bench.json'),
    `${JSON.stringify({ machine, device: DEVICE, threads: THREADS, rows, micro, date: new Date().toISOString(), ...(completions && { completions }), ...(beam && { beam }) }, null, 2)}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
