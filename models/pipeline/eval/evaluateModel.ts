import { readFileSync } from 'node:fs';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import type { ModelDtype } from '../../../sidecar/runtime/model/modelFolder';
import { loadAssistantModel } from '../../../sidecar/runtime/loadAssistantModel';
import { loadModel } from '../../../sidecar/runtime/loadModel';
import { DEFAULT_COMPLETION_OPTIONS } from '../../../sidecar/server/ConfigStore';
import type { Language } from '../corpus/CandidateFile';
import type { FimOrder } from '../../../sidecar/completion/fimFormat';
import { literalEncoder } from '../encode/literalEncoder';
import { readJsonLines, type CorpusText } from '../readJsonLines';
import { pipelineSpecialTokens } from '../tokenizer/tokenizerCommand';
import { bitsPerByte, languageStreams, type BitsPerByteResult, type LanguageStream } from './bitsPerByte';
import { completeCase, makeCompleter, type Completer } from './completeCase';
import { multiLineCases } from './multiLineCases';
import { quantile, scoreFim } from './fimScores';
import { heldoutPerplexity, type PerplexityResult } from './heldoutPerplexity';

export interface FimCase {
  readonly file: string;
  readonly prefix: string;
  readonly suffix: string;
  readonly middle: string;
}

export interface EvalOptions {
  readonly model: string;
  readonly assistant?: string;
  readonly heldoutTokens: string;
  readonly fimCases: string;
  /** The corpus's held-out texts (heldout.jsonl): bits per byte per language and the multi-line examples. */
  readonly heldoutText?: string;
  /** Dtypes whose perplexity is measured (default fp32 and q4); completions always run on `dtype`. */
  readonly perplexityDtypes?: readonly ModelDtype[];
  /** Completions, latency and speculative decoding (default q4: what ships). */
  readonly dtype?: ModelDtype;
  readonly maxWindows?: number;
  /** Default 500. */
  readonly cases?: number;
  /** The FIM order of the completions (default: what the model folder declares in inkwell.json, else PSM). */
  readonly fimOrder?: FimOrder;
  /** Token healing at cursors inside a word, as the server does (default true). */
  readonly tokenHealing?: boolean;
  /** Run onnxruntime in a worker thread, as the sidecar does (default true). */
  readonly inWorker?: boolean;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
}

export interface Example {
  readonly index: number;
  readonly file: string;
  readonly linePrefix: string;
  readonly expected: string;
  readonly predicted: string;
}

export interface EvalReport {
  readonly model: string;
  readonly dtype: ModelDtype;
  readonly perplexity: Readonly<Partial<Record<ModelDtype, PerplexityResult & { readonly window: number }>>>;
  /** Per dtype and language (with `heldoutText`). */
  readonly bitsPerByte: Readonly<Partial<Record<ModelDtype, Partial<Record<Language, BitsPerByteResult>>>>>;
  /** Multi-line completions at block openers (the fixed rule of multiLineCases), with `heldoutText`. */
  readonly multiLine: readonly { readonly file: string; readonly line: number; readonly before: string; readonly expected: string; readonly completion: string }[];
  readonly fim: {
    /** The prompt order the completions used ('prefix-only' without FIM markers). */
    readonly order: FimOrder | 'prefix-only';
    readonly tokenHealing?: boolean;
    readonly cases: number;
    readonly exactMatch: number;
    readonly prefixMatch: number;
    readonly nonEmptyPrefix: number;
    readonly empty: number;
    readonly latencyMs: { readonly p50: number; readonly p95: number; readonly mean: number };
    readonly meanGeneratedTokens: number;
  };
  readonly assistant?: {
    readonly model: string;
    readonly acceptanceRate: number;
    readonly tokensPerMainForward: number;
    /** Sum of plain times over sum of assisted times, same cases. */
    readonly speedup: number;
    readonly latencyMs: { readonly p50: number; readonly p95: number };
    /** Cases whose assisted completion differs from the plain one (greedy: must be 0). */
    readonly mismatches: number;
  };
  /** The first ten cases (by order in the file): the fixed rule for the note. */
  readonly examples: readonly Example[];
}

export function readFimCases(file: string, count: number): FimCase[] {
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim().length > 0);
  const cases = lines.slice(0, count).map((line, i) => {
    const c = JSON.parse(line) as FimCase;
    if (typeof c.prefix !== 'string' || typeof c.suffix !== 'string' || typeof c.middle !== 'string') {
      throw new InkwellError('invalid-argument', `${file}:${i + 1}: a case needs string prefix, suffix and middle`, { details: { field: 'fimCases', line: i + 1 } });
    }
    return c;
  });
  return cases;
}

function readTokens(file: string): Uint16Array {
  const bytes = readFileSync(file);
  return new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength - (bytes.byteLength % 2)));
}

/** Perplexity per dtype, then single-line FIM completions (plain, and assisted when given). */
export async function evaluateModel(options: EvalOptions): Promise<EvalReport> {
  const log = options.log ?? (() => undefined);
  const dtype = options.dtype ?? 'q4';
  const perplexity: Partial<Record<ModelDtype, PerplexityResult & { window: number }>> = {};
  const heldout = readTokens(options.heldoutTokens);
  const bpb: Partial<Record<ModelDtype, Partial<Record<Language, BitsPerByteResult>>>> = {};
  let streams: Map<Language, LanguageStream> | undefined;
  for (const d of options.perplexityDtypes ?? (['fp32', 'q4'] as const)) {
    const loaded = await loadModel({ dir: options.model, dtype: d, device: 'cpu', inWorker: false });
    try {
      const window = Math.min(1024, loaded.model.info.maxPositions, heldout.length);
      perplexity[d] = { window, ...(await heldoutPerplexity(loaded.model, heldout, { window, ...(options.maxWindows && { maxWindows: options.maxWindows }), ...(options.signal && { signal: options.signal }) })) };
      log(`perplexity ${d}: ${perplexity[d]!.perplexity.toFixed(3)} over ${perplexity[d]!.tokens} tokens`);
      if (options.heldoutText) {
        // Every dtype shares the folder's tokenizer: encode the held-out texts once.
        streams ??= languageStreams(literalEncoder((t) => loaded.tokenizer.encode(t), pipelineSpecialTokens), readJsonLines<CorpusText>(options.heldoutText), loaded.tokenizer.eosTokenIds[0]!);
        bpb[d] = await bitsPerByte(loaded.model, streams, { window, ...(options.maxWindows && { maxWindows: options.maxWindows }), ...(options.signal && { signal: options.signal }) });
        log(`bits per byte ${d}: ${Object.entries(bpb[d]!).map(([l, r]) => `${l} ${r.bitsPerByte.toFixed(3)}`).join(', ')}`);
      }
    } finally {
      await loaded.model.dispose();
    }
  }

  const cases = readFimCases(options.fimCases, options.cases ?? 500);
  const main = await loadModel({ dir: options.model, dtype, device: 'cpu', inWorker: options.inWorker ?? true });
  let assistant: (Awaited<ReturnType<typeof loadAssistantModel>>) | undefined;
  try {
    if (options.assistant) assistant = await loadAssistantModel(main, { dir: options.assistant, dtype, device: 'cpu', inWorker: options.inWorker ?? true });
    const completer = makeCompleter(main.model, main.tokenizer, main.folder.generationConfig as Record<string, unknown> | undefined, options.fimOrder ?? main.folder.inkwell.fim?.order, options.tokenHealing ?? true);
    const report = await runCases(options, completer, assistant, cases, perplexity, dtype, log);
    const multiLine = [];
    if (options.heldoutText) {
      for (const c of multiLineCases(readJsonLines<CorpusText>(options.heldoutText))) {
        const done = await completeCase(completer, c.prefix, c.prefix.length, DEFAULT_COMPLETION_OPTIONS.maxLines, undefined, options.signal);
        multiLine.push({ file: c.file, line: c.line, before: c.prefix.split('\n').slice(-4).join('\n'), expected: c.expected, completion: done.text ?? '' });
      }
    }
    return { ...report, bitsPerByte: bpb, multiLine };
  } finally {
    if (assistant) await assistant.model.dispose();
    await main.model.dispose();
  }
}

async function runCases(
  options: EvalOptions,
  completer: Completer,
  assistant: Awaited<ReturnType<typeof loadAssistantModel>> | undefined,
  cases: readonly FimCase[],
  perplexity: EvalReport['perplexity'],
  dtype: ModelDtype,
  log: (line: string) => void,
): Promise<Omit<EvalReport, 'bitsPerByte' | 'multiLine'>> {
  const scores = [];
  const plainMs: number[] = [];
  const assistedMs: number[] = [];
  const generated: number[] = [];
  const examples: Example[] = [];
  let drafted = 0;
  let accepted = 0;
  let mainForwards = 0;
  let assistedTokens = 0;
  let mismatches = 0;
  for (const [index, c] of cases.entries()) {
    const text = c.prefix + c.suffix;
    const cursor = c.prefix.length;
    // Alternate which runs first, so slow drift on a busy machine hits both alike.
    const assistedFirst = assistant !== undefined && index % 2 === 1;
    const assistedRun = assistedFirst ? await completeCase(completer, text, cursor, 1, assistant, options.signal) : undefined;
    const plain = await completeCase(completer, text, cursor, 1, undefined, options.signal);
    const assisted = assistedRun ?? (assistant ? await completeCase(completer, text, cursor, 1, assistant, options.signal) : undefined);
    plainMs.push(plain.ms);
    generated.push(plain.generatedTokens);
    scores.push(scoreFim(plain.text, c.middle));
    if (assisted) {
      assistedMs.push(assisted.ms);
      if (assisted.text !== plain.text) mismatches++;
      const stats = assisted.assisted;
      if (stats) {
        drafted += stats.drafted;
        accepted += stats.accepted;
        mainForwards += stats.mainForwards;
        assistedTokens += stats.tokensPerMainForward * stats.mainForwards;
      }
    }
    if (index < 10) {
      const lineStart = c.prefix.lastIndexOf('\n') + 1;
      examples.push({ index, file: c.file, linePrefix: c.prefix.slice(lineStart), expected: c.middle.split('\n')[0]!, predicted: plain.text ?? '' });
    }
    if ((index + 1) % 50 === 0) log(`completions: ${index + 1}/${cases.length}`);
  }
  const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    model: options.model,
    dtype,
    perplexity,
    fim: {
      order: completer.format?.order ?? 'prefix-only',
      tokenHealing: completer.tokenTexts !== undefined,
      cases: cases.length,
      exactMatch: mean(scores.map((s) => (s.exact ? 1 : 0))),
      prefixMatch: mean(scores.map((s) => s.prefixFraction)),
      nonEmptyPrefix: mean(scores.map((s) => (s.nonEmptyPrefix ? 1 : 0))),
      empty: mean(scores.map((s) => (s.empty ? 1 : 0))),
      latencyMs: { p50: quantile(plainMs, 0.5), p95: quantile(plainMs, 0.95), mean: mean(plainMs) },
      meanGeneratedTokens: mean(generated),
    },
    ...(assistant && {
      assistant: {
        model: options.assistant!,
        acceptanceRate: drafted === 0 ? 0 : accepted / drafted,
        tokensPerMainForward: mainForwards === 0 ? 0 : assistedTokens / mainForwards,
        speedup: sum(plainMs) / sum(assistedMs),
        latencyMs: { p50: quantile(assistedMs, 0.5), p95: quantile(assistedMs, 0.95) },
        mismatches,
      },
    }),
    examples,
  };
}
