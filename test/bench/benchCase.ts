/**
 * One benchmark case in a fresh process (so peak RSS belongs to that case alone). Prints one JSON
 * line on stdout. Argument: a JSON BenchCase.
 */
import { readFileSync } from 'node:fs';
import { parseGenerationConfig } from '../../sidecar/engine/config/parseGenerationConfig';
import { generate } from '../../sidecar/engine/generation/generate';
import { loadModel } from '../../sidecar/runtime/index';
import { loadTransformersJs } from '../support/transformersJs';

export interface BenchCase {
  readonly impl: 'inkwell' | 'transformers.js';
  readonly dir: string;
  readonly dtype: 'fp32' | 'q4';
  readonly threads: number;
  readonly device: 'cpu' | 'webgpu' | 'cuda';
  readonly promptIds: readonly number[];
  readonly newTokens: number;
  readonly repeats: number;
  /** inkwell only: 'concat' forces the present→past round trip that standard exports get. */
  readonly kvCache?: 'auto' | 'concat';
  /** Extra generation_config fields (sampling cases); greedy when absent. */
  readonly sampling?: Record<string, unknown>;
}

export interface CaseResult {
  readonly ttftMs: number;
  readonly prefillTokPerS: number;
  readonly decodeTokPerS: number;
  /** inkwell only: mean per-step time outside the model (processors + sampling + stopping + detok). */
  readonly overheadMs?: number;
  readonly peakRssMb: number;
  readonly loadMs: number;
  readonly tokens: number[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function runInkwell(c: BenchCase): Promise<Omit<CaseResult, 'peakRssMb'>> {
  const started = performance.now();
  const loaded = await loadModel({ dir: c.dir, dtype: c.dtype, device: c.device, threads: c.threads, kvCache: c.kvCache ?? 'auto' });
  const loadMs = performance.now() - started;
  const config = parseGenerationConfig({ max_new_tokens: c.newTokens, min_new_tokens: c.newTokens, do_sample: false, ...c.sampling }).config;
  const warm = parseGenerationConfig({ ...c.sampling, max_new_tokens: 4, min_new_tokens: 4 }).config;
  await generate(loaded.model, loaded.tokenizer, { prompts: [c.promptIds.slice(0, 32)], config: warm }).result();
  const runs = [];
  for (let i = 0; i < c.repeats; i++) runs.push(await generate(loaded.model, loaded.tokenizer, { prompts: [c.promptIds], config }).result());
  await loaded.model.dispose();
  return {
    ttftMs: median(runs.map((r) => r.sequences[0]!.timings.timeToFirstTokenMs)),
    prefillTokPerS: median(runs.map((r) => r.timings.prefillTokensPerSecond)),
    decodeTokPerS: median(runs.map((r) => r.timings.decodeTokensPerSecond)),
    overheadMs: median(runs.map((r) => r.timings.overheadMs)),
    loadMs,
    tokens: [...runs[0]!.sequences[0]!.tokenIds],
  };
}

async function runTransformersJs(c: BenchCase): Promise<Omit<CaseResult, 'peakRssMb'>> {
  const started = performance.now();
  const peer = await loadTransformersJs(c.dir, { dtype: c.dtype, threads: c.threads, device: c.device });
  const loadMs = performance.now() - started;
  await peer.greedy(c.promptIds.slice(0, 32), 4);
  const runs = [];
  for (let i = 0; i < c.repeats; i++) runs.push(await peer.greedy(c.promptIds, c.newTokens));
  await peer.dispose();
  return {
    ttftMs: median(runs.map((r) => r.firstTokenMs)),
    prefillTokPerS: median(runs.map((r) => c.promptIds.length / (r.firstTokenMs / 1000))),
    decodeTokPerS: median(runs.map((r) => (c.newTokens - 1) / ((r.totalMs - r.firstTokenMs) / 1000))),
    loadMs,
    tokens: runs[0]!.ids,
  };
}

async function main(): Promise<void> {
  const c = JSON.parse(process.argv[2] ?? readFileSync(0, 'utf8')) as BenchCase;
  const result = c.impl === 'inkwell' ? await runInkwell(c) : await runTransformersJs(c);
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ ...result, peakRssMb })}\n`);
}

if (require.main === module) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
