import { InkwellError } from '../../engine';
import type { CliOutput } from '../CliOutput';
import { parseFlags } from '../parseFlags';
import { encodePrompt, generationFlags, openModelFromFlags, readFolderFromFlags, resolveConfig, splitSetFlag } from '../prepareGeneration';
import { printSweepTable } from '../sweep/printSweepTable';
import { strategySweep } from '../sweep/strategySweep';
import { strategyUsageLines } from '../sweep/sweepStrategies';
import { runSweepRow } from '../sweep/SweepRow';

export const sweepUsage = [
  'inkwell sweep --model DIR (--prompt TEXT | --prompt-file F | --chat F) --set key=v1,v2,… [--set other=value …] [--seed N] [--json]',
  'inkwell sweep --model DIR (--prompt TEXT | --prompt-file F | --chat F) --strategies [all|NAME,NAME,…] [--set key=value …] [--seed N] [--json]',
  ...strategyUsageLines().map((line) => `    ${line}`),
].join('\n  ');

/** Keys that only shape sampling: sweeping one of them under greedy decoding would change nothing. */
const SAMPLING_KEYS = new Set(['temperature', 'top_k', 'top_p', 'min_p', 'typical_p', 'epsilon_cutoff', 'eta_cutoff']);

/** Splits "0.1,0.5,[1,2]" on commas outside brackets. */
function splitValues(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[') depth++;
    else if (c === ']') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** A bare `--strategies` (last, or before another flag) means all of them; parseArgs wants a value. */
function defaultStrategiesList(argv: readonly string[]): string[] {
  return argv.map((arg, i) => (arg === '--strategies' && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('-')) ? '--strategies=all' : arg));
}

/**
 * One run per value of one config key (--set key=v1,v2,…), or per decoding strategy
 * (--strategies), same prompt and seed: a table of outputs and speed.
 */
export async function sweepCommand(argv: readonly string[], io: CliOutput, signal: AbortSignal): Promise<number> {
  const { values } = parseFlags('sweep', defaultStrategiesList(argv), { ...generationFlags, strategies: { type: 'string' }, json: { type: 'boolean' } });
  const pairs = (values.set ?? []).map(splitSetFlag).map(([k, v]) => [k, splitValues(v)] as const);
  const axes = pairs.filter(([, vs]) => vs.length > 1);
  const fixed: Record<string, string> = Object.fromEntries(pairs.filter(([, vs]) => vs.length === 1).map(([k, vs]) => [k, vs[0]!]));
  values.seed ??= '0';
  if (values.strategies !== undefined) {
    if (axes.length > 0) {
      throw new InkwellError('invalid-argument', `inkwell sweep: --strategies takes single --set values (got --set ${axes[0]![0]}=${axes[0]![1].join(',')})`, {
        details: { field: 'set' },
      });
    }
    return strategySweep(values, values.strategies, fixed, readFolderFromFlags('sweep', values), io, signal);
  }
  if (axes.length !== 1) {
    throw new InkwellError('invalid-argument', `inkwell sweep: give exactly one --set key=v1,v2,… to sweep, or --strategies (got ${axes.length} keys with several values)`, { details: { field: 'set' } });
  }
  const [key, sweepValues] = axes[0]!;
  if (SAMPLING_KEYS.has(key) && !('do_sample' in fixed)) {
    fixed.do_sample = 'true';
    io.err(`sweep: ${key} only matters when sampling; using do_sample=true (override with --set do_sample=false)\n`);
  }
  const folder = readFolderFromFlags('sweep', values);
  // Validate every value before loading the model, so a typo in the last one fails fast.
  const configs = sweepValues.map((v) => ({ value: v, config: resolveConfig(values, folder, { ...fixed, [key]: v }, io) }));
  const loaded = await openModelFromFlags(folder, values);
  try {
    const prompt = await encodePrompt('sweep', values, loaded);
    const rows = [];
    for (const { value, config } of configs) {
      if (signal.aborted) break;
      rows.push({ label: value, row: await runSweepRow(loaded.model, loaded.tokenizer, prompt.ids, config, signal) });
    }
    if (values.json) {
      io.out(`${JSON.stringify({ key, rows: rows.map(({ label, row }) => ({ value: label, ...row })) }, null, 2)}\n`);
    } else {
      printSweepTable(io, key, rows, rows.some(({ row }) => 'sequenceScore' in row && row.sequenceScore !== null));
    }
    return rows.length > 0 && rows.every(({ row }) => 'error' in row) ? 1 : 0;
  } finally {
    await loaded.model.dispose();
  }
}
