/**
 * `npm run bench -- --only peers`: Inkwell side by side with llama.cpp (node-llama-cpp) and
 * onnxruntime-genai on the same weights — the models `test/bench/peers/make_peer_models.sh` wrote
 * (Inkwell's builder, llama.cpp's converter and quantizer, genai's builder, all from one HF
 * checkpoint). Decode/prefill/TTFT/peak RSS per case in a fresh process, then the typing workload
 * of completionLatency.ts with each engine's best prefix reuse (peerTypingSession.ts). Rounds
 * alternate the engines' order; ratios are medians of per-round ratios. Writes
 * bench-results/peers.json and prints markdown tables. Needs `bash test/bench/peers/setup.sh`
 * (never part of npm test).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchCase, CaseResult } from './benchCase';
import { benchPromptIds } from './benchModels';
import { machineName } from './completionLatency';
import type { LlamaCppCase } from './peers/llamaCppCase';
import { PEERS_WORK } from './peers/nodeLlamaCpp';
import type { PeerSession, PeerSessionResult } from './peers/peerTypingSession';

const repo = join(__dirname, '..', '..');
const THREADS = 2;

interface PeerModel {
  readonly name: string;
  readonly dir: string;
  /** Prompt lengths of the decode cases (the default model has 256 positions). */
  readonly prompts: readonly number[];
  readonly newTokens: number;
}

const MODELS: readonly PeerModel[] = [
  { name: 'default (5 M, vocab 8k)', dir: join(PEERS_WORK, 'models', 'default'), prompts: [128], newTokens: 120 },
  { name: 'Qwen2-0.5B shape (494 M, vocab 152k)', dir: join(PEERS_WORK, 'models', 'qwen2-0.5b-shape'), prompts: [512, 2048], newTokens: 128 },
];

type Engine = { readonly label: string; readonly group: 'q4' | 'full' | 'q8' } & (
  | { readonly impl: 'inkwell'; readonly dtype: 'q4' | 'fp32' }
  | { readonly impl: 'llama.cpp'; readonly gguf: string }
  | { readonly impl: 'genai'; readonly folder: string }
);

function enginesOf(model: PeerModel): Engine[] {
  const gguf = (name: string) => join(model.dir, 'gguf', `${name}.gguf`);
  const all: Engine[] = [
    { label: 'Inkwell q4 (MatMulNBits, block 32)', group: 'q4', impl: 'inkwell', dtype: 'q4' },
    { label: 'llama.cpp Q4_0', group: 'q4', impl: 'llama.cpp', gguf: gguf('q4_0') },
    { label: 'llama.cpp Q4_K_M', group: 'q4', impl: 'llama.cpp', gguf: gguf('q4_k_m') },
    { label: 'onnxruntime-genai int4', group: 'q4', impl: 'genai', folder: join(model.dir, 'genai-int4') },
    { label: 'llama.cpp Q8_0', group: 'q8', impl: 'llama.cpp', gguf: gguf('q8_0') },
    { label: 'Inkwell fp32', group: 'full', impl: 'inkwell', dtype: 'fp32' },
    { label: 'llama.cpp F16', group: 'full', impl: 'llama.cpp', gguf: gguf('f16') },
    { label: 'llama.cpp F32', group: 'full', impl: 'llama.cpp', gguf: gguf('f32') },
    { label: 'onnxruntime-genai fp32', group: 'full', impl: 'genai', folder: join(model.dir, 'genai-fp32') },
  ];
  return all.filter((e) => (e.impl === 'llama.cpp' ? existsSync(e.gguf) : e.impl === 'genai' ? existsSync(e.folder) : true));
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const f = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits));

function runChild(args: string[], what: string): string {
  const r = spawnSync(args[0]!, args.slice(1), { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, ORT_DISABLE_TELEMETRY: '1', NODE_LLAMA_CPP_SKIP_DOWNLOAD: 'true' } });
  if (r.status !== 0) throw new Error(`${what} failed (exit ${r.status ?? r.signal}):\n${r.stderr}`);
  return r.stdout.trim().split('\n').at(-1)!;
}

function decodeCase(model: PeerModel, engine: Engine, promptIds: number[]): CaseResult {
  const base = { threads: THREADS, promptIds, newTokens: model.newTokens, repeats: 1 };
  if (engine.impl === 'inkwell') {
    const c: BenchCase = { ...base, impl: 'inkwell', dir: join(model.dir, 'inkwell'), dtype: engine.dtype, device: 'cpu' };
    return JSON.parse(runChild([process.execPath, '--import', 'tsx', join(__dirname, 'benchCase.ts'), JSON.stringify(c)], engine.label)) as CaseResult;
  }
  if (engine.impl === 'llama.cpp') {
    const c: LlamaCppCase = { ...base, gguf: engine.gguf };
    return JSON.parse(runChild([process.execPath, '--import', 'tsx', join(__dirname, 'peers', 'llamaCppCase.ts'), JSON.stringify(c)], engine.label)) as CaseResult;
  }
  const python = join(PEERS_WORK, 'venv', 'bin', 'python');
  return JSON.parse(runChild([python, join(__dirname, 'peers', 'genai_case.py'), JSON.stringify({ ...base, dir: engine.folder })], engine.label)) as CaseResult;
}

function typingSession(model: PeerModel, engine: Engine): PeerSessionResult {
  const s: PeerSession = {
    engine: engine.impl,
    inkwellDir: join(model.dir, 'inkwell'),
    weights: engine.impl === 'inkwell' ? engine.dtype : engine.impl === 'llama.cpp' ? engine.gguf : engine.folder,
    threads: THREADS,
  };
  return JSON.parse(runChild([process.execPath, '--import', 'tsx', join(__dirname, 'peers', 'peerTypingSession.ts'), JSON.stringify(s)], `typing ${engine.label}`)) as PeerSessionResult;
}

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} ${process.argv[i + 1]}: use a positive integer`);
  return n;
}

interface DecodeRow {
  model: string;
  promptTokens: number;
  newTokens: number;
  engine: string;
  group: string;
  result: CaseResult;
  /** Medians of per-round ratios against Inkwell of the same group (peer / Inkwell for speeds). */
  decodeVsInkwell?: number;
  ttftVsInkwell?: number;
  agreeingTokensWithInkwell?: number;
}

interface TypingRow {
  model: string;
  engine: string;
  group: string;
  summary: { p50: number; p95: number; lastMs: number; answered: number; answeredInPauses: number; prefillTokensPerRun: number; reuseShare: number; generatedTokensPerRun: number; firstCompletionMs: number; loadMs: number; peakRssMb: number };
  p50VsInkwell?: number;
  lastVsInkwell?: number;
  sessions: PeerSessionResult[];
}

function agreeing(a: readonly number[], b: readonly number[]): number {
  let k = 0;
  while (k < a.length && k < b.length && a[k] === b[k]) k++;
  return k;
}

export async function runPeersBench(): Promise<void> {
  const rounds = flag('--rounds', 3);
  const typingRounds = flag('--typing-rounds', 3);
  const onlyModel = process.argv.includes('--model') ? process.argv[process.argv.indexOf('--model') + 1] : undefined;
  const models = MODELS.filter((m) => existsSync(join(m.dir, 'inkwell')) && (onlyModel === undefined || m.dir.endsWith(onlyModel)));
  if (models.length === 0) throw new Error(`no peer models under ${join(PEERS_WORK, 'models')}: run bash test/bench/peers/setup.sh && bash test/bench/peers/make_peer_models.sh`);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const decodeRows: DecodeRow[] = [];
  const typingRows: TypingRow[] = [];
  for (const model of models) {
    const engines = enginesOf(model);
    for (const promptTokens of model.prompts) {
      const ids = benchPromptIds(join(model.dir, 'inkwell'), promptTokens);
      const runs = engines.map(() => [] as CaseResult[]);
      for (let round = 0; round < rounds; round++) {
        for (let k = 0; k < engines.length; k++) {
          const i = (k + round) % engines.length;
          log(`${model.name}, prompt ${promptTokens}, round ${round + 1}/${rounds}: ${engines[i]!.label} …`);
          runs[i]!.push(decodeCase(model, engines[i]!, ids));
        }
      }
      engines.forEach((engine, i) => {
        const mine = runs[i]!;
        const ours = engines.findIndex((e) => e.impl === 'inkwell' && e.group === (engine.group === 'q8' ? 'q4' : engine.group));
        const theirs = runs[ours]!;
        const m = (pick: (r: CaseResult) => number) => median(mine.map(pick));
        decodeRows.push({
          model: model.name,
          promptTokens,
          newTokens: model.newTokens,
          engine: engine.label,
          group: engine.group,
          result: { ttftMs: m((r) => r.ttftMs), prefillTokPerS: m((r) => r.prefillTokPerS), decodeTokPerS: m((r) => r.decodeTokPerS), peakRssMb: m((r) => r.peakRssMb), loadMs: m((r) => r.loadMs), tokens: mine[0]!.tokens },
          ...(engine.impl !== 'inkwell' && {
            decodeVsInkwell: median(mine.map((r, j) => r.decodeTokPerS / theirs[j]!.decodeTokPerS)),
            ttftVsInkwell: median(mine.map((r, j) => r.ttftMs / theirs[j]!.ttftMs)),
            agreeingTokensWithInkwell: agreeing(mine[0]!.tokens, theirs[0]!.tokens),
          }),
        });
      });
    }
    // The typing workload: the q4 class (what completions run on).
    const typingEngines = engines.filter((e) => e.group === 'q4');
    const sessions = typingEngines.map(() => [] as PeerSessionResult[]);
    for (let round = 0; round < typingRounds; round++) {
      for (let k = 0; k < typingEngines.length; k++) {
        const i = (k + round) % typingEngines.length;
        log(`${model.name}, typing round ${round + 1}/${typingRounds}: ${typingEngines[i]!.label} …`);
        const r = typingSession(model, typingEngines[i]!);
        log(`  p50 ${f(r.p50, 0)} ms, p95 ${f(r.p95, 0)} ms, answered ${r.answered}/${r.keystrokes}, last ${f(r.lastMs, 0)} ms, reuse ${f(100 * r.reuseShare, 0)}%, ${f(r.generatedTokensPerRun, 0)} tokens/run`);
        sessions[i]!.push(r);
      }
    }
    const ours = sessions[typingEngines.findIndex((e) => e.impl === 'inkwell')]!;
    typingEngines.forEach((engine, i) => {
      const mine = sessions[i]!;
      const m = (pick: (r: PeerSessionResult) => number) => median(mine.map(pick));
      typingRows.push({
        model: model.name,
        engine: engine.label,
        group: engine.group,
        summary: {
          p50: m((r) => r.p50), p95: m((r) => r.p95), lastMs: m((r) => r.lastMs), answered: m((r) => r.answered), answeredInPauses: m((r) => r.answeredInPauses),
          prefillTokensPerRun: m((r) => r.prefillTokensPerRun), reuseShare: m((r) => r.reuseShare), generatedTokensPerRun: m((r) => r.generatedTokensPerRun),
          firstCompletionMs: m((r) => r.firstCompletionMs), loadMs: m((r) => r.loadMs), peakRssMb: m((r) => r.peakRssMb),
        },
        ...(engine.impl !== 'inkwell' && {
          p50VsInkwell: median(mine.map((r, j) => r.p50 / ours[j]!.p50)),
          lastVsInkwell: median(mine.map((r, j) => r.lastMs / ours[j]!.lastMs)),
        }),
        sessions: mine,
      });
    });
  }

  const machine = machineName();
  const lines = [
    `Inkwell vs llama.cpp (node-llama-cpp) and onnxruntime-genai on the same weights — CPU, ${THREADS} threads, greedy; decode cases: median over ${rounds} rounds (one process per case, engines alternate); "vs Inkwell" = median of per-round ratios peer / Inkwell (> 1: the peer is faster) against Inkwell's file of the same class (q4 for Q4_0, Q4_K_M, int4 and Q8_0; fp32 for F16, F32 and genai fp32)`,
    `machine: ${machine}`,
    '',
    '| model | prompt | engine | TTFT ms | prefill tok/s | decode tok/s | peak RSS MB | decode vs Inkwell | TTFT vs Inkwell (peer/ours) | greedy tokens equal to Inkwell |',
    '|---|---:|---|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of decodeRows) {
    lines.push(
      `| ${r.model} | ${r.promptTokens} | ${r.engine} | ${f(r.result.ttftMs, 0)} | ${f(r.result.prefillTokPerS, 0)} | ${f(r.result.decodeTokPerS)} | ${f(r.result.peakRssMb, 0)} | ${r.decodeVsInkwell === undefined ? '—' : `${f(r.decodeVsInkwell, 2)}×`} | ${r.ttftVsInkwell === undefined ? '—' : `${f(r.ttftVsInkwell, 2)}×`} | ${r.agreeingTokensWithInkwell === undefined ? '—' : `first ${r.agreeingTokensWithInkwell}/${r.newTokens}`} |`,
    );
  }
  lines.push(
    '',
    `Typing workload (completionLatency.ts's script: 105 keystrokes into inventory.py, one completion each, the previous cancelled; the server's prompt builder, token healing for Inkwell, line rules and stop ids for all), median over ${typingRounds} rounds; "vs Inkwell" = median of per-round ratios peer / Inkwell (> 1: the peer is slower)`,
    '',
    '| model | engine | p50 ms | p95 ms | last keystroke ms | answered | in pauses | prefill tok/run | prompt reused | tokens/run | first completion ms | load ms | peak RSS MB | p50 vs Inkwell | last vs Inkwell |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of typingRows) {
    const s = r.summary;
    lines.push(
      `| ${r.model} | ${r.engine} | ${f(s.p50, 0)} | ${f(s.p95, 0)} | ${f(s.lastMs, 0)} | ${f(s.answered, 0)} | ${f(s.answeredInPauses, 0)} | ${f(s.prefillTokensPerRun, 0)} | ${f(100 * s.reuseShare, 0)}% | ${f(s.generatedTokensPerRun, 0)} | ${f(s.firstCompletionMs, 0)} | ${f(s.loadMs, 0)} | ${f(s.peakRssMb, 0)} | ${r.p50VsInkwell === undefined ? '—' : `${f(r.p50VsInkwell, 2)}×`} | ${r.lastVsInkwell === undefined ? '—' : `${f(r.lastVsInkwell, 2)}×`} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  mkdirSync(join(repo, 'bench-results'), { recursive: true });
  writeFileSync(join(repo, 'bench-results', 'peers.json'), `${JSON.stringify({ machine, threads: THREADS, rounds, typingRounds, decode: decodeRows, typing: typingRows, date: new Date().toISOString() }, null, 2)}\n`);
}
