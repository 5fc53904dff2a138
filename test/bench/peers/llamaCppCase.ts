/**
 * One decode case for llama.cpp (node-llama-cpp, CPU) in a fresh process, the counterpart of
 * benchCase.ts: greedy from the given prompt ids, `newTokens` tokens whatever they are (EOS does not
 * stop it), a warm-up first. Prints one JSON line (benchCase's CaseResult). Argument: a JSON
 * LlamaCppCase.
 */
import { readFileSync } from 'node:fs';
import type { CaseResult } from '../benchCase';
import { loadLlamaCpp, type LlamaSequence } from './nodeLlamaCpp';

export interface LlamaCppCase {
  readonly gguf: string;
  readonly threads: number;
  readonly promptIds: readonly number[];
  readonly newTokens: number;
  readonly repeats: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function greedy(sequence: LlamaSequence, prompt: readonly number[], newTokens: number): Promise<{ ids: number[]; firstTokenMs: number; totalMs: number }> {
  await sequence.clearHistory();
  const ids: number[] = [];
  const start = performance.now();
  let firstTokenMs = 0;
  for await (const token of sequence.evaluate([...prompt], { temperature: 0 })) {
    if (ids.length === 0) firstTokenMs = performance.now() - start;
    ids.push(token);
    if (ids.length >= newTokens) break;
  }
  return { ids, firstTokenMs, totalMs: performance.now() - start };
}

async function main(): Promise<void> {
  const c = JSON.parse(process.argv[2] ?? readFileSync(0, 'utf8')) as LlamaCppCase;
  const started = performance.now();
  const llama = await loadLlamaCpp(c.threads);
  const model = await llama.loadModel({ modelPath: c.gguf, gpuLayers: 0 });
  const context = await model.createContext({ contextSize: c.promptIds.length + c.newTokens + 8, threads: c.threads, sequences: 1 });
  const sequence = context.getSequence();
  const loadMs = performance.now() - started;
  await greedy(sequence, c.promptIds.slice(0, 32), 4);
  const runs = [];
  for (let i = 0; i < c.repeats; i++) runs.push(await greedy(sequence, c.promptIds, c.newTokens));
  await context.dispose();
  await model.dispose();
  await llama.dispose();
  const result: CaseResult = {
    ttftMs: median(runs.map((r) => r.firstTokenMs)),
    prefillTokPerS: median(runs.map((r) => c.promptIds.length / (r.firstTokenMs / 1000))),
    decodeTokPerS: median(runs.map((r) => (r.ids.length - 1) / ((r.totalMs - r.firstTokenMs) / 1000))),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    loadMs,
    tokens: runs[0]!.ids,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
