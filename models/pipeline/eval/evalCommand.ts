import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InkwellError } from '../../../sidecar/engine/InkwellError';
import { MODEL_DTYPES, type ModelDtype } from '../../../sidecar/runtime/model/modelFolder';
import type { Flags } from '../main';
import { workPaths } from '../workPaths';
import { evalReportMarkdown } from './evalReport';
import { evaluateModel } from './evaluateModel';

function positive(flags: Flags, name: string): number | undefined {
  const raw = flags.get(name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new InkwellError('invalid-argument', `--${name} must be a positive integer, got ${raw}`, { details: { field: name, value: raw } });
  return value;
}

/** `eval --model DIR [--assistant DIR] [--out DIR] [--cases N] [--windows N] [--data DIR] [--dtype q4]`. */
export async function evalCommand(flags: Flags): Promise<void> {
  const model = flags.get('model');
  if (!model) throw new InkwellError('invalid-argument', 'eval needs --model DIR (a model folder)', { details: { field: 'model' } });
  const dtype = (flags.get('dtype') ?? 'q4') as ModelDtype;
  if (!MODEL_DTYPES.includes(dtype)) throw new InkwellError('invalid-argument', `--dtype must be one of ${MODEL_DTYPES.join(', ')}, got ${dtype}`, { details: { field: 'dtype', value: dtype } });
  const paths = workPaths();
  const data = flags.get('data');
  const cases = positive(flags, 'cases');
  const maxWindows = positive(flags, 'windows');
  const report = await evaluateModel({
    model,
    ...(flags.has('assistant') && { assistant: flags.get('assistant') }),
    heldoutTokens: data ? join(data, 'heldout.u16') : paths.heldoutTokens,
    fimCases: data ? join(data, 'heldout-fim.jsonl') : paths.fimCases,
    dtype,
    ...(cases && { cases }),
    ...(maxWindows && { maxWindows }),
    log: (line) => console.error(`[eval] ${line}`),
  });
  const markdown = evalReportMarkdown(report);
  console.log(markdown);
  const out = flags.get('out');
  if (out) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'eval.json'), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(out, 'eval.md'), markdown);
  }
}
