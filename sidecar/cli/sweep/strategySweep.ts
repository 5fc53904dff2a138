import { InkwellError } from '../../engine';
import type { GenerationConfig } from '../../engine';
import type { ModelFolder } from '../../runtime/index';
import type { CliOutput } from '../CliOutput';
import { encodePrompt, openModelFromFlags, resolveConfig, type GenerationFlagValues } from '../prepareGeneration';
import { printSweepTable } from './printSweepTable';
import { refusedRow, runSweepRow, type RefusedRow, type SweepRow } from './SweepRow';
import { pickStrategies, STRATEGY_BASE, strategyOverrides, type SweepStrategy } from './sweepStrategies';

/**
 * `inkwell sweep --strategies [LIST]`: the same prompt under each named strategy (sweepStrategies.ts),
 * every other --set applying to all. A strategy refused by the config check, the engine or the
 * model is an error row and the sweep goes on; the exit code is 1 only when every row failed.
 */
export async function strategySweep(
  values: GenerationFlagValues & { json?: boolean },
  list: string,
  fixed: Readonly<Record<string, string>>,
  folder: ModelFolder,
  io: CliOutput,
  signal: AbortSignal,
): Promise<number> {
  const strategies = pickStrategies(list);
  // The shared --set values are checked on their own first: a typo there is the user's error for
  // every row, not a refusal of one strategy.
  const quiet = dedupedOutput(io);
  resolveConfig(values, folder, fixed, quiet);
  noteReplacedKeys(fixed, strategies, io);
  const configs = strategies.map((strategy) => ({ strategy, config: strategyConfig(strategy) }));
  const loaded = await openModelFromFlags(folder, values);
  try {
    const prompt = await encodePrompt('sweep', values, loaded);
    const rows: { label: string; settings: Record<string, string>; row: SweepRow }[] = [];
    for (const { strategy, config } of configs) {
      if (signal.aborted) break;
      const row = 'error' in config ? config : await runSweepRow(loaded.model, loaded.tokenizer, prompt.ids, config, signal);
      rows.push({ label: strategy.name, settings: { ...strategy.overlay }, row });
    }
    if (values.json) {
      io.out(`${JSON.stringify({ rows: rows.map(({ label, settings, row }) => ({ strategy: label, settings, ...row })) }, null, 2)}\n`);
    } else {
      printSweepTable(io, 'strategy', rows, true);
    }
    return rows.length > 0 && rows.every(({ row }) => 'error' in row) ? 1 : 0;
  } finally {
    await loaded.model.dispose();
  }

  /** The strategy's config, or its error row when the merged config is invalid (e.g. a --set num_return_sequences=2 that greedy decoding refuses). */
  function strategyConfig(strategy: SweepStrategy): GenerationConfig | RefusedRow {
    try {
      return resolveConfig(values, folder, { ...fixed, ...strategyOverrides(strategy) }, quiet);
    } catch (error) {
      if (InkwellError.is(error) && error.code === 'invalid-config') return refusedRow(error);
      throw error;
    }
  }
}

/** Says once which --set keys the strategies set themselves (theirs win). */
function noteReplacedKeys(fixed: Readonly<Record<string, string>>, strategies: readonly SweepStrategy[], io: CliOutput): void {
  for (const key of Object.keys(fixed)) {
    if (key in STRATEGY_BASE) {
      io.err(`note: --set ${key} is replaced by each strategy's own ${key}\n`);
      continue;
    }
    const by = strategies.filter((s) => key in s.overlay).map((s) => s.name);
    if (by.length > 0) io.err(`note: --set ${key} is replaced in ${by.join(', ')}\n`);
  }
}

/** Every config is resolved with the same files, so their warnings repeat: each is shown once. */
function dedupedOutput(io: CliOutput): CliOutput {
  const seen = new Set<string>();
  return {
    out: (text) => io.out(text),
    err: (text) => {
      if (!seen.has(text)) io.err(text);
      seen.add(text);
    },
  };
}
