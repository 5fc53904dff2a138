/**
 * Completion latency as an editor sees it: the real sidecar process over stdio, a scripted typing
 * session with one textDocument/inlineCompletion per keystroke (the previous one cancelled, as VS
 * Code does), with the KV cache reused between keystrokes (the default) and without it
 * (`serve --no-prompt-cache`), plus start-up and the first completion of a fresh process.
 *
 * Part of `npm run bench`; alone: `node sidecar/build.mjs && node --import tsx test/bench/completionLatency.ts`
 * (merges a `completions` key into bench-results/bench.json).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import {
  CancellationTokenSource,
  DidChangeTextDocumentNotification,
  InlineCompletionRequest,
  LSPErrorCodes,
  ResponseError,
  type InlineCompletionList,
  type Position,
} from 'vscode-languageserver-protocol/node';
import { InkwellRequests, type InitializationOptions, type StatusInfo } from '../../sidecar/protocol';
import { SidecarProcess } from '../support/SidecarProcess';
import { bench20mModel } from './benchModels';

const repo = join(__dirname, '..', '..');
const SAMPLE = join(__dirname, 'data', 'inventory.py');
/** The empty line inside `Inventory.ship` (line 103 of 158): the typing happens mid-file, with a suffix. */
const HOLE: Position = { line: 102, character: 0 };
/**
 * What the user types at HOLE. `|` is a pause (not typed). A line break together with the next
 * line's indentation is one keystroke (the editor's auto-indent), and so is the first indentation.
 */
const SCRIPT = '        item.quantity| -= quantity\n        |if item.is_low():\n            |log.warning(|"low stock for %s: %d left",| sku, item.quantity)|';
const KEY_MS = 60;
export const PAUSE_MS = 600;
const DTYPE = 'q4';
const INIT: InitializationOptions = { generation: { do_sample: false }, completion: { maxLines: 8, contextTokens: 1024 } };
export const COMPLETION_ROUNDS = 5;

type Variant = 'reuse' | 'noReuse';
const VARIANT_ARGS: Record<Variant, string[]> = { reuse: [], noReuse: ['--no-prompt-cache'] };

export interface Keystroke {
  readonly text: string;
  /** Milliseconds until the next keystroke (or until the session ends, for the last). */
  readonly gapMs: number;
}

/** The deterministic schedule: SCRIPT split into keystrokes, KEY_MS apart, PAUSE_MS at each `|`. */
export function keystrokes(script: string = SCRIPT): Keystroke[] {
  const keys: { text: string; gapMs: number }[] = [];
  for (let i = 0; i < script.length; ) {
    if (script[i] === '|') {
      if (keys.length > 0) keys[keys.length - 1]!.gapMs = PAUSE_MS;
      i++;
      continue;
    }
    let end = i + 1;
    if (script[i] === '\n' || (i === 0 && script[i] === ' ')) while (script[end] === ' ') end++;
    keys.push({ text: script.slice(i, end), gapMs: KEY_MS });
    i = end;
  }
  return keys;
}

/** Yields each keystroke at its time in the schedule, counted from the first (a late one comes at once). */
export async function* typedOnSchedule(keys: readonly Keystroke[]): AsyncGenerator<readonly [number, Keystroke]> {
  const start = performance.now();
  let at = 0;
  for (const [index, key] of keys.entries()) {
    const wait = start + at - performance.now();
    if (wait > 0) await delay(wait);
    at += key.gapMs;
    yield [index, key];
  }
}

export interface LatencySummary {
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export interface SessionResult {
  readonly variant: Variant;
  /** Spawn to status 'ready' (node start-up, initialize, model load). */
  readonly readyMs: number;
  /** The server's own model load time (status.model.loadMs). */
  readonly modelLoadMs: number;
  /** The first completion of the process, on a freshly opened document, at HOLE. */
  readonly firstCompletionMs: number;
  readonly keystrokes: number;
  /** Requests answered before the next keystroke cancelled them. */
  readonly answered: number;
  /** Requests cancelled by a later keystroke (the server answered RequestCancelled, or too late). */
  readonly cancelled: number;
  /** Of the cancelled: the server's answer came after the cancellation was sent (editor drops it). */
  readonly answeredLate: number;
  /** Answered with at least one item. */
  readonly withText: number;
  /** Of the requests sent just before a pause (the user stops typing): answered within the pause. */
  readonly answeredInPauses: number;
  readonly pauses: number;
  /** The last keystroke's request, which nothing cancels: its latency is never cut off. */
  readonly lastMs: number;
  /** Send → response of each answered request, in keystroke order. */
  readonly latenciesMs: number[];
  readonly latency: LatencySummary;
  /** Status counter deltas over the typing (not the first completion). */
  readonly server: { requests: number; served: number; cacheHits: number; cancelled: number; prefillTokens: number; reusedTokens: number };
  /** Requests that ran the model: answered by it (in time or late) plus those aborted mid-run. */
  readonly modelRuns: number;
  readonly prefillTokensPerRun: number;
  /** reused / (reused + prefilled) prompt tokens. */
  readonly reuseShare: number;
}

export interface CompletionBenchResult {
  readonly machine: string;
  readonly model: string;
  readonly dtype: string;
  readonly executionProvider: string;
  readonly sample: string;
  readonly typed: { readonly characters: number; readonly keystrokes: number; readonly keyMs: number; readonly pauseMs: number; readonly pauses: number };
  readonly init: InitializationOptions;
  readonly rounds: number;
  /** Per variant: medians over rounds. */
  readonly summary: Record<Variant, VariantSummary>;
  /** Medians of per-round ratios, without / with KV reuse. */
  readonly ratios: { readonly p50: number; readonly p95: number; readonly last: number };
  readonly sessions: SessionResult[];
  readonly date: string;
}

interface VariantSummary {
  readonly latency: LatencySummary;
  readonly answered: number;
  readonly cancelled: number;
  readonly answeredInPauses: number;
  readonly lastMs: number;
  readonly prefillTokensPerRun: number;
  readonly reuseShare: number;
  readonly cacheHits: number;
  readonly readyMs: number;
  readonly modelLoadMs: number;
  readonly firstCompletionMs: number;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
/** Nearest-rank percentile (NaN for no samples). */
function percentile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

function after(position: Position, inserted: string): Position {
  const lines = inserted.split('\n');
  return lines.length === 1
    ? { line: position.line, character: position.character + inserted.length }
    : { line: position.line + lines.length - 1, character: lines[lines.length - 1]!.length };
}

const isCancelled = (e: unknown) => e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled;

async function runSession(modelDir: string, variant: Variant, log: (line: string) => void): Promise<SessionResult & { status: StatusInfo }> {
  const spawned = performance.now();
  const sidecar = await SidecarProcess.start({ args: ['--model', modelDir, '--dtype', DTYPE, '--device', 'cpu', ...VARIANT_ARGS[variant]], init: INIT });
  try {
    const ready = await sidecar.waitForStatus((s) => s.state === 'ready' || s.state === 'error', 'model ready', 120_000);
    const readyMs = performance.now() - spawned;
    if (ready.state === 'error') throw new Error(`sidecar failed to load the model: ${JSON.stringify(ready.error)}`);
    const { connection } = sidecar;
    const complete = (uri: string, position: Position, token?: CancellationTokenSource['token']) =>
      connection.sendRequest(InlineCompletionRequest.type, { textDocument: { uri }, position, context: { triggerKind: 2 } }, token) as Promise<InlineCompletionList>;

    const uri = `file:///bench/${variant}/inventory.py`;
    await sidecar.openDocument(uri, readFileSync(SAMPLE, 'utf8'), 'python');
    const firstSent = performance.now();
    await complete(uri, HOLE);
    const firstCompletionMs = performance.now() - firstSent;
    await delay(PAUSE_MS);

    const before = (await connection.sendRequest(InkwellRequests.status)).completions;
    const keys = keystrokes();
    const latenciesMs: number[] = [];
    let answeredLate = 0;
    let cancelledByServer = 0;
    let withText = 0;
    let answeredInPauses = 0;
    let lastMs = Number.NaN;
    let previous: { source: CancellationTokenSource; settled: boolean; cancelled: boolean } | undefined;
    const outcomes: Promise<void>[] = [];
    let position = HOLE;
    let version = 1;
    for await (const [index, key] of typedOnSchedule(keys)) {
      if (previous && !previous.settled) {
        previous.cancelled = true;
        previous.source.cancel();
      }
      await connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version: ++version },
        contentChanges: [{ range: { start: position, end: position }, text: key.text }],
      });
      position = after(position, key.text);
      const request = { source: new CancellationTokenSource(), settled: false, cancelled: false };
      previous = request;
      const sent = performance.now();
      outcomes.push(
        complete(uri, position, request.source.token).then(
          (list) => {
            request.settled = true;
            const ms = performance.now() - sent;
            if (index === keys.length - 1) lastMs = ms;
            if (request.cancelled) answeredLate++;
            else {
              latenciesMs.push(ms);
              if (list.items.length > 0) withText++;
              if (key.gapMs === PAUSE_MS && index < keys.length - 1) answeredInPauses++;
            }
          },
          (e: unknown) => {
            request.settled = true;
            if (!isCancelled(e)) throw e;
            cancelledByServer++;
          },
        ),
      );
    }
    await Promise.all(outcomes);
    const status = await connection.sendRequest(InkwellRequests.status);
    const now = status.completions;
    const server = {
      requests: now.requests - before.requests,
      served: now.served - before.served,
      cacheHits: now.cacheHits - before.cacheHits,
      cancelled: now.cancelled - before.cancelled,
      prefillTokens: now.prefillTokens - before.prefillTokens,
      reusedTokens: now.reusedTokens - before.reusedTokens,
    };
    const modelRuns = latenciesMs.length + answeredLate - server.cacheHits + server.cancelled;
    const result = {
      variant,
      readyMs,
      modelLoadMs: ready.model?.loadMs ?? Number.NaN,
      firstCompletionMs,
      keystrokes: keys.length,
      answered: latenciesMs.length,
      cancelled: answeredLate + cancelledByServer,
      answeredLate,
      withText,
      answeredInPauses,
      pauses: keys.filter((k, i) => k.gapMs === PAUSE_MS && i < keys.length - 1).length,
      lastMs,
      latenciesMs,
      latency: { p50: percentile(latenciesMs, 0.5), p95: percentile(latenciesMs, 0.95), max: Math.max(...latenciesMs) },
      server,
      modelRuns,
      prefillTokensPerRun: server.prefillTokens / Math.max(1, modelRuns),
      reuseShare: server.reusedTokens / Math.max(1, server.reusedTokens + server.prefillTokens),
      status,
    };
    log(
      `  ${variant}: p50 ${f(result.latency.p50)} ms, p95 ${f(result.latency.p95)} ms, answered ${result.answered}/${keys.length}, ` +
        `in pauses ${answeredInPauses}/${result.pauses}, last ${f(lastMs)} ms, prefill ${f(result.prefillTokensPerRun)} tok/run over ${modelRuns} runs, reuse ${f(100 * result.reuseShare)}%, ready ${f(readyMs)} ms, first ${f(firstCompletionMs)} ms`,
    );
    return result;
  } finally {
    await sidecar.stop();
  }
}

const f = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? '—' : n.toFixed(digits));

function summarize(sessions: readonly SessionResult[]): VariantSummary {
  const m = (pick: (s: SessionResult) => number) => median(sessions.map(pick));
  return {
    latency: { p50: m((s) => s.latency.p50), p95: m((s) => s.latency.p95), max: m((s) => s.latency.max) },
    answered: m((s) => s.answered),
    cancelled: m((s) => s.cancelled),
    answeredInPauses: m((s) => s.answeredInPauses),
    lastMs: m((s) => s.lastMs),
    prefillTokensPerRun: m((s) => s.prefillTokensPerRun),
    reuseShare: m((s) => s.reuseShare),
    cacheHits: m((s) => s.server.cacheHits),
    readyMs: m((s) => s.readyMs),
    modelLoadMs: m((s) => s.modelLoadMs),
    firstCompletionMs: m((s) => s.firstCompletionMs),
  };
}

export function machineName(): string {
  return `${cpus()[0]?.model ?? 'cpu'} × ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`;
}

/** `rounds` rounds of one sidecar per variant, the order alternating round by round. */
export async function runCompletionBench(options: { rounds?: number; log?: (line: string) => void } = {}): Promise<CompletionBenchResult> {
  const rounds = options.rounds ?? COMPLETION_ROUNDS;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const modelDir = bench20mModel();
  const sessions: (SessionResult & { status: StatusInfo })[] = [];
  const byRound: Record<Variant, SessionResult[]> = { reuse: [], noReuse: [] };
  for (let round = 0; round < rounds; round++) {
    const order: Variant[] = round % 2 === 0 ? ['reuse', 'noReuse'] : ['noReuse', 'reuse'];
    for (const variant of order) {
      log(`completion latency round ${round + 1}/${rounds}: ${variant === 'reuse' ? 'KV reuse' : '--no-prompt-cache'} …`);
      const session = await runSession(modelDir, variant, log);
      sessions.push(session);
      byRound[variant].push(session);
    }
  }
  const model = sessions[0]!.status.model;
  const keys = keystrokes();
  const ratio = (pick: (s: SessionResult) => number) => median(byRound.reuse.map((s, i) => pick(byRound.noReuse[i]!) / pick(s)));
  return {
    machine: machineName(),
    model: `20M vocab 8k (${model?.name ?? modelDir})`,
    dtype: model?.dtype ?? DTYPE,
    executionProvider: model?.executionProvider ?? 'cpu',
    sample: 'test/bench/data/inventory.py',
    typed: { characters: keys.reduce((n, k) => n + k.text.length, 0), keystrokes: keys.length, keyMs: KEY_MS, pauseMs: PAUSE_MS, pauses: keys.filter((k) => k.gapMs === PAUSE_MS).length },
    init: INIT,
    rounds,
    summary: { reuse: summarize(byRound.reuse), noReuse: summarize(byRound.noReuse) },
    ratios: { p50: ratio((s) => s.latency.p50), p95: ratio((s) => s.latency.p95), last: ratio((s) => s.lastMs) },
    sessions: sessions.map(({ status: _status, ...s }) => s),
    date: new Date().toISOString(),
  };
}

export function completionTable(r: CompletionBenchResult): string[] {
  const lines = [
    `Completion latency — ${r.model}, ${r.dtype} model file (--dtype ${DTYPE}), ${r.executionProvider} execution provider, sidecar over stdio; ` +
      `${r.typed.characters} characters typed as ${r.typed.keystrokes} keystrokes (${r.typed.keyMs} ms apart, ${r.typed.pauses} pauses of ${r.typed.pauseMs} ms) ` +
      `into line ${HOLE.line + 1} of ${r.sample}, one inline completion per keystroke, the previous cancelled; do_sample false, maxLines 8, contextTokens 1024; ` +
      `medians over ${r.rounds} rounds (variants alternate, each session its own process)`,
    `machine: ${r.machine}`,
    '',
    '| KV reuse | p50 ms | p95 ms | max ms | answered / cancelled | answered in pauses | last keystroke ms | prefill tokens per run* | prompt tokens reused | cache hits | ready after spawn ms (model load) | first completion ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [name, s] of [
    ['on (default)', r.summary.reuse],
    ['off (--no-prompt-cache)', r.summary.noReuse],
  ] as const) {
    lines.push(
      `| ${name} | ${f(s.latency.p50)} | ${f(s.latency.p95)} | ${f(s.latency.max)} | ${f(s.answered)} / ${f(s.cancelled)} of ${r.typed.keystrokes} | ${f(s.answeredInPauses)} of ${r.typed.pauses - 1} | ${f(s.lastMs)} | ${f(s.prefillTokensPerRun)} | ${f(100 * s.reuseShare)}% | ${f(s.cacheHits)} | ${f(s.readyMs)} (${f(s.modelLoadMs)}) | ${f(s.firstCompletionMs)} |`,
    );
  }
  lines.push(
    '',
    `latency without / with KV reuse (medians of per-round ratios): p50 ${f(r.ratios.p50, 2)}×, p95 ${f(r.ratios.p95, 2)}×, last keystroke ${f(r.ratios.last, 2)}×`,
    'p50/p95/max: requests answered before the next keystroke cancelled them (a request slower than the gap to the next key never counts, so these are cut off at the pause length); last keystroke: the final request, which nothing cancels.',
    '* the status counters: prompt tokens prefilled / model runs (answered by the model, in time or late, plus runs aborted mid-generation). A prefill aborted between its 256-token chunks is rolled back and not counted, so this is the work kept, not the work done.',
  );
  return lines;
}

const resultsFile = join(repo, 'bench-results', 'bench.json');

/** Sets the `completions` key of bench-results/bench.json, keeping whatever else it holds. */
export function saveCompletionResults(result: CompletionBenchResult): void {
  const existing = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>) : {};
  mkdirSync(join(repo, 'bench-results'), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify({ ...existing, completions: result }, null, 2)}\n`);
}

/** `--rounds N` from argv, else the default. */
export function roundsFlag(argv: readonly string[]): number {
  const i = argv.indexOf('--rounds');
  if (i < 0) return COMPLETION_ROUNDS;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--rounds ${argv[i + 1]}: use a positive integer`);
  return n;
}

if (require.main === module) {
  runCompletionBench({ rounds: roundsFlag(process.argv) })
    .then((result) => {
      process.stdout.write(`${completionTable(result).join('\n')}\n`);
      saveCompletionResults(result);
    })
    .catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    });
}
