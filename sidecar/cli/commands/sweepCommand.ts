import { InkwellError } from '../../engine/InkwellError';
import { generate } from '../../engine/generation/generate';
import type { CliOutput } from '../CliOutput';
import { parseFlags } from '../parseFlags';
import { encodePrompt, generationFlags, openModelFromFlags, readFolderFromFlags, resolveConfig, splitSetFlag } from '../prepareGeneration';

export const sweepUsage =
  'inkwell sweep --model DIR (--prompt TEXT | --prompt-file F | --chat F) --set key=v1,v2,… [--set other=value …] [--seed N] [--json]';

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

/** One run per value of one config key, same prompt and seed: a table of outputs and speed. */
export async function sweepCommand(argv: readonly string[], io: CliOutput, signal: AbortSignal): Promise<number> {
  const { values } = parseFlags('sweep', argv, { ...generationFlags, json: { type: 'boolean' } });
  const pairs = (values.set ?? []).map(splitSetFlag).map(([k, v]) => [k, splitValues(v)] as const);
  const axes = pairs.filter(([, vs]) => vs.length > 1);
  if (axes.length !== 1) {
    throw new InkwellError('invalid-argument', `inkwell sweep: give exactly one --set key=v1,v2,… to sweep (got ${axes.length})`, { details: { field: 'set' } });
  }
  const [key, sweepValues] = axes[0]!;
  const fixed: Record<string, string> = Object.fromEntries(pairs.filter(([, vs]) => vs.length === 1).map(([k, vs]) => [k, vs[0]!]));
  if (SAMPLING_KEYS.has(key) && !('do_sample' in fixed)) {
    fixed.do_sample = 'true';
    io.err(`sweep: ${key} only matters when sampling; using do_sample=true (override with --set do_sample=false)\n`);
  }
  values.seed ??= '0';
  const folder = readFolderFromFlags('sweep', values);
  // Validate every value before loading the model, so a typo in the last one fails fast.
  const configs = sweepValues.map((v) => ({ value: v, config: resolveConfig(values, folder, { ...fixed, [key]: v }, io) }));
  const loaded = await openModelFromFlags(folder, values);
  try {
    const prompt = encodePrompt('sweep', values, loaded);
    const rows = [];
    for (const { value, config } of configs) {
      const result = await generate(loaded.model, loaded.tokenizer, { prompts: [prompt.ids], config, signal }).result();
      const s = result.sequences[0]!;
      rows.push({ value, tokens: s.tokenIds.length, tokensPerSecond: result.timings.decodeTokensPerSecond, finishReason: s.finishReason, text: s.text });
    }
    if (values.json) {
      io.out(`${JSON.stringify({ key, rows }, null, 2)}\n`);
      return 0;
    }
    const width = Math.max(key.length, ...rows.map((r) => r.value.length));
    io.out(`${key.padEnd(width)}  tokens  tok/s   finish       output\n`);
    for (const r of rows) {
      const shown = JSON.stringify(r.text).slice(1, -1);
      io.out(
        `${r.value.padEnd(width)}  ${String(r.tokens).padStart(6)}  ${r.tokensPerSecond.toFixed(0).padStart(5)}   ${r.finishReason.padEnd(11)}  ${shown.length > 100 ? `${shown.slice(0, 99)}…` : shown}\n`,
      );
    }
    return 0;
  } finally {
    await loaded.model.dispose();
  }
}
