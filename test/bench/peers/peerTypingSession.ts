/**
 * One typing session of the peers' completion-latency bench, in a fresh process: the keystrokes of
 * completionLatency.ts (inventory.py, line 103), one completion per keystroke, the previous one
 * cancelled, and each engine with its best prefix reuse:
 *   - inkwell: the server's own loop (runCompletion with a PromptCache, token healing), in-process;
 *   - llama.cpp: node-llama-cpp, one context sequence whose state is cropped to the common prefix
 *     (adaptStateToTokens) before the rest of the prompt is evaluated;
 *   - genai: onnxruntime-genai's continuous decoding (rewind_to) in genai_complete.py.
 * Every engine gets the same prompt ids, built by the server's prompt builder from the model
 * folder's tokenizer and FIM format, and stops by the same line rules (completionIsDone) or at
 * the same stop ids and max_new_tokens. Prints one JSON line (PeerSessionResult).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import { parseGenerationConfig, PromptCache, type TextTokenizer } from '../../../sidecar/engine';
import { buildCompletionPrompt } from '../../../sidecar/completion/buildCompletionPrompt';
import { completionContext } from '../../../sidecar/completion/completionContext';
import { completionIsDone, shapeCompletion, type CompletionContext } from '../../../sidecar/completion/completionShape';
import { completionGeneration, type CompletionGeneration } from '../../../sidecar/completion/completionConfig';
import { fimFormat, type FimFormat } from '../../../sidecar/completion/fimFormat';
import { healPromptTail, TokenTexts, type HealedPrompt } from '../../../sidecar/completion/healPromptTail';
import { runCompletion } from '../../../sidecar/completion/runCompletion';
import { DEFAULT_COMPLETION_OPTIONS } from '../../../sidecar/server/ConfigStore';
import { HfTokenizer, loadModel, readModelFolder, type LoadedModel, type ModelFolder } from '../../../sidecar/runtime';
import { keystrokes, PAUSE_MS, typedOnSchedule } from '../completionLatency';
import { loadLlamaCpp, PEERS_WORK, type LlamaSequence } from './nodeLlamaCpp';

export interface PeerSession {
  readonly engine: 'inkwell' | 'llama.cpp' | 'genai';
  /** The Inkwell folder of the model: its tokenizer and FIM format build every engine's prompts. */
  readonly inkwellDir: string;
  /** The engine's file: inkwell dtype, a GGUF path, or a genai folder. */
  readonly weights: string;
  readonly threads: number;
}

export interface PeerSessionResult {
  readonly engine: string;
  readonly weights: string;
  readonly loadMs: number;
  readonly firstCompletionMs: number;
  readonly keystrokes: number;
  readonly answered: number;
  readonly cancelled: number;
  readonly withText: number;
  readonly answeredInPauses: number;
  readonly pauses: number;
  readonly lastMs: number;
  readonly latenciesMs: number[];
  readonly p50: number;
  readonly p95: number;
  /** Prompt tokens evaluated / model runs, and reused / (reused + evaluated). */
  readonly prefillTokensPerRun: number;
  readonly reuseShare: number;
  readonly generatedTokensPerRun: number;
  readonly peakRssMb: number;
}

const SAMPLE = join(__dirname, '..', 'data', 'inventory.py');
const HOLE_LINE = 102;

/** What every engine's completions share: the server's tokenizer, FIM format, generation and healing vocabulary. */
interface Completer {
  readonly tokenizer: TextTokenizer;
  readonly format: FimFormat | undefined;
  readonly generation: CompletionGeneration;
  readonly tokenTexts: TokenTexts;
}

/** The server's completion settings for a model folder (CompletionFeature / completionGeneration), without opening its graph. */
function completerOf(folder: ModelFolder): Completer {
  const eos = [folder.generationConfig?.eos_token_id, folder.config.eos_token_id].flatMap((v) => (typeof v === 'number' ? [v] : Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []));
  const tokenizer = new HfTokenizer(folder.tokenizerJson, folder.tokenizerConfig, eos);
  const format = fimFormat(tokenizer, folder.inkwell.fim?.order);
  const maxPositions = Number(folder.config.max_position_embeddings);
  const generation = completionGeneration(parseGenerationConfig((folder.generationConfig as Record<string, unknown> | undefined) ?? {}).config, {
    tokenizerEos: tokenizer.eosTokenIds,
    format,
    promptLookupTokens: 0,
    contextTokens: DEFAULT_COMPLETION_OPTIONS.contextTokens,
    maxPositions,
  });
  return { tokenizer, format, generation, tokenTexts: new TokenTexts(tokenizer) };
}

interface RunStats {
  prefilled: number;
  reused: number;
  generated: number;
}

/** One completion: the shaped text (undefined when cancelled before complete). */
type Complete = (text: string, cursor: number, signal: AbortSignal) => Promise<{ text: string | undefined; stats: RunStats }>;

interface Engine {
  readonly complete: Complete;
  dispose(): Promise<void>;
}

/** The server's prompt for a document state (window start kept across keystrokes, as the server does). */
class Prompts {
  private windowStart: number | undefined;
  constructor(private readonly completer: Completer) {}

  build(text: string, cursor: number): { context: CompletionContext; healing: HealedPrompt } {
    const context = completionContext(text, cursor, 8);
    const prompt = buildCompletionPrompt({
      text,
      cursor,
      format: this.completer.format,
      encode: (t) => this.completer.tokenizer.encode(t),
      budget: this.completer.generation.budget,
      ...(this.windowStart !== undefined && { previousWindowStart: this.windowStart }),
    });
    this.windowStart = prompt.windowStart;
    return { context, healing: healPromptTail(prompt, this.completer.tokenTexts) };
  }
}

function inkwellEngine(loaded: LoadedModel, completer: Completer): Engine {
  const prompts = new Prompts(completer);
  const cache = new PromptCache(loaded.model);
  return {
    async complete(text, cursor, signal) {
      const { context, healing } = prompts.build(text, cursor);
      const run = await runCompletion({ model: loaded.model, tokenizer: completer.tokenizer, generation: completer.generation, promptIds: healing.ids, healing, context, signal, promptCache: cache });
      const t = run.result.timings;
      const stats = { prefilled: t.prefillTokens, reused: t.reusedTokens, generated: run.result.sequences[0]?.tokenIds.length ?? 0 };
      return { text: signal.aborted && !run.complete ? undefined : run.texts[0] ?? '', stats };
    },
    async dispose() {
      await cache.dispose();
    },
  };
}

/**
 * A peer's completion from a stream of token ids: decode what came so far, stop when the line
 * rules say the completion is done (as runCompletion does), at a stop id, at max_new_tokens or
 * when the signal aborts; shape the text as the server would.
 */
async function completeFromStream(
  completer: Completer,
  prompts: Prompts,
  text: string,
  cursor: number,
  signal: AbortSignal,
  stream: (ids: number[], onToken: (id: number) => boolean) => Promise<{ prefilled: number; reused: number }>,
): Promise<{ text: string | undefined; stats: RunStats }> {
  const { context, healing } = prompts.build(text, cursor);
  const maxNew = completer.generation.config.maxNewTokens ?? 64;
  const stopIds = new Set(completer.generation.config.eosTokenId ?? []);
  const generated: number[] = [];
  let done = false;
  const atCursor = (raw: string) => (raw.length <= healing.healed.length ? '' : raw.slice(healing.healed.length));
  const { prefilled, reused } = await stream([...healing.ids], (id) => {
    if (signal.aborted) return false;
    if (stopIds.has(id)) {
      done = true;
      return false;
    }
    generated.push(id);
    if (generated.length >= maxNew || completionIsDone(atCursor(completer.tokenizer.decode(generated)), context)) {
      done = true;
      return false;
    }
    return true;
  });
  const stats = { prefilled, reused, generated: generated.length };
  if (!done) return { text: undefined, stats };
  return { text: shapeCompletion(atCursor(completer.tokenizer.decode(generated)), context) ?? '', stats };
}

async function llamaCppEngine(gguf: string, threads: number, completer: Completer, contextSize: number): Promise<Engine> {
  const llama = await loadLlamaCpp(threads);
  const model = await llama.loadModel({ modelPath: gguf, gpuLayers: 0 });
  const context = await model.createContext({ contextSize, threads, sequences: 1 });
  const sequence: LlamaSequence = context.getSequence();
  const prompts = new Prompts(completer);
  return {
    complete: (text, cursor, signal) =>
      completeFromStream(completer, prompts, text, cursor, signal, async (ids, onToken) => {
        // Keep the longest common prefix of the state and the prompt (less its last id, which
        // must be evaluated for the next token's logits), evaluate the rest.
        await sequence.adaptStateToTokens(ids.slice(0, -1), false);
        const reused = sequence.nextTokenIndex;
        for await (const id of sequence.evaluate(ids.slice(reused), { temperature: 0 })) {
          if (!onToken(id)) break;
        }
        return { prefilled: ids.length - reused, reused };
      }),
    async dispose() {
      await context.dispose();
      await model.dispose();
      await llama.dispose();
    },
  };
}

/** genai_complete.py over JSON lines (see its header for the protocol). */
async function genaiEngine(folder: string, threads: number, completer: Completer): Promise<Engine> {
  const python = join(PEERS_WORK, 'venv', 'bin', 'python');
  const child: ChildProcessWithoutNullStreams = spawn(python, [join(__dirname, 'genai_complete.py'), folder, String(threads)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const lines = createInterface({ input: child.stdout });
  const listeners = new Set<(message: Record<string, unknown>) => void>();
  lines.on('line', (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    for (const l of listeners) l(message);
  });
  const exited = new Promise<never>((_, reject) => child.on('exit', (code) => reject(new Error(`genai_complete.py exited (${code}): ${stderr}`))));
  await Promise.race([
    exited,
    new Promise<void>((resolve) => {
      const l = (m: Record<string, unknown>) => {
        if (m.ready) {
          listeners.delete(l);
          resolve();
        }
      };
      listeners.add(l);
    }),
  ]);
  const prompts = new Prompts(completer);
  let nextId = 0;
  return {
    complete: (text, cursor, signal) =>
      completeFromStream(completer, prompts, text, cursor, signal, (ids, onToken) => {
        const id = ++nextId;
        const stopIds = [...(completer.generation.config.eosTokenId ?? [])];
        const ended = new Promise<{ prefilled: number; reused: number }>((resolve) => {
          let cancelled = false;
          const l = (m: Record<string, unknown>) => {
            if (m.id !== id) return;
            if (typeof m.token === 'number' && !cancelled && !onToken(m.token)) {
              cancelled = true;
              child.stdin.write(`${JSON.stringify({ cancel: id })}\n`);
            }
            if (m.end !== undefined) {
              listeners.delete(l);
              resolve({ prefilled: m.prefilled as number, reused: m.reused as number });
            }
          };
          listeners.add(l);
        });
        child.stdin.write(`${JSON.stringify({ id, prompt: ids, maxNewTokens: (completer.generation.config.maxNewTokens ?? 64) + 1, stopIds })}\n`);
        return Promise.race([exited, ended]);
      }),
    async dispose() {
      child.stdin.end();
      await Promise.race([new Promise((resolve) => child.on('exit', resolve)), delay(5000)]);
      child.kill();
    },
  };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

export async function runPeerSession(s: PeerSession): Promise<PeerSessionResult> {
  const started = performance.now();
  // The Inkwell folder's tokenizer, FIM format and completion settings drive every engine.
  const folder = readModelFolder(s.inkwellDir);
  const completer = completerOf(folder);
  const loaded = s.engine === 'inkwell' ? await loadModel({ folder, dir: s.inkwellDir, dtype: s.weights as 'q4' | 'fp32', device: 'cpu', threads: s.threads }) : undefined;
  const engine = loaded
    ? inkwellEngine(loaded, completer)
    : s.engine === 'llama.cpp'
      ? await llamaCppEngine(s.weights, s.threads, completer, Number(folder.config.max_position_embeddings))
      : await genaiEngine(s.weights, s.threads, completer);
  const loadMs = performance.now() - started;
  try {
    let text = readFileSync(SAMPLE, 'utf8');
    let cursor = text.split('\n').slice(0, HOLE_LINE).join('\n').length + 1;
    const firstSent = performance.now();
    await engine.complete(text, cursor, new AbortController().signal);
    const firstCompletionMs = performance.now() - firstSent;
    await delay(PAUSE_MS);

    const keys = keystrokes();
    const latenciesMs: number[] = [];
    const runs: RunStats[] = [];
    let cancelled = 0;
    let withText = 0;
    let answeredInPauses = 0;
    let lastMs = Number.NaN;
    let previous: AbortController | undefined;
    // One request at a time, as a server serves them: a keystroke aborts the running one, whose
    // engine stops at its next step; the new one starts when it has.
    let queue: Promise<unknown> = Promise.resolve();
    const outcomes: Promise<void>[] = [];
    for await (const [index, key] of typedOnSchedule(keys)) {
      previous?.abort();
      text = text.slice(0, cursor) + key.text + text.slice(cursor);
      cursor += key.text.length;
      const mine = new AbortController();
      previous = mine;
      const sent = performance.now();
      const [docText, docCursor] = [text, cursor];
      const outcome = queue.then(async () => {
        if (mine.signal.aborted) {
          cancelled++;
          return;
        }
        const r = await engine.complete(docText, docCursor, mine.signal);
        runs.push(r.stats);
        const ms = performance.now() - sent;
        if (r.text === undefined || mine.signal.aborted) {
          cancelled++;
          return;
        }
        latenciesMs.push(ms);
        if (index === keys.length - 1) lastMs = ms;
        if (r.text.length > 0) withText++;
        if (key.gapMs === PAUSE_MS && index < keys.length - 1) answeredInPauses++;
      });
      queue = outcome;
      outcomes.push(outcome);
    }
    await Promise.all(outcomes);
    const prefilled = runs.reduce((n, r) => n + r.prefilled, 0);
    const reused = runs.reduce((n, r) => n + r.reused, 0);
    return {
      engine: s.engine,
      weights: s.weights,
      loadMs,
      firstCompletionMs,
      keystrokes: keys.length,
      answered: latenciesMs.length,
      cancelled,
      withText,
      answeredInPauses,
      pauses: keys.filter((k, i) => k.gapMs === PAUSE_MS && i < keys.length - 1).length,
      lastMs,
      latenciesMs,
      p50: percentile(latenciesMs, 0.5),
      p95: percentile(latenciesMs, 0.95),
      prefillTokensPerRun: prefilled / Math.max(1, runs.length),
      reuseShare: reused / Math.max(1, reused + prefilled),
      generatedTokensPerRun: median(runs.map((r) => r.generated)),
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    await engine.dispose();
    await loaded?.model.dispose();
  }
}

if (require.main === module) {
  runPeerSession(JSON.parse(process.argv[2]!) as PeerSession)
    .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    });
}
