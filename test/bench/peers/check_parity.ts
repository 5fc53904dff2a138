/**
 * Do the peers run the same weights? For each bench model: greedy-decode 32 tokens from the same
 * 64 prompt ids (the bench's prompt: the builder's code corpus under the model's tokenizer) with
 * llama.cpp through node-llama-cpp (the unquantized GGUFs), onnxruntime-genai fp32 and Inkwell
 * fp32, all on the CPU with 2 threads, and count how many of the 32 tokens agree pairwise.
 *
 *   npx tsx test/bench/peers/check_parity.ts [--tokens 32] [--prompt 64] [model ...]
 *
 * Also checks that llama.cpp's tokenizer (the GGUF's, pre-tokenizer included) encodes the prompt's
 * source text (the first 20,000 characters of the corpus) to the same ids as Inkwell's.
 *
 * Needs setup.sh and make_peer_models.sh first. Writes .work/parity.json. Each sequence ends at
 * its first EOS (inclusive), as every peer stops there; a missing position counts as a mismatch.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { parseGenerationConfig } from '../../../sidecar/engine/config/parseGenerationConfig';
import { generate } from '../../../sidecar/engine/generation/generate';
import { defaultTokenizerCorpus } from '../../../sidecar/builder/tokenizer/index';
import { loadModel } from '../../../sidecar/runtime/index';
import { readModelFolder } from '../../../sidecar/runtime/model/modelFolder';
import { HfTokenizer } from '../../../sidecar/runtime/tokenizer/HfTokenizer';

const WORK = join(__dirname, '.work');
const THREADS = 2;

interface PeerModel {
  readonly name: string;
  /** GGUF files compared, by label. */
  readonly ggufs: readonly string[];
}

const MODELS: readonly PeerModel[] = [
  { name: 'default', ggufs: ['f32', 'f16'] },
  { name: 'qwen2-0.5b-shape', ggufs: ['f16'] },
];

/** The slice of node-llama-cpp 3.22's API used here (it lives in .work/node, not in our dependencies). */
interface NodeLlamaCpp {
  getLlama(options: { gpu: false; build: 'never'; logLevel?: string }): Promise<Llama>;
}
interface Llama {
  loadModel(options: { modelPath: string; gpuLayers: number }): Promise<LlamaModel>;
  dispose(): Promise<void>;
}
interface LlamaModel {
  createContext(options: { contextSize: number; batchSize: number; threads: number; sequences: number }): Promise<LlamaContext>;
  isEogToken(token: number): boolean;
  tokenize(text: string, specialTokens?: boolean): number[];
  dispose(): Promise<void>;
}
interface LlamaContext {
  getSequence(): { evaluate(tokens: number[], options: { temperature: number; yieldEogToken: boolean }): AsyncGenerator<number, void, void> };
  dispose(): Promise<void>;
}

async function llamaCppGreedy(llama: Llama, file: string, prompt: readonly number[], n: number): Promise<number[]> {
  const model = await llama.loadModel({ modelPath: file, gpuLayers: 0 });
  const context = await model.createContext({ contextSize: 256, batchSize: 128, threads: THREADS, sequences: 1 });
  const out: number[] = [];
  // temperature 0 is llama.cpp's greedy sampler; the EOG token is yielded so the end is seen.
  for await (const token of context.getSequence().evaluate([...prompt], { temperature: 0, yieldEogToken: true })) {
    out.push(token);
    if (out.length >= n || model.isEogToken(token)) break;
  }
  await context.dispose();
  await model.dispose();
  return out;
}

async function llamaCppEncode(llama: Llama, file: string, text: string): Promise<number[]> {
  const model = await llama.loadModel({ modelPath: file, gpuLayers: 0 });
  const ids = [...model.tokenize(text, false)];
  await model.dispose();
  return ids;
}

function genaiGreedy(dir: string, prompt: readonly number[], n: number): number[] {
  const python = join(WORK, 'venv', 'bin', 'python');
  const done = spawnSync(python, [join(__dirname, 'genai_greedy.py'), dir, String(n), String(THREADS)], { input: JSON.stringify(prompt), encoding: 'utf8' });
  if (done.status !== 0) throw new Error(`genai_greedy.py failed on ${dir}:\n${done.stderr}`);
  return (JSON.parse(done.stdout.trim().split('\n').pop()!) as { tokens: number[] }).tokens;
}

async function inkwellGreedy(dir: string, prompt: readonly number[], n: number): Promise<{ tokens: number[]; eos: readonly number[] }> {
  const loaded = await loadModel({ dir, dtype: 'fp32', device: 'cpu', threads: THREADS, inWorker: false });
  try {
    const config = parseGenerationConfig({ max_new_tokens: n, do_sample: false }).config;
    const result = await generate(loaded.model, loaded.tokenizer, { prompts: [prompt], config }).result();
    return { tokens: [...result.sequences[0]!.tokenIds], eos: loaded.tokenizer.eosTokenIds };
  } finally {
    await loaded.model.dispose();
  }
}

/** Positions (of n) where both sequences have the same token, and the length of their common prefix. */
function agreement(a: readonly number[], b: readonly number[], n: number): { same: number; prefix: number } {
  let same = 0;
  let prefix = -1;
  for (let i = 0; i < n; i++) {
    const equal = a[i] !== undefined && a[i] === b[i];
    if (equal) same++;
    else if (prefix < 0) prefix = i;
  }
  return { same, prefix: prefix < 0 ? n : prefix };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { tokens: { type: 'string', default: '32' }, prompt: { type: 'string', default: '64' } } });
  const n = Number(values.tokens);
  const promptLength = Number(values.prompt);
  const entry = join(WORK, 'node', 'node_modules', 'node-llama-cpp', 'dist', 'index.js');
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run test/bench/peers/setup.sh first`);
  const nodeLlamaCpp = (await import(pathToFileURL(entry).href)) as NodeLlamaCpp;
  const llama = await nodeLlamaCpp.getLlama({ gpu: false, build: 'never', logLevel: 'error' });
  const report = [];
  try {
    for (const m of MODELS.filter((x) => positionals.length === 0 || positionals.includes(x.name))) {
      const dir = join(WORK, 'models', m.name);
      // The bench's prompt (benchPromptIds): the builder's code corpus under the model's tokenizer.
      const text = defaultTokenizerCorpus().join('\n').slice(0, 20_000);
      const folder = readModelFolder(join(dir, 'inkwell'));
      const ids = new HfTokenizer(folder.tokenizerJson, folder.tokenizerConfig).encode(text);
      const prompt = ids.slice(0, promptLength);
      const llamaIds = await llamaCppEncode(llama, join(dir, 'gguf', `${m.ggufs[0]}.gguf`), text);
      const tokenization = { ids: ids.length, llamaCppIds: llamaIds.length, same: agreement(ids, llamaIds, Math.max(ids.length, llamaIds.length)) };
      const inkwell = await inkwellGreedy(join(dir, 'inkwell'), prompt, n);
      const runs: Record<string, number[]> = { 'inkwell fp32': inkwell.tokens, 'genai fp32': genaiGreedy(join(dir, 'genai-fp32'), prompt, n) };
      for (const g of m.ggufs) runs[`llama.cpp ${g}`] = await llamaCppGreedy(llama, join(dir, 'gguf', `${g}.gguf`), prompt, n);
      const names = Object.keys(runs);
      const pairs = [];
      process.stdout.write(`\n== ${m.name}: ${prompt.length} prompt ids, ${n} greedy tokens (EOS ${inkwell.eos.join('/')})\n`);
      process.stdout.write(`  tokenizer: ${text.length} characters -> Inkwell ${ids.length} ids, llama.cpp ${llamaIds.length} ids, ${tokenization.same.same} equal, first ${tokenization.same.prefix} identical\n`);
      for (const name of names) process.stdout.write(`  ${name.padEnd(14)} ${runs[name]!.join(' ')}\n`);
      for (let i = 0; i < names.length; i++) {
        for (let j = i + 1; j < names.length; j++) {
          const { same, prefix } = agreement(runs[names[i]!]!, runs[names[j]!]!, n);
          pairs.push({ a: names[i], b: names[j], same, prefix });
          process.stdout.write(`  ${`${names[i]} vs ${names[j]}`.padEnd(32)} ${same}/${n} agree, first ${prefix} identical\n`);
        }
      }
      report.push({ model: m.name, promptIds: prompt, tokens: n, tokenization, runs, pairs });
    }
  } finally {
    await llama.dispose();
  }
  writeFileSync(join(WORK, 'parity.json'), `${JSON.stringify(report, null, 2)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
